"""Fair assignment: lowest paper score raised, bounds honest, constraints kept."""

from __future__ import annotations

import numpy as np
import pytest

from reviews.matching import assign
from reviews.matching.synthetic import random_conflicts, topic_affinity


def test_fair_raises_lowest_paper_on_known_instance():
    # plain optimum gives paper 1 nothing good; fairness trades 0.1 of total for it
    aff = np.array([[1.0, 0.9], [0.8, 0.0]])
    plain = assign(aff, per_paper=1, max_load=1)
    fair = assign(aff, per_paper=1, max_load=1, fairness=True)
    assert plain.pairs.tolist() == [[0, 1], [1, 0]]
    assert plain.min_paper_score == pytest.approx(0.8)
    assert fair.min_paper_score == pytest.approx(0.8)
    aff = np.array([[1.0, 0.95, 0.0], [0.9, 0.0, 0.3], [0.2, 0.0, 0.1]])
    plain = assign(aff, per_paper=1, max_load=1)
    fair = assign(aff, per_paper=1, max_load=1, fairness=True)
    assert fair.min_paper_score > plain.min_paper_score
    assert fair.min_paper_score == pytest.approx(0.2)
    assert fair.min_score_bound == pytest.approx(0.2)
    assert fair.optimal and fair.method == "fair-exact"


@pytest.mark.parametrize("seed", range(3))
def test_fair_lp_rounding_never_below_plain(check_feasible, seed):
    n_p, n_r = 150, 200
    affinity = topic_affinity(n_p, n_r, n_topics=8, seed=seed)
    conflicts = random_conflicts(n_p, n_r, seed=seed)
    plain = assign(affinity, per_paper=3, max_load=3, conflicts=conflicts)
    fair = assign(affinity, per_paper=3, max_load=3, conflicts=conflicts, fairness=True)
    assert fair.method == "fair-lp-rounding"
    check_feasible(fair, affinity, per_paper=3, max_load=3, conflicts=conflicts)
    assert fair.min_paper_score >= plain.min_paper_score - 1e-12
    assert fair.min_score_bound is not None
    assert fair.min_paper_score <= fair.min_score_bound + 1e-7
    # documented guarantee: within one affinity (at most 1.0) of the LP bound
    assert fair.min_paper_score >= fair.min_score_bound - float(affinity.max()) - 1e-7
    assert fair.objective <= plain.objective + 1e-7
    assert fair.upper_bound == pytest.approx(plain.upper_bound)


def test_fair_keeps_fixed_pairs_and_min_load(check_feasible):
    affinity = topic_affinity(40, 50, n_topics=5, seed=7)
    fixed = np.array([[0, 1], [5, 2]])
    fair = assign(affinity, per_paper=2, max_load=3, min_load=1, fixed=fixed, fairness=True)
    check_feasible(fair, affinity, per_paper=2, max_load=3, min_load=1, fixed=fixed)


def test_fairness_gives_the_same_answer_twice_whatever_the_clock():
    """Quality is bounded by counts, not time: two runs (one on a machine kept busy) agree."""
    import threading

    affinity = topic_affinity(150, 200, n_topics=8, seed=3)
    conflicts = random_conflicts(150, 200, seed=3)
    first = assign(affinity, per_paper=3, max_load=3, conflicts=conflicts, fairness=True)
    stop = threading.Event()

    def busy():
        while not stop.is_set():
            sum(i * i for i in range(10_000))

    hog = threading.Thread(target=busy)
    hog.start()
    try:
        second = assign(affinity, per_paper=3, max_load=3, conflicts=conflicts, fairness=True)
    finally:
        stop.set()
        hog.join()
    assert first.pairs.tolist() == second.pairs.tolist()
    assert first.min_paper_score == second.min_paper_score
    assert first.min_score_bound == second.min_score_bound is not None


def test_fairness_reports_its_bound_with_tiny_work_limits():
    from reviews.matching.fairness import FairnessLimits

    affinity = topic_affinity(60, 80, n_topics=4, seed=5)
    tiny = FairnessLimits(mip_nodes=1, lp_rounds=1, moves=0)
    runs = [
        assign(affinity, per_paper=2, max_load=3, fairness=True, fairness_limits=tiny)
        for _ in range(2)
    ]
    assert runs[0].pairs.tolist() == runs[1].pairs.tolist()
    for run in runs:
        assert run.min_score_bound is not None
        assert run.min_paper_score <= run.min_score_bound + 1e-7
    exact = assign(affinity[:8, :10], per_paper=1, max_load=1, fairness=True,
                   fairness_limits=tiny)
    assert exact.min_score_bound is not None
    assert exact.min_paper_score <= exact.min_score_bound + 1e-7
