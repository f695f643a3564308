"""Tight venues: the certified optimum, against independent solvers on the full graph."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from reviews.matching import InfeasibleError, assign
from reviews.matching.bench import independent_bounds
from reviews.matching.bench_hard import hard_venue, reference_flow
from reviews.matching.synthetic import hard_instance, sparse_candidates

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def full_lp(affinity, conflicts, *, per_paper, max_load, min_load):
    """Solve the LP over every allowed pair with HiGHS; return its value or None."""
    n_p, n_r = affinity.shape
    if sp.issparse(affinity):
        coo = sp.coo_matrix(affinity)
        rows, cols, values = coo.row, coo.col, coo.data.astype(np.float64)
    else:
        rows, cols = np.nonzero(~conflicts)
        values = affinity[rows, cols].astype(np.float64)
    n = len(rows)
    if n == 0:
        return None
    by_reviewer = sp.csr_matrix((np.ones(n), (cols, np.arange(n))), shape=(n_r, n))
    res = linprog(
        -values,
        A_ub=sp.vstack([by_reviewer, -by_reviewer]),
        b_ub=np.concatenate([max_load, -min_load]).astype(float),
        A_eq=sp.csr_matrix((np.ones(n), (rows, np.arange(n))), shape=(n_p, n)),
        b_eq=np.full(n_p, float(per_paper)),
        bounds=(0, 1), method="highs",
    )
    return None if res.status == 2 else -res.fun


def check_certified(result, affinity, conflicts, *, per_paper, max_load, min_load):
    """The result is feasible and its prices prove its total optimal."""
    pairs = result.pairs
    loads = np.bincount(pairs[:, 1], minlength=affinity.shape[1])
    assert np.array_equal(np.bincount(pairs[:, 0], minlength=affinity.shape[0]),
                          np.full(affinity.shape[0], per_paper))
    assert np.all(loads <= max_load) and np.all(loads >= min_load)
    if conflicts is not None:
        assert not conflicts[pairs[:, 0], pairs[:, 1]].any()
    dual, _ = independent_bounds(affinity, conflicts, result.prices, per_paper=per_paper,
                                 max_load=max_load, min_load=min_load)
    assert result.optimal
    assert dual == pytest.approx(result.upper_bound, abs=1e-7)
    assert result.objective == pytest.approx(dual, abs=1e-7)


@SETTINGS
@given(
    n_papers=st.integers(4, 60),
    ratio=st.sampled_from([1.0, 1.5, 2.0]),
    per_paper=st.integers(1, 3),
    min_load=st.booleans(),
    institutions=st.integers(2, 12),
    seed=st.integers(0, 10_000),
)
def test_hard_family_solves_to_certified_optimum_of_full_lp(
        n_papers, ratio, per_paper, min_load, institutions, seed):
    n_reviewers = max(per_paper + 1, int(n_papers * ratio))
    inst = hard_instance(n_papers, n_reviewers, per_paper=per_paper, min_load=min_load,
                         n_institutions=institutions, n_topics=8, seed=seed)
    kwargs = dict(per_paper=per_paper, max_load=inst.max_load, min_load=inst.min_load)
    expected = full_lp(inst.affinity, inst.conflicts, **kwargs)
    if expected is None:
        with pytest.raises(InfeasibleError):
            assign(inst.affinity, conflicts=inst.conflicts, **kwargs)
        return
    result = assign(inst.affinity, conflicts=inst.conflicts, candidates_per_paper=2, **kwargs)
    assert result.objective == pytest.approx(expected, abs=1e-6)
    check_certified(result, inst.affinity, inst.conflicts, **kwargs)


@pytest.mark.parametrize(("family", "n_papers", "n_reviewers"), [
    ("tight", 400, 600), ("tight+min", 400, 600), ("sparse", 400, 600),
    # thresholds estimated from samples of reviewers, and of papers
    ("tight", 300, 3_400), ("tight+min", 3_400, 1_800),
])
def test_hard_family_matches_full_graph_min_cost_flow(family, n_papers, n_reviewers):
    affinity, conflicts, per_paper, max_load, min_load = hard_venue(
        family, n_papers, n_reviewers, seed=3)
    result = assign(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                    conflicts=conflicts)
    reference, status = reference_flow(affinity, conflicts, per_paper, max_load, min_load)
    assert status == "OPTIMAL"
    # the reference rounds costs to 2^-30: equal up to that rounding
    assert result.objective == pytest.approx(reference, abs=3 * n_papers * 2.0**-30)
    assert result.objective >= reference - 1e-9
    check_certified(result, affinity, conflicts, per_paper=per_paper, max_load=max_load,
                    min_load=min_load)


def test_hard_family_min_loads_respected_where_they_bind():
    inst = hard_instance(300, 450, min_load=True, seed=5)
    result = assign(inst.affinity, per_paper=3, max_load=inst.max_load,
                    min_load=inst.min_load, conflicts=inst.conflicts)
    free = assign(inst.affinity, per_paper=3, max_load=inst.max_load,
                  conflicts=inst.conflicts)
    assert np.any(free.loads < inst.min_load), "the instance should need its min loads"
    assert np.all(result.loads >= inst.min_load)
    assert result.objective <= free.objective
    check_certified(result, inst.affinity, inst.conflicts, per_paper=3,
                    max_load=inst.max_load, min_load=inst.min_load)


def test_hard_family_tiny_pool_grows_by_pricing_to_the_optimum():
    inst = hard_instance(200, 300, seed=11)
    kwargs = dict(per_paper=3, max_load=inst.max_load, conflicts=inst.conflicts)
    small = assign(inst.affinity, candidates_per_paper=0, **kwargs)
    default = assign(inst.affinity, **kwargs)
    assert small.rounds > 1
    assert small.objective == pytest.approx(default.objective, abs=1e-9)
    assert small.optimal and default.optimal


def test_hard_family_sparse_input_too_thin_is_reported_with_its_hall_violator():
    # each paper keeps only its 4 best reviewers: papers on a popular topic share
    # them and cannot all be served, which the error names
    inst = hard_instance(300, 450, seed=2)
    sparse = sparse_candidates(inst.affinity, inst.conflicts, 4)
    with pytest.raises(InfeasibleError) as info:
        assign(sparse, per_paper=3, max_load=inst.max_load)
    err = info.value
    assert err.constraint == "coverage"
    assert err.papers and err.reviewers
    assert "can supply at most" in str(err)
    assert str(err).startswith(f"papers [{err.papers[0]}")


def test_hard_family_infeasible_min_loads_reported():
    inst = hard_instance(100, 150, seed=4)
    min_load = np.full(150, 3)
    with pytest.raises(InfeasibleError, match="min_load of 3 for 150 reviewers needs 450 "
                                              "reviews but only 300 are required"):
        assign(inst.affinity, per_paper=3, max_load=np.maximum(inst.max_load, 3),
               min_load=min_load, conflicts=inst.conflicts)


def test_hard_instance_is_seeded_and_tight():
    a = hard_instance(120, 180, seed=9)
    b = hard_instance(120, 180, seed=9)
    assert np.array_equal(a.affinity, b.affinity) and np.array_equal(a.conflicts, b.conflicts)
    base = -(-3 * 120 // 180)
    assert a.max_load.min() >= base and a.max_load.max() <= base + 2
    assert a.affinity.dtype == np.float32
    # conflicts are clustered: a reviewer conflicts with every paper of their institution
    same = a.institutions[:, None] == a.institutions[None, :]
    rows = np.flatnonzero(a.conflicts[:, 0])
    assert len(rows) and np.all(a.conflicts[rows][:, same[0]])
