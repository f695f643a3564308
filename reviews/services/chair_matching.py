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

import scipy.sparse as sp
from django.db import transaction
from django.db.models import Count, Q

from journal.enums import RoleKind, SubmissionState
from journal.errors import DomainError
from journal.models import Authorship, Submission, User, Venue, VenueRole
from journal.selectors.availability import review_window, roles_away
from reviews.matching import encode
from reviews.matching.encode import MatchingInput
from reviews.models import AssignmentRun, MatchingTarget
from reviews.selectors.conflicts import conflict_mask
from reviews.selectors.expertise import ReviewerSlot, reviewer_documents, submission_text
from reviews.services.run_deploy import (
    assignment_run_lock_for_deploy,
    assignment_run_mark_deployed,
)


def _roles(venue: Venue, role: str) -> list[VenueRole]:
    return list(
        VenueRole.objects.filter(venue=venue, role=role, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )


def _texts(user_ids: list[int]) -> list[list[str]]:
    documents = reviewer_documents(user_ids=user_ids)
    return [[text for _, text in documents.get(pk, ())] for pk in user_ids]


def area_chair_matching_input(*, venue: Venue, parameters: dict):
    """Turn the venue's papers and area chairs into the engine's arrays."""
    submissions = list(
        venue.submissions.filter(state__in=SubmissionState.IN_PROGRESS).order_by("number")
    )
    roles = _roles(venue, RoleKind.ACTION_EDITOR)
    if not submissions:
        raise DomainError(f"{venue.name} has no submitted papers to match.")
    if not roles:
        raise DomainError(f"{venue.name} has no {venue.role_label(RoleKind.ACTION_EDITOR)}s yet.")
    chairs = [role.user for role in roles]
    chair_at = encode.index_of(user.pk for user in chairs)
    loads = dict(
        Submission.objects.filter(
            venue=venue, action_editor__in=chairs, state__in=list(SubmissionState.OPEN)
        )
        .values_list("action_editor")
        .annotate(n=Count("pk"))
        .order_by()
    )
    slots = _slots(roles, loads)
    n_a = len(chairs)
    fixed, fixed_load, per_paper = encode.kept_pairs(
        [s.action_editor_id for s in submissions], chair_at, n_a
    )
    max_load = encode.max_loads(
        slots, fixed_load, demand=int(per_paper.sum()), cap=parameters.get("max_load")
    )
    affinity = encode.dense_text_affinity(
        [submission_text(s) for s in submissions], _texts([c.pk for c in chairs])
    )
    paper_at = encode.index_of(s.pk for s in submissions)
    by_email = {(c.email or "").lower(): j for j, c in enumerate(chairs)}
    authorships = Authorship.objects.filter(submission_id__in=list(paper_at)).filter(
        Q(user_id__in=list(chair_at)) | Q(email__in=list(by_email))
    )
    authored = []
    for sid, uid, email in authorships.values_list("submission_id", "user_id", "email"):
        j = chair_at.get(uid)
        if j is None:
            j = by_email.get((email or "").lower())
        if j is not None:
            authored.append((paper_at[sid], j))
    conflicts = encode.kept_conflicts(
        conflict_mask(venue=venue, submissions=submissions, reviewers=chairs),
        extra=authored,
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


def senior_area_chair_matching_input(*, venue: Venue, parameters: dict):
    """Turn the venue's area chairs and senior area chairs into the engine's arrays."""
    chair_roles = _roles(venue, RoleKind.ACTION_EDITOR)
    senior_roles = _roles(venue, RoleKind.SENIOR_AREA_CHAIR)
    if not chair_roles:
        raise DomainError(f"{venue.name} has no area chairs to match.")
    if not senior_roles:
        raise DomainError(f"{venue.name} has no senior area chairs yet.")
    seniors = [role.user for role in senior_roles]
    senior_at = encode.index_of(user.pk for user in seniors)
    loads: dict[int, int] = {}
    for role in chair_roles:
        if role.senior_id is not None:
            loads[role.senior_id] = loads.get(role.senior_id, 0) + 1
    slots = _slots(senior_roles, loads)
    n_a, n_s = len(chair_roles), len(seniors)
    fixed, fixed_load, per_row = encode.kept_pairs(
        [r.senior_id for r in chair_roles], senior_at, n_s
    )
    max_load = encode.max_loads(
        slots, fixed_load, demand=int(per_row.sum()), cap=parameters.get("max_load")
    )
    chair_texts = _texts([role.user_id for role in chair_roles])
    affinity = encode.dense_text_affinity(chair_texts, _texts([s.pk for s in seniors]))
    same = [(i, senior_at[role.user_id]) for i, role in enumerate(chair_roles)
            if role.user_id in senior_at]
    conflicts = encode.kept_conflicts(sp.csr_matrix((n_a, n_s), dtype=bool), extra=same)
    return MatchingInput(
        submissions=[],
        slots=slots,
        affinity=affinity,
        per_paper=per_row,
        max_load=max_load,
        min_load=encode.min_loads(max_load, parameters.get("min_load")),
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
    from journal.services.action_editors import submission_assign_action_editor

    with transaction.atomic():
        run = assignment_run_lock_for_deploy(run=run)
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
            elif submission.state not in SubmissionState.IN_PROGRESS:
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
        assignment_run_mark_deployed(
            run=run,
            actor=actor,
            pair_ids=done,
            data={"target": run.target, "assigned": len(done), "skipped": skipped},
        )
    return len(done)


def senior_area_chair_run_deploy(*, run: AssignmentRun, actor: User) -> int:
    """Put each proposed area chair under their senior area chair; return how many."""
    with transaction.atomic():
        run = assignment_run_lock_for_deploy(run=run)
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
        assignment_run_mark_deployed(
            run=run,
            actor=actor,
            pair_ids=done,
            data={"target": run.target, "assigned": len(done), "skipped": skipped},
        )
    return len(done)


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
    roles = list(roles)
    if not roles:
        return []
    start, end = review_window(venue=roles[0].venue)
    away = roles_away(roles=roles, start=start, end=end)
    return [
        ReviewerSlot(
            user=role.user,
            load=loads.get(role.user_id, 0),
            quota=role.load_quota,
            available=role.user_id not in away,
            away=away.get(role.user_id),
        )
        for role in roles
    ]
