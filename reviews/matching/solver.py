"""Exact maximum-affinity assignment by column generation over a pruned LP.

1. Restrict the LP to each paper's best few reviewers (and each reviewer's best
   few papers) and solve it with the HiGHS dual simplex; the transportation
   polytope is totally unimodular, so the optimum is integral.
2. Price every pruned pair on the full matrix with the LP duals. Pairs with a
   positive reduced cost join the LP, which is solved again (after the first
   solve, each paper's best pairs by reduced cost join as well, violating or
   not, which anticipates where the prices move and saves rounds).
3. When no pair prices out, the restricted optimum is optimal for the full
   instance. The dual bound ``D(y)`` is then evaluated on the full matrix and
   returned as ``upper_bound``: a certificate that needs no trust in the solver.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from .candidates import initial_candidates
from .dual import pair_keys, reviewer_term, scan
from .errors import MatchingError
from .feasibility import feasible_pairs, precheck
from .lp import solve_assignment_lp
from .problem import Problem, build_problem
from .result import Assignment, summarise

GAP_TOLERANCE = 1e-6


@dataclass(frozen=True, eq=False)
class MaxSumSolution:
    """Internal result of the column-generation solve on a residual problem."""

    rows: np.ndarray
    cols: np.ndarray
    y: np.ndarray
    upper_bound: float
    rounds: int
    cand_rows: np.ndarray
    cand_cols: np.ndarray


def merge_pairs(rows: np.ndarray, cols: np.ndarray, n_r: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the unique pairs, sorted by paper then reviewer."""
    keys = np.unique(pair_keys(rows, cols, n_r))
    return keys // n_r, keys % n_r


