"""Run the matching for a venue and deploy its proposal as review invitations.

`assignment_run_matching` loads the venue into arrays (papers, reviewers, stored affinities,
bids, loads and quotas, availability, existing invitations, conflicts), calls the engine and
stores the proposal in one transaction together with the run's result. A run that fails
stores the reason in its own row and nothing else: earlier proposals and every invitation are
untouched. Chairs inspect a proposal and deploy it with `assignment_run_deploy`.

The value of a pair is its stored text affinity plus, when the run uses bids, the venue's
bid weight times the bid level's multiple (`BidValue.weight`: 2 for very high, 1 for high,
-1 for low, -2 for very low); the run's objective and each proposed pair's `affinity` are
in these terms. A "conflict" bid is a hard conflict: the pair is never proposed, whether or
not the run uses bids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from journal.errors import DomainError, TransitionError
from journal.models import User, Venue
from journal.services.audit import audit_log
from reviews.matching import InfeasibleError, MatchingError, assign, encode
from reviews.matching.encode import MatchingInput
from reviews.models import (
    AffinityScore,
    AssignmentRun,
    BidValue,
    MatchingTarget,
    ProposedAssignment,
    RunStatus,
)
from reviews.selectors.conflicts import conflict_mask
from reviews.selectors.expertise import (
    active_invitation_pairs,
    bids_of,
    ended_invitation_pairs,
    matchable_submissions,
    matching_settings_of,
    reviewer_slots,
    venue_has_bids,
)
from reviews.services.chair_matching import DEPLOYERS, MATCHING_INPUTS
from reviews.services.run_deploy import (
    assignment_run_lock_for_deploy,
    assignment_run_mark_deployed,
)


def assignment_run_parameters(
    *,
    venue: Venue,
    per_paper: int | None = None,
    max_load: int | None = None,
    min_load: int = 0,
    fairness: bool = False,
    use_bids: bool | None = None,
    target: str = MatchingTarget.REVIEWERS,
) -> dict:
    """Check a run's parameters and return them with the venue's defaults filled in.

    Runs of area chairs (or senior area chairs) give each paper (area chair) exactly one.
    """
    if target not in MatchingTarget.values:
        raise DomainError("Choose whom the run assigns.", field="target")
    if target != MatchingTarget.REVIEWERS:
        if max_load is not None and max_load < 1:
            raise DomainError("The most papers per area chair must be at least one.",
                              field="max_load")
        return {
            "per_paper": 1,
            "max_load": max_load,
            "min_load": max(0, min_load),
            "fairness": bool(fairness),
            "use_bids": False,
        }
    if per_paper is not None and per_paper < 1:
        raise DomainError("Each paper needs at least one reviewer.", field="per_paper")
    if max_load is not None and max_load < 1:
        raise DomainError("The most papers per reviewer must be at least one.", field="max_load")
    if min_load < 0 or (max_load is not None and min_load > max_load):
        raise DomainError(
            "The least papers per reviewer must lie between 0 and the most.", field="min_load"
        )
    if use_bids is None:
        use_bids = matching_settings_of(venue=venue).bidding_open or venue_has_bids(venue=venue)
    return {
        "per_paper": per_paper or venue.reviewers_per_paper,
        "max_load": max_load,
        "min_load": min_load,
        "fairness": bool(fairness),
        "use_bids": bool(use_bids),
    }


def assignment_run_create(*, venue: Venue, actor: User | None, **parameters) -> AssignmentRun:
    """Queue a matching run for `venue`; the job starts once the transaction commits.

    `parameters` are those of `assignment_run_parameters`.
    """
    from reviews.tasks import assignment_run_task

    target = parameters.pop("target", None) or MatchingTarget.REVIEWERS
    checked = assignment_run_parameters(venue=venue, target=target, **parameters)
    run = AssignmentRun.objects.create(
        venue=venue, target=target, parameters=checked, created_by=actor
    )
    audit_log(
        venue=venue,
        actor=actor,
        action="matching.run_created",
        data={"run": run.pk, "target": target},
    )
    transaction.on_commit(lambda: assignment_run_task.delay(run.pk))
    return run


def _progress(run: AssignmentRun, percent: int) -> None:
    run.progress = percent
    AssignmentRun.objects.filter(pk=run.pk).update(progress=percent)


def _fail(run: AssignmentRun, message: str) -> AssignmentRun:
    run.status = RunStatus.FAILED
    run.message = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    return run


def assignment_run_matching(*, run_id: int) -> AssignmentRun:
    """Carry out a queued (or interrupted) run; a finished run is returned unchanged."""
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().select_related("venue").get(pk=run_id)
        if run.status not in RunStatus.ACTIVE:
            return run
        run.status = RunStatus.RUNNING
        run.progress = 1
        run.started_at = timezone.now()
        run.message = ""
        run.save(update_fields=["status", "progress", "started_at", "message"])
    data = None
    try:
        make_input = MATCHING_INPUTS.get(run.target, matching_input)
        data = make_input(venue=run.venue, parameters=run.parameters)
        _progress(run, 20)
        result, data = _assign_widening(run, data)
        _progress(run, 85)
    except _PrunedOut as pruned:
        return _fail(run, pruned.message)
    except InfeasibleError as exc:
        return _fail(run, _explain_infeasible(exc, data))
    except (MatchingError, DomainError) as exc:
        return _fail(run, getattr(exc, "message", None) or str(exc))
    except Exception as exc:
        _fail(run, f"The matching failed unexpectedly: {exc}")
        raise
    try:
        _store_proposal(run, data, result)
    except Exception as exc:
        _fail(run, f"The proposal could not be saved: {exc}")
        raise
    return run


class _PrunedOut(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _assign_widening(run: AssignmentRun, data: MatchingInput):
    """Solve; when the stored candidates alone leave papers short, widen theirs and retry.

    Return the result with the input it was solved on; raise `_PrunedOut` naming the
    pruning when widening cannot help, or `InfeasibleError` for a real shortfall.
    """
    from reviews.services.matching_candidates import (
        WIDEN_ROUNDS,
        candidates_widen,
        pruning_message,
        pruning_shortfall,
    )

    for round_ in range(1, WIDEN_ROUNDS + 2):
        try:
            result = assign(
                data.affinity,
                per_paper=data.per_paper,
                max_load=data.max_load,
                min_load=data.min_load,
                conflicts=data.conflicts,
                fixed=data.fixed,
                fairness=bool(run.parameters.get("fairness")),
            )
            return result, data
        except InfeasibleError as exc:
            shortfall = pruning_shortfall(venue=run.venue, data=data, exc=exc)
            if shortfall is None:
                raise
            widened = round_ > 1
            if round_ > WIDEN_ROUNDS or not candidates_widen(
                venue=run.venue, data=data, shortfall=shortfall, round_=round_
            ):
                raise _PrunedOut(
                    pruning_message(
                        venue=run.venue, data=data, shortfall=shortfall, widened=widened
                    )
                ) from exc
            data = matching_input(venue=run.venue, parameters=run.parameters)
    raise AssertionError("unreachable")


def _store_proposal(run: AssignmentRun, data: MatchingInput, result) -> None:
    """Save the proposal and the run's result together, or neither."""
    fixed = {(int(p), int(r)) for p, r in data.fixed}
    values = np.asarray(data.affinity[result.pairs[:, 0], result.pairs[:, 1]]).ravel()
    with transaction.atomic():
        locked = AssignmentRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RunStatus.RUNNING:
            return
        ProposedAssignment.objects.filter(run=run).delete()
        ProposedAssignment.objects.bulk_create(
            [
                ProposedAssignment(
                    run=run,
                    **data.row_fields(int(p)),
                    reviewer=data.slots[r].user,
                    affinity=float(value),
                    is_existing=(int(p), int(r)) in fixed,
                )
                for (p, r), value in zip(result.pairs, values, strict=True)
            ],
            batch_size=5000,
        )
        run.status = RunStatus.PROPOSED
        run.progress = 100
        run.objective = float(result.objective)
        run.upper_bound = float(result.upper_bound)
        run.min_paper_score = float(result.min_paper_score)
        run.n_papers = data.n_rows
        run.n_reviewers = len(data.slots)
        run.n_pairs = len(result.pairs)
        run.seconds = float(result.seconds)
        run.finished_at = timezone.now()
        run.save(
            update_fields=[
                "status",
                "progress",
                "objective",
                "upper_bound",
                "min_paper_score",
                "n_papers",
                "n_reviewers",
                "n_pairs",
                "seconds",
                "finished_at",
            ]
        )
        audit_log(
            venue=run.venue,
            actor=None,
            action="matching.proposed",
            data={"run": run.pk, "pairs": run.n_pairs, "objective": run.objective},
        )


