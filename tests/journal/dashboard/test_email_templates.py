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
SUBJECT = "[{{ venue.name }}] We got #{{ submission.number }}"
BODY = "Hello {{ name }}, thanks for “{{ submission.title }}”.\n"


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
            subject="Review {{ submission.title|no_such_filter }}",
            body=BODY,
            actor=world.chief,
        )
    assert caught.value.field == "subject"
    assert "template error" in caught.value.message
    assert not VenueEmailTemplate.objects.exists()


def test_unresolvable_url_is_refused(world):
    with pytest.raises(DomainError, match="cannot be rendered") as caught:
        venue_email_template_save(
            venue=world.venue,
            template=K.REMINDER_REVIEW,
            subject=SUBJECT,
            body='{% url "no-such-page" %}',
            actor=world.chief,
        )
    assert caught.value.field == "body"


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
        subject="Nudge for #{{ submission.number }}",
        body="Please answer by {{ deadline|date:'Y-m-d' }}.",
        actor=world.chief,
    )
    invitation = add_review(world, world.paper(S.UNDER_REVIEW), submit=False)
    email = reminder_send_manual(invitation=invitation, actor=world.editor)
    assert email.subject.startswith("Nudge for #")
    assert email.body.startswith("Please answer by 20")


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
    assert response.context["form"].errors["body"][0].startswith("The body has a template error")
    assert not VenueEmailTemplate.objects.exists()


def test_pages_are_for_chiefs_and_known_emails(client, world):
    client.force_login(world.editor)
    assert client.get(edit_url(world, "decision")).status_code == 403
    client.force_login(world.chief)
    assert client.get(edit_url(world, "no_such_email")).status_code == 404
