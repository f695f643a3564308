"""A venue's own wording of its e-mails: saved when it works, used by the outbox, reset."""

import pytest
from django.urls import reverse

from journal.enums import SubmissionState
from journal.errors import DomainError
from journal.models import AuditEvent, EmailTemplateKey, OutboundEmail, VenueEmailTemplate
from journal.services.email import email_queue
from journal.services.venues import venue_email_template_reset, venue_email_template_save
from reviews.services.reminders import reminder_send_manual
from tests.factories import VenueFactory
from tests.journal.dashboard.conftest import add_review

K = EmailTemplateKey
S = SubmissionState
SUBJECT = "[{{ venue_name }}] We got #{{ paper_number }}"
BODY = "Hello {{ name }}, thanks for “{{ paper_title }}”.\n"


def edit_url(world, slug):
    return reverse("journal:dashboard-email-template", args=[world.venue.slug, slug])


def test_own_wording_is_used_for_the_venues_email(world):
    venue_email_template_save(
        venue=world.venue,
        template=K.SUBMISSION_RECEIVED,
        subject=SUBJECT,
        body=BODY,
        actor=world.chief,
    )
    submission = world.paper(S.SUBMITTED, title="Sparse & fast")
    email = OutboundEmail.objects.get(
        submission=submission, template="journal/emails/submission_received"
    )
    assert email.subject == f"[{world.venue.name}] We got #{submission.number}"
    assert email.body == "Hello Ada Author, thanks for “Sparse & fast”.\n"
    assert AuditEvent.objects.filter(action="venue.email_template_saved").exists()


def test_other_venues_keep_the_default(world):
    venue_email_template_save(
        venue=world.venue, template=K.DECISION, subject=SUBJECT, body=BODY, actor=world.chief
    )
    other = VenueFactory()
    email = email_queue(
        to="a@example.org",
        template=K.SUBMISSION_RECEIVED,
        context={"submission": world.paper(S.SUBMITTED), "name": "A"},
        venue=other,
    )
    assert "We got" not in email.subject


def test_syntax_error_is_refused_with_the_field(world):
    with pytest.raises(DomainError) as caught:
        venue_email_template_save(
            venue=world.venue,
            template=K.REVIEW_INVITATION,
            subject="Review {{ paper_title|no_such_filter }}",
            body=BODY,
            actor=world.chief,
        )
    assert caught.value.field == "subject"
    assert "uses the filter |no_such_filter" in caught.value.message
    assert not VenueEmailTemplate.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "{{ submission.authors.all }}",
        "{% for a in submission.authors.all %}{{ a.email }}{% endfor %}",
        "{{ user.authorships.all }}",
        "{{ invitation.submission.reviews.all }}",
        "{{ recipient.password }}",
        '{% load static %}{% include "base.html" %}',
        '{% url "no-such-page" %}',
    ],
)
def test_template_injection_in_venue_email_refused_at_save(world, payload):
    with pytest.raises(DomainError, match="The body cannot be used: Line 1") as caught:
        venue_email_template_save(
            venue=world.venue,
            template=K.REVIEW_INVITATION,
            subject=SUBJECT,
            body=payload,
            actor=world.chief,
        )
    assert caught.value.field == "body"
    assert not VenueEmailTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action="venue.email_template_saved").exists()


def test_template_injection_stored_behind_the_checks_renders_the_default(world):
    """A wording that reached the database without the check is never rendered."""
    other = world.paper(S.SUBMITTED, title="Another venue's secret paper")
    VenueEmailTemplate.objects.create(
        venue=world.venue,
        template=K.SUBMISSION_RECEIVED,
        subject="{{ submission.authors.all }}",
        body="{% for a in user.authorships.all %}{{ a.submission.title }}{% endfor %}"
        "{{ recipient.password }}",
    )
    submission = world.paper(S.SUBMITTED, title="Sparse & fast")
    email = OutboundEmail.objects.get(
        submission=submission, template="journal/emails/submission_received"
    )
    assert email.subject.endswith(f"#{submission.number} Sparse & fast")
    assert "Submission received" in email.subject
    assert other.title not in email.body
    assert "pbkdf2" not in email.body
    assert "Dear Ada Author" in email.body


