"""API permissions: the token's scope, then the same rules as the HTML pages."""

from rest_framework import permissions

from journal.models import ApiToken


def request_token(request) -> ApiToken | None:
    """Return the API token the request came with, or None (session or anonymous)."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def token_venue_id(request) -> int | None:
    """Return the id of the one venue the request's token is limited to, if any."""
    token = request_token(request)
    return token.venue_id if token is not None else None


class TokenScope(permissions.BasePermission):
    """Refuse writes with a read-only token."""

    message = "This token is read-only; create a read-write token to make changes."

    def has_permission(self, request, view) -> bool:
        token = request_token(request)
        if token is None or request.method in permissions.SAFE_METHODS:
            return True
        return not token.read_only


#: Let anyone read; require a signed-in user (or token) for anything else. DRF's own class, so
#: that the schema documents reads as open to callers without a token.
ReadPublicOrAuthenticated = permissions.IsAuthenticatedOrReadOnly
