"""The immutable result of an assignment solve."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Assignment:
    """An assignment of reviewers to papers with its optimality certificate.

    ``pairs`` holds ``(paper, reviewer)`` rows sorted by paper then reviewer and
    includes the fixed pairs. ``objective`` is the total affinity of all pairs.
    ``upper_bound`` is a proven bound on the best achievable total (from LP
    duality, evaluated on the full matrix); ``status`` is ``"optimal"`` when the
    gap between them is within floating-point tolerance. ``prices`` are the
    reviewer dual prices ``y`` that certify ``upper_bound`` (see ``dual``): anyone
    can re-evaluate the bound from them. ``rounds`` counts the restricted solves,
    ``n_candidates`` the candidate pairs of the last one, and ``rows_read`` the
    paper rows read in full to certify or extend the pool. With fairness on, ``min_score_bound`` is
    a proven upper bound on the best achievable lowest paper score, and
    ``upper_bound`` still bounds the total of an unconstrained assignment.
    """

    pairs: np.ndarray
    objective: float
    upper_bound: float
    paper_scores: np.ndarray
    loads: np.ndarray
    status: str
    seconds: float
    rounds: int
    n_candidates: int
    method: str = "max-sum"
    min_score_bound: float | None = None
    prices: np.ndarray | None = None
    rows_read: int = 0

    @property
    def optimal(self) -> bool:
        """Return whether the total affinity is certified optimal."""
        return self.status == "optimal"

    @property
    def gap(self) -> float:
        """Return ``upper_bound - objective`` (never negative up to rounding)."""
        return self.upper_bound - self.objective

    @property
    def min_paper_score(self) -> float:
        """Return the lowest total affinity of any paper (0 with no papers)."""
        return float(self.paper_scores.min()) if len(self.paper_scores) else 0.0

    def reviewers_of(self, paper: int) -> np.ndarray:
        """Return the reviewers assigned to ``paper``, ascending."""
        return self.pairs[self.pairs[:, 0] == paper, 1]

    def papers_of(self, reviewer: int) -> np.ndarray:
        """Return the papers assigned to ``reviewer``, ascending."""
        return self.pairs[self.pairs[:, 1] == reviewer, 0]


def summarise(
    pairs: np.ndarray,
    values: np.ndarray,
    *,
    n_papers: int,
    n_reviewers: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Sort pairs and return ``(pairs, paper_scores, loads, objective)``."""
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    pairs = np.ascontiguousarray(pairs[order], dtype=np.int64)
    values = values[order]
    scores = np.bincount(pairs[:, 0], weights=values, minlength=n_papers)
    loads = np.bincount(pairs[:, 1], minlength=n_reviewers)
    return pairs, scores, loads, float(values.sum())
