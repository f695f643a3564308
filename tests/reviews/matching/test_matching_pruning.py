"""Candidate pruning with pricing gives the same optimum as the unpruned LP."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from reviews.matching import assign
from reviews.matching.bench import independent_bounds
from reviews.matching.synthetic import random_conflicts, topic_affinity


def full_lp_optimum(affinity, conflicts, *, per_paper, max_load, min_load=0):
    """Solve the LP over every allowed pair (no pruning) with HiGHS."""
    n_p, n_r = affinity.shape
    rows, cols = np.nonzero(~conflicts)
    n = len(rows)
    by_reviewer = sp.csr_matrix((np.ones(n), (cols, np.arange(n))), shape=(n_r, n))
    lower = np.broadcast_to(min_load, (n_r,)).astype(float)
    res = linprog(
        -affinity[rows, cols].astype(np.float64),
        A_ub=sp.vstack([by_reviewer, -by_reviewer]),
        b_ub=np.concatenate([np.broadcast_to(max_load, (n_r,)).astype(float), -lower]),
        A_eq=sp.csr_matrix((np.ones(n), (rows, np.arange(n))), shape=(n_p, n)),
        b_eq=np.broadcast_to(per_paper, (n_p,)).astype(float),
        bounds=(0, 1), method="highs",
    )
    assert res.status == 0
    return -res.fun


@pytest.mark.parametrize("seed", range(6))
def test_pruned_solve_equals_unpruned_lp(seed):
    n_p, n_r = 60, 70
    affinity = topic_affinity(n_p, n_r, n_topics=6, seed=seed)
    conflicts = random_conflicts(n_p, n_r, rate=0.05, seed=seed)
    min_load = 1 if seed % 2 else 0
    result = assign(affinity, per_paper=3, max_load=3, min_load=min_load, conflicts=conflicts,
                    candidates_per_paper=1)
    expected = full_lp_optimum(affinity, conflicts, per_paper=3, max_load=3, min_load=min_load)
    assert result.objective == pytest.approx(expected, abs=1e-6)
    assert result.optimal
    if not min_load:
        assert result.rounds > 1, "the tiny candidate set should need pricing rounds"


@pytest.mark.parametrize("seed", range(3))
def test_pruned_sparse_solve_equals_unpruned_lp(seed):
    n_p, n_r = 50, 60
    affinity = topic_affinity(n_p, n_r, n_topics=5, seed=seed)
    rng = np.random.default_rng(seed)
    stored = rng.random((n_p, n_r)) < 0.3
    stored[:, :4] = True
    conflicts = ~stored
    sparse = sp.csr_matrix((affinity[stored], np.nonzero(stored)), shape=(n_p, n_r))
    result = assign(sparse, per_paper=2, max_load=3, candidates_per_paper=1)
    expected = full_lp_optimum(affinity, conflicts, per_paper=2, max_load=3)
    assert result.objective == pytest.approx(expected, abs=1e-6)


def test_upper_bound_reproduced_from_prices():
    affinity = topic_affinity(300, 400, seed=3)
    conflicts = random_conflicts(300, 400, seed=3)
    result = assign(affinity, per_paper=3, max_load=4, conflicts=conflicts,
                    candidates_per_paper=2)
    dual, trivial = independent_bounds(affinity, conflicts, result.prices, per_paper=3,
                                       max_load=4)
    assert dual == pytest.approx(result.upper_bound, abs=1e-6)
    assert result.objective <= dual + 1e-9
    assert result.objective == pytest.approx(dual, abs=1e-6)
    assert result.objective <= trivial + 1e-9


def test_dense_float32_and_float64_agree():
    affinity = topic_affinity(80, 90, seed=5)
    a32 = assign(affinity, per_paper=2, max_load=2)
    a64 = assign(affinity.astype(np.float64), per_paper=2, max_load=2)
    assert np.array_equal(a32.pairs, a64.pairs)


@pytest.mark.parametrize("seed", range(3))
def test_pruned_solve_exact_capacity_equals_unpruned_lp(seed):
    # total capacity equals total need: every reviewer must be filled exactly
    n_p, n_r = 60, 90
    affinity = topic_affinity(n_p, n_r, n_topics=4, seed=seed)
    conflicts = random_conflicts(n_p, n_r, rate=0.05, seed=seed)
    result = assign(affinity, per_paper=3, max_load=2, conflicts=conflicts,
                    candidates_per_paper=0)
    expected = full_lp_optimum(affinity, conflicts, per_paper=3, max_load=2)
    assert result.objective == pytest.approx(expected, abs=1e-6)
    assert np.all(result.loads == 2)
