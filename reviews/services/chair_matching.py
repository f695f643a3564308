"""Match area chairs to papers, and senior area chairs to area chairs, with the same engine.

A run whose `target` is `area_chairs` treats the venue's area chairs (action editors) as the
engine's reviewers: one per paper, each at most their `load_quota` open papers (or the run's
most per area chair), never on a paper they author or are conflicted with (the reviewers'
conflict rules), valued by the TF-IDF affinity of the paper to their publications. Papers
that already have an area chair keep them (fixed pairs that count toward their load).
Deploying makes each proposed area chair the paper's action editor through
`submission_assign_action_editor`, which checks conflicts once more.

A run of `senior_area_chairs` does the same one level up: the "papers" are the area chairs
(described by their publications), the candidates the senior area chairs.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from journal.enums import OPEN_STATES, RoleKind, SubmissionState
from journal.errors import DomainError, TransitionError
from journal.models import Authorship, Submission, User, Venue, VenueRole
from journal.services.audit import audit_log
from reviews.matching import text_affinity
from reviews.models import AssignmentRun, MatchingTarget, RunStatus
from reviews.selectors.expertise import ReviewerSlot, reviewer_documents, submission_text
from reviews.services.conflicts import conflict_mask

#: Papers that take an area chair: submitted and not yet decided for good.
AC_MATCHABLE_STATES = (
    SubmissionState.SUBMITTED,
    SubmissionState.UNDER_REVIEW,
    SubmissionState.DECISION_PENDING,
    SubmissionState.REVISION_REQUESTED,
)


def _roles(venue: Venue, role: str) -> list[VenueRole]:
    return list(
        VenueRole.objects.filter(venue=venue, role=role, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )


def _max_loads(slots: list[ReviewerSlot], fixed_load: np.ndarray, demand: int, cap) -> np.ndarray:
    """Return each candidate's most rows: the run's cap (or an even share plus one), their
    own quota less what they hold outside the run, nothing when away; never below what is
    fixed."""
    if cap is None:
        cap = math.ceil(demand / max(1, len(slots))) + 1
    out = np.empty(len(slots), dtype=np.int64)
    for j, slot in enumerate(slots):
        room = int(cap)
        if slot.quota is not None:
            room = min(room, slot.quota - (slot.load - int(fixed_load[j])))
        if not slot.available:
            room = 0
        out[j] = max(room, int(fixed_load[j]))
    return out


def _texts(user_ids: list[int]) -> list[list[str]]:
    documents = reviewer_documents(user_ids=user_ids)
    return [[text for _, text in documents.get(pk, ())] for pk in user_ids]


def _affinity(rows: list[str] | list[list[str]], columns: list[list[str]]) -> np.ndarray:
    """Return the dense TF-IDF affinity of row texts to the candidates' publications."""
    texts = [r if isinstance(r, str) else "\n".join(r) for r in rows]
    if not any(texts) or not any(columns):
        return np.zeros((len(texts), len(columns)), dtype=np.float64)
    return np.asarray(text_affinity(texts, columns, method="tfidf"), dtype=np.float64)


