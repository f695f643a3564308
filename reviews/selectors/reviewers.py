"""Reviewers of a venue: their load, their availability, who to suggest next."""

from django.utils import timezone

from journal.enums import LoadPeriod, RoleKind
from journal.models import Submission, User, Venue, VenueRole
from reviews.enums import InvitationState


def reviewer_role(*, venue: Venue, user: User) -> VenueRole | None:
    """Return `user`'s reviewer role at `venue`, or None."""
    return VenueRole.objects.filter(venue=venue, user=user, role=RoleKind.REVIEWER).first()


def reviewer_load(*, venue: Venue, user: User, period: str = LoadPeriod.VENUE) -> int:
    """Return how many papers `user` has accepted or is asked to review at `venue`.

    Per calendar year for a yearly quota; for the whole venue otherwise.
    """
    qs = user.review_invitations.filter(submission__venue=venue, state__in=InvitationState.ACTIVE)
    if period == LoadPeriod.YEAR:
        qs = qs.filter(created_at__year=timezone.now().year)
    return qs.values("submission_id").distinct().count()


def reviewer_suggestions(*, submission: Submission, limit: int = 3) -> list[User]:
    """Return venue reviewers to ask next: without a conflict, available, under quota, not
    yet asked, best affinity first (see `reviews.selectors.suggestions`)."""
    from reviews.selectors.suggestions import submission_reviewer_suggestions

    return [s.reviewer for s in submission_reviewer_suggestions(submission=submission, limit=limit)]
