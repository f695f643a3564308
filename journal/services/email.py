"""Queue and deliver e-mail through the outbox.

A message is a row first (inside the caller's transaction) and is sent by a Celery task that
is enqueued only when that transaction commits: a rolled-back action sends nothing, and a
message whose task was lost is picked up again by the periodic flush.

Every message has a category (`journal.email_categories`). For an optional one the
recipient's choice decides: at once (queued), in the daily digest (held, see
`journal.services.email_digest`) or never (kept in the outbox as suppressed, so the outbox
says why it was not sent). Mandatory messages are always queued. Optional messages get
their one-click unsubscribe footer and `List-Unsubscribe` headers when they are sent, never
in the stored body: the outbox, which editors read, holds no working link.
"""

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from journal.email_categories import email_category_of
from journal.email_wording import WordingError, wording_render
from journal.enums import EmailCategory, EmailDelivery, EmailStatus
from journal.models import (
    EmailTemplateKey,
    OutboundEmail,
    Submission,
    User,
    Venue,
    VenueEmailTemplate,
)
from journal.selectors.email_preferences import email_deliveries_for, email_users_by_address
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
    now: datetime | None = None,
) -> OutboundEmail | None:
    """Render `template` (`<template>_subject.txt` and `<template>.txt`) and queue it,
    as of `now` (the moment of the action it tells of; the present by default).

    With a `dedupe_key` that was used before, queue nothing and return None: a reminder
    or notice with a key is sent at most once, however often the caller runs. The row's
    status follows the recipient's choice for the template's category (see the module).
    Without a `recipient`, the account of the address `to` (if any) is the recipient.
    """
    full_context = {"site_url": settings.SITE_URL, "venue": venue, **context}
    subject, body = email_render(template=template, context=full_context, venue=venue)
    category = email_category_of(template=template)
    if recipient is None and category in EmailCategory.OPTIONAL:
        recipient = email_users_by_address(addresses=[to]).get(to.strip().lower())
    deliveries = (
        email_deliveries_for(user_ids=[recipient.pk], categories=[category])
        if recipient is not None
        else {}
    )
    status = _status_for(category, deliveries.get((getattr(recipient, "pk", None), category)))
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
                category=category,
                status=status,
                dedupe_key=dedupe_key,
                created_at=now or timezone.now(),
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if status == EmailStatus.QUEUED:
        transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _status_for(category: str, delivery: str | None) -> str:
    """Return the outbox status of a new message of `category` under a person's choice."""
    if category not in EmailCategory.OPTIONAL or delivery in (None, EmailDelivery.IMMEDIATE):
        return EmailStatus.QUEUED
    return EmailStatus.HELD if delivery == EmailDelivery.DIGEST else EmailStatus.SUPPRESSED


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


def email_enqueue_on_commit(*, email_id: int) -> None:
    """Send the queued message `email_id` once the current transaction commits."""
    transaction.on_commit(lambda: _enqueue(email_id))


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
        body, headers = _with_unsubscribe(email)
        message = EmailMessage(
            subject=email.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers=headers,
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


def _with_unsubscribe(email: OutboundEmail) -> tuple[str, dict[str, str]]:
    """Return the body to send with its unsubscribe footer, and the RFC 8058 headers.

    Only optional messages (and digests, for the optional categories they carry) to a
    person with an account get them; mandatory messages go out as stored.
    """
    from journal.services.email_unsubscribe import unsubscribe_url

    if email.recipient_id is None or email.category not in EmailCategory.UNSUBSCRIBABLE:
        return email.body, {}
    if email.category == EmailCategory.DIGEST:
        held = set(email.digested.values_list("category", flat=True))
        categories = [c for c in EmailCategory.OPTIONAL if c in held]
    else:
        categories = [email.category]
    if not categories:
        return email.body, {}
    every = unsubscribe_url(user_id=email.recipient_id, categories=categories)
    lines = ["", "-- "]
    if len(categories) == 1:
        label = EmailCategory(categories[0]).label.lower()
        lines.append(f"You get {label} e-mails from Peerless. Stop them with one click:")
        lines.append(every)
    else:
        lines.append("Stop one kind of these e-mails with one click:")
        for category in categories:
            label = EmailCategory(category).label.lower()
            url = unsubscribe_url(user_id=email.recipient_id, categories=[category])
            lines.append(f"  {label}: {url}")
        lines.append(f"  all of them: {every}")
    manage = settings.SITE_URL + reverse("journal:email-preferences")
    lines.append(f"Choose what you get, and how often: {manage}")
    body = email.body.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    headers = {
        "List-Unsubscribe": f"<{every}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return body, headers


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
    The recipients' choices are read in one query and applied as in `email_queue`; the
    count is of messages queued to go out at once.
    """
    messages = [
        {**message, "category": email_category_of(template=message["template"])}
        for message in messages
    ]
    addresses = [
        m["to"]
        for m in messages
        if m.get("recipient") is None and m["category"] in EmailCategory.OPTIONAL
    ]
    accounts = email_users_by_address(addresses=addresses)
    for message in messages:
        if message.get("recipient") is None and message["category"] in EmailCategory.OPTIONAL:
            message["recipient"] = accounts.get(message["to"].strip().lower())
    deliveries = email_deliveries_for(
        user_ids=[m["recipient"].pk for m in messages if m.get("recipient") is not None],
        categories=[m["category"] for m in messages],
    )
    rows = []
    for message in messages:
        venue = message.get("venue")
        context = {"site_url": settings.SITE_URL, "venue": venue, **message["context"]}
        subject, body = email_render(template=message["template"], context=context, venue=venue)
        recipient = message.get("recipient")
        delivery = deliveries.get((getattr(recipient, "pk", None), message["category"]))
        rows.append(
            OutboundEmail(
                venue=venue,
                submission=message.get("submission"),
                recipient=recipient,
                to=message["to"],
                subject=subject[:300],
                body=body,
                template=message["template"],
                category=message["category"],
                status=_status_for(message["category"], delivery),
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