def area_chair_matching_input(*, venue: Venue, parameters: dict):
    """Turn the venue's papers and area chairs into the engine's arrays."""
    from reviews.services.matching import MatchingInput

    submissions = list(
        venue.submissions.filter(state__in=AC_MATCHABLE_STATES).order_by("number")
    )
    roles = _roles(venue, RoleKind.ACTION_EDITOR)
    if not submissions:
        raise DomainError(f"{venue.name} has no submitted papers to match.")
    if not roles:
        raise DomainError(f"{venue.name} has no {venue.role_label(RoleKind.ACTION_EDITOR)}s yet.")
    chairs = [role.user for role in roles]
    chair_at = {user.pk: j for j, user in enumerate(chairs)}
    loads = dict(
        Submission.objects.filter(
            venue=venue, action_editor__in=chairs, state__in=list(OPEN_STATES)
        )
        .values_list("action_editor")
        .annotate(n=Count("pk"))
        .order_by()
    )
    slots = _slots(roles, loads)
    n_a = len(chairs)
    fixed, fixed_load, per_paper = _kept(
        [s.action_editor_id for s in submissions], chair_at, n_a
    )
    max_load = _max_loads(slots, fixed_load, int(per_paper.sum()), parameters.get("max_load"))
    affinity = _affinity([submission_text(s) for s in submissions], _texts([c.pk for c in chairs]))
    mask = conflict_mask(venue=venue, submissions=submissions, reviewers=chairs).tolil()
    paper_at = {s.pk: i for i, s in enumerate(submissions)}
    by_email = {(c.email or "").lower(): j for j, c in enumerate(chairs)}
    authorships = Authorship.objects.filter(submission_id__in=list(paper_at)).filter(
        Q(user_id__in=list(chair_at)) | Q(email__in=list(by_email))
    )
    for sid, uid, email in authorships.values_list("submission_id", "user_id", "email"):
        j = chair_at.get(uid)
        if j is None:
            j = by_email.get((email or "").lower())
        if j is not None:
            mask[paper_at[sid], j] = True
    for i, j in fixed.tolist():
        mask[i, j] = False
    conflicts = sp.csr_matrix(mask, dtype=bool)
    conflicts.eliminate_zeros()
    return MatchingInput(
        submissions=submissions,
        slots=slots,
        affinity=affinity,
        per_paper=per_paper,
        max_load=max_load,
        min_load=np.minimum(int(parameters.get("min_load") or 0), max_load),
        conflicts=conflicts,
        fixed=fixed,
    )


def senior_area_chair_matching_input(*, venue: Venue, parameters: dict):
    """Turn the venue's area chairs and senior area chairs into the engine's arrays."""
    from reviews.services.matching import MatchingInput

    chair_roles = _roles(venue, RoleKind.ACTION_EDITOR)
    senior_roles = _roles(venue, RoleKind.SENIOR_AREA_CHAIR)
    if not chair_roles:
        raise DomainError(f"{venue.name} has no area chairs to match.")
    if not senior_roles:
        raise DomainError(f"{venue.name} has no senior area chairs yet.")
    seniors = [role.user for role in senior_roles]
    senior_at = {user.pk: j for j, user in enumerate(seniors)}
    loads: dict[int, int] = {}
    for role in chair_roles:
        if role.senior_id is not None:
            loads[role.senior_id] = loads.get(role.senior_id, 0) + 1
    slots = _slots(senior_roles, loads)
    n_a, n_s = len(chair_roles), len(seniors)
    fixed, fixed_load, per_row = _kept([r.senior_id for r in chair_roles], senior_at, n_s)
    max_load = _max_loads(slots, fixed_load, int(per_row.sum()), parameters.get("max_load"))
    chair_texts = _texts([role.user_id for role in chair_roles])
    affinity = _affinity(chair_texts, _texts([s.pk for s in seniors]))
    same = [(i, senior_at[role.user_id]) for i, role in enumerate(chair_roles)
            if role.user_id in senior_at]
    conflicts = sp.csr_matrix(
        (np.ones(len(same), dtype=bool), ([i for i, _ in same], [j for _, j in same])),
        shape=(n_a, n_s),
    )
    return MatchingInput(
        submissions=[],
        slots=slots,
        affinity=affinity,
        per_paper=per_row,
        max_load=max_load,
        min_load=np.minimum(int(parameters.get("min_load") or 0), max_load),
        conflicts=conflicts,
        fixed=fixed,
        area_chairs=[role.user for role in chair_roles],
    )


def area_chair_run_deploy(*, run: AssignmentRun, actor: User) -> int:
    """Make each newly proposed area chair the action editor of their paper; return how many.

    All or nothing: a refused assignment (a conflict found since the run, a person no longer
    an area chair) leaves every paper as it was. Papers that got an area chair by hand since
    the run keep theirs, papers no longer open are left alone, and papers `actor` is an
    author of or conflicted with are left to another chair; they are counted in the audit.
    """
    from journal.rules import recused_ids
    from journal.services.submissions import submission_assign_action_editor

    with transaction.atomic():
        run = _lock_for_deploy(run)
        if run is None:
            return 0
        recused = recused_ids(actor, run.venue)
        pairs = list(
            run.pairs.filter(is_existing=False, deployed_at__isnull=True)
            .select_related("submission__venue", "reviewer")
            .order_by("submission__number")
        )
        done, skipped = [], {"assigned_since": 0, "closed": 0, "recused": 0}
        for pair in pairs:
            submission = pair.submission
            if submission.pk in recused:
                skipped["recused"] += 1
            elif submission.state not in AC_MATCHABLE_STATES:
                skipped["closed"] += 1
            elif submission.action_editor_id is not None:
                skipped["assigned_since"] += 1
            else:
                try:
                    submission_assign_action_editor(
                        submission=submission, editor=pair.reviewer, actor=actor
                    )
                except DomainError as exc:
                    raise DomainError(
                        f"Paper #{submission.number}, {pair.reviewer}: {exc.message}"
                    ) from exc
                done.append(pair.pk)
        _finish_deploy(run, actor, done, skipped)
    return len(done)