def _explain_infeasible(exc: InfeasibleError, data: MatchingInput | None) -> str:
    """Return the engine's message with its indices named as papers and reviewers."""
    message = str(exc)
    if data is None:
        return message
    named = []
    if exc.papers and data.area_chairs is not None:
        names = ", ".join(str(data.area_chairs[i]) for i in exc.papers[:10])
        named.append(f"area chairs {names}")
    elif exc.papers:
        numbers = ", ".join(f"#{data.submissions[i].number}" for i in exc.papers[:10])
        named.append(f"papers {numbers}")
    if exc.reviewers:
        names = ", ".join(str(data.slots[i].user) for i in exc.reviewers[:10])
        named.append(f"reviewers {names}")
    suffix = f" ({'; '.join(named)})" if named else ""
    return f"No assignment satisfies every constraint: {message}{suffix}."


def matching_input(*, venue: Venue, parameters: dict) -> MatchingInput:
    """Read the venue's current state and encode it as the engine's arrays.

    Existing (pending or accepted) invitations are kept as fixed pairs and count toward
    both the paper's need and the reviewer's load; declined or withdrawn ones are never
    proposed again. Unavailable reviewers take no new papers, full ones neither.
    """
    submissions = list(matchable_submissions(venue=venue))
    slots = reviewer_slots(venue=venue)
    if not submissions:
        raise DomainError(f"{venue.name} has no submitted papers to match.")
    if not slots:
        raise DomainError(f"{venue.name} has no reviewers yet.")
    paper_at = encode.index_of(s.pk for s in submissions)
    reviewer_at = encode.index_of(slot.user.pk for slot in slots)
    shape = (len(submissions), len(slots))
    ids = list(paper_at)

    rows = AffinityScore.objects.filter(venue=venue).values_list(
        "submission_id", "reviewer_id", "score"
    )
    table = np.array(list(rows), dtype=np.float64).reshape(-1, 3)
    p_idx = encode.positions(paper_at, table[:, 0])
    r_idx = encode.positions(reviewer_at, table[:, 1])
    known = (p_idx >= 0) & (r_idx >= 0)
    if not known.any():
        raise DomainError("Compute the affinities of this venue before running the matching.")
    bonus_p, bonus_r, bonuses, bid_conflicts = [], [], [], []
    weight = matching_settings_of(venue=venue).bid_weight
    for (sid, rid), value in bids_of(submission_ids=ids).items():
        if sid not in paper_at or rid not in reviewer_at:
            continue
        if value == BidValue.CONFLICT:
            bid_conflicts.append((paper_at[sid], reviewer_at[rid]))
        elif parameters.get("use_bids") and value in BidValue.values:
            level = BidValue(value).weight
            if level:
                bonus_p.append(paper_at[sid])
                bonus_r.append(reviewer_at[rid])
                bonuses.append(weight * level)

    fixed, per_paper, fixed_load = encode.fixed_pairs(
        active_invitation_pairs(submission_ids=ids),
        paper_at,
        reviewer_at,
        n_rows=len(submissions),
        want=int(parameters.get("per_paper") or venue.reviewers_per_paper),
    )
    max_load = encode.max_loads(
        slots, fixed_load, demand=int(per_paper.sum()), cap=parameters.get("max_load")
    )
    affinity = encode.candidate_affinity(
        shape=shape,
        rows=p_idx[known],
        columns=r_idx[known],
        values=table[known, 2],
        bonus_rows=bonus_p,
        bonus_columns=bonus_r,
        bonuses=bonuses,
        fixed=fixed,
    )
    ended = [
        (paper_at[s], reviewer_at[r])
        for s, r in ended_invitation_pairs(submission_ids=ids)
        if s in paper_at and r in reviewer_at
    ]
    conflicts = encode.forbidden_pairs(
        conflicts=conflict_mask(
            venue=venue, submissions=submissions, reviewers=[slot.user for slot in slots]
        ),
        affinity=affinity,
        ended=ended + bid_conflicts,
        fixed=fixed,
    )
    return MatchingInput(
        submissions=submissions,
        slots=slots,
        affinity=affinity,
        per_paper=per_paper,
        max_load=max_load,
        min_load=encode.min_loads(max_load, parameters.get("min_load")),
        conflicts=conflicts,
        fixed=fixed,
    )


