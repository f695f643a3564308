"""Personal API tokens: create (the secret is shown once), authenticate, revoke."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from journal.errors import DomainError
from journal.models import ApiToken, User, Venue
from journal.models.api import TokenScope

#: Every secret starts with this, so leaked tokens are easy to recognise and scan for.
TOKEN_PREFIX = "plss_"
#: Record the last use at most this often, so reading does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


def token_digest(secret: str) -> str:
    """Return the stored form of a token secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *, user: User, name: str, scope: str = TokenScope.READ, venue: Venue | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; return it with its secret, which is never shown again."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("Name the token, e.g. after the script that uses it.", field="name")
    try:
        scope = TokenScope(scope)
    except ValueError:
        raise DomainError(f"'{scope}' is not a token scope.", field="scope") from None
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(user=user, revoked_at=None)
        if len(active) >= MAX_ACTIVE_TOKENS:
            raise DomainError(
                f"You already have {MAX_ACTIVE_TOKENS} active tokens; revoke one first."
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            scope=scope,
            venue=venue,
            prefix=secret[: len(TOKEN_PREFIX) + 4],
            secret_sha256=token_digest(secret),
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke `token` for good; revoking twice changes nothing."""
    if token.user_id != actor.pk:
        raise DomainError("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """Return the active token with this secret (and note its use), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "venue")
        .filter(secret_sha256=token_digest(secret), revoked_at=None)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
