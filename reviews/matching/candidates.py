"""Pick the candidate pool of the restricted problem in one pass over the matrix.

The pool holds, for each paper, every allowed reviewer whose affinity exceeds a
per-paper threshold (about the paper's ``per_paper``-th best, estimated from a
sample of reviewers), plus each reviewer's best few papers. Alongside it each
paper keeps ``bound``: no allowed pair outside its pool has a larger affinity.
That bound is what lets the dual certificate be evaluated exactly on the pool
for most papers (see ``solver``): outside pairs cannot enter a paper's top
reviewers after prices when its pool already holds enough better ones.

Selecting by threshold costs two comparisons per matrix entry, about ten times
less than a partial sort; rows whose threshold came out too high fall back to
an exact partial sort of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dual import pair_keys
from .problem import Problem

SAMPLE = 3_000
SPARSE_POOL_LIMIT = 20_000_000


@dataclass(frozen=True, eq=False)
class Pool:
    """Candidate pairs (sorted by paper, then reviewer) and each paper's outside bound."""

    rows: np.ndarray
    cols: np.ndarray
    bound: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


def unique_pairs(rows: np.ndarray, cols: np.ndarray, n_r: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the unique pairs, sorted by paper then reviewer."""
    keys = np.sort(pair_keys(rows, cols, n_r))
    if len(keys) > 1:
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    return keys // n_r, keys % n_r


def _kth_largest(values: np.ndarray, k: np.ndarray | int, axis: int) -> np.ndarray:
    """Return the ``k``-th largest entry along ``axis`` (``-inf`` when there are fewer)."""
    n = values.shape[axis]
    k = int(k)
    if k > n:
        shape = list(values.shape)
        del shape[axis]
        return np.full(shape, -np.inf)
    part = np.partition(values, n - k, axis=axis)
    index = (slice(None),) * axis + (n - k,)
    return part[index].astype(np.float64)


def _exact_rows(block: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each row's ``depth`` best entries (row, col) and the next value as bound."""
    n, width = block.shape
    if depth >= width:
        r, c = np.nonzero(np.isfinite(block))
        return r, c, np.full(n, -np.inf)
    idx = np.argpartition(-block, depth, axis=1)[:, : depth + 1]
    val = np.take_along_axis(block, idx, axis=1)
    order = np.argsort(-val, axis=1, kind="stable")
    idx = np.take_along_axis(idx, order, axis=1)
    val = np.take_along_axis(val, order, axis=1)
    bound = val[:, depth].astype(np.float64)
    keep = np.isfinite(val[:, :depth])
    rows = np.broadcast_to(np.arange(n)[:, None], (n, depth))[keep]
    return rows, idx[:, :depth][keep], bound


def build_pool(problem: Problem, *, per_paper: int, per_reviewer: int, seed: int = 0) -> Pool:
    """Return the initial candidate pool: about ``per_paper`` best reviewers of each
    paper and ``per_reviewer`` best papers of each reviewer (plus its ``min_load``).

    The choice only affects speed: pricing adds whatever the optimum needs, and
    ``bound`` keeps the certificate exact.
    """
    n_p, n_r = problem.n_papers, problem.n_reviewers
    open_p = np.flatnonzero(problem.demand > 0)
    bound = np.full(n_p, -np.inf)
    empty = np.zeros(0, dtype=np.int64)
    if len(open_p) == 0 or n_r == 0:
        return Pool(empty, empty, bound)
    if problem.is_sparse and problem.affinity.nnz <= SPARSE_POOL_LIMIT:
        from .feasibility import allowed_pattern

        allowed = allowed_pattern(problem).tocoo()
        take = problem.demand[allowed.row] > 0
        rows, cols = unique_pairs(allowed.row[take].astype(np.int64),
                                  allowed.col[take].astype(np.int64), n_r)
        return Pool(rows, cols, bound)

    rng = np.random.default_rng(seed)
    usable = problem.max_load > 0
    usable_cols = np.flatnonzero(usable)
    n_usable = len(usable_cols)
    depth = min(per_paper + int(problem.demand.max()), n_usable)
    if n_usable <= SAMPLE:
        sample_cols, q_row = usable_cols, depth + 1
    else:
        sample_cols = np.sort(rng.choice(usable_cols, size=SAMPLE, replace=False))
        q_row = max(1, int(depth * SAMPLE / n_usable))

    # reviewer thresholds from a sample of papers, somewhat generous
    col_depth = per_reviewer + problem.min_load
    if len(open_p) <= SAMPLE:
        sample_rows, scale = open_p, 1.0
    else:
        sample_rows = np.sort(rng.choice(open_p, size=SAMPLE // 2, replace=False))
        scale = 1.5 * len(sample_rows) / len(open_p)
    sampled = np.ascontiguousarray(problem.dense_rows(sample_rows, native=True).T)
    q_col = np.minimum(np.maximum(1, np.ceil(col_depth * scale).astype(np.int64)),
                       len(sample_rows))
    col_thr = np.full(n_r, np.inf)
    for q in np.unique(q_col):
        at = np.flatnonzero(q_col == q)
        col_thr[at] = _kth_largest(sampled[at], q + (scale == 1.0), axis=1)
    col_thr[~usable] = np.inf
    del sampled

    dense = not problem.is_sparse
    dtype = problem.affinity.dtype if dense else np.float64
    col_thr = col_thr.astype(dtype)
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    step = problem.block_rows()
    for start in range(0, len(open_p), step):
        papers = open_p[start:start + step]
        contiguous = papers[-1] - papers[0] == len(papers) - 1
        if dense and contiguous:
            # compare on the input itself; excluded pairs are dropped afterwards
            block = problem.affinity[papers[0]:papers[-1] + 1]
            raw = True
        else:
            block = problem.dense_rows(papers, native=True, contiguous=contiguous)
            raw = False
        sub = block[:, sample_cols]
        if raw and problem.excluded.nnz:
            ex = problem.excluded[papers[0]:papers[-1] + 1][:, sample_cols].tocoo()
            sub[ex.row, ex.col] = -np.inf
        thr = _kth_largest(sub, q_row, axis=1).astype(dtype)
        del sub
        by_row = block > thr[:, None]
        mask = by_row | (block > col_thr[None, :])
        r, c = np.nonzero(mask)
        from_row = by_row[r, c]
        del by_row, mask
        if raw:
            ok = usable[c] & ~_is_excluded(problem, papers[r], c)
            r, c, from_row = r[ok], c[ok], from_row[ok]
        count = np.bincount(r[from_row], minlength=len(papers))
        need = problem.demand[papers] + 3
        short = np.flatnonzero(count < need)
        bound[papers] = thr
        rows_out.append(papers[r])
        cols_out.append(c)
        if len(short):
            exact = problem.dense_rows(papers[short], native=True)
            exact[:, ~usable] = -np.inf
            r, c, b = _exact_rows(exact, depth)
            rows_out.append(papers[short][r])
            cols_out.append(c)
            bound[papers[short]] = b
    rows, cols = unique_pairs(np.concatenate(rows_out), np.concatenate(cols_out), n_r)

    # reviewers left with too few candidates for their min_load: their best papers
    have = np.bincount(cols, minlength=n_r)
    thin = np.flatnonzero(usable & (have < problem.min_load + max(1, per_reviewer // 2)))
    if len(thin):
        extra_r, extra_c = [rows], [cols]
        closed = problem.demand <= 0
        for start in range(0, len(thin), 256):
            at = thin[start:start + 256]
            block = problem.dense_cols(at)
            block[:, closed] = -np.inf
            width = min(int(col_depth[at].max()), problem.n_papers)
            idx = np.argpartition(-block, width - 1, axis=1)[:, :width]
            val = np.take_along_axis(block, idx, axis=1)
            keep = np.isfinite(val)
            extra_r.append(idx[keep])
            extra_c.append(np.broadcast_to(at[:, None], idx.shape)[keep])
        rows, cols = unique_pairs(np.concatenate(extra_r), np.concatenate(extra_c), n_r)
    return Pool(rows, cols, bound)


def _is_excluded(problem: Problem, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Return which of the given pairs are excluded (conflicts, fixed pairs)."""
    ex = problem.excluded
    if ex.nnz == 0 or len(rows) == 0:
        return np.zeros(len(rows), dtype=bool)
    lo, hi = int(rows.min()), int(rows.max()) + 1
    sub = ex[lo:hi]
    n_r = problem.n_reviewers
    ex_keys = (np.repeat(np.arange(lo, hi), np.diff(sub.indptr)).astype(np.int64) * n_r
               + sub.indices)
    keys = rows.astype(np.int64) * n_r + cols
    pos = np.searchsorted(ex_keys, keys)
    pos = np.minimum(pos, max(len(ex_keys) - 1, 0))
    return ex_keys[pos] == keys if len(ex_keys) else np.zeros(len(rows), dtype=bool)
