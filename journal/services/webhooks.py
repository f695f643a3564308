"""Webhooks: a venue's chairs register endpoints; events become signed deliveries.

`webhook_emit` is called inside the transaction of the change it reports: it writes one
delivery row per subscribed endpoint and enqueues sending when the transaction commits, so
a rolled-back change reports nothing. Each delivery is a POST of a JSON body signed with
HMAC-SHA256 over `<timestamp>.<body>` (headers `X-Peerless-Timestamp`,
`X-Peerless-Signature: sha256=<hex>`), retried with exponential back-off. Deliveries go to
public addresses only, checked at every attempt, and never follow redirects (`webhook_http`).
"""

import hashlib
import hmac
import http.client
import json
import logging
import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from journal.enums import SubmissionState
from journal.errors import DomainError
from journal.models import Submission, SubmissionVersion, User, Venue, Webhook, WebhookDelivery
from journal.models.api import DeliveryStatus, WebhookEvent
from journal.services import webhook_http
from journal.services.audit import audit_log

logger = logging.getLogger(__name__)

S = SubmissionState
MAX_ATTEMPTS = 8
USER_AGENT = "Peerless-Webhooks/1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# What a venue is told about any failure to connect or to get an answer. The reason (refused,
# timed out, unknown name, non-public address, TLS) goes to the server log only, so that the
# delivery history cannot be used to probe which hosts and ports exist.
UNREACHABLE = "The endpoint could not be reached or did not give a valid HTTP answer."


def webhook_url_check(url: str) -> str:
    """Return `url` if deliveries may go there, else raise DomainError saying why.

    Only the URL itself is judged here; the addresses its host resolves to are checked again
    on every delivery attempt (see `webhook_http`).
    """
    url = url.strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
        parts = urlsplit(url)
        if parts.port == 0:  # a port out of range raises ValueError here too
            raise ValueError("port 0")
    except (ValidationError, ValueError):
        raise DomainError(
            "Enter a full URL, e.g. https://example.org/hooks.", field="url"
        ) from None
    host = (parts.hostname or "").lower()
    if parts.username or parts.password:
        raise DomainError("Leave credentials out of the URL; verify the signature.", field="url")
    local_http = settings.PEERLESS_WEBHOOKS_ALLOW_HTTP and host in LOCAL_HOSTS
    if parts.scheme == "http" and not local_http:
        raise DomainError("Webhooks are delivered over https:// only.", field="url")
    private = settings.PEERLESS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES
    if not private and webhook_http.is_non_public_literal(host):
        raise DomainError(
            "Webhooks are delivered to public addresses only, not to local, private or "
            "reserved ones.",
            field="url",
        )
    return url


def _events_check(events) -> list[str]:
    names = list(dict.fromkeys(events or ()))
    unknown = [e for e in names if e not in WebhookEvent.values]
    if unknown:
        raise DomainError(f"Unknown events: {', '.join(map(str, unknown))}.", field="events")
    if not names:
        raise DomainError("Choose at least one event.", field="events")
    return names


def webhook_create(*, venue: Venue, actor: User, url: str, events, active: bool = True) -> Webhook:
    """Register an endpoint for `venue`; a fresh signing secret is generated."""
    with transaction.atomic():
        webhook = Webhook.objects.create(
            venue=venue,
            url=webhook_url_check(url),
            events=_events_check(events),
            active=active,
            secret=secrets.token_hex(32),
            created_by=actor,
        )
        audit_log(venue=venue, actor=actor, action="webhook.created", data={"url": webhook.url})
    return webhook


def webhook_update(
    *,
    webhook: Webhook,
    actor: User,
    url: str | None = None,
    events=None,
    active: bool | None = None,
    rotate_secret: bool = False,
) -> Webhook:
    """Change an endpoint's URL, events or activity, or give it a new secret."""
    fields = []
    if url is not None and url != webhook.url:
        webhook.url = webhook_url_check(url)
        fields.append("url")
    if events is not None:
        webhook.events = _events_check(events)
        fields.append("events")
    if active is not None and active != webhook.active:
        webhook.active = active
        fields.append("active")
    if rotate_secret:
        webhook.secret = secrets.token_hex(32)
        fields.append("secret")
    if fields:
        webhook.updated_at = timezone.now()
        with transaction.atomic():
            webhook.save(update_fields=[*fields, "updated_at"])
            audit_log(
                venue=webhook.venue,
                actor=actor,
                action="webhook.updated",
                data={"id": webhook.pk, "fields": fields},
            )
    return webhook


