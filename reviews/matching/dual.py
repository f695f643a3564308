"""LP duality for the assignment problem: certified upper bounds and pricing.

For reviewer prices ``y`` the Lagrangian dual of the assignment LP is

    D(y) = sum_r g_r(y_r) + sum_p topsum_{d_p}( w_p * a_p - y )

where ``topsum_k`` is the sum of the ``k`` largest entries over the allowed
reviewers of paper ``p``, ``g_r(y) = max_load_r * y`` for ``y >= 0`` and
``min_load_r * y`` for ``y < 0``, and ``w_p`` is a per-paper weight (1 for the
total-affinity objective). Weak duality makes ``D(y)`` an upper bound on the LP
optimum, hence on every integral assignment, for ANY ``y``; the bound is tight
at an optimal dual. The same pass over the matrix prices out pairs that are not
yet candidates: a pair with ``w_p * a_pr - y_r > u_p`` improves the LP.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .problem import Problem


def reviewer_term(y: np.ndarray, max_load: np.ndarray, min_load: np.ndarray) -> float:
    """Return the reviewer part ``sum_r g_r(y_r)`` of the dual objective."""
    return float(np.sum(np.where(y > 0, max_load * y, min_load * y)))


@dataclass(frozen=True, eq=False)
class Scan:
    """Result of one pass over the full matrix for given prices."""

    topsum: np.ndarray
    eligible: np.ndarray
    new_rows: np.ndarray
    new_cols: np.ndarray
    violations: int = 0


def pair_keys(rows: np.ndarray, cols: np.ndarray, n_reviewers: int) -> np.ndarray:
    """Encode pairs as sorted-compatible int64 keys."""
    return rows.astype(np.int64) * n_reviewers + cols.astype(np.int64)


def scan(
    problem: Problem,
    y: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    u: np.ndarray | None = None,
    candidate_keys: np.ndarray | None = None,
    max_new: int = 0,
    tol: float = 1e-9,
    widen: bool = False,
) -> Scan:
    """Compute each paper's ``topsum`` under prices ``y`` and find improving pairs.

    When ``u`` and ``candidate_keys`` (sorted pair keys) are given, return up to
    ``max_new`` non-candidate pairs per paper whose reduced cost
    ``w_p * a_pr - y_r - u_p`` exceeds ``tol``, largest first, counted in
    ``violations``. With ``widen`` every paper's best non-candidate pairs by
    reduced cost are returned, violating or not: after a first solve they
    anticipate where the prices are heading and save pricing rounds.
    """
    n_p, n_r = problem.n_papers, problem.n_reviewers
    demand = problem.demand
    topsum = np.zeros(n_p)
    eligible = np.zeros(n_p, dtype=np.int64)
    new_rows: list[np.ndarray] = []
    new_cols: list[np.ndarray] = []
    violations = 0
    price = u is not None and candidate_keys is not None and max_new > 0
    for start, stop in problem.blocks():
        block = problem.dense_block(start, stop)
        allowed = np.isfinite(block)
        eligible[start:stop] = allowed.sum(axis=1)
        if weights is not None:
            block = np.where(allowed, np.where(allowed, block, 0.0) * weights[start:stop, None],
                             -np.inf)
        block -= y[None, :]
        need = demand[start:stop]
        depth = int(need.max(initial=0)) + (max_new if price else 0)
        depth = min(depth, n_r)
        if depth == 0:
            continue
        idx = np.argpartition(-block, depth - 1, axis=1)[:, :depth]
        top = np.take_along_axis(block, idx, axis=1)
        order = np.argsort(-top, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        idx = np.take_along_axis(idx, order, axis=1)
        csum = np.cumsum(np.where(np.isfinite(top), top, 0.0), axis=1)
        has = need > 0
        pick = np.clip(need - 1, 0, depth - 1)
        topsum[start:stop] = np.where(has, csum[np.arange(stop - start), pick], 0.0)
        if price:
            rows = np.broadcast_to(np.arange(start, stop)[:, None], idx.shape)
            gain = top - u[start:stop, None]
            hit = np.isfinite(top) & ((gain > tol) | widen)
            r_hit, c_hit = rows[hit], idx[hit]
            keys = pair_keys(r_hit, c_hit, n_r)
            pos = np.searchsorted(candidate_keys, keys)
            pos = np.minimum(pos, max(len(candidate_keys) - 1, 0))
            known = (
                candidate_keys[pos] == keys if len(candidate_keys)
                else np.zeros(len(keys), dtype=bool)
            )
            r_hit, c_hit, g_hit = r_hit[~known], c_hit[~known], gain[hit][~known]
            violations += int(np.sum(g_hit > tol))
            if len(r_hit):
                # keep the max_new best per paper (rows are already sorted by gain)
                order = np.lexsort((-g_hit, r_hit))
                r_hit, c_hit = r_hit[order], c_hit[order]
                first = np.searchsorted(r_hit, r_hit, side="left")
                rank = np.arange(len(r_hit)) - first
                keep = rank < max_new
                new_rows.append(r_hit[keep])
                new_cols.append(c_hit[keep])
    empty = np.zeros(0, dtype=np.int64)
    return Scan(
        topsum=topsum,
        eligible=eligible,
        new_rows=np.concatenate(new_rows) if new_rows else empty,
        new_cols=np.concatenate(new_cols) if new_cols else empty,
        violations=violations,
    )


def dual_bound(
    problem: Problem,
    y: np.ndarray,
    *,
    weights: np.ndarray | None = None,
) -> float:
    """Return the certified upper bound ``D(y)`` plus the fixed pairs' affinity."""
    result = scan(problem, y, weights=weights)
    fixed = problem.fixed_scores if weights is None else weights * problem.fixed_scores
    return (
        float(result.topsum.sum())
        + reviewer_term(y, problem.max_load, problem.min_load)
        + float(fixed.sum())
    )


def candidate_matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]
                     ) -> sp.csr_matrix:
    """Return a boolean CSR pattern of the given pairs (duplicates merged)."""
    mat = sp.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=shape)
    mat.sum_duplicates()
    mat.sort_indices()
    return mat
