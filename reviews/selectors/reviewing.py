"""A reviewer's own work: invitations to answer, reviews to write, deadlines."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from journal.models import User
from reviews.enums import InvitationState, ReviewState
from reviews.models import Review, ReviewInvitation


def invitations_pending_for(*, user: User) -> QuerySet[ReviewInvitation]:
    """Return the invitations `user` has yet to answer, soonest deadline first."""
    return (
        ReviewInvitation.objects.filter(reviewer=user, state=InvitationState.PENDING)
        .select_related("submission__venue", "round")
        .order_by("answer_due", "pk")
    )


def reviews_of(*, user: User) -> QuerySet[Review]:
    """Return `user`'s reviews (drafts first, then by deadline) with what a list shows."""
    return (
        Review.objects.filter(reviewer=user, invitation__state=InvitationState.ACCEPTED)
        .select_related("invitation", "submission__venue", "round")
        .order_by("state", "invitation__review_due", "pk")
    )


@dataclass(frozen=True)
class Deadline:
    when: datetime
    what: str
    url: str
    overdue: bool


def deadlines_for(
    *, invitations: list[ReviewInvitation], reviews: list[Review], now=None
) -> list[Deadline]:
    """Return the coming and overdue deadlines of the given work, soonest first."""
    now = now or timezone.now()
    items = [
        Deadline(
            inv.answer_due,
            f"Answer the invitation for {inv.submission.venue.name} #{inv.submission.number}",
            reverse("reviews:invitation", args=[inv.pk]),
            inv.answer_due < now,
        )
        for inv in invitations
    ]
    items += [
        Deadline(
            review.invitation.review_due,
            f"Review {review.submission.venue.name} #{review.submission.number}",
            reverse("reviews:review-edit", args=[review.pk]),
            review.invitation.review_due < now,
        )
        for review in reviews
        if review.state == ReviewState.DRAFT
    ]
    return sorted(items, key=lambda d: d.when)
