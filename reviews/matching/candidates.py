"""Pick the initial candidate pairs for the restricted LP."""

from __future__ import annotations

import numpy as np

from .problem import Problem


def initial_candidates(
    problem: Problem, *, per_paper: int, per_reviewer: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return each paper's ``per_paper`` best allowed reviewers and each reviewer's
    ``per_reviewer`` best allowed papers (plus its ``min_load``), as row/col arrays.

    The choice only affects speed: pricing adds whatever the optimum needs.
    """
    n_p, n_r = problem.n_papers, problem.n_reviewers
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    depth_r = min(n_p, per_reviewer + int(problem.min_load.max(initial=0)))
    best_val = np.full((0, n_r), -np.inf)
    best_row = np.zeros((0, n_r), dtype=np.int64)
    open_paper = problem.demand > 0
    for start, stop in problem.blocks():
        block = problem.dense_block(start, stop)
        block[~open_paper[start:stop]] = -np.inf
        k = min(n_r, per_paper + int(problem.demand[start:stop].max(initial=0)))
        if k > 0:
            idx = np.argpartition(-block, k - 1, axis=1)[:, :k]
            val = np.take_along_axis(block, idx, axis=1)
            ok = np.isfinite(val)
            rows.append(np.broadcast_to(np.arange(start, stop)[:, None], idx.shape)[ok])
            cols.append(idx[ok])
        if depth_r > 0:
            stacked = np.vstack([best_val, block])
            ids = np.vstack([best_row, np.broadcast_to(
                np.arange(start, stop)[:, None], block.shape)])
            keep = min(depth_r, stacked.shape[0])
            pos = np.argpartition(-stacked, keep - 1, axis=0)[:keep]
            best_val = np.take_along_axis(stacked, pos, axis=0)
            best_row = np.take_along_axis(ids, pos, axis=0)
    if depth_r > 0 and best_val.size:
        ok = np.isfinite(best_val)
        rows.append(best_row[ok])
        cols.append(np.broadcast_to(np.arange(n_r)[None, :], best_val.shape)[ok])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)