def assignment_run_deploy_later(*, run: AssignmentRun, actor: User) -> None:
    """Check that `run` can be deployed and deploy it in the background after commit.

    Large venues create tens of thousands of invitations, too many for one web request.
    """
    from reviews.tasks import assignment_run_deploy_task

    if run.status != RunStatus.PROPOSED:
        raise TransitionError("Only a finished proposal can be deployed.")
    audit_log(
        venue=run.venue, actor=actor, action="matching.deploy_requested", data={"run": run.pk}
    )
    transaction.on_commit(lambda: assignment_run_deploy_task.delay(run.pk, actor.pk))


def assignment_run_deploy(*, run: AssignmentRun, actor: User) -> int:
    """Invite every newly proposed reviewer of a ready run; return how many were invited.

    All or nothing: if one invitation is refused, none is created and the run stays ready.
    """
    from reviews.enums import InvitationSource
    from reviews.services.invitations import invitation_create

    if run.target in DEPLOYERS:
        return DEPLOYERS[run.target](run=run, actor=actor)
    with transaction.atomic():
        run = assignment_run_lock_for_deploy(run=run)
        if run is None:
            return 0
        preview = assignment_run_deploy_preview(run=run)
        pairs = list(
            run.pairs.filter(is_existing=False, deployed_at__isnull=True)
            .filter(submission__in=matchable_submissions(venue=run.venue))
            .select_related("submission", "reviewer")
            .order_by("submission__number", "-affinity")
        )
        for pair in pairs:
            try:
                invitation_create(
                    submission=pair.submission,
                    reviewer=pair.reviewer,
                    invited_by=actor,
                    source=InvitationSource.MATCHING,
                )
            except DomainError as exc:
                raise DomainError(
                    f"Paper #{pair.submission.number}, {pair.reviewer}: {exc.message}"
                ) from exc
        assignment_run_mark_deployed(
            run=run,
            actor=actor,
            pair_ids=[p.pk for p in pairs],
            data={
                "invited": len(pairs),
                "skipped_papers": preview.skipped_papers,
                "skipped_pairs": preview.skipped_pairs,
            },
        )
    return len(pairs)


@dataclass(frozen=True)
class DeployPreview:
    """What deploying a proposal would do: invitations to send, and what it leaves out."""

    invitations: int
    skipped_pairs: int
    skipped_papers: int


def assignment_run_deploy_preview(*, run: AssignmentRun) -> DeployPreview:
    """Count the invitations a deploy sends and the proposed papers it skips: those not
    screened (where the venue screens) or no longer in a reviewable state."""
    waiting = run.pairs.filter(is_existing=False, deployed_at__isnull=True)
    screened = matchable_submissions(venue=run.venue)
    skipped = waiting.exclude(submission__in=screened)
    return DeployPreview(
        invitations=waiting.filter(submission__in=screened).count(),
        skipped_pairs=skipped.count(),
        skipped_papers=skipped.values("submission_id").distinct().count(),
    )
