"""Role invitations as the invited person and the venue's chairs read them."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from journal.enums import RoleInvitationState
from journal.models import RoleInvitation, User, Venue


def role_invitations_of(*, user: User) -> QuerySet[RoleInvitation]:
    """Return the invitations sent to `user`, unanswered ones first, newest first."""
    return (
        RoleInvitation.objects.filter(user=user)
        .exclude(state=RoleInvitationState.WITHDRAWN)
        .select_related("venue", "invited_by")
        .order_by("-state", "-created_at", "-pk")
    )


def pending_role_invitations_of(*, user: User) -> QuerySet[RoleInvitation]:
    """Return the invitations `user` has not answered yet."""
    return role_invitations_of(user=user).filter(state=RoleInvitationState.PENDING)


def venue_role_invitations(*, venue: Venue) -> QuerySet[RoleInvitation]:
    """Return the venue's invitations with the people asked, newest first."""
    return (
        RoleInvitation.objects.filter(venue=venue)
        .select_related("user", "invited_by")
        .order_by("-created_at", "-pk")
    )


def role_invitation_counts(*, venue: Venue) -> dict[str, int]:
    """Return how many of the venue's invitations are pending, accepted, declined, withdrawn."""
    counts = {state.value: 0 for state in RoleInvitationState}
    rows = (
        RoleInvitation.objects.filter(venue=venue)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts.update(dict(rows))
    return counts