def webhook_delete(*, webhook: Webhook, actor: User) -> None:
    """Remove an endpoint and its delivery history."""
    with transaction.atomic():
        audit_log(
            venue=webhook.venue,
            actor=actor,
            action="webhook.deleted",
            data={"id": webhook.pk, "url": webhook.url},
        )
        webhook.delete()


def webhook_emit(*, venue: Venue, event: str, payload: dict) -> list[WebhookDelivery]:
    """Queue `event` for every active endpoint of `venue` that subscribed to it."""
    event = WebhookEvent(event)
    hooks = [h for h in venue.webhooks.filter(active=True) if event in h.events]
    if not hooks:
        return []
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=hook, event=event, payload=payload) for hook in hooks
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def submission_payload(submission: Submission) -> dict:
    """Return what an event says about a submission (never its authors)."""
    return {
        "id": submission.pk,
        "number": submission.number,
        "venue": submission.venue.slug,
        "title": submission.title,
        "state": submission.state,
        "url": settings.SITE_URL + submission.get_absolute_url(),
    }


def webhook_emit_transition(*, submission: Submission, from_state: str, to_state: str) -> None:
    """Report a workflow transition to the venue's endpoints."""
    payload = {
        "submission": submission_payload(submission),
        "from_state": str(from_state),
        "to_state": str(to_state),
    }
    venue = submission.venue
    webhook_emit(venue=venue, event=WebhookEvent.SUBMISSION_STATE_CHANGED, payload=payload)
    specific = {S.SUBMITTED: WebhookEvent.SUBMISSION_SUBMITTED}
    specific.update(dict.fromkeys(S.DECIDED, WebhookEvent.DECISION_PUBLISHED))
    specific[S.PUBLISHED] = WebhookEvent.SUBMISSION_PUBLISHED
    if to_state in specific:
        webhook_emit(venue=venue, event=specific[to_state], payload=payload)


def webhook_emit_created(*, submission: Submission) -> list[WebhookDelivery]:
    """Report a newly created (draft) submission to the venue's endpoints."""
    return webhook_emit(
        venue=submission.venue,
        event=WebhookEvent.SUBMISSION_CREATED,
        payload={"submission": submission_payload(submission)},
    )


def webhook_emit_version(*, version: SubmissionVersion) -> None:
    """Report a newly uploaded version to the venue's endpoints."""
    submission = version.submission
    webhook_emit(
        venue=submission.venue,
        event=WebhookEvent.VERSION_UPLOADED,
        payload={
            "submission": submission_payload(submission),
            "version": {
                "number": version.number,
                "kind": version.kind,
                "pages": version.page_count,
                "sha256": version.pdf_sha256,
            },
        },
    )


def webhook_emit_review(*, review, first: bool) -> list[WebhookDelivery]:
    """Report a submitted review (or an edit of one), naming the reviewer by number only."""
    submission = review.submission
    return webhook_emit(
        venue=submission.venue,
        event=WebhookEvent.REVIEW_SUBMITTED,
        payload={
            "submission": submission_payload(submission),
            "review": {
                "id": review.pk,
                "round": review.round.number,
                "reviewer": f"Reviewer {review.invitation.reviewer_number}",
                "first_submission": first,
                "late": review.is_late,
            },
        },
    )


