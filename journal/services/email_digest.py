"""The daily digest: one e-mail per person with the messages they chose to get that way.

A beat task (`journal.tasks.email_digests`) runs this once a day. Each person's digest is
built in one transaction: their account row is locked, the day's digest is created with the
key `digest:<person>:<day>` and every message it carries is marked as digested and linked
to it. Running it again, even at the same time, builds nothing new that day, and a crash
leaves the messages held for the next run: each message is in exactly one digest.
"""

import logging
import re
from datetime import date
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from journal.enums import EmailCategory, EmailStatus
from journal.limits import DIGEST_MAX_MESSAGES
from journal.models import OutboundEmail, User
from journal.services.email import email_enqueue_on_commit, email_render

logger = logging.getLogger(__name__)

DIGEST_TEMPLATE = "journal/emails/digest"

_GREETING = re.compile(r"\A\s*Dear [^\n]*,\s*\n")


def email_digest_key(*, user_id: int, day: date) -> str:
    """Return the outbox key of a person's digest of `day` (one per person and day)."""
    return f"digest:{user_id}:{day.isoformat()}"


def email_digests_send(*, day: date | None = None) -> int:
    """Build the digest of `day` (today) for everyone with held messages; return how many.

    One person's failure is logged and leaves their messages held; the others go on.
    """
    day = day or timezone.localdate()
    user_ids = (
        OutboundEmail.objects.filter(status=EmailStatus.HELD, recipient__isnull=False)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    built = 0
    for user_id in list(user_ids):
        try:
            built += email_digest_build(user_id=user_id, day=day) is not None
        except Exception:
            # That person's transaction is rolled back: their messages stay held for the
            # next run, and the others still get their digest.
            logger.exception("The digest of person %s failed; it is tried again next run.", user_id)
    return built


def email_digest_build(*, user_id: int, day: date) -> OutboundEmail | None:
    """Build and queue one person's digest of `day`; None when there is nothing to send.

    Nothing is built when the person has no held message or already got that day's digest.
    """
    key = email_digest_key(user_id=user_id, day=day)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or OutboundEmail.objects.filter(dedupe_key=key).exists():
            return None
        held_rows = OutboundEmail.objects.filter(
            recipient_id=user_id, status=EmailStatus.HELD
        ).select_related("venue")
        total = held_rows.count()
        held = list(
            held_rows.order_by("venue__name", "venue_id", "category", "created_at", "pk")[
                :DIGEST_MAX_MESSAGES
            ]
        )
        if not held:
            return None
        context = {
            "site_url": settings.SITE_URL,
            "name": user.display_name or user.email,
            "day": day,
            "count": len(held),
            "more": total - len(held),
            "venues": _grouped(held),
        }
        subject, body = email_render(template=DIGEST_TEMPLATE, context=context)
        digest = OutboundEmail.objects.create(
            recipient=user,
            to=user.email,
            subject=subject[:300],
            body=body,
            template=DIGEST_TEMPLATE,
            category=EmailCategory.DIGEST,
            status=EmailStatus.QUEUED,
            dedupe_key=key,
        )
        OutboundEmail.objects.filter(pk__in=[m.pk for m in held]).update(
            status=EmailStatus.DIGESTED, digest=digest
        )
        email_enqueue_on_commit(email_id=digest.pk)
    return digest


def _grouped(held: list[OutboundEmail]) -> list[dict]:
    """Return the held messages by venue, then by category, in the digest's order."""
    venues = []
    for _venue_id, in_venue in groupby(held, key=lambda m: m.venue_id):
        in_venue = list(in_venue)
        venue = in_venue[0].venue
        groups = []
        for category, messages in groupby(in_venue, key=lambda m: m.category):
            messages = list(messages)
            groups.append(
                {
                    "label": EmailCategory(category).label,
                    "messages": [
                        {
                            "subject": m.subject,
                            "created_at": m.created_at,
                            "body": _GREETING.sub("", m.body, count=1).strip(),
                        }
                        for m in messages
                    ],
                }
            )
        venues.append({"name": venue.name if venue else "Peerless", "groups": groups})
    return venues
