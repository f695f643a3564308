"""Idempotency keys of API writes: claim a key (locking its row), record or drop the answer.

A client that retries a create after a timeout sends the same `Idempotency-Key`; the first
answer is replayed instead of creating again. `journal.api.idempotency` is the only caller.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from journal.errors import DomainError
from journal.limits import IDEMPOTENCY_KEY_TTL_HOURS
from journal.models import IdempotencyKey, User


class IdempotencyKeyReused(DomainError):
    """The key was sent before with a different request."""

    status_code = 422


def _expired_before():
    return timezone.now() - timedelta(hours=IDEMPOTENCY_KEY_TTL_HOURS)


def idempotency_key_claim(
    *, user: User, endpoint: str, key: str, request_sha256: str
) -> IdempotencyKey:
    """Return the key's row, locked until the caller's transaction ends.

    A new (or expired) key comes back without an answer (`status_code` is None): the caller
    runs the request and records it. A second request with a key in use waits on the row lock
    until the first one commits, then gets its answer. Raise IdempotencyKeyReused when the key
    was used for a different request.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("idempotency_key_claim must run inside a transaction")
    row, created = IdempotencyKey.objects.select_for_update().get_or_create(
        user=user, endpoint=endpoint, key=key, defaults={"request_sha256": request_sha256}
    )
    if created:
        return row
    if row.created_at < _expired_before():
        row.request_sha256 = request_sha256
        row.status_code = None
        row.response_body = None
        row.response_headers = {}
        row.created_at = timezone.now()
        row.save()
        return row
    if row.request_sha256 != request_sha256:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different request to this address "
            f"in the last {IDEMPOTENCY_KEY_TTL_HOURS} hours. Send a new key for a new request, "
            "or the same body to get the first answer again."
        )
    return row


def idempotency_key_record(
    *, row: IdempotencyKey, status_code: int, body, headers: dict[str, str]
) -> None:
    """Keep the answer given under the claimed key, to replay it."""
    row.status_code = status_code
    row.response_body = body
    row.response_headers = headers
    row.save(update_fields=["status_code", "response_body", "response_headers"])


def idempotency_key_release(*, row: IdempotencyKey) -> None:
    """Forget a key whose request was refused, so the client may correct it and try again."""
    row.delete()


def idempotency_keys_purge() -> int:
    """Delete expired keys; return how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=_expired_before()).delete()
    return deleted
