"""Reads for the review-workflow part of the integration API."""

from django.db.models import Q, QuerySet

from journal.enums import DecisionStatus, RoleKind
from journal.models import Decision, User, VenueRole
from journal.rules import recused_ids_everywhere
from journal.selectors.api import submissions_visible_to
from reviews.models import AffinityRun, AssignmentRun, Comment, ReviewInvitation


def invitations_of(*, user: User) -> QuerySet[ReviewInvitation]:
    """Return every invitation `user` received, newest first, with its paper and review."""
    return (
        ReviewInvitation.objects.filter(reviewer_id=user.pk)
        .select_related("submission__venue", "review")
        .order_by("-created_at", "-pk")
    )


def invitations_for_editor(*, submission) -> QuerySet[ReviewInvitation]:
    """Return the invitations of a submission, in reviewer numbering, with the reviewers."""
    return (
        ReviewInvitation.objects.filter(submission=submission)
        .select_related("submission__venue", "reviewer", "review", "round")
        .order_by("round__number", "reviewer_number", "pk")
    )


def decisions_visible_to(*, user: User) -> QuerySet[Decision]:
    """Return the decisions `user` may read: all on papers they edit, else published ones."""
    chief_venues = VenueRole.objects.filter(user_id=user.pk, role=RoleKind.CHIEF).values("venue_id")
    handles = Q(submission__venue_id__in=chief_venues) | Q(submission__action_editor_id=user.pk)
    edits = handles & ~Q(submission_id__in=recused_ids_everywhere(user))
    return (
        Decision.objects.filter(submission__in=submissions_visible_to(user=user).values("pk"))
        .filter(edits | Q(status=DecisionStatus.PUBLISHED))
        .select_related("submission__venue", "decided_by", "approved_by")
        .order_by("-updated_at", "-pk")
    )


def own_comments(*, user: User) -> QuerySet[Comment]:
    """Return the comments `user` wrote (the ones they may edit)."""
    return Comment.objects.filter(author_id=user.pk).select_related("submission__venue")


def _chief_venue_ids(user: User) -> QuerySet:
    return VenueRole.objects.filter(user_id=user.pk, role=RoleKind.CHIEF).values("venue_id")


def assignment_runs_for_chief(*, user: User) -> QuerySet[AssignmentRun]:
    """Return the matching runs of the venues `user` chairs, newest first."""
    return (
        AssignmentRun.objects.filter(venue_id__in=_chief_venue_ids(user))
        .select_related("venue")
        .order_by("-created_at", "-pk")
    )


def affinity_runs_for_chief(*, user: User) -> QuerySet[AffinityRun]:
    """Return the affinity computations of the venues `user` chairs, newest first."""
    return (
        AffinityRun.objects.filter(venue_id__in=_chief_venue_ids(user))
        .select_related("venue")
        .order_by("-created_at", "-pk")
    )