def test_template_injection_preview_page_shows_the_refusal_and_no_data(client, world):
    world.paper(S.UNDER_REVIEW, title="Unpublished secret title")
    client.force_login(world.chief)
    response = client.post(
        edit_url(world, "review_invitation"),
        {
            "action": "preview",
            "subject": SUBJECT,
            "body": "{{ invitation.submission.authors.all }} {{ user.password }}",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "which this e-mail does not have" in page
    assert "Unpublished secret title" not in page
    assert "pbkdf2" not in page
    assert not VenueEmailTemplate.objects.exists()


def test_editing_page_documents_the_names_of_the_email(client, world):
    client.force_login(world.chief)
    page = client.get(edit_url(world, "review_invitation")).content.decode()
    assert "What this e-mail may use" in page
    assert "<code>invitation_url</code>" in page
    assert "where the reviewer accepts or declines" in page
    assert "<code>submission</code>" not in page


def test_reset_goes_back_to_the_default(world):
    venue_email_template_save(
        venue=world.venue,
        template=K.SUBMISSION_RECEIVED,
        subject=SUBJECT,
        body=BODY,
        actor=world.chief,
    )
    assert venue_email_template_reset(
        venue=world.venue, template=K.SUBMISSION_RECEIVED, actor=world.chief
    )
    submission = world.paper(S.SUBMITTED)
    email = OutboundEmail.objects.get(
        submission=submission, template="journal/emails/submission_received"
    )
    assert "Submission received" in email.subject
    assert not venue_email_template_reset(
        venue=world.venue, template=K.SUBMISSION_RECEIVED, actor=world.chief
    )


def test_reminder_uses_the_venues_wording(world):
    venue_email_template_save(
        venue=world.venue,
        template=K.REMINDER_INVITATION,
        subject="Nudge for #{{ paper_number }}",
        body="Please answer by {{ answer_due }}: {{ invitation_url }}",
        actor=world.chief,
    )
    invitation = add_review(world, world.paper(S.UNDER_REVIEW), submit=False)
    email = reminder_send_manual(invitation=invitation, actor=world.editor)
    assert email.subject.startswith("Nudge for #")
    assert email.body.startswith("Please answer by ")
    assert f"/reviewing/invitations/{invitation.pk}/" in email.body
    assert invitation.answer_due.strftime("%Y") in email.body


def test_pages_list_preview_save_and_reset(client, world):
    client.force_login(world.chief)
    listing = client.get(reverse("journal:dashboard-email-templates", args=[world.venue.slug]))
    assert listing.status_code == 200
    assert "Invitation to review" in listing.content.decode()
    page = client.get(edit_url(world, "decision"))
    assert page.status_code == 200
    assert "Decision on #42" in page.content.decode()
    preview = client.post(
        edit_url(world, "decision"), {"action": "preview", "subject": SUBJECT, "body": BODY}
    )
    assert preview.status_code == 200
    assert "We got #42" in preview.content.decode()
    assert not VenueEmailTemplate.objects.exists()
    saved = client.post(
        edit_url(world, "decision"), {"action": "save", "subject": SUBJECT, "body": BODY}
    )
    assert saved.status_code == 302
    assert VenueEmailTemplate.objects.get(template=K.DECISION).subject == SUBJECT
    reset = client.post(edit_url(world, "decision"), {"action": "reset"})
    assert reset.status_code == 302
    assert not VenueEmailTemplate.objects.exists()


def test_page_shows_a_syntax_error_as_a_form_error(client, world):
    client.force_login(world.chief)
    response = client.post(
        edit_url(world, "decision"),
        {"action": "save", "subject": SUBJECT, "body": "{% if name %}no end"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["body"][0].startswith("The body cannot be used")
    assert not VenueEmailTemplate.objects.exists()


def test_pages_are_for_chiefs_and_known_emails(client, world):
    client.force_login(world.editor)
    assert client.get(edit_url(world, "decision")).status_code == 403
    client.force_login(world.chief)
    assert client.get(edit_url(world, "no_such_email")).status_code == 404
