"""Reads about matching runs and their proposals."""

from __future__ import annotations

from django.db.models import QuerySet

from journal.models import Submission, Venue
from reviews.models import AffinityRun, AssignmentRun, ProposedAssignment, RunStatus


def assignment_runs_of(*, venue: Venue) -> QuerySet[AssignmentRun]:
    """Return the venue's matching runs, newest first, with who started them."""
    return AssignmentRun.objects.filter(venue=venue).select_related("created_by", "deployed_by")


def assignment_run_current(*, venue: Venue) -> AssignmentRun | None:
    """Return the newest run whose proposal stands (ready or deployed), or None."""
    return (
        assignment_runs_of(venue=venue)
        .filter(status__in=RunStatus.HAS_PROPOSAL)
        .first()
    )


def affinity_run_latest(*, venue: Venue) -> AffinityRun | None:
    """Return the venue's newest affinity computation, or None."""
    return AffinityRun.objects.filter(venue=venue).first()


def proposal_pairs(*, run: AssignmentRun) -> QuerySet[ProposedAssignment]:
    """Return a run's pairs by paper number, best affinity first within a paper."""
    return (
        ProposedAssignment.objects.filter(run=run)
        .select_related("submission", "reviewer")
        .order_by("submission__number", "-affinity", "reviewer_id")
    )


def proposal_for_submission(
    *, run: AssignmentRun, submission: Submission
) -> QuerySet[ProposedAssignment]:
    """Return the reviewers a run proposes for one paper."""
    return proposal_pairs(run=run).filter(submission=submission)
