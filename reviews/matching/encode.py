"""Encode a venue's matching problem as the engine's arrays, from plain rows.

The service that reads the database hands over ids, scores and loads as plain Python and
NumPy values; everything here turns them into what `assign` takes (rows are papers, or
area chairs one level up; columns are the candidates) and nothing here reads or writes a
database:

- `index_of` / `positions`: ids to row or column indices and back;
- `kept_pairs`, `fixed_pairs`: the pairs that already exist, kept as fixed, their load, and
  what each row still needs;
- `max_loads`: each candidate's most rows (cap, quota, away dates, never below what is fixed);
- `candidate_affinity`: stored affinities plus bid bonuses plus the fixed pairs;
- `forbidden_pairs`, `kept_conflicts`: conflicts and ended pairs, the fixed ones kept;
- `dense_text_affinity`: the TF-IDF affinity of row texts to candidates' publications.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

from .affinity import text_affinity


class Slot(Protocol):
    """A candidate as the engine sees them: current load, quota (None: none), available."""

    load: int
    quota: int | None
    available: bool


@dataclass(frozen=True)
class MatchingInput:
    """A venue turned into the engine's arrays, with the objects to turn indices back.

    `submissions` and `slots` are the rows' papers and the columns' candidates in index
    order (whatever objects the caller uses; a slot has at least `.user`); a run one level up
    names its rows in `area_chairs` instead.
    """

    submissions: list[Any]
    slots: list[Any]
    affinity: sp.csr_matrix
    per_paper: np.ndarray
    max_load: np.ndarray
    min_load: np.ndarray
    conflicts: sp.csr_matrix
    fixed: np.ndarray
    #: Runs of senior area chairs: the area chairs, the rows in place of papers.
    area_chairs: list[Any] | None = None

    @property
    def n_rows(self) -> int:
        return len(self.area_chairs) if self.area_chairs is not None else len(self.submissions)

    def row_fields(self, row: int) -> dict:
        """Return the fields of a proposed pair that name its row (paper or area chair)."""
        if self.area_chairs is not None:
            return {"area_chair": self.area_chairs[row]}
        return {"submission": self.submissions[row]}


def index_of(ids: Iterable[Hashable]) -> dict[Hashable, int]:
    """Return {id: index} for `ids` in their order."""
    return {key: i for i, key in enumerate(ids)}


def positions(index: dict[int, int], ids: np.ndarray) -> np.ndarray:
    """Return the index of each of `ids` in `index`, or -1 for an id it does not know."""
    ids = np.asarray(ids).astype(np.int64)
    if not index:
        return np.full(len(ids), -1, dtype=np.int64)
    keys = np.fromiter(index.keys(), dtype=np.int64, count=len(index))
    places = np.fromiter(index.values(), dtype=np.int64, count=len(index))
    order = np.argsort(keys)
    keys, places = keys[order], places[order]
    at = np.clip(np.searchsorted(keys, ids), 0, len(keys) - 1)
    return np.where(keys[at] == ids, places[at], -1)


def kept_pairs(
    current: Sequence[int | None], column_at: dict[int, int], n_columns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Encode rows that take one candidate each, some of them held already.

    `current[i]` is the id of row i's holder (None: nobody). Return the pairs kept as fixed
    (row, column) for holders among the candidates, each column's fixed load, and what each
    row still needs (1, or 0 for a row held by someone outside the run).
    """
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


