"""Normalise assignment inputs into one canonical problem description."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from .errors import InfeasibleError, MatchingError

BLOCK_ELEMENTS = 4_000_000


@dataclass(frozen=True, eq=False)
class Problem:
    """An assignment instance with fixed pairs already taken out.

    ``demand``, ``max_load`` and ``min_load`` are what remains to be assigned once
    the fixed pairs are counted. ``excluded`` marks pairs that can never be newly
    assigned: conflicts and the fixed pairs themselves. For sparse affinity input
    only stored entries are candidates.
    """

    affinity: np.ndarray | sp.csr_matrix
    excluded: sp.csr_matrix
    conflicts: sp.csr_matrix
    demand: np.ndarray
    max_load: np.ndarray
    min_load: np.ndarray
    fixed: np.ndarray
    fixed_scores: np.ndarray
    fixed_loads: np.ndarray
    full_per_paper: np.ndarray
    full_max_load: np.ndarray
    full_min_load: np.ndarray

    @property
    def n_papers(self) -> int:
        return int(self.affinity.shape[0])

    @property
    def n_reviewers(self) -> int:
        return int(self.affinity.shape[1])

    @property
    def is_sparse(self) -> bool:
        return sp.issparse(self.affinity)

    @cached_property
    def magnitude(self) -> float:
        """Return the largest absolute affinity (0 for an empty matrix)."""
        data = self.affinity.data if self.is_sparse else self.affinity
        return max(float(data.max()), -float(data.min())) if data.size else 0.0

    def rounding(self, *magnitudes: float) -> float:
        """Return a margin above the rounding error of ``a - y`` in the input's precision.

        ``magnitudes`` bound the other terms (prices, thresholds) by absolute value;
        a selection made in the input's precision with this margin keeps every pair that
        the same comparison in float64 keeps.
        """
        dtype = np.float64 if self.is_sparse else self.affinity.dtype
        return 8 * float(np.finfo(dtype).eps) * (1.0 + self.magnitude + sum(magnitudes))

    def block_rows(self) -> int:
        """Return how many paper rows one dense scan block holds."""
        return max(1, BLOCK_ELEMENTS // max(1, self.n_reviewers))

    def blocks(self) -> Iterator[tuple[int, int]]:
        """Yield ``(start, stop)`` paper ranges that cover all papers."""
        step = self.block_rows()
        for start in range(0, self.n_papers, step):
            yield start, min(self.n_papers, start + step)

    def dense_block(self, start: int, stop: int, *, native: bool = False) -> np.ndarray:
        """Return float64 affinities of papers ``start:stop``, ``-inf`` where not allowed.

        With ``native`` a dense float32 input stays float32 (half the memory
        traffic, for selection passes that compare values only).
        """
        return self.dense_rows(np.arange(start, stop), native=native, contiguous=True)

    def dense_rows(self, papers: np.ndarray, *, native: bool = False,
                   contiguous: bool = False) -> np.ndarray:
        """Return affinities of the given papers' rows, ``-inf`` where not allowed."""
        n = len(papers)
        sl = slice(int(papers[0]), int(papers[-1]) + 1) if contiguous and n else papers
        if self.is_sparse:
            sub = self.affinity[sl]
            block = np.full((n, self.n_reviewers), -np.inf)
            rows = np.repeat(np.arange(n), np.diff(sub.indptr))
            block[rows, sub.indices] = sub.data
        else:
            dtype = self.affinity.dtype if native else np.float64
            if contiguous:
                block = np.array(self.affinity[sl], dtype=dtype, copy=True)
            else:  # fancy indexing already copies
                block = np.asarray(self.affinity[sl], dtype=dtype)
        ex = self.excluded[sl]
        if ex.nnz:
            rows = np.repeat(np.arange(n), np.diff(ex.indptr))
            block[rows, ex.indices] = -np.inf
        return block

    def dense_cols(self, reviewers: np.ndarray, *, native: bool = False) -> np.ndarray:
        """Return float64 affinities of the given reviewers (one row each), ``-inf``
        where not allowed; with ``native``, a dense input's own precision."""
        if self.is_sparse:
            sub = self.affinity[:, reviewers].tocoo()
            block = np.full((len(reviewers), self.n_papers), -np.inf)
            block[sub.col, sub.row] = sub.data
        else:
            dtype = self.affinity.dtype if native else np.float64
            block = np.asarray(self.affinity[:, reviewers], dtype=dtype).T.copy()
        ex = self.excluded_by_reviewer[:, reviewers].tocoo()
        block[ex.col, ex.row] = -np.inf
        return block

    @cached_property
    def excluded_by_reviewer(self) -> sp.csc_matrix:
        """Return ``excluded`` in CSC form, for reading reviewers' columns."""
        return self.excluded.tocsc()

    def values(self, papers: np.ndarray, reviewers: np.ndarray) -> np.ndarray:
        """Return float64 affinities of the given pairs (0 for unstored sparse entries)."""
        if len(papers) == 0:
            return np.zeros(0)
        if self.is_sparse:
            keys = self._stored_keys
            if len(keys) == 0:
                return np.zeros(len(papers))
            query = np.asarray(papers, dtype=np.int64) * self.n_reviewers + reviewers
            pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
            return np.where(keys[pos] == query, self.affinity.data[pos], 0.0)
        return np.asarray(self.affinity[papers, reviewers], dtype=np.float64)

    @cached_property
    def _stored_keys(self) -> np.ndarray:
        """Return the sorted ``paper * n_reviewers + reviewer`` keys of a sparse input."""
        mat = self.affinity
        rows = np.repeat(np.arange(self.n_papers, dtype=np.int64), np.diff(mat.indptr))
        return rows * self.n_reviewers + mat.indices


