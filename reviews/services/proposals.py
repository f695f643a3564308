"""Edit a matching proposal by hand before it is deployed.

Chairs add or remove single pairs. Conflicts, unavailability and quotas are refused; going over
the run's own limits is allowed with a warning. Each edit keeps the run's quality figures
(objective, lowest paper score, pair count) up to date and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum

from journal.errors import DomainError, TransitionError
from journal.models import Submission, User
from journal.selectors.availability import review_window, roles_away
from journal.services.audit import audit_log
from reviews.models import AffinityScore, AssignmentRun, BidValue, ProposedAssignment, RunStatus
from reviews.selectors.conflicts import conflicts_for_pair
from reviews.selectors.expertise import (
    bids_of,
    ended_invitation_pairs,
    matchable_submissions,
    matching_settings_of,
    reviewer_loads,
    venue_reviewer_roles,
)


@dataclass(frozen=True)
class ProposalEdit:
    """The outcome of a hand edit of a proposal: the pair concerned and what to watch for."""

    pair: ProposedAssignment
    warnings: list[str]


def _editable_run(run: AssignmentRun) -> AssignmentRun:
    """Lock and return `run`, refusing unless it is a proposal not yet deployed."""
    locked = AssignmentRun.objects.select_for_update().select_related("venue").get(pk=run.pk)
    if locked.status != RunStatus.PROPOSED:
        raise TransitionError("Only a proposal that is ready and not yet deployed can be edited.")
    return locked


def _refuse_recused(actor: User, submission: Submission) -> None:
    """Refuse hand edits of a paper whose reviewing `actor` may not see."""
    if not actor.has_perm("reviews.manage_reviews", submission):
        raise DomainError(
            f"You are an author of paper #{submission.number} or conflicted with it, so its "
            "reviewers are not yours to choose."
        )


def _pair_value(run: AssignmentRun, submission: Submission, reviewer: User) -> float:
    """Return the value of a pair in the run's terms: stored affinity, plus the bid weight."""
    score = (
        AffinityScore.objects.filter(submission=submission, reviewer=reviewer)
        .values_list("score", flat=True)
        .first()
    )
    value = float(score or 0.0)
    if run.parameters.get("use_bids"):
        bid = bids_of(submission_ids=[submission.pk]).get((submission.pk, reviewer.pk))
        weight = matching_settings_of(venue=run.venue).bid_weight
        level = BidValue(bid).weight if bid in BidValue.values else 0.0
        if level > 0 or (level < 0 and score is not None):
            value += weight * level
    return value


def _refresh_quality(run: AssignmentRun) -> None:
    """Recompute the run's total, lowest paper total and pair count from its pairs."""
    totals = list(
        run.pairs.values("submission_id").annotate(total=Sum("affinity")).values_list(
            "total", flat=True
        )
    )
    run.objective = float(sum(totals))
    lowest = min(totals, default=0.0)
    run.min_paper_score = float(0.0 if len(totals) < run.n_papers else lowest)
    run.n_pairs = run.pairs.count()
    run.save(update_fields=["objective", "min_paper_score", "n_pairs"])