def fixed_pairs(
    existing: Iterable[tuple[int, int]],
    row_at: dict[int, int],
    column_at: dict[int, int],
    *,
    n_rows: int,
    want: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Encode rows that take `want` candidates each, with existing (row id, column id) pairs.

    Pairs of an unknown row are ignored. Return the pairs among the candidates kept as fixed
    (row, column), each row's need (`want` less its pairs with people outside the run, never
    below its fixed pairs), and each column's fixed load.
    """
    fixed_list, outside_rows = [], []
    for row_id, column_id in existing:
        if row_id not in row_at:
            continue
        j = column_at.get(column_id)
        if j is None:
            outside_rows.append(row_at[row_id])
        else:
            fixed_list.append((row_at[row_id], j))
    fixed = np.array(fixed_list, dtype=np.int64).reshape(-1, 2)
    outside = np.bincount(np.asarray(outside_rows, dtype=np.int64), minlength=n_rows)
    need = np.maximum(want - outside, np.bincount(fixed[:, 0], minlength=n_rows))
    n_columns = len(column_at)
    return fixed, need, np.bincount(fixed[:, 1], minlength=n_columns)


def max_loads(
    slots: Sequence[Slot], fixed_load: np.ndarray, *, demand: int, cap: int | None
) -> np.ndarray:
    """Return each candidate's most rows.

    The run's cap (or, without one, an even share of the `demand` plus one), their own quota
    less what they hold outside the run, nothing when away; never below what is fixed.
    """
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


def min_loads(max_load: np.ndarray, least: int | None) -> np.ndarray:
    """Return each candidate's least rows: the run's least, never above their most."""
    return np.minimum(int(least or 0), max_load)


def candidate_affinity(
    *,
    shape: tuple[int, int],
    rows: np.ndarray,
    columns: np.ndarray,
    values: np.ndarray,
    bonus_rows: Sequence[int] = (),
    bonus_columns: Sequence[int] = (),
    bonuses: Sequence[float] = (),
    fixed: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Return the candidates' values: stored affinities, plus bonuses, plus the fixed pairs.

    Stored (row, column, value) triples are the candidates. A bonus (a bid's weight) is added
    to its pair; a positive one makes a candidate of a pair not stored, a negative one only
    lowers a stored candidate. Fixed pairs are candidates too, worth 0 when not stored.
    Duplicates are summed.
    """
    n_columns = shape[1]
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    b_rows = np.asarray(bonus_rows, dtype=np.int64)
    b_columns = np.asarray(bonus_columns, dtype=np.int64)
    b_values = np.asarray(bonuses, dtype=np.float64)
    if len(b_values):
        keys = b_rows * n_columns + b_columns
        keep = (b_values > 0) | np.isin(keys, rows * n_columns + columns)
        b_rows, b_columns, b_values = b_rows[keep], b_columns[keep], b_values[keep]
    fixed = np.zeros((0, 2), dtype=np.int64) if fixed is None else fixed
    return sp.csr_matrix(
        (
            np.concatenate(
                [np.asarray(values, dtype=np.float64), b_values, np.zeros(len(fixed))]
            ),
            (
                np.concatenate([rows, b_rows, fixed[:, 0]]),
                np.concatenate([columns, b_columns, fixed[:, 1]]),
            ),
        ),
        shape=shape,
    )


def forbidden_pairs(
    *,
    conflicts: sp.spmatrix,
    affinity: sp.csr_matrix,
    ended: Sequence[tuple[int, int]] = (),
    fixed: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Return the candidate pairs the engine may not propose.

    Those of `conflicts` (a boolean matrix) or of `ended` (row, column) pairs that are
    candidates of `affinity`; fixed pairs are never forbidden.
    """
    shape = affinity.shape
    mask = sp.csr_matrix(conflicts, dtype=np.int8)
    if len(ended):
        e = np.asarray(ended, dtype=np.int64).reshape(-1, 2)
        mask = mask + sp.csr_matrix((np.ones(len(e), dtype=np.int8), (e[:, 0], e[:, 1])), shape)
    candidates = affinity.copy()
    candidates.data = np.ones(len(candidates.data), dtype=np.int8)
    if fixed is not None and len(fixed):
        keep = sp.csr_matrix(
            (np.ones(len(fixed), dtype=np.int8), (fixed[:, 0], fixed[:, 1])), shape
        )
        candidates = candidates - keep
        candidates.eliminate_zeros()
    forbidden = sp.csr_matrix(mask.multiply(candidates), dtype=bool)
    forbidden.eliminate_zeros()
    return forbidden


def kept_conflicts(
    conflicts: sp.spmatrix,
    extra: Iterable[tuple[int, int]] = (),
    fixed: np.ndarray | None = None,
) -> sp.csr_matrix:
    """Return `conflicts` with the `extra` (row, column) pairs added and the fixed ones cleared.

    For runs whose candidates are every pair (a dense affinity), where any conflict counts.
    """
    mask = sp.lil_matrix(conflicts, dtype=bool)
    for i, j in extra:
        mask[i, j] = True
    if fixed is not None:
        for i, j in np.asarray(fixed).tolist():
            mask[i, j] = False
    out = sp.csr_matrix(mask, dtype=bool)
    out.eliminate_zeros()
    return out


def dense_text_affinity(rows: Sequence[str | Sequence[str]], columns: Sequence[Sequence[str]]):
    """Return the dense TF-IDF affinity of row texts to the candidates' publications.

    A row is one text or several (joined); a column is a candidate's publications. Rows or
    columns without any text give zeros.
    """
    texts = [r if isinstance(r, str) else "\n".join(r) for r in rows]
    if not any(texts) or not any(columns):
        return np.zeros((len(texts), len(columns)), dtype=np.float64)
    return np.asarray(text_affinity(texts, list(columns), method="tfidf"), dtype=np.float64)
