"""Reading the matrix beyond the candidate pool, for pricing and the certificate.

Per-paper sums of the pool's best values after prices, the pairs of reviewers with a
negative price that beat their paper's bound, and per-paper bounds over a few
reviewers' columns. Dense input is read in its own precision (float32 stays float32,
half the memory traffic); every selection keeps a margin for that rounding
(``Problem.rounding``) and the pairs it keeps are checked again in float64, so what is
selected is what a float64 read would select.
"""

from __future__ import annotations

import numpy as np

from .dual import pair_keys
from .problem import Problem

ROW_READ_SHARE = 6  # read whole rows when at least 1/6 of the columns are wanted


def pool_tops(rows: np.ndarray, reduced: np.ndarray, demand: np.ndarray, n_p: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per paper: sum of its ``demand`` best pool values, how many, and the last one.

    One segment per paper (``rows`` are sorted by paper first if they are not), then
    ``max(demand)`` passes that each take every segment's largest remaining value: a
    few linear passes instead of a sort of the whole pool.
    """
    topsum = np.zeros(n_p)
    count = np.zeros(n_p, dtype=np.int64)
    kth = np.full(n_p, -np.inf)
    n = len(rows)
    if n == 0:
        return topsum, count, kth
    if np.any(rows[1:] < rows[:-1]):
        order = np.argsort(rows, kind="stable")
        rows, reduced = rows[order], reduced[order]
    v = np.where(np.isfinite(reduced), reduced, -np.inf)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    paper = rows[starts]
    segment = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    need = demand[paper]
    positions = np.arange(n)
    for t in range(int(need.max(initial=0))):
        best = np.maximum.reduceat(v, starts)
        live = (t < need) & np.isfinite(best)
        if not live.any():
            break
        topsum[paper[live]] += best[live]
        count[paper[live]] += 1
        last = live & (need == t + 1)
        kth[paper[last]] = best[last]
        # take out one occurrence of each segment's largest value
        first = np.minimum.reduceat(np.where(v == best[segment], positions, n), starts)
        v[first[live]] = -np.inf
    return topsum, count, kth


def above_bound(problem: Problem, rows: np.ndarray, cols: np.ndarray, reviewers: np.ndarray,
                 bound: np.ndarray, y: np.ndarray, limit: int | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Return the pairs of ``reviewers`` outside the pool whose value after prices
    exceeds their paper's bound (with ``limit``, each reviewer's best such pairs).

    When many columns of a dense matrix are wanted, it is read in blocks of whole
    rows, in its own precision, the reviewers' columns gathered from each block
    (contiguous reads instead of a strided column per reviewer); the selection keeps
    a margin for the rounding of that precision and every pair found is checked
    again in float64.
    """
    if (problem.is_sparse or limit is not None
            or len(reviewers) * ROW_READ_SHARE < problem.n_reviewers):
        return _above_bound_columns(problem, rows, cols, reviewers, bound, y, limit)
    n_p, n_r = problem.n_papers, problem.n_reviewers
    mat = problem.affinity
    dtype = mat.dtype
    y_at = y[reviewers]
    finite = bound[np.isfinite(bound)]
    delta = problem.rounding(float(np.abs(y_at).max()), float(np.abs(finite).max(initial=0.0)))
    threshold = np.where(problem.demand > 0, bound - delta, np.inf).astype(dtype)
    y_low = y_at.astype(dtype)
    pos = np.full(n_r, -1)
    pos[reviewers] = np.arange(len(reviewers))
    excluded = problem.excluded
    step = max(1, 2**24 // len(reviewers))
    out_p: list[np.ndarray] = []
    out_j: list[np.ndarray] = []
    for start in range(0, n_p, step):
        stop = min(n_p, start + step)
        block = np.take(mat[start:stop], reviewers, axis=1)
        block -= y_low
        ex = excluded[start:stop]
        if ex.nnz:
            ex_rows = np.repeat(np.arange(stop - start), np.diff(ex.indptr))
            ex_pos = pos[ex.indices]
            mine = ex_pos >= 0
            block[ex_rows[mine], ex_pos[mine]] = -np.inf
        p, j = np.nonzero(block > threshold[start:stop, None])
        out_p.append(p + start)
        out_j.append(j)
    papers, j = np.concatenate(out_p), np.concatenate(out_j)
    revs = reviewers[j]
    value = problem.values(papers, revs) - y[revs]
    keep = (value > bound[papers]) & ~contains(pair_keys(rows, cols, n_r), papers, revs, n_r)
    return papers[keep], revs[keep]


def _above_bound_columns(problem: Problem, rows: np.ndarray, cols: np.ndarray,
                         reviewers: np.ndarray, bound: np.ndarray, y: np.ndarray,
                         limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``above_bound`` by reading each reviewer's column, in the input's precision
    (every pair found checked again in float64)."""
    n_r = problem.n_reviewers
    pos = np.full(n_r, -1)
    pos[reviewers] = np.arange(len(reviewers))
    mine = pos[cols] >= 0
    in_pool_r, in_pool_c = rows[mine], pos[cols[mine]]
    out_r: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    out_c: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    closed = problem.demand <= 0
    native = not problem.is_sparse and problem.affinity.dtype != np.float64
    if native:
        finite = bound[np.isfinite(bound)]
        delta = problem.rounding(float(np.abs(y[reviewers]).max(initial=0.0)),
                                 float(np.abs(finite).max(initial=0.0)))
        threshold = (bound - delta)[None, :]
    else:
        threshold = bound[None, :]
    for start in range(0, len(reviewers), 256):
        at = reviewers[start:start + 256]
        block = problem.dense_cols(at, native=native)
        block -= y[at].astype(block.dtype)[:, None]
        block[:, closed] = -np.inf
        sel = (in_pool_c >= start) & (in_pool_c < start + len(at))
        block[in_pool_c[sel] - start, in_pool_r[sel]] = -np.inf
        if limit is not None and limit < block.shape[1]:
            cut = -np.partition(-block, limit - 1, axis=1)[:, limit - 1]
            block[block < cut[:, None]] = -np.inf
        r, p = np.nonzero(block > threshold)
        if native:
            exact = problem.values(p, at[r]) - y[at[r]] > bound[p]
            r, p = r[exact], p[exact]
        out_r.append(p)
        out_c.append(at[r])
    return np.concatenate(out_r), np.concatenate(out_c)


def column_max(problem: Problem, rows: np.ndarray, cols: np.ndarray, reviewers: np.ndarray,
                y: np.ndarray) -> np.ndarray:
    """Return per paper an upper bound on ``a - y`` over the pairs of ``reviewers``
    outside the pool (``-inf`` where there are none)."""
    n_r = problem.n_reviewers
    pos = np.full(n_r, -1)
    pos[reviewers] = np.arange(len(reviewers))
    mine = pos[cols] >= 0
    in_pool_r, in_pool_c = rows[mine], pos[cols[mine]]
    native = not problem.is_sparse and problem.affinity.dtype != np.float64
    # reading in float32 rounds: the bound is raised by the rounding margin
    delta = problem.rounding(float(np.abs(y[reviewers]).max(initial=0.0))) if native else 0.0
    best = np.full(problem.n_papers, -np.inf)
    for start in range(0, len(reviewers), 256):
        at = reviewers[start:start + 256]
        block = problem.dense_cols(at, native=native)
        block -= y[at].astype(block.dtype)[:, None]
        sel = (in_pool_c >= start) & (in_pool_c < start + len(at))
        block[in_pool_c[sel] - start, in_pool_r[sel]] = -np.inf
        np.maximum(best, block.max(axis=0) + delta, out=best)
    return best


def contains(keys: np.ndarray, rows: np.ndarray, cols: np.ndarray, n_r: int) -> np.ndarray:
    """Return which pairs are among the sorted pair ``keys``."""
    if len(keys) == 0:
        return np.zeros(len(rows), dtype=bool)
    query = pair_keys(rows, cols, n_r)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return keys[pos] == query
