"""Property tests: every result is feasible and optimal against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.matching import InfeasibleError, assign

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw, *, max_papers=4, max_reviewers=5):
    n_p = draw(st.integers(1, max_papers))
    n_r = draw(st.integers(1, max_reviewers))
    grid = draw(st.booleans())
    values = st.integers(0, 4).map(lambda v: v / 4) if grid else st.floats(0, 1, width=32)
    affinity = np.array(draw(st.lists(values, min_size=n_p * n_r, max_size=n_p * n_r)),
                        dtype=np.float64).reshape(n_p, n_r)
    per_paper = np.array(draw(st.lists(st.integers(0, 2), min_size=n_p, max_size=n_p)))
    max_load = np.array(draw(st.lists(st.integers(0, 3), min_size=n_r, max_size=n_r)))
    min_load = np.array([draw(st.integers(0, min(1, m))) for m in max_load])
    conflicts = np.array(draw(st.lists(st.booleans(), min_size=n_p * n_r,
                                       max_size=n_p * n_r))).reshape(n_p, n_r)
    conflicts &= np.array(draw(st.lists(st.booleans(), min_size=n_p * n_r,
                                        max_size=n_p * n_r))).reshape(n_p, n_r)
    sparse = draw(st.booleans())
    if sparse:
        keep = np.array(draw(st.lists(st.booleans(), min_size=n_p * n_r,
                                      max_size=n_p * n_r))).reshape(n_p, n_r)
        rows, cols = np.nonzero(keep | (np.arange(n_r)[None, :] < 1))
        affinity = sp.csr_matrix((affinity[rows, cols], (rows, cols)), shape=(n_p, n_r))
    return affinity, per_paper, max_load, min_load, conflicts


@SETTINGS
@given(instances())
def test_assign_matches_brute_force_optimum(check_feasible, brute, case):
    affinity, per_paper, max_load, min_load, conflicts = case
    best = brute(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                       conflicts=conflicts)
    if best is None:
        with pytest.raises(InfeasibleError):
            assign(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                   conflicts=conflicts)
        return
    result = assign(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                    conflicts=conflicts)
    check_feasible(result, affinity, per_paper=per_paper, max_load=max_load,
                    min_load=min_load, conflicts=conflicts)
    assert result.objective == pytest.approx(best[0], abs=1e-7)
    assert result.upper_bound >= best[0] - 1e-7
    assert result.optimal


@SETTINGS
@given(instances(max_papers=3, max_reviewers=4), st.data())
def test_assign_with_fixed_pairs_matches_brute_force(check_feasible, case, data):
    affinity, per_paper, max_load, min_load, conflicts = case
    n_p, n_r = affinity.shape
    allowed = ~conflicts
    candidates = [(p, r) for p in range(n_p) for r in range(n_r) if allowed[p, r]]
    fixed = data.draw(st.lists(st.sampled_from(candidates), unique=True, max_size=2)
                      if candidates else st.just([]))
    fixed = np.array(fixed, dtype=np.int64).reshape(-1, 2)
    dense = affinity.toarray() if sp.issparse(affinity) else affinity
    best = _brute_with_fixed(dense, affinity, per_paper, max_load, min_load, conflicts, fixed)
    if best is None:
        with pytest.raises(InfeasibleError):
            assign(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                   conflicts=conflicts, fixed=fixed)
        return
    result = assign(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                    conflicts=conflicts, fixed=fixed)
    check_feasible(result, affinity, per_paper=per_paper, max_load=max_load,
                    min_load=min_load, conflicts=conflicts, fixed=fixed)
    assert result.objective == pytest.approx(best, abs=1e-7)


def _full_pattern(affinity):
    if sp.issparse(affinity):
        mask = np.zeros(affinity.shape, dtype=bool)
        coo = affinity.tocoo()
        mask[coo.row, coo.col] = True
        return mask
    return np.ones(affinity.shape, dtype=bool)


def _brute_with_fixed(dense, affinity, per_paper, max_load, min_load, conflicts, fixed):
    """Best total over assignments that contain every fixed pair (None if none)."""
    n_p, n_r = dense.shape
    allowed = _full_pattern(affinity) & ~conflicts
    must = [set(r for p2, r in fixed.tolist() if p2 == p) for p in range(n_p)]
    options = []
    for p in range(n_p):
        pool = sorted(set(np.flatnonzero(allowed[p]).tolist()) | must[p])
        options.append([c for c in itertools.combinations(pool, int(per_paper[p]))
                        if must[p] <= set(c)])
    best = None
    for choice in itertools.product(*options):
        loads = np.zeros(n_r, dtype=int)
        for group in choice:
            loads[list(group)] += 1
        if np.any(loads > max_load) or np.any(loads < min_load):
            continue
        total = sum(dense[p, list(g)].sum() for p, g in enumerate(choice))
        best = total if best is None else max(best, total)
    return best


@SETTINGS
@given(instances(max_papers=4, max_reviewers=4))
def test_fair_assign_matches_brute_force_max_min(check_feasible, brute, case):
    affinity, per_paper, max_load, min_load, conflicts = case
    best = brute(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                       conflicts=conflicts, fair=True)
    if best is None:
        return
    result = assign(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                    conflicts=conflicts, fairness=True)
    check_feasible(result, affinity, per_paper=per_paper, max_load=max_load,
                    min_load=min_load, conflicts=conflicts)
    reviewed = per_paper > 0
    low = float(result.paper_scores[reviewed].min()) if reviewed.any() else 0.0
    assert low == pytest.approx(best[1], abs=1e-7)
    assert result.objective == pytest.approx(best[0], abs=1e-7)
    assert result.method == "fair-exact" and result.optimal
    assert result.min_score_bound == pytest.approx(best[1], abs=1e-7)
