"""Each column's best rows of a matrix read block by block (papers in blocks, reviewers as
columns): a reviewer's best papers, kept alongside each paper's best reviewers so that no
reviewer is left without candidates when affinities are pruned for storage."""

from __future__ import annotations

import numpy as np

#: Columns handled at once, so the work arrays of one block stay small.
COLUMN_CHUNK = 1024


class ColumnTops:
    """The ``k`` largest values of each column seen so far, with their row indices."""

    def __init__(self, n_cols: int, k: int) -> None:
        self.k = max(0, int(k))
        self.values = np.full((self.k, n_cols), -np.inf, dtype=np.float32)
        self.rows = np.full((self.k, n_cols), -1, dtype=np.int64)

    def add(self, start: int, block: np.ndarray) -> None:
        """Merge rows ``start:start + len(block)`` of the matrix."""
        if self.k == 0 or not len(block):
            return
        block = np.asarray(block, dtype=np.float32)
        n_rows = block.shape[0]
        k = self.k
        # Only columns where the block beats the current k-th value change.
        changed = np.flatnonzero((block > self.values[k - 1][None, :]).any(axis=0))
        for c0 in range(0, len(changed), COLUMN_CHUNK):
            chosen = changed[c0 : c0 + COLUMN_CHUNK]
            columns = np.ascontiguousarray(block[:, chosen].T)  # one column per row
            if n_rows > k:
                best = np.argpartition(-columns, k - 1, axis=1)[:, :k]
            else:
                best = np.broadcast_to(np.arange(n_rows), (len(chosen), n_rows))
            values = np.hstack([self.values[:, chosen].T, np.take_along_axis(columns, best, 1)])
            rows = np.hstack([self.rows[:, chosen].T, best + start])
            order = np.argsort(-values, axis=1, kind="stable")[:, :k]
            self.values[:, chosen] = np.take_along_axis(values, order, axis=1).T
            self.rows[:, chosen] = np.take_along_axis(rows, order, axis=1).T

    def pairs(self, *, minimum: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(rows, cols, values)`` of the kept entries at least ``minimum``."""
        keep = (self.rows >= 0) & (self.values >= minimum)
        cols = np.broadcast_to(np.arange(self.values.shape[1]), self.values.shape)
        return self.rows[keep], cols[keep], self.values[keep]

    def thresholds(self) -> np.ndarray:
        """Each column's ``k``-th largest value (``-inf`` when it has fewer than ``k``)."""
        if self.k == 0:
            return np.full(self.values.shape[1], np.inf, dtype=np.float32)
        return self.values[self.k - 1].copy()
