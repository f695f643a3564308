"""The outbox: queued with the transaction, delivered once, retried, never duplicated."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings

from journal.enums import EmailStatus
from journal.models import OutboundEmail
from journal.services.email import MAX_ATTEMPTS, email_deliver, email_flush_queue, email_queue

pytestmark = pytest.mark.django_db

TEMPLATE = "journal/emails/published"


def queue(**kwargs):
    defaults = {
        "to": "reader@example.edu",
        "template": TEMPLATE,
        "context": {
            "name": "Ada",
            "submission": {"title": "Q & A <models>", "get_absolute_url": "/x/"},
        },
    }
    return email_queue(**{**defaults, **kwargs})


def test_email_queue_renders_plain_text_without_escaping(outbox):
    email = queue()
    assert email.status == EmailStatus.QUEUED
    assert "Q & A <models>" in email.body
    assert "&amp;" not in email.subject


def test_email_queue_dedupe_key_queues_once():
    assert queue(dedupe_key="reminder:1:review:-2d") is not None
    assert queue(dedupe_key="reminder:1:review:-2d") is None
    assert OutboundEmail.objects.count() == 1


def test_email_deliver_sends_once(outbox):
    email = queue()
    assert email_deliver(email_id=email.pk) is True
    assert email_deliver(email_id=email.pk) is True
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sent_at is not None
    assert len(outbox) == 1


@override_settings(EMAIL_BACKEND="tests.journal.broken_mail.BrokenBackend")
def test_email_deliver_failure_recorded_then_gives_up(outbox):
    email = queue()
    for _attempt in range(MAX_ATTEMPTS - 1):
        assert email_deliver(email_id=email.pk) is False
    assert email_deliver(email_id=email.pk) is True
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.attempts == MAX_ATTEMPTS
    assert "relay refused" in email.error


def test_email_flush_queue_picks_old_queued(outbox):
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        created_at=email.created_at - timedelta(hours=1)
    )
    assert email_flush_queue() == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


@pytest.mark.worker
def test_email_sent_by_real_worker(celery_worker):
    from django.db import transaction

    mail.outbox.clear()
    with transaction.atomic():
        email = queue(to="worker@example.edu")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == EmailStatus.SENT:
            break
        time.sleep(0.1)
    assert email.status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [["worker@example.edu"]]
