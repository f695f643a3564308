"""The reviews panel of the submission page: what each participant sees and may do."""

from typing import Any

from django.db.models import Count, Q

from journal.enums import DecisionStatus
from journal.models import Submission
from reviews.enums import InvitationState, ReviewState
from reviews.models import ReviewInvitation
from reviews.selectors.anonymity import namer_for
from reviews.selectors.flags import submission_flags


def reviews_panel(*, submission: Submission, user, public: bool = False) -> dict | None:
    """Return what `templates/reviews/submission/_panel.html` shows `user`, or None when
    they take no part in the paper's review."""
    from reviews.rules import capacity_on

    capacity = capacity_on(user, submission)
    if capacity is None:
        return None
    review_round = submission.review_rounds.order_by("-number").first()
    panel: dict[str, Any] = {
        "capacity": capacity,
        "round": review_round,
        "released": bool(review_round and review_round.is_released()),
        "can_view_reviews": user.has_perm("reviews.view_reviews", submission),
        "can_discuss": user.has_perm("reviews.discuss", submission),
        "can_invite": user.has_perm("reviews.invite_reviewer", submission),
        "can_decide": user.has_perm("reviews.decide", submission),
        "can_recommend": user.has_perm("reviews.recommend", submission),
    }
    if review_round is not None:
        counts = review_round.invitations.aggregate(
            accepted=Count("pk", filter=Q(state=InvitationState.ACCEPTED)),
            pending=Count("pk", filter=Q(state=InvitationState.PENDING)),
            submitted=Count("review", filter=Q(review__state=ReviewState.SUBMITTED)),
        )
        panel["counts"] = counts
    if capacity == "editor" and review_round is not None:
        namer = namer_for(viewer=user, submission=submission)
        panel["invitations"] = [
            (namer.reviewer(inv.reviewer) if inv.reviewer_number else str(inv.reviewer), inv)
            for inv in ReviewInvitation.objects.filter(round=review_round)
            .select_related("reviewer", "review")
            .order_by("reviewer_number", "pk")
        ]
    if capacity == "reviewer":
        panel["my_review"] = (
            submission.reviews.filter(reviewer=user).select_related("invitation").last()
        )
    if capacity == "author":
        # What the editors found about the authors' flags, with the note they wrote.
        panel["flags"] = submission_flags(submission=submission)
    if capacity in {"editor"}:
        panel["open_decision"] = submission.decisions.exclude(
            status=DecisionStatus.PUBLISHED
        ).first()
    return panel


submission_reviews_panel = reviews_panel
