"""When the stored candidates are too few for the loads: find out, widen them, or say so.

Affinities are stored pruned (each paper's best reviewers, each reviewer's best papers), so
a matching can fail for want of candidate pairs while the venue itself is matchable. On a
shortfall of papers' reviews (`coverage` or `per_paper`), the same papers are counted again
as if every pair but a conflict were a candidate. When that gives enough, the pruning is the
cause: the papers are scored again keeping more of their best reviewers (with the stored
fit, `reviews.services.affinity_papers`) and the run tries again; if that cannot be done or
does not suffice, the run's message names the pruning rather than the loads or conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from journal.models import Venue
from reviews.matching import InfeasibleError
from reviews.matching.feasibility import unpruned_supply
from reviews.selectors.conflicts import conflict_mask
from reviews.selectors.expertise import ended_invitation_pairs, matching_settings_of
from reviews.services.affinity_papers import affinities_score_papers

#: Times a run widens its papers' candidates (4x each time) before giving up.
WIDEN_ROUNDS = 2
WIDEN_FACTOR = 4
SHORTFALLS = ("coverage", "per_paper")


@dataclass(frozen=True)
class PruningShortfall:
    """Papers (indices) short of candidates only because pairs were left out at storage."""

    papers: tuple[int, ...]
    need: int
    supply: int


def pruning_shortfall(*, venue: Venue, data, exc: InfeasibleError) -> PruningShortfall | None:
    """Return the shortfall when pruning explains `exc`, else None (a real one)."""
    if exc.constraint not in SHORTFALLS or not exc.papers:
        return None
    papers = np.asarray(exc.papers, dtype=np.int64)
    need, supply = unpruned_supply(
        papers,
        demand=np.asarray(data.per_paper),
        max_load=np.asarray(data.max_load),
        conflicts=_every_conflict(venue, data),
    )
    if supply < need:
        return None
    return PruningShortfall(tuple(int(p) for p in papers), need, supply)


def _every_conflict(venue: Venue, data) -> sp.csr_matrix:
    """Conflicts and ended invitations over every pair of the run's papers and reviewers."""
    shape = (len(data.submissions), len(data.slots))
    mask = sp.csr_matrix(
        conflict_mask(
            venue=venue, submissions=data.submissions, reviewers=[s.user for s in data.slots]
        ),
        dtype=np.int8,
    )
    paper_at = {s.pk: i for i, s in enumerate(data.submissions)}
    reviewer_at = {slot.user.pk: j for j, slot in enumerate(data.slots)}
    ended = [
        (paper_at[s], reviewer_at[r])
        for s, r in ended_invitation_pairs(submission_ids=list(paper_at))
        if s in paper_at and r in reviewer_at
    ]
    if ended:
        e = np.asarray(ended, dtype=np.int64)
        mask = mask + sp.csr_matrix((np.ones(len(e), dtype=np.int8), (e[:, 0], e[:, 1])), shape)
    return sp.csr_matrix(mask, dtype=bool)


def candidates_widen(*, venue: Venue, data, shortfall: PruningShortfall, round_: int) -> int:
    """Score the short papers again keeping more best reviewers; return the scores stored
    (0 when the venue has no stored fit to score with)."""
    base = matching_settings_of(venue=venue).candidates_per_paper
    keep = min(len(data.slots), base * WIDEN_FACTOR**round_)
    ids = [data.submissions[i].pk for i in shortfall.papers]
    return affinities_score_papers(venue=venue, submission_ids=ids, per_paper=keep)


def pruning_message(*, venue: Venue, data, shortfall: PruningShortfall, widened: bool) -> str:
    """Say that the stored candidates, not the loads or conflicts, leave papers short."""
    kept = matching_settings_of(venue=venue).candidates_per_paper
    numbers = ", ".join(f"#{data.submissions[i].number}" for i in shortfall.papers[:10])
    more = len(shortfall.papers) - 10
    if more > 0:
        numbers += f" and {more:,} more"
    tried = (
        " Keeping more candidates for these papers did not suffice."
        if widened
        else " They could not be scored again here (no stored affinity model)."
    )
    return (
        "No assignment satisfies every constraint with the stored affinities: papers "
        f"{numbers} need {shortfall.need:,} reviews, but the affinities kept only each "
        f"paper's best {kept:,} reviewers (and each reviewer's best papers), and those "
        "candidates cannot supply them. Counting every reviewer without a conflict, up to "
        f"{shortfall.supply:,} reviews are available, so the pruning of the stored affinities "
        f"is the cause, not the loads or conflicts.{tried} Raise the candidates per paper in "
        "the matching settings and compute the affinities again."
    )
