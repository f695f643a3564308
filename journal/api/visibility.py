"""Permissions the API needs beyond the pages', built from the same journal predicates."""

import rules
from rest_framework.exceptions import NotFound, PermissionDenied

from journal.rules import is_author, is_submission_editor

# Authors' e-mail addresses and the conflicts they declare: the authors and the editors.
rules.add_perm("journal.view_author_contacts", is_author | is_submission_editor)
rules.add_perm("journal.view_declared_conflicts", is_author | is_submission_editor)


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