def _per_item(value: int | np.ndarray, size: int, name: str) -> np.ndarray:
    """Broadcast an int or array argument to a non-negative int64 array of ``size``."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(size, arr)
    if arr.shape != (size,):
        raise MatchingError(f"{name} must be an int or an array of length {size}")
    if not np.all(np.equal(np.mod(arr, 1), 0)):
        raise MatchingError(f"{name} must hold whole numbers")
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise MatchingError(f"{name} must not be negative")
    return arr


def _as_affinity(affinity: np.ndarray | sp.spmatrix | sp.sparray) -> np.ndarray | sp.csr_matrix:
    """Validate the affinity matrix and return it as a 2-D ndarray or canonical CSR."""
    if sp.issparse(affinity):
        mat = sp.csr_matrix(affinity, dtype=np.float64, copy=True)
        mat.sum_duplicates()
        mat.sort_indices()
        data = mat.data
    else:
        mat = np.asarray(affinity)
        if mat.ndim != 2:
            raise MatchingError("affinity must be a 2-D matrix (papers x reviewers)")
        if mat.dtype not in (np.float32, np.float64):
            mat = mat.astype(np.float64)
        data = mat
    if not np.all(np.isfinite(data)):
        raise MatchingError("affinity must be finite (no NaN or infinity)")
    return mat


def _as_mask(mask: np.ndarray | sp.spmatrix | sp.sparray | None, shape: tuple[int, int]
             ) -> sp.csr_matrix:
    """Return a boolean CSR mask of ``shape`` (empty when ``mask`` is None)."""
    if mask is None:
        return sp.csr_matrix(shape, dtype=bool)
    if sp.issparse(mask):
        out = sp.csr_matrix(mask, dtype=bool)
        out.eliminate_zeros()
    else:
        arr = np.asarray(mask, dtype=bool)
        if arr.shape != shape:
            raise MatchingError(f"conflicts must have shape {shape}, got {arr.shape}")
        rows, cols = np.nonzero(arr)  # row-major: sorted, no duplicates
        indptr = np.zeros(shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
        return sp.csr_matrix((np.ones(len(cols), dtype=bool), cols, indptr), shape=shape)
    if out.shape != shape:
        raise MatchingError(f"conflicts must have shape {shape}, got {out.shape}")
    out.sum_duplicates()
    out.sort_indices()
    return out


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def build_problem(
    affinity: np.ndarray | sp.spmatrix | sp.sparray,
    *,
    per_paper: int | np.ndarray,
    max_load: int | np.ndarray,
    min_load: int | np.ndarray = 0,
    conflicts: np.ndarray | sp.spmatrix | sp.sparray | None = None,
    fixed: np.ndarray | None = None,
) -> Problem:
    """Validate inputs, take fixed pairs out and return the residual ``Problem``.

    Raise ``InfeasibleError`` when a fixed pair is itself impossible: it is a
    conflict, it is repeated, or it exceeds a paper's need or a reviewer's load.
    """
    aff = _as_affinity(affinity)
    n_papers, n_reviewers = aff.shape
    need = _per_item(per_paper, n_papers, "per_paper")
    upper = _per_item(max_load, n_reviewers, "max_load")
    lower = _per_item(min_load, n_reviewers, "min_load")
    bad = np.flatnonzero(lower > upper)
    if bad.size:
        r = int(bad[0])
        raise InfeasibleError(
            f"reviewer {r} has min_load {lower[r]} above max_load {upper[r]}",
            constraint="min_load", reviewers=(r,),
        )
    conf = _as_mask(conflicts, (n_papers, n_reviewers))

    pairs = np.zeros((0, 2), dtype=np.int64) if fixed is None else np.asarray(fixed)
    if pairs.size == 0:
        pairs = np.zeros((0, 2), dtype=np.int64)
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        raise MatchingError("fixed must be an array of (paper, reviewer) pairs")
    pairs = pairs.astype(np.int64)
    if pairs.size and (
        pairs[:, 0].min() < 0 or pairs[:, 0].max() >= n_papers
        or pairs[:, 1].min() < 0 or pairs[:, 1].max() >= n_reviewers
    ):
        raise MatchingError("fixed pairs must index existing papers and reviewers")
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    pairs = pairs[order]
    if len(pairs) > 1:
        dup = np.flatnonzero(np.all(pairs[1:] == pairs[:-1], axis=1))
        if dup.size:
            p, r = (int(v) for v in pairs[dup[0]])
            raise InfeasibleError(
                f"fixed pair (paper {p}, reviewer {r}) is listed twice",
                constraint="fixed", papers=(p,), reviewers=(r,),
            )
    if len(pairs):
        hit = np.asarray(conf[pairs[:, 0], pairs[:, 1]]).ravel()
        if hit.any():
            p, r = (int(v) for v in pairs[np.flatnonzero(hit)[0]])
            raise InfeasibleError(
                f"fixed pair (paper {p}, reviewer {r}) is a conflict",
                constraint="fixed", papers=(p,), reviewers=(r,),
            )
    fixed_per_paper = np.bincount(pairs[:, 0], minlength=n_papers)
    fixed_loads = np.bincount(pairs[:, 1], minlength=n_reviewers)
    over = np.flatnonzero(fixed_per_paper > need)
    if over.size:
        p = int(over[0])
        raise InfeasibleError(
            f"paper {p} has {_plural(int(fixed_per_paper[p]), 'fixed reviewer')} "
            f"but per_paper is {need[p]}",
            constraint="fixed", papers=(p,),
        )
    over = np.flatnonzero(fixed_loads > upper)
    if over.size:
        r = int(over[0])
        raise InfeasibleError(
            f"reviewer {r} has {_plural(int(fixed_loads[r]), 'fixed paper')} "
            f"but max_load is {upper[r]}",
            constraint="fixed", reviewers=(r,),
        )

    fixed_mask = sp.csr_matrix(
        (np.ones(len(pairs), dtype=bool), (pairs[:, 0], pairs[:, 1])),
        shape=(n_papers, n_reviewers),
    )
    if len(pairs):
        excluded = (conf + fixed_mask).astype(bool).tocsr()
        excluded.sort_indices()
    else:
        excluded = conf
    values = np.zeros(len(pairs))
    if len(pairs):
        if sp.issparse(aff):
            values = np.asarray(aff[pairs[:, 0], pairs[:, 1]], dtype=np.float64).ravel()
        else:
            values = np.asarray(aff[pairs[:, 0], pairs[:, 1]], dtype=np.float64)
    fixed_scores = np.bincount(pairs[:, 0], weights=values, minlength=n_papers)
    return Problem(
        affinity=aff,
        excluded=excluded,
        conflicts=conf,
        demand=need - fixed_per_paper,
        max_load=upper - fixed_loads,
        min_load=np.maximum(lower - fixed_loads, 0),
        fixed=pairs,
        fixed_scores=fixed_scores,
        fixed_loads=fixed_loads,
        full_per_paper=need,
        full_max_load=upper,
        full_min_load=lower,
    )