def senior_area_chair_run_deploy(*, run: AssignmentRun, actor: User) -> int:
    """Put each proposed area chair under their senior area chair; return how many."""
    with transaction.atomic():
        run = _lock_for_deploy(run)
        if run is None:
            return 0
        pairs = list(
            run.pairs.filter(is_existing=False, deployed_at__isnull=True).select_related(
                "area_chair", "reviewer"
            )
        )
        done, skipped = [], {"assigned_since": 0}
        for pair in pairs:
            changed = VenueRole.objects.filter(
                venue=run.venue, user=pair.area_chair, role=RoleKind.ACTION_EDITOR, senior=None
            ).update(senior=pair.reviewer)
            if changed:
                done.append(pair.pk)
            else:
                skipped["assigned_since"] += 1
        _finish_deploy(run, actor, done, skipped)
    return len(done)


def _lock_for_deploy(run: AssignmentRun) -> AssignmentRun | None:
    """Lock a run for deployment; None when it is deployed already (a double submission)."""
    run = AssignmentRun.objects.select_for_update().select_related("venue").get(pk=run.pk)
    if run.status == RunStatus.DEPLOYED:
        return None
    if run.status != RunStatus.PROPOSED:
        raise TransitionError("Only a finished proposal that is not yet deployed can be deployed.")
    newer = AssignmentRun.objects.filter(
        venue=run.venue,
        target=run.target,
        status=RunStatus.DEPLOYED,
        created_at__gt=run.created_at,
    )
    if newer.exists():
        raise TransitionError("A newer proposal has been deployed since this one was made.")
    return run


def _finish_deploy(run: AssignmentRun, actor: User, done: list[int], skipped: dict) -> None:
    now = timezone.now()
    run.pairs.filter(pk__in=done).update(deployed_at=now)
    run.status = RunStatus.DEPLOYED
    run.deployed_by = actor
    run.deployed_at = now
    run.save(update_fields=["status", "deployed_by", "deployed_at"])
    audit_log(
        venue=run.venue,
        actor=actor,
        action="matching.deployed",
        data={"run": run.pk, "target": run.target, "assigned": len(done), "skipped": skipped},
    )


MATCHING_INPUTS = {
    MatchingTarget.AREA_CHAIRS: area_chair_matching_input,
    MatchingTarget.SENIOR_AREA_CHAIRS: senior_area_chair_matching_input,
}
DEPLOYERS = {
    MatchingTarget.AREA_CHAIRS: area_chair_run_deploy,
    MatchingTarget.SENIOR_AREA_CHAIRS: senior_area_chair_run_deploy,
}


def _slots(roles, loads: dict[int, int]) -> list[ReviewerSlot]:
    """The matching's view of each role: current load, quota, availability today."""
    today = timezone.localdate()
    return [
        ReviewerSlot(
            user=role.user,
            load=loads.get(role.user_id, 0),
            quota=role.load_quota,
            available=role.is_available(today),
        )
        for role in roles
    ]


def _kept(current: list[int | None], column_at: dict[int, int], n_columns: int):
    """Return the rows' current pairs kept as fixed (row, column), the columns' fixed load,
    and how many new ones each row needs (none for a row held by someone outside the run)."""
    fixed_list, outside = [], np.zeros(len(current), dtype=np.int64)
    for i, holder in enumerate(current):
        if holder is None:
            continue
        j = column_at.get(holder)
        if j is None:
            outside[i] = 1
        else:
            fixed_list.append((i, j))
    fixed = np.array(fixed_list, dtype=np.int64).reshape(-1, 2)
    return fixed, np.bincount(fixed[:, 1], minlength=n_columns), np.maximum(1 - outside, 0)
