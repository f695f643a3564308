"""Queue and deliver e-mail through the outbox.

A message is a row first (inside the caller's transaction) and is sent by a Celery task that
is enqueued only when that transaction commits: a rolled-back action sends nothing, and a
message whose task was lost is picked up again by the periodic flush.
"""

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import engines
from django.utils import timezone

from journal.email_wording import WordingError, wording_render
from journal.enums import EmailStatus
from journal.models import (
    EmailTemplateKey,
    OutboundEmail,
    Submission,
    User,
    Venue,
    VenueEmailTemplate,
)
from journal.selectors.email_values import email_values

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def email_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    venue: Venue | None = None,
    submission: Submission | None = None,
    recipient: User | None = None,
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Render `template` (`<template>_subject.txt` and `<template>.txt`) and queue it.

    With a `dedupe_key` that was used before, queue nothing and return None: a reminder
    or notice with a key is sent at most once, however often the caller runs.
    """
    full_context = {"site_url": settings.SITE_URL, "venue": venue, **context}
    subject, body = email_render(template=template, context=full_context, venue=venue)
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                venue=venue,
                submission=submission,
                recipient=recipient,
                to=to,
                subject=subject[:300],
                body=body,
                template=template,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


@timezone.override("UTC")  # e-mails state their times in UTC, whoever's request sends them
def email_render(
    *, template: str, context: dict[str, Any], venue: Venue | None = None
) -> tuple[str, str]:
    """Return the subject and body of `template`, in the venue's own wording if it has one.

    A rewordable e-mail (`EmailTemplateKey`) is rendered in the wording sandbox from plain
    values only, whether the wording is the venue's or the default. A venue's wording that
    fails (it was checked when saved, but the rules may have changed since) is logged and
    the default is used: the message still goes out.
    """
    if template not in EmailTemplateKey.values:
        text = engines["email"]
        subject = text.get_template(f"{template}_subject.txt").render(context)
        return " ".join(subject.split()), text.get_template(f"{template}.txt").render(context)
    values = email_values(template=template, context=context)
    own = (
        VenueEmailTemplate.objects.filter(venue=venue, template=template).first()
        if venue is not None
        else None
    )
    if own is not None:
        try:
            return _render_wording(
                template=template, subject=own.subject, body=own.body, values=values
            )
        except WordingError as exc:
            logger.warning(
                "The venue's wording of %s failed (%s); using the default.", template, exc
            )
    subject, body = email_template_source(template=template)
    return _render_wording(template=template, subject=subject, body=body, values=values)


def _render_wording(
    *, template: str, subject: str, body: str, values: dict[str, str | bool]
) -> tuple[str, str]:
    rendered = wording_render(source=subject, kind=template, values=values)
    return " ".join(rendered.split()), wording_render(source=body, kind=template, values=values)


def email_template_source(*, template: str) -> tuple[str, str]:
    """Return the default subject and body wording of the rewordable e-mail `template`."""
    base = Path(settings.BASE_DIR) / "templates"
    subject = (base / f"{template}_subject.txt").read_text(encoding="utf-8")
    return subject.strip(), (base / f"{template}.txt").read_text(encoding="utf-8")


def _enqueue(email_id: int) -> None:
    from journal.tasks import email_send

    try:
        email_send.delay(email_id)
    except Exception as exc:
        logger.error("Could not enqueue e-mail %s: %s", email_id, exc)


def email_deliver(*, email_id: int) -> bool:
    """Send one queued message; return False when it should be tried again later.

    The row is locked while sending, so two workers never send the same message.
    """
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=EmailStatus.QUEUED)
            .first()
        )
        if email is None:
            return True
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
        )
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:
            logger.warning("E-mail %s failed: %s", email.pk, exc)
            email.error = str(exc)[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
            email.save(update_fields=["attempts", "error", "status"])
            return email.status == EmailStatus.FAILED
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.error = ""
        email.save(update_fields=["attempts", "error", "status", "sent_at"])
        return True


def email_flush_queue(*, older_than_seconds: int = 120) -> int:
    """Enqueue delivery of messages still queued after `older_than_seconds`; return count."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(
        OutboundEmail.objects.filter(status=EmailStatus.QUEUED, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    for email_id in ids:
        _enqueue(email_id)
    return len(ids)


def email_queue_many(*, messages: list[dict[str, Any]]) -> int:
    """Queue many messages in a fixed number of queries; return how many were new.

    Each message has the arguments of `email_queue`, with a `dedupe_key` required: a
    message whose key was used before is skipped, so a bulk step that runs again sends
    nothing twice. Templates a venue may reword cost one query per message to render.
    """
    rows = []
    for message in messages:
        venue = message.get("venue")
        context = {"site_url": settings.SITE_URL, "venue": venue, **message["context"]}
        subject, body = email_render(template=message["template"], context=context, venue=venue)
        rows.append(
            OutboundEmail(
                venue=venue,
                submission=message.get("submission"),
                recipient=message.get("recipient"),
                to=message["to"],
                subject=subject[:300],
                body=body,
                template=message["template"],
                dedupe_key=message["dedupe_key"],
            )
        )
    if not rows:
        return 0
    keys = [row.dedupe_key for row in rows]
    known = set(
        OutboundEmail.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    new = [row for row in rows if row.dedupe_key not in known]
    created = OutboundEmail.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    ids = list(
        OutboundEmail.objects.filter(
            dedupe_key__in=[row.dedupe_key for row in created], status=EmailStatus.QUEUED
        ).values_list("pk", flat=True)
    )

    def enqueue_all() -> None:
        for email_id in ids:
            _enqueue(email_id)

    transaction.on_commit(enqueue_all)
    return len(ids)
