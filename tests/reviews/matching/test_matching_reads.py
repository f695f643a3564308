"""Reads beyond the candidate pool: float32 selections equal float64 ones, top sums exact."""

from __future__ import annotations

import numpy as np
import pytest

from reviews.matching.plaintext import plain_text
from reviews.matching.problem import build_problem
from reviews.matching.reads import ROW_READ_SHARE, above_bound, column_max, pool_tops


def _reference_tops(rows, reduced, demand, n_p):
    """Per paper: sum of the ``demand`` best values, how many, and the last (by sorting)."""
    topsum, count, kth = np.zeros(n_p), np.zeros(n_p, dtype=np.int64), np.full(n_p, -np.inf)
    for p in range(n_p):
        best = np.sort(reduced[rows == p])[::-1][: demand[p]]
        topsum[p], count[p] = best.sum(), len(best)
        if len(best) == demand[p] and len(best):
            kth[p] = best[-1]
    return topsum, count, kth


@pytest.mark.parametrize("seed", range(5))
def test_pool_tops_match_a_sort_with_ties_and_unsorted_rows(seed):
    rng = np.random.default_rng(seed)
    n_p, n = 30, 400
    rows = rng.integers(0, n_p, n)
    reduced = np.round(rng.normal(size=n), 1)  # many ties
    demand = rng.integers(0, 5, n_p)
    got = pool_tops(rows, reduced, demand, n_p)
    want = _reference_tops(rows, reduced, demand, n_p)
    np.testing.assert_allclose(got[0], want[0], atol=1e-12)
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(got[2], want[2])


def _venue(seed, dtype):
    rng = np.random.default_rng(seed)
    a = rng.random((120, 90)).astype(dtype)
    conflicts = rng.random(a.shape) < 0.1
    problem = build_problem(a, per_paper=2, max_load=4, conflicts=conflicts)
    pool_r = np.repeat(np.arange(120), 5)
    pool_c = np.sort(rng.choice(90, (120, 5), replace=True), axis=1).ravel()
    keys = np.unique(pool_r * 90 + pool_c)
    return problem, a, conflicts, keys // 90, keys % 90, rng


def _above_by_hand(a, conflicts, rows, cols, reviewers, bound, y):
    pool = set(zip(rows.tolist(), cols.tolist(), strict=True))
    out = set()
    for r in reviewers:
        for p in range(a.shape[0]):
            if (not conflicts[p, r] and (p, r) not in pool
                    and float(a[p, r]) - y[r] > bound[p]):
                out.add((p, int(r)))
    return out


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("many", [False, True])
def test_above_bound_in_float32_finds_exactly_the_float64_pairs(seed, many):
    problem, a, conflicts, rows, cols, rng = _venue(seed, np.float32)
    n_cols = 90 // ROW_READ_SHARE + 10 if many else 5  # whole rows, or single columns
    reviewers = np.sort(rng.choice(90, n_cols, replace=False))
    y = -rng.random(90) * 0.3
    # bounds exactly at some values after prices: the rounding margin must not add them
    bound = np.array([float(a[p, reviewers[p % n_cols]]) - y[reviewers[p % n_cols]]
                      for p in range(120)])
    got_r, got_c = above_bound(problem, rows, cols, reviewers, bound, y)
    assert set(zip(got_r.tolist(), got_c.tolist(), strict=True)) == _above_by_hand(
        a, conflicts, rows, cols, reviewers, bound, y)


def test_column_max_bounds_every_outside_pair_of_those_reviewers():
    problem, a, conflicts, rows, cols, rng = _venue(7, np.float32)
    reviewers = np.array([3, 10, 40, 77])
    y = rng.normal(size=90) * 0.2
    best = column_max(problem, rows, cols, reviewers, y)
    pool = set(zip(rows.tolist(), cols.tolist(), strict=True))
    for p in range(120):
        outside = [float(a[p, r]) - y[r] for r in reviewers
                   if not conflicts[p, r] and (p, r) not in pool]
        if outside:
            assert max(outside) <= best[p] <= max(outside) + 1e-5


def test_plain_text_without_markup_is_only_respaced():
    assert plain_text("  Graph\u00a0neural\tnetworks \n for matching ") == (
        "Graph neural networks for matching")
    assert plain_text("Bounds for $O(n)$ \\emph{sparse} cuts") == "Bounds for sparse cuts"
