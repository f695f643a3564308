"""`email_queue`, the one path of every e-mail, follows the recipient's choice per category."""

import pytest

from journal.enums import EmailDelivery, EmailStatus
from journal.errors import DomainError
from journal.models import EmailPreference, OutboundEmail
from journal.services.email import email_deliver, email_queue, email_queue_many
from journal.services.email_preferences import email_preferences_set
from reviews.services.discussion import comment_post
from tests.api.support import make_world
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

OPTIONAL = "journal/emails/published"  # status changes
MANDATORY = "journal/emails/retracted"  # decisions: always sent


def queue(person, template=OPTIONAL, **kwargs):
    """Queue one message to `person` and run what its commit would run (the sending)."""
    from django.test import TestCase

    context = {"name": "Ada", "note": "n", "submission": {"title": "T", "get_absolute_url": "/"}}
    with TestCase.captureOnCommitCallbacks(execute=True):
        email = email_queue(
            to=person.email, recipient=person, template=template, context=context, **kwargs
        )
    if email is not None:
        email.refresh_from_db()
    return email


def test_without_a_choice_an_optional_message_is_queued_at_once(outbox):
    person = UserFactory()
    email = queue(person)
    assert (email.status, email.category) == (EmailStatus.SENT, "status")
    assert [m.to for m in outbox] == [[person.email]]


def test_immediate_is_queued_and_sent(outbox):
    person = UserFactory()
    email_preferences_set(user=person, preferences={"status": EmailDelivery.IMMEDIATE})
    assert queue(person).status == EmailStatus.SENT
    assert len(outbox) == 1


def test_digest_holds_the_message_and_sends_nothing(outbox):
    person = UserFactory()
    email_preferences_set(user=person, preferences={"status": EmailDelivery.DIGEST})
    email = queue(person)
    assert email.status == EmailStatus.HELD
    assert outbox == []
    assert email_deliver(email_id=email.pk) is True
    email.refresh_from_db()
    assert email.status == EmailStatus.HELD and outbox == []


def test_off_keeps_a_suppressed_row_that_says_why(outbox):
    person = UserFactory()
    email_preferences_set(user=person, preferences={"status": EmailDelivery.OFF})
    email = queue(person)
    assert email.status == EmailStatus.SUPPRESSED
    assert email.get_status_display() == "Not sent: turned off by the recipient"
    assert "is now published" in email.body
    assert outbox == []


@pytest.mark.parametrize("delivery", [EmailDelivery.DIGEST, EmailDelivery.OFF])
def test_mandatory_messages_are_always_sent_at_once(outbox, delivery):
    person = UserFactory()
    email_preferences_set(
        user=person, preferences={c: delivery for c in ("discussion", "reminders", "status")}
    )
    email = queue(person, template=MANDATORY)
    assert (email.status, email.category) == (EmailStatus.SENT, "decisions")
    assert [m.to for m in outbox] == [[person.email]]


def test_another_persons_choice_does_not_apply(outbox):
    quiet, other = UserFactory(), UserFactory()
    email_preferences_set(user=quiet, preferences={"status": EmailDelivery.OFF})
    assert queue(other).status == EmailStatus.SENT


def test_without_a_recipient_the_account_of_the_address_decides(outbox):
    person = UserFactory()
    email_preferences_set(user=person, preferences={"status": EmailDelivery.OFF})
    email = email_queue(
        to=person.email.upper(),
        template=OPTIONAL,
        context={"name": "Ada", "submission": {"title": "T", "get_absolute_url": "/"}},
    )
    assert outbox == []
    assert email.status == EmailStatus.SUPPRESSED and email.recipient == person


def test_a_suppressed_message_keeps_its_dedupe_key():
    person = UserFactory()
    email_preferences_set(user=person, preferences={"status": EmailDelivery.OFF})
    assert queue(person, dedupe_key="once").status == EmailStatus.SUPPRESSED
    assert queue(person, dedupe_key="once") is None
    assert OutboundEmail.objects.count() == 1


