"""Permission checks of the API views, answering with the API's error bodies.

The permissions themselves are the apps' rules (`journal/rules.py`, `reviews/rules.py`).
"""

from rest_framework.exceptions import NotFound, PermissionDenied


def require_perm(user, perm: str, obj, message: str) -> None:
    """Raise 403 with `message` unless `user` holds `perm` on `obj`."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def require_visible(user, submission) -> None:
    """Raise 404 for a submission the user may not see (its existence is not revealed)."""
    if not user.has_perm("journal.view_submission", submission):
        raise NotFound("No such submission.")


def scope_to_token(request, queryset, field: str = "venue_id"):
    """Limit `queryset` to the venue of a venue-bound token."""
    from journal.api.permissions import token_venue_id

    venue_id = token_venue_id(request)
    return queryset if venue_id is None else queryset.filter(**{field: venue_id})


def visible_submission(request, pk: int):
    """The submission `pk` if the caller (and their token's venue) may see it, else 404."""
    from journal.models import Submission

    queryset = scope_to_token(request, Submission.objects.select_related("venue"))
    submission = queryset.filter(pk=pk).first()
    if submission is None:
        raise NotFound("No such submission.")
    require_visible(request.user, submission)
    return submission
