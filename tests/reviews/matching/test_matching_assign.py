"""Hand-made assignment instances with known optima, infeasibility and ties."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from reviews.matching import InfeasibleError, MatchingError, assign

A = np.array([
    [0.9, 0.8, 0.1, 0.0],
    [0.85, 0.2, 0.7, 0.1],
    [0.3, 0.9, 0.2, 0.6],
])


def test_assign_simple_known_optimum():
    # reviewer 0 can take only one paper: paper 0 gets 0 and 1 is then best
    result = assign(A, per_paper=1, max_load=1)
    assert result.pairs.tolist() == [[0, 0], [1, 2], [2, 1]]
    assert result.objective == pytest.approx(0.9 + 0.7 + 0.9)
    assert result.optimal
    assert result.upper_bound == pytest.approx(result.objective, abs=1e-9)


def test_assign_contended_reviewer_goes_where_it_matters():
    aff = np.array([[1.0, 0.9], [1.0, 0.0]])
    result = assign(aff, per_paper=1, max_load=1)
    assert result.pairs.tolist() == [[0, 1], [1, 0]]
    assert result.objective == pytest.approx(1.9)


def test_assign_returns_extras(check_feasible):
    result = assign(A, per_paper=2, max_load=2)
    check_feasible(result, A, per_paper=2, max_load=2)
    assert result.paper_scores.shape == (3,)
    assert result.min_paper_score == pytest.approx(result.paper_scores.min())
    assert result.paper_scores.sum() == pytest.approx(result.objective)
    assert result.seconds >= 0
    assert result.gap == pytest.approx(0.0, abs=1e-9)
    assert result.reviewers_of(0).tolist() == [0, 1]
    assert set(result.papers_of(1).tolist()) <= {0, 1, 2}


def test_assign_conflicts_never_assigned(check_feasible):
    conflicts = np.zeros_like(A, dtype=bool)
    conflicts[0, 0] = conflicts[2, 1] = True
    result = assign(A, per_paper=1, max_load=1, conflicts=conflicts)
    check_feasible(result, A, per_paper=1, max_load=1, conflicts=conflicts)
    assert [0, 0] not in result.pairs.tolist() and [2, 1] not in result.pairs.tolist()


def test_assign_sparse_conflicts_equal_dense_conflicts():
    conflicts = np.zeros_like(A, dtype=bool)
    conflicts[1, 0] = True
    dense = assign(A, per_paper=2, max_load=2, conflicts=conflicts)
    sparse = assign(A, per_paper=2, max_load=2, conflicts=sp.csr_matrix(conflicts))
    assert np.array_equal(dense.pairs, sparse.pairs)


def test_assign_sparse_input_matches_dense_when_full():
    dense = assign(A, per_paper=2, max_load=2)
    sparse = assign(sp.csr_matrix(A), per_paper=2, max_load=2)
    # explicit zeros stay candidates, so the full pattern is kept
    assert dense.objective == pytest.approx(sparse.objective)
    assert np.array_equal(dense.pairs, sparse.pairs)


def test_assign_sparse_missing_entries_are_not_candidates():
    rows, cols = [0, 0, 1, 1, 2, 2], [1, 2, 0, 3, 2, 3]
    aff = sp.csr_matrix((np.ones(6), (rows, cols)), shape=(3, 4))
    result = assign(aff, per_paper=2, max_load=2)
    assert sorted(map(tuple, result.pairs.tolist())) == sorted(zip(rows, cols, strict=True))


def test_assign_sparse_explicit_zero_is_candidate():
    aff = sp.csr_matrix((np.array([0.0, 0.5]), (np.array([0, 1]), np.array([0, 0]))),
                        shape=(2, 2))
    result = assign(aff, per_paper=1, max_load=2)
    assert result.pairs.tolist() == [[0, 0], [1, 0]]


def test_assign_fixed_pairs_kept_and_counted(check_feasible):
    fixed = np.array([[0, 3], [2, 0]])
    result = assign(A, per_paper=2, max_load=2, fixed=fixed)
    check_feasible(result, A, per_paper=2, max_load=2, fixed=fixed)
    assert [0, 3] in result.pairs.tolist() and [2, 0] in result.pairs.tolist()


def test_assign_fixed_pair_counts_toward_load():
    aff = np.array([[0.0, 1.0], [0.0, 1.0]])
    result = assign(aff, per_paper=1, max_load=1, fixed=np.array([[0, 1]]))
    assert result.pairs.tolist() == [[0, 1], [1, 0]]


def test_assign_min_load_respected():
    aff = np.array([[1.0, 0.1], [1.0, 0.1], [1.0, 0.1]])
    plain = assign(aff, per_paper=1, max_load=3)
    assert plain.loads.tolist() == [3, 0]
    forced = assign(aff, per_paper=1, max_load=3, min_load=[0, 2])
    assert forced.loads.tolist() == [1, 2]
    assert forced.objective == pytest.approx(1.2)


def test_assign_per_reviewer_and_per_paper_arrays(check_feasible):
    per_paper = np.array([1, 2, 0])
    max_load = np.array([1, 0, 1, 2])
    result = assign(A, per_paper=per_paper, max_load=max_load)
    check_feasible(result, A, per_paper=per_paper, max_load=max_load)
    assert result.loads[1] == 0


def test_assign_ties_are_deterministic():
    aff = np.full((6, 6), 0.5)
    first = assign(aff, per_paper=2, max_load=2)
    for _ in range(3):
        again = assign(aff.copy(), per_paper=2, max_load=2)
        assert np.array_equal(first.pairs, again.pairs)
    assert first.objective == pytest.approx(6.0)


def test_assign_empty_instance():
    result = assign(np.zeros((0, 3)), per_paper=2, max_load=1)
    assert result.pairs.shape == (0, 2)
    assert result.objective == 0.0


def test_infeasible_paper_without_enough_reviewers_names_it():
    aff = sp.csr_matrix(np.array([[0.5, 0.5, 0.5, 0.5], [0.5, 0.0, 0.0, 0.0]]))
    aff.eliminate_zeros()
    conflicts = np.zeros((2, 4), dtype=bool)
    conflicts[1, 0] = True
    with pytest.raises(InfeasibleError) as err:
        assign(aff, per_paper=1, max_load=2, conflicts=conflicts)
    message = str(err.value)
    assert "paper 1 has only 0 eligible reviewers (needs 1)" in message
    assert "1 conflicts" in message and "3 without candidate score" in message
    assert err.value.constraint == "per_paper"
    assert err.value.papers == (1,)


def test_infeasible_total_capacity_message():
    with pytest.raises(InfeasibleError) as err:
        assign(np.ones((1000, 983)), per_paper=3, max_load=3)
    assert "total reviewer capacity 2,949 < 3,000 required reviews" in str(err.value)
    assert err.value.constraint == "max_load"


def test_infeasible_min_load_total_message():
    with pytest.raises(InfeasibleError) as err:
        assign(np.ones((800, 1500)), per_paper=3, max_load=4, min_load=2)
    assert "min_load of 2 for 1,500 reviewers needs 3,000 reviews but only 2,400 are " \
        "required" in str(err.value)
    assert err.value.constraint == "min_load"


def test_infeasible_min_load_above_max_load():
    with pytest.raises(InfeasibleError, match="reviewer 1 has min_load 3 above max_load 2"):
        assign(A, per_paper=1, max_load=2, min_load=[0, 3, 0, 0])


def test_infeasible_fixed_conflict():
    conflicts = np.zeros_like(A, dtype=bool)
    conflicts[1, 2] = True
    with pytest.raises(InfeasibleError, match=r"fixed pair \(paper 1, reviewer 2\) is a conflict"):
        assign(A, per_paper=1, max_load=2, conflicts=conflicts, fixed=[[1, 2]])


def test_infeasible_fixed_exceeds_load():
    with pytest.raises(InfeasibleError, match="reviewer 0 has 2 fixed papers but max_load is 1"):
        assign(A, per_paper=1, max_load=1, fixed=[[0, 0], [1, 0]])


def test_infeasible_fixed_exceeds_per_paper():
    with pytest.raises(InfeasibleError, match="paper 0 has 2 fixed reviewers but per_paper is 1"):
        assign(A, per_paper=1, max_load=2, fixed=[[0, 0], [0, 1]])


def test_infeasible_reviewer_min_load_without_papers():
    conflicts = np.zeros_like(A, dtype=bool)
    conflicts[:, 3] = True
    with pytest.raises(InfeasibleError, match="reviewer 3 has min_load 1 but only 0 eligible"):
        assign(A, per_paper=1, max_load=2, min_load=[0, 0, 0, 1], conflicts=conflicts)


def test_infeasible_hall_violation_explained_by_min_cut():
    # papers 0-2 may only use reviewers 0 and 1 (load 1 each): 3 reviews, 2 slots
    conflicts = np.zeros((4, 5), dtype=bool)
    conflicts[:3, 2:] = True
    with pytest.raises(InfeasibleError) as err:
        assign(np.ones((4, 5)), per_paper=1, max_load=1, conflicts=conflicts)
    message = str(err.value)
    assert "papers [0, 1, 2] need 3 reviews in total" in message
    assert "reviewers [0, 1] can supply at most 2" in message
    assert err.value.constraint == "coverage"


def test_infeasible_min_load_hall_violation_explained():
    # reviewers 0 and 1 need 2 papers each but may only review papers 0 and 1
    conflicts = np.zeros((4, 3), dtype=bool)
    conflicts[2:, :2] = True
    with pytest.raises(InfeasibleError) as err:
        assign(np.ones((4, 3)), per_paper=1, max_load=2, min_load=[2, 2, 0], conflicts=conflicts)
    message = str(err.value)
    assert "reviewers [0, 1] need at least 4 papers in total (min_load)" in message
    assert err.value.constraint == "min_load"


def test_invalid_input_rejected():
    with pytest.raises(MatchingError, match="finite"):
        assign(np.array([[np.nan]]), per_paper=1, max_load=1)
    with pytest.raises(MatchingError, match="per_paper"):
        assign(A, per_paper=[1, 2], max_load=1)
    with pytest.raises(MatchingError, match="conflicts must have shape"):
        assign(A, per_paper=1, max_load=1, conflicts=np.zeros((2, 2), dtype=bool))


def test_assign_recovers_when_pruning_makes_lp_infeasible(check_feasible):
    # every paper's single best reviewer is 0 (load 10); reviewers 1 and 2 both
    # prefer the same ten papers, so the pruned LP cannot cover the other ten
    n_p = 30
    aff = np.zeros((n_p, 3))
    aff[:, 0] = 1.0
    aff[:, 1] = aff[:, 2] = np.linspace(0.9, 0.1, n_p)
    result = assign(aff, per_paper=1, max_load=10, candidates_per_paper=0)
    check_feasible(result, aff, per_paper=1, max_load=10)
    assert result.loads.tolist() == [10, 10, 10]
    assert result.optimal


def test_assign_fixed_pair_outside_sparse_candidates_is_kept():
    aff = sp.csr_matrix(np.array([[0.0, 0.8], [0.5, 0.3]]))
    aff.eliminate_zeros()
    result = assign(aff, per_paper=1, max_load=1, fixed=[[0, 0]])
    assert result.pairs.tolist() == [[0, 0], [1, 1]]
    assert result.objective == pytest.approx(0.3)
    assert result.optimal


def test_assign_numpy_integer_counts_accepted():
    result = assign(A, per_paper=np.int64(1), max_load=np.array([1, 1, 1, 1], dtype=np.int32))
    assert len(result.pairs) == 3


def test_pool_feasible_only_by_a_long_exchange_is_solved_not_refused():
    # paper 1 can only have reviewer 1, whom paper 0 likes best; giving it to paper 1
    # moves three other pairs, worth more than one slack unit of the elastic flow
    affinity = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0],
                         [0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    conflicts = np.zeros((4, 4), dtype=bool)
    conflicts[1, [0, 3]] = True
    result = assign(affinity, per_paper=np.array([2, 1, 1, 0]),
                    max_load=np.array([2, 1, 0, 1]), conflicts=conflicts)
    assert result.optimal
    assert result.objective == 0.0
    assert result.reviewers_of(1).tolist() == [1]