def webhook_emit_invitation(*, invitation, accepted: bool) -> list[WebhookDelivery]:
    """Report an answered review invitation; an accepting reviewer is named by number only."""
    submission = invitation.submission
    return webhook_emit(
        venue=submission.venue,
        event=WebhookEvent.INVITATION_ACCEPTED if accepted else WebhookEvent.INVITATION_DECLINED,
        payload={
            "submission": submission_payload(submission),
            "invitation": {
                "id": invitation.pk,
                "round": invitation.round.number,
                "reviewer": f"Reviewer {invitation.reviewer_number}" if accepted else None,
            },
        },
    )


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header value for `body` sent at `timestamp`."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """Return the exact bytes POSTed for a delivery (the same on every attempt)."""
    document = {
        "id": delivery.pk,
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "venue": delivery.webhook.venue.slug,
        "data": delivery.payload,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def backoff_seconds(attempts: int) -> int:
    """Return how long to wait after the `attempts`-th failure: 30 s, 1 min, 2 min, ..."""
    return min(30 * 2 ** max(attempts - 1, 0), 6 * 3600)


def _attempt(*, delivery: WebhookDelivery, url: str, body: bytes, headers: dict) -> tuple:
    """Send one attempt; return (HTTP status or None, error for the venue or "")."""
    try:
        code = webhook_http.post(
            url=webhook_url_check(url),
            body=body,
            headers=headers,
            timeout=settings.PEERLESS_WEBHOOKS_TIMEOUT_SECONDS,
            allow_private=settings.PEERLESS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES,
        )
    except DomainError as exc:
        return None, exc.message
    except (webhook_http.AddressRefused, OSError, ValueError, http.client.HTTPException) as exc:
        logger.warning(
            "Webhook delivery %s to %s failed: %s: %s",
            delivery.pk,
            urlsplit(url).hostname,
            type(exc).__name__,
            exc,
        )
        return None, UNREACHABLE
    if 300 <= code < 400:
        return code, f"The endpoint answered HTTP {code}; redirects are not followed."
    if not 200 <= code < 300:
        return code, f"The endpoint answered HTTP {code}."
    return code, ""


def webhook_deliver(*, delivery_id: int) -> int | None:
    """Send one pending delivery; return seconds until the next try, or None when done.

    The row is locked while sending, so two workers never send the same delivery. A 2xx
    answer is success; anything else is retried until MAX_ATTEMPTS, then given up. Every
    failure to connect or to get an answer is recorded with the same message, UNREACHABLE.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook__venue")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return None
        hook = delivery.webhook
        now = timezone.now()
        delivery.attempts += 1
        code, error = None, ""
        if not hook.active:
            error = "The webhook was deactivated."
        else:
            body = delivery_body(delivery)
            stamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "X-Peerless-Event": delivery.event,
                "X-Peerless-Delivery": str(delivery.pk),
                "X-Peerless-Timestamp": str(stamp),
                "X-Peerless-Signature": webhook_signature(
                    secret=hook.secret, timestamp=stamp, body=body
                ),
            }
            code, error = _attempt(delivery=delivery, url=hook.url, body=body, headers=headers)
        delivery.response_code = code
        delivery.error = error
        retry_in = None
        if not error:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = now
            delivery.next_retry_at = None
        elif delivery.attempts >= MAX_ATTEMPTS or not hook.active:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_retry_at = None
        else:
            retry_in = backoff_seconds(delivery.attempts)
            delivery.next_retry_at = now + timedelta(seconds=retry_in)
        delivery.save(
            update_fields=[
                "attempts",
                "response_code",
                "error",
                "status",
                "delivered_at",
                "next_retry_at",
            ]
        )
    return retry_in


def webhook_flush_due(*, now=None) -> int:
    """Enqueue pending deliveries whose retry time has come (or whose task was lost)."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=2)
    due = Q(next_retry_at__lte=now) | Q(next_retry_at=None, created_at__lt=stale)
    ids = list(
        WebhookDelivery.objects.filter(due, status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    _enqueue(ids)
    return len(ids)


def _enqueue(ids: list[int]) -> None:
    from journal.tasks import webhook_send

    for delivery_id in ids:
        try:
            webhook_send.delay(delivery_id)
        except Exception as exc:
            logger.error("Could not enqueue webhook delivery %s: %s", delivery_id, exc)


def webhook_emit_many(*, venue: Venue, event: str, payloads: list[dict]) -> int:
    """Queue `event` once per payload for the venue's subscribed endpoints, in two queries."""
    event = WebhookEvent(event)
    hooks = [h for h in venue.webhooks.filter(active=True) if event in h.events]
    if not hooks or not payloads:
        return 0
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(webhook=hook, event=event, payload=payload)
            for payload in payloads
            for hook in hooks
        ],
        batch_size=1000,
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)
