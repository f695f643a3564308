"""Explaining infeasible venues on the candidate graph only: no papers x reviewers matrix."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

from reviews.matching import InfeasibleError, assign
from reviews.matching.feasibility import unpruned_supply
from reviews.matching.synthetic import topic_affinity


def crowded_conflicts(n_p: int, n_r: int, *, papers: int = 10, open_to: int = 3):
    """Papers 0..papers-1 conflict with every reviewer but the first `open_to`."""
    rows = np.repeat(np.arange(papers), n_r - open_to)
    cols = np.tile(np.arange(open_to, n_r), papers)
    return sp.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n_p, n_r))


def test_dense_hall_violation_is_explained_without_the_full_allowed_graph():
    n_p, n_r = 3000, 4000
    affinity = topic_affinity(n_p, n_r, n_topics=10, seed=1).astype(np.float32)
    conflicts = crowded_conflicts(n_p, n_r)
    tracemalloc.start()
    try:
        with pytest.raises(InfeasibleError) as found:
            assign(affinity, per_paper=1, max_load=1, conflicts=conflicts)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    error = found.value
    assert error.constraint == "coverage"
    assert error.papers == tuple(range(10)) and error.reviewers == (0, 1, 2)
    assert "need 10 reviews in total but their eligible reviewers [0, 1, 2] can supply at " \
           "most 3 (max_load and conflicts leave no other reviewers)" in str(error)
    # Every allowed pair as a graph took 89 bytes a pair (1 GiB here); the check now grows
    # a candidate graph and reads the matrix in blocks.
    assert peak < 20 * n_p * n_r, f"{peak / 2**20:.0f} MiB"


def test_sparse_hall_violation_is_explained_and_names_the_missing_candidates():
    n_p, n_r = 2000, 3000
    dense = topic_affinity(n_p, n_r, n_topics=10, seed=2)
    top = np.argsort(-dense, axis=1)[:, :6]
    top[:10] = np.array([0, 1, 2, 0, 1, 2])  # ten papers with the same three candidates
    rows = np.repeat(np.arange(n_p), top.shape[1])
    affinity = sp.csr_matrix((dense[rows, top.ravel()] + 0.01, (rows, top.ravel())),
                             shape=(n_p, n_r))
    affinity.sum_duplicates()
    with pytest.raises(InfeasibleError) as found:
        assign(affinity, per_paper=1, max_load=2)
    error = found.value
    assert error.constraint == "coverage"
    assert set(range(10)) <= set(error.papers)
    assert "pairs without a candidate score leave no other reviewers" in str(error)
    need, supply = unpruned_supply(
        np.asarray(error.papers), demand=np.ones(n_p, dtype=np.int64),
        max_load=np.full(n_r, 2), conflicts=sp.csr_matrix((n_p, n_r), dtype=bool),
    )
    assert supply >= need  # with every pair a candidate the same papers would be served


def test_unpruned_supply_counts_conflicts_per_reviewer():
    conflicts = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0]], dtype=bool))
    need, supply = unpruned_supply(np.array([0, 1]), demand=np.array([2, 2]),
                                   max_load=np.array([5, 1, 0]), conflicts=conflicts)
    # reviewer 0 conflicts with both, reviewer 1 may take paper 1 only, reviewer 2 is full
    assert (need, supply) == (4, 1)