def proposal_pair_add(
    *, run: AssignmentRun, submission: Submission, reviewer: User, actor: User
) -> ProposalEdit:
    """Add `reviewer` to `submission` in a proposal that is not deployed yet.

    Refuse a conflict of interest, an earlier declined or withdrawn invitation, a reviewer
    who is not at the venue, unavailable or at their own quota. Going over the run's
    reviewers per paper or most papers per reviewer is allowed, with a warning.
    """
    with transaction.atomic():
        run = _editable_run(run)
        venue = run.venue
        if submission.venue_id != venue.pk:
            raise DomainError("This paper is not part of this venue.")
        _refuse_recused(actor, submission)
        if not matchable_submissions(venue=venue).filter(pk=submission.pk).exists():
            raise DomainError(f"Paper #{submission.number} does not need reviewers any more.")
        if run.pairs.filter(submission=submission, reviewer=reviewer).exists():
            raise DomainError(f"{reviewer} is already proposed for paper #{submission.number}.")
        role = venue_reviewer_roles(venue=venue).filter(user=reviewer).first()
        if role is None:
            raise DomainError(f"{reviewer} is not a reviewer at {venue.name}.")
        if (submission.pk, reviewer.pk) in set(
            ended_invitation_pairs(submission_ids=[submission.pk])
        ):
            raise DomainError(
                f"{reviewer} was invited to paper #{submission.number} before and did not "
                "take it (declined, withdrawn or expired)."
            )
        conflicts = conflicts_for_pair(submission=submission, reviewer=reviewer)
        if conflicts:
            reasons = " ".join(reason.message for reason in conflicts)
            raise DomainError(
                f"{reviewer} has a conflict of interest with paper #{submission.number}: "
                f"{reasons}"
            )
        start, end = review_window(venue=venue)
        away = roles_away(roles=[role], start=start, end=end).get(reviewer.pk)
        if away is not None:
            raise DomainError(f"{reviewer} is unavailable ({away}) and takes no new papers then.")
        load = reviewer_loads(venue=venue, roles=[role]).get(reviewer.pk, 0)
        new_load = load + run.pairs.filter(reviewer=reviewer, is_existing=False).count() + 1
        if role.load_quota is not None and new_load > role.load_quota:
            raise DomainError(
                f"{reviewer} would review {new_load} papers, more than their limit of "
                f"{role.load_quota}."
            )
        warnings = []
        per_paper = int(run.parameters.get("per_paper") or venue.reviewers_per_paper)
        on_paper = run.pairs.filter(submission=submission).count() + 1
        if on_paper > per_paper:
            warnings.append(
                f"Paper #{submission.number} now has {on_paper} reviewers; the run asked for "
                f"{per_paper}."
            )
        cap = run.parameters.get("max_load")
        if cap is not None and new_load > int(cap):
            warnings.append(
                f"{reviewer} now has {new_load} papers; the run allowed at most {cap}."
            )
        pair = ProposedAssignment.objects.create(
            run=run,
            submission=submission,
            reviewer=reviewer,
            affinity=_pair_value(run, submission, reviewer),
        )
        _refresh_quality(run)
        audit_log(
            venue=venue,
            actor=actor,
            action="matching.pair_added",
            submission=submission,
            data={"run": run.pk, "reviewer": reviewer.pk, "affinity": pair.affinity},
        )
    return ProposalEdit(pair=pair, warnings=warnings)


def proposal_pair_remove(*, run: AssignmentRun, pair_id: int, actor: User) -> ProposalEdit:
    """Take one newly proposed pair out of a proposal that is not deployed yet.

    Pairs kept from existing invitations cannot be removed here: withdraw the invitation.
    A paper left with fewer reviewers than the run asked for is allowed, with a warning.
    """
    with transaction.atomic():
        run = _editable_run(run)
        pair = (
            run.pairs.select_related("submission", "reviewer").filter(pk=pair_id).first()
        )
        if pair is None:
            raise DomainError("This pair is not part of this proposal.")
        _refuse_recused(actor, pair.submission)
        if pair.is_existing:
            raise DomainError(
                f"{pair.reviewer} is already invited to paper #{pair.submission.number}; "
                "withdraw the invitation from the paper page instead."
            )
        pair.delete()
        _refresh_quality(run)
        warnings = []
        per_paper = int(run.parameters.get("per_paper") or run.venue.reviewers_per_paper)
        left = run.pairs.filter(submission=pair.submission).count()
        if left < per_paper:
            warnings.append(
                f"Paper #{pair.submission.number} now has {left} of the {per_paper} reviewers "
                "the run asked for."
            )
        audit_log(
            venue=run.venue,
            actor=actor,
            action="matching.pair_removed",
            submission=pair.submission,
            data={"run": run.pk, "reviewer": pair.reviewer_id},
        )
    return ProposalEdit(pair=pair, warnings=warnings)