def _integral_fallback(
    problem: Problem, rows: np.ndarray, cols: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """Solve the restricted problem as an integer program (used if a vertex is fractional)."""
    n = len(rows)
    n_p, n_r = problem.n_papers, problem.n_reviewers
    a_p = sp.csr_matrix((np.ones(n), (rows, np.arange(n))), shape=(n_p, n))
    a_r = sp.csr_matrix((np.ones(n), (cols, np.arange(n))), shape=(n_r, n))
    res = milp(
        -values,
        constraints=[
            LinearConstraint(a_p, problem.demand, problem.demand),
            LinearConstraint(a_r, problem.min_load, problem.max_load),
        ],
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    if res.x is None:
        raise MatchingError(f"integer fallback failed: {res.message}")
    return np.asarray(res.x)


def solve_max_sum(
    problem: Problem,
    *,
    candidates_per_paper: int | None = None,
    candidates_per_reviewer: int = 10,
    max_new: int | None = None,
    max_rounds: int = 100,
    tol: float = 1e-7,
) -> MaxSumSolution:
    """Maximise total affinity on the residual problem and certify it on the full matrix."""
    n_r = problem.n_reviewers
    d_max = int(problem.demand.max(initial=0))
    k = candidates_per_paper if candidates_per_paper is not None else max(15, 5 * d_max)
    m = max_new if max_new is not None else max(5, 2 * d_max)
    rows, cols = initial_candidates(problem, per_paper=k, per_reviewer=candidates_per_reviewer)
    rows, cols = merge_pairs(rows, cols, n_r)
    rounds, repaired = 0, False
    while True:
        rounds += 1
        values = problem.values(rows, cols)
        lp = solve_assignment_lp(
            rows, cols, values,
            demand=problem.demand, max_load=problem.max_load, min_load=problem.min_load,
        )
        if lp.status == 2 and not repaired:
            # pruning (not the instance) may be at fault: a max-flow either
            # explains the infeasibility or supplies a feasible set of pairs
            extra_r, extra_c = feasible_pairs(problem)
            repaired = True
            rows, cols = merge_pairs(np.r_[rows, extra_r], np.r_[cols, extra_c], n_r)
            continue
        if not lp.feasible:
            raise MatchingError(f"LP solver failed: {lp.message}")
        keys = pair_keys(rows, cols, n_r)
        result = scan(problem, lp.y, u=lp.u, candidate_keys=keys, max_new=m, tol=tol,
                      widen=rounds == 1)
        if result.violations == 0 or rounds >= max_rounds:
            break
        rows, cols = merge_pairs(np.r_[rows, result.new_rows], np.r_[cols, result.new_cols], n_r)
    x = lp.x
    if np.max(np.minimum(x, 1 - x), initial=0.0) > 1e-6:
        x = _integral_fallback(problem, rows, cols, values)
    chosen = x > 0.5
    bound = (
        float(result.topsum.sum())
        + reviewer_term(lp.y, problem.max_load, problem.min_load)
        + float(problem.fixed_scores.sum())
    )
    return MaxSumSolution(
        rows=rows[chosen], cols=cols[chosen], y=lp.y, upper_bound=bound, rounds=rounds,
        cand_rows=rows, cand_cols=cols,
    )


def finish(
    problem: Problem,
    rows: np.ndarray,
    cols: np.ndarray,
    *,
    upper_bound: float,
    started: float,
    rounds: int,
    n_candidates: int,
    method: str = "max-sum",
    min_score_bound: float | None = None,
    prices: np.ndarray | None = None,
) -> Assignment:
    """Add the fixed pairs back and build the public ``Assignment``."""
    pairs = np.vstack([np.column_stack([rows, cols]).astype(np.int64), problem.fixed])
    values = problem.values(pairs[:, 0], pairs[:, 1])
    pairs, scores, loads, objective = summarise(
        pairs, values, n_papers=problem.n_papers, n_reviewers=problem.n_reviewers
    )
    gap = upper_bound - objective
    status = "optimal" if gap <= GAP_TOLERANCE * max(1.0, abs(objective)) else "feasible"
    return Assignment(
        pairs=pairs, objective=objective, upper_bound=upper_bound, paper_scores=scores,
        loads=loads, status=status, seconds=time.perf_counter() - started, rounds=rounds,
        n_candidates=n_candidates, method=method, min_score_bound=min_score_bound,
        prices=prices,
    )


def assign(
    affinity: np.ndarray | sp.spmatrix | sp.sparray,
    *,
    per_paper: int | np.ndarray,
    max_load: int | np.ndarray,
    min_load: int | np.ndarray = 0,
    conflicts: np.ndarray | sp.spmatrix | sp.sparray | None = None,
    fixed: np.ndarray | None = None,
    fairness: bool = False,
    candidates_per_paper: int | None = None,
    max_rounds: int = 100,
    fairness_time_limit: float = 60.0,
) -> Assignment:
    """Assign reviewers to papers, maximising total affinity exactly.

    ``affinity`` is a dense array or a SciPy sparse matrix (papers x reviewers);
    in sparse input an unstored entry means "not a candidate". ``per_paper`` is
    the number of reviewers each paper needs, ``max_load``/``min_load`` bound each
    reviewer's number of papers (ints or per-item arrays). ``conflicts`` is a
    boolean mask of forbidden pairs; ``fixed`` lists ``(paper, reviewer)`` pairs to
    keep, which count toward both limits. With ``fairness`` the lowest paper score
    is raised first and the total second (see ``fairness.assign_fair``).

    Raise ``InfeasibleError`` naming the violated constraint when no assignment
    exists.
    """
    started = time.perf_counter()
    problem = build_problem(
        affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
        conflicts=conflicts, fixed=fixed,
    )
    precheck(problem)
    solution = solve_max_sum(
        problem, candidates_per_paper=candidates_per_paper, max_rounds=max_rounds
    )
    if fairness:
        from .fairness import assign_fair

        return assign_fair(
            problem, solution, started=started, time_limit=fairness_time_limit
        )
    return finish(
        problem, solution.rows, solution.cols, upper_bound=solution.upper_bound,
        started=started, rounds=solution.rounds, n_candidates=len(solution.cand_rows),
        prices=solution.y,
    )