def test_bulk_queue_applies_every_choice_in_a_fixed_number_of_queries(
    outbox, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    venue = VenueFactory()
    people = [UserFactory() for _ in range(6)]
    choices = [None, EmailDelivery.IMMEDIATE, EmailDelivery.DIGEST, EmailDelivery.OFF]
    for person, choice in zip(people, choices * 2, strict=False):
        if choice:
            email_preferences_set(user=person, preferences={"status": choice})
    messages = [
        {
            "to": p.email,
            "recipient": p,
            "template": OPTIONAL,
            "context": {"name": "Ada", "submission": {"title": "T", "get_absolute_url": "/"}},
            "venue": venue,
            "dedupe_key": f"bulk:{p.pk}",
        }
        for p in people
    ] + [
        {
            "to": people[3].email,
            "recipient": people[3],
            "template": MANDATORY,
            "context": {"name": "Ada", "note": "n", "submission": {"title": "T"}},
            "venue": venue,
            "dedupe_key": "bulk:mandatory",
        }
    ]
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(6):
        queued = email_queue_many(messages=messages)
    # Two without a choice, two at once (choice or none), and the mandatory one.
    assert queued == 5
    assert len(outbox) == 5
    statuses = dict(OutboundEmail.objects.values_list("dedupe_key", "status"))
    assert statuses[f"bulk:{people[2].pk}"] == EmailStatus.HELD
    assert statuses[f"bulk:{people[3].pk}"] == EmailStatus.SUPPRESSED
    assert statuses["bulk:mandatory"] == EmailStatus.SENT


def test_a_comment_reaches_each_person_by_their_choice(outbox, django_capture_on_commit_callbacks):
    world = make_world()
    email_preferences_set(user=world.author, preferences={"discussion": EmailDelivery.OFF})
    email_preferences_set(user=world.editor, preferences={"discussion": EmailDelivery.DIGEST})
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(
            submission=world.submission,
            author=world.chief,
            body="Please check the second ablation.",
            audience="everyone",
        )
    rows = {
        e.recipient_id: e.status
        for e in OutboundEmail.objects.filter(template="reviews/emails/comment_posted")
    }
    assert rows[world.author.pk] == EmailStatus.SUPPRESSED
    assert rows[world.editor.pk] == EmailStatus.HELD
    assert rows[None] == EmailStatus.SENT  # the co-author without an account
    assert [m.to for m in outbox] == [["co@lab.example.org"]]


def test_a_mandatory_category_cannot_be_turned_off_and_nothing_changes():
    person = UserFactory()
    email_preferences_set(user=person, preferences={"status": EmailDelivery.DIGEST})
    with pytest.raises(DomainError, match="always sent at once"):
        email_preferences_set(
            user=person, preferences={"status": EmailDelivery.OFF, "decisions": "off"}
        )
    with pytest.raises(DomainError, match="Choose one of"):
        email_preferences_set(user=person, preferences={"status": "weekly"})
    assert list(EmailPreference.objects.values_list("category", "delivery")) == [
        ("status", "digest")
    ]


def test_the_outbox_shows_why_a_message_was_not_sent(django_capture_on_commit_callbacks):
    from django.test import Client
    from django.urls import reverse

    world = make_world()
    email_preferences_set(user=world.author, preferences={"discussion": EmailDelivery.OFF})
    email_preferences_set(user=world.editor, preferences={"discussion": EmailDelivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(
            submission=world.submission,
            author=world.chief,
            body="Please check the second ablation.",
            audience="everyone",
        )
    client = Client()
    client.force_login(world.chief)
    page = client.get(reverse("journal:dashboard-outbox", args=[world.venue.slug]))
    text = page.content.decode()
    assert "Not sent: turned off by the recipient" in text
    assert "Held for the daily digest" in text
    assert "reviews/emails/comment_posted · Discussion" in text
    api = client.get("/api/v1/emails/", {"status": "suppressed"})
    assert api.status_code == 200, api.content
    (row,) = api.json()["results"]
    assert (row["to"], row["category"]) == (world.author.email, "discussion")
