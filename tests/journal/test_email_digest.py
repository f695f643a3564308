"""The daily digest: one e-mail per person and day, each held message in exactly one."""

import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction

from journal.enums import EmailDelivery, EmailStatus
from journal.models import OutboundEmail
from journal.services.email import email_queue
from journal.services.email_digest import email_digest_build, email_digests_send
from journal.services.email_preferences import email_preferences_set
from tests.factories import UserFactory, VenueFactory

DAY = date(2026, 3, 2)


def held(person, *, venue, template="journal/emails/published", title="Paper"):
    paper = {"title": title, "get_absolute_url": "/p/"}
    context = {"name": person.display_name, "submission": paper}
    if template == "reviews/emails/comment_posted":
        context = {
            "name": person.display_name,
            "by": "Reviewer 2",
            "submission": {"pk": 1, "number": 7, "title": title},
            "comment": {"body": f"A comment on {title}.", "get_audience_display": "Everyone"},
        }
    email = email_queue(
        to=person.email, recipient=person, template=template, context=context, venue=venue
    )
    assert email.status == EmailStatus.HELD
    return email


def digest_reader():
    person = UserFactory(display_name="Dana Digest")
    email_preferences_set(
        user=person,
        preferences={"status": EmailDelivery.DIGEST, "discussion": EmailDelivery.DIGEST},
    )
    return person


@pytest.mark.django_db
def test_one_digest_per_person_grouped_by_venue_then_category(
    outbox, django_capture_on_commit_callbacks
):
    person = digest_reader()
    alpha, beta = VenueFactory(name="Alpha Journal"), VenueFactory(name="Beta Conference")
    first = held(person, venue=beta, title="Beta paper")
    second = held(person, venue=alpha, template="reviews/emails/comment_posted", title="Sparse")
    third = held(person, venue=alpha, title="Alpha paper")
    with django_capture_on_commit_callbacks(execute=True):
        assert email_digests_send(day=DAY) == 1
    digest = OutboundEmail.objects.get(template="journal/emails/digest")
    assert digest.dedupe_key == f"digest:{person.pk}:2026-03-02"
    assert digest.subject == "Your Peerless digest of 2 Mar 2026: 3 messages"
    body = digest.body
    assert body.startswith("Dear Dana Digest,")
    # Venues by name, and inside a venue the categories in a fixed order.
    order = [
        body.index("==== Alpha Journal ===="),
        body.index("--- Discussion (1) ---"),
        body.index("A comment on Sparse."),
        body.index("--- Status changes (1) ---"),
        body.index('Your paper "Alpha paper" is now published'),
        body.index("==== Beta Conference ===="),
        body.index('Your paper "Beta paper" is now published'),
    ]
    assert order == sorted(order)
    assert body.count("Dear ") == 1  # the held messages' own greetings are left out
    for message in (first, second, third):
        message.refresh_from_db()
        assert (message.status, message.digest_id) == (EmailStatus.DIGESTED, digest.pk)
    assert [m.to for m in outbox] == [[person.email]]
    assert outbox[0].subject == digest.subject


@pytest.mark.django_db
def test_running_twice_builds_one_digest_and_later_messages_wait_for_the_next_day(
    django_capture_on_commit_callbacks,
):
    person = digest_reader()
    venue = VenueFactory()
    held(person, venue=venue)
    with django_capture_on_commit_callbacks(execute=True):
        assert email_digests_send(day=DAY) == 1
        assert email_digests_send(day=DAY) == 0
    late = held(person, venue=venue, title="Late")
    with django_capture_on_commit_callbacks(execute=True):
        assert email_digests_send(day=DAY) == 0
    late.refresh_from_db()
    assert late.status == EmailStatus.HELD
    with django_capture_on_commit_callbacks(execute=True):
        assert email_digests_send(day=DAY + timedelta(days=1)) == 1
    late.refresh_from_db()
    assert late.status == EmailStatus.DIGESTED
    digests = OutboundEmail.objects.filter(template="journal/emails/digest")
    assert digests.count() == 2
    # Every held message is in exactly one digest.
    assert not OutboundEmail.objects.filter(status=EmailStatus.HELD).exists()
    assert OutboundEmail.objects.filter(digest__isnull=False).count() == 2


@pytest.mark.django_db
def test_nobody_with_nothing_held_gets_a_digest(outbox):
    person = digest_reader()
    other = UserFactory()
    email_queue(
        to=other.email,
        recipient=other,
        template="journal/emails/published",
        context={"name": "x", "submission": {"title": "T", "get_absolute_url": "/"}},
    )
    assert email_digests_send(day=DAY) == 0
    assert email_digest_build(user_id=person.pk, day=DAY) is None
    assert not OutboundEmail.objects.filter(template="journal/emails/digest").exists()


@pytest.mark.django_db
def test_a_crash_midway_leaves_that_persons_messages_held_and_others_digested():
    """The database refuses to mark one person's messages (after their digest row was
    written): that person's digest is undone and their messages stay held; the other
    person keeps theirs. A later run sends the held ones."""
    from django.db import connection

    done, crashed = digest_reader(), digest_reader()
    venue = VenueFactory()
    ok = held(done, venue=venue)
    kept = held(crashed, venue=venue)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE FUNCTION refuse_digested() RETURNS trigger AS $$
            BEGIN
              IF NEW.status = 'digested' AND NEW.recipient_id = {crashed.pk} THEN
                RAISE EXCEPTION 'disk full';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_digested BEFORE UPDATE ON journal_outboundemail
              FOR EACH ROW EXECUTE FUNCTION refuse_digested();
            """
        )
    assert email_digests_send(day=DAY) == 1
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER refuse_digested ON journal_outboundemail")
    ok.refresh_from_db()
    kept.refresh_from_db()
    assert ok.status == EmailStatus.DIGESTED
    assert (kept.status, kept.digest_id) == (EmailStatus.HELD, None)
    digests = OutboundEmail.objects.filter(template="journal/emails/digest")
    assert list(digests.values_list("recipient", flat=True)) == [done.pk]
    assert email_digests_send(day=DAY) == 1
    kept.refresh_from_db()
    assert kept.status == EmailStatus.DIGESTED


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_build_one_digest():
    import threading

    from django.db import connection

    person = digest_reader()
    venue = VenueFactory()
    with transaction.atomic():
        for n in range(3):
            held(person, venue=venue, title=f"Paper {n}")
    results = []

    def run():
        try:
            results.append(email_digests_send(day=DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [0, 1]
    digest = OutboundEmail.objects.get(template="journal/emails/digest")
    assert set(OutboundEmail.objects.exclude(pk=digest.pk).values_list("digest", flat=True)) == {
        digest.pk
    }


@pytest.mark.worker
def test_the_digest_task_on_a_real_worker_sends_one_digest(celery_worker):
    from journal.tasks import email_digests

    mail.outbox.clear()
    person = digest_reader()
    venue = VenueFactory()
    with transaction.atomic():
        held(person, venue=venue, title="On the worker")
    for _run in range(2):
        email_digests.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any(m.subject.startswith("Your Peerless digest") for m in mail.outbox):
            break
        time.sleep(0.2)
    time.sleep(1)  # let the second run finish too
    digests = [m for m in mail.outbox if m.subject.startswith("Your Peerless digest")]
    assert len(digests) == 1
    assert 'Your paper "On the worker" is now published' in digests[0].body
    assert "List-Unsubscribe" in digests[0].extra_headers
    assert OutboundEmail.objects.filter(template="journal/emails/digest").count() == 1
    assert OutboundEmail.objects.filter(status=EmailStatus.DIGESTED).count() == 1
