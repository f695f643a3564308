"""Authors' flags on reviews ("judges only the numbers") and what the editor found."""

from dataclasses import dataclass
from datetime import datetime

from journal.models import Submission
from reviews.enums import FlagOutcome, FlagState
from reviews.models import ReviewFlag


@dataclass(frozen=True)
class FlagRow:
    pk: int
    reviewer: str  # the anonymous name on this paper, "Reviewer 2"
    reason: str
    is_open: bool
    outcome: str
    outcome_label: str
    note: str
    resolved_at: datetime | None


def submission_flags(*, submission: Submission, outcome: str | None = None) -> list[FlagRow]:
    """Return the flags on `submission`'s reviews, newest first (one query); with `outcome`,
    only the resolved flags with that outcome. Reviewers are named as the authors see them."""
    flags = ReviewFlag.objects.filter(review__submission=submission).select_related(
        "review__invitation"
    )
    if outcome is not None:
        flags = flags.filter(state=FlagState.RESOLVED, outcome=outcome)
    return [
        FlagRow(
            pk=f.pk,
            reviewer=f.review.invitation.alias,
            reason=f.reason,
            is_open=f.state == FlagState.OPEN,
            outcome=f.outcome,
            outcome_label=FlagOutcome(f.outcome).label if f.outcome else "",
            note=f.resolution,
            resolved_at=f.resolved_at,
        )
        for f in flags.order_by("-created_at", "-pk")
    ]


def submission_upheld_flags(*, submission: Submission) -> list[FlagRow]:
    """Return the flags the paper's editors upheld: reviews that judged only the numbers."""
    return submission_flags(submission=submission, outcome=FlagOutcome.UPHELD)
