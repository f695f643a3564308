"""Exact maximum-affinity assignment: min-cost flows over a candidate pool.

1. One pass over the matrix picks a pool of candidate pairs (``candidates``):
   each paper's best reviewers above a threshold, each reviewer's best papers,
   and per paper a ``bound`` on every affinity left out.
2. The restricted problem on the pool is a min-cost flow, solved exactly by
   OR-Tools on integer costs; reviewer prices ``y`` are recovered from the flow
   (``flow``), warm-started from the previous round.
3. Certificate. The dual bound ``D(y)`` of ``dual`` needs, per paper, the sum of
   its best ``per_paper`` values of ``a - y`` over the full row. When the
   paper's pool already holds that many values at least ``bound`` (and the
   columns of negatively priced reviewers have been read, their pairs above
   the bound joining the pool), nothing outside can enter, so the pool gives
   the exact sum. The other papers' rows are read, only at or above their
   current ``per_paper``-th value, which gives their exact sums and, where a
   sum exceeds the restricted one, the pairs that improve the flow: each such
   paper's best after prices join the pool and the flow is solved again. What
   a read proved is remembered (``_Memory``) while prices barely move.
4. When no paper improves, ``D(y)`` over the full matrix equals the total up to
   the integer rounding of costs (see ``flow``), and is returned as
   ``upper_bound`` with ``y`` as ``prices``: a certificate that anyone can
   recompute from the matrix without trusting the solver or the pruning.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .candidates import build_pool, unique_pairs
from .dual import pair_keys, reviewer_term
from .errors import MatchingError
from .feasibility import feasible_pairs, precheck
from .flow import solve_flow
from .problem import Problem, build_problem
from .reads import ROW_READ_SHARE, above_bound, column_max, contains, pool_tops
from .result import Assignment, summarise

if TYPE_CHECKING:
    from .fairness import FairnessLimits

GAP_TOLERANCE = 1e-6
PAIR_TOLERANCE = 1e-9
NEGATIVE_LIMIT = 60_000_000
READ_MARGIN = 0.05


@dataclass(frozen=True, eq=False)
class MaxSumSolution:
    """Internal result of the solve on a residual problem."""

    rows: np.ndarray
    cols: np.ndarray
    y: np.ndarray
    upper_bound: float
    rounds: int
    cand_rows: np.ndarray
    cand_cols: np.ndarray
    rows_read: int = 0


def merge_pairs(rows: np.ndarray, cols: np.ndarray, n_r: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the unique pairs, sorted by paper then reviewer."""
    return unique_pairs(rows, cols, n_r)


@dataclass(frozen=True, eq=False)
class _Check:
    topsum: np.ndarray
    new_rows: np.ndarray
    new_cols: np.ndarray
    improving: int
    rows_read: int


class _Memory:
    """What earlier reads of full rows proved, to skip reading them again.

    After reading paper ``p``'s row at prices ``y_t``, every allowed pair left
    outside the pool had ``a - y_t <= beta[p]``. Under later prices ``y`` that
    value grew by at most the largest price drop ``max(y_t - y)``, so it stays
    below ``beta[p]`` plus that drop. Likewise, once a negatively priced
    reviewer's column was read at price ``col_price[r]`` (its pairs above their
    paper's bound joining the pool), it needs no new read while its price is
    not lower.
    """

    def __init__(self, n_papers: int, n_reviewers: int) -> None:
        self.col_price = np.full(n_reviewers, np.inf)
        self.beta = np.full(n_papers, np.inf)
        self.read_at = np.zeros(n_papers, dtype=np.int64)
        self.prices: list[np.ndarray] = []

    def outside(self, y: np.ndarray, usable: np.ndarray, *, split: float = np.inf,
                read_columns=None) -> np.ndarray:
        """Return each paper's bound on outside values under prices ``y``.

        With ``read_columns`` (per paper, the largest ``a - y`` outside the pool over
        the given reviewers' columns), the few reviewers whose price dropped by more
        than ``split`` since some read are read as columns, and the other reviewers'
        largest drop, at most ``split``, is what the remembered bounds grow by.
        """
        if not self.prices:
            return self.beta.copy()
        drops = np.array([old[usable] - y[usable] for old in self.prices])
        big = np.zeros(len(y), dtype=bool)
        if read_columns is not None:
            big[usable] = drops.max(axis=0) > split
            if not big.any() or big.sum() * ROW_READ_SHARE > len(y):
                big[:] = False
        rest = drops[:, ~big[usable]]
        worst = np.maximum(rest.max(axis=1, initial=0.0), 0.0)
        out = self.beta + worst[self.read_at]
        if big.any():
            out = np.maximum(out, read_columns(np.flatnonzero(big)))
        return out

    def record(self, papers: np.ndarray, beta: np.ndarray, y: np.ndarray) -> None:
        if not self.prices or self.prices[-1] is not y:
            self.prices.append(y)
        self.beta[papers] = beta
        self.read_at[papers] = len(self.prices) - 1


def _check(problem: Problem, rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
           bound: np.ndarray, y: np.ndarray, memory: _Memory, *, extra: int,
           slack: np.ndarray | None = None, penalty: float = 0.0) -> _Check:
    """Evaluate each paper's exact dual term and collect improving pairs.

    With ``slack`` (phase one: the flow still needed slack arcs, ``slack[p]``
    units for paper ``p`` at value ``penalty``) the slack counts as part of the
    restricted solution, and pairs are collected, not certified.
    """
    n_p = problem.n_papers
    demand = problem.demand
    reduced = values - y[cols]
    if slack is None:
        restricted, count, kth = pool_tops(rows, reduced, demand, n_p)
    else:
        restricted, count, kth = pool_tops(rows, reduced, demand - slack, n_p)
        restricted = restricted + slack * penalty
        count = count + slack
        kth = np.where(slack > 0, penalty, kth)
    topsum = restricted
    new_rows: list[np.ndarray] = []
    new_cols: list[np.ndarray] = []
    usable = problem.max_load > 0
    flagged = np.zeros(n_p, dtype=bool)
    negative = np.flatnonzero(usable & (y < 0))
    # a column read at a price no higher than today's needs no new read: its
    # pairs above their paper's bound joined the pool then
    stale = negative[y[negative] < memory.col_price[negative]]
    floor = 0.0
    if len(stale) and len(stale) * n_p <= NEGATIVE_LIMIT:
        # reviewers with a negative price (held at min_load) can beat a paper's
        # bound after prices: their pairs above it join the pool explicitly
        e_rows, e_cols = above_bound(problem, rows, cols, stale, bound, y,
                                      limit=None if slack is None else 2 * extra)
        if slack is None:
            memory.col_price[stale] = y[stale]
        if len(e_rows):
            new_rows.append(e_rows)
            new_cols.append(e_cols)
            e_red = problem.values(e_rows, e_cols) - y[e_cols]
            if slack is None:
                topsum, count, kth = pool_tops(np.r_[rows, e_rows], np.r_[reduced, e_red],
                                                demand, n_p)
            else:
                # phase one: a pair that beats the paper's worst kept value improves
                flagged[e_rows[e_red > kth[e_rows]]] = True
    elif len(stale):
        floor = float(y[negative].min())
    spread = float(np.ptp(values)) if len(values) else 1.0
    margin = READ_MARGIN * max(spread, 1e-12)
    remembered = memory.outside(
        y, usable, split=margin / 2,
        read_columns=lambda at: column_max(problem, rows, cols, at, y))
    outside = np.minimum(bound - floor, remembered)
    unsure = np.flatnonzero((demand > 0) & ((count < demand) | (kth < outside)))
    improving = 0
    n_r = problem.n_reviewers
    pool_keys = pair_keys(rows, cols, n_r)
    block = problem.block_rows()
    y_low = y.astype(np.float64 if problem.is_sparse else problem.affinity.dtype)
    delta = problem.rounding(float(np.abs(y).max(initial=0.0)),
                             float(np.abs(kth[np.isfinite(kth)]).max(initial=0.0)) + margin)
    for start in range(0, len(unsure), block):
        papers = unsure[start:start + block]
        # read in the input's precision; the selection below keeps a rounding margin
        # and the values it keeps are computed again in float64
        red = problem.dense_rows(papers, native=True)
        red -= y_low[None, :]
        need = demand[papers]
        # every entry near or above the pool's current d-th value: the row's
        # top values are among them, and so is every improving pair
        level = kth[papers]
        blind = ~np.isfinite(level)
        if blind.any():
            depth = min(int(need.max()) + extra, problem.n_reviewers)
            level = level.copy()
            level[blind] = -np.partition(-red[blind], depth - 1, axis=1)[:, depth - 1]
        level = level - margin
        r, c = np.nonzero(red >= (level - delta)[:, None])
        v = red[r, c]
        if v.dtype != np.float64:
            v = np.where(np.isneginf(v), -np.inf, problem.values(papers[r], c) - y[c])
            sel = v >= level[r]
            r, c, v = r[sel], c[sel], v[sel]
        order = np.lexsort((-v, r))
        r, c, v = r[order], c[order], v[order]
        first = np.searchsorted(r, np.arange(len(papers)))
        rank = np.arange(len(r)) - first[r]
        take = (rank < need[r]) & np.isfinite(v)
        exact = np.bincount(r[take], weights=v[take], minlength=len(papers))
        gain = exact - restricted[papers]
        better = gain > PAIR_TOLERANCE * np.maximum(1.0, np.abs(exact))
        improving += int(better.sum())
        topsum[papers] = exact
        # improving papers bring their best pairs after prices, a few past their need
        keep = np.isfinite(v) & better[r] & (rank < need[r] + extra)
        new_rows.append(papers[r[keep]])
        new_cols.append(c[keep])
        # what stays outside the pool: entries below the read level, and read
        # entries that neither were in it nor joined it now
        beta = level.copy()
        left = np.isfinite(v) & ~keep & ~contains(pool_keys, papers[r], c, n_r)
        np.maximum.at(beta, r[left], v[left])
        memory.record(papers, beta, y)
    rest = np.setdiff1d(np.flatnonzero(demand > 0), unsure, assume_unique=True)
    improving += int(np.count_nonzero(
        (topsum[rest] - restricted[rest]
         > PAIR_TOLERANCE * np.maximum(1.0, np.abs(topsum[rest]))) | flagged[rest]))
    empty = np.zeros(0, dtype=np.int64)
    return _Check(
        topsum=topsum,
        new_rows=np.concatenate(new_rows) if new_rows else empty,
        new_cols=np.concatenate(new_cols) if new_cols else empty,
        improving=improving, rows_read=len(unsure),
    )


def _idle_prices(problem: Problem, y: np.ndarray) -> np.ndarray:
    """Price reviewers without capacity out of every paper's top values."""
    idle = problem.max_load <= 0
    if not idle.any():
        return y
    if problem.is_sparse:
        data = problem.affinity.data
        lo, hi = (float(data.min()), float(data.max())) if data.size else (0.0, 0.0)
        lo = min(lo, 0.0)
    else:
        lo, hi = float(np.min(problem.affinity)), float(np.max(problem.affinity))
    y = y.copy()
    y[idle] = hi - lo + float(np.abs(y[~idle]).max(initial=0.0)) * 2 + 1.0
    return y


def solve_max_sum(
    problem: Problem,
    *,
    candidates_per_paper: int | None = None,
    candidates_per_reviewer: int = 10,
    max_rounds: int = 100,
) -> MaxSumSolution:
    """Maximise total affinity on the residual problem and certify it on the full matrix."""
    n_r = problem.n_reviewers
    d_max = int(problem.demand.max(initial=0))
    k = candidates_per_paper if candidates_per_paper is not None else max(20, 8 * d_max)
    pool = build_pool(problem, per_paper=k, per_reviewer=candidates_per_reviewer)
    rows, cols, bound = pool.rows, pool.cols, pool.bound
    y = None
    rounds, repaired, rows_read = 0, False, 0
    bound = bound.copy()
    memory = _Memory(problem.n_papers, problem.n_reviewers)
    while True:
        rounds += 1
        values = problem.values(rows, cols)
        flow = solve_flow(rows, cols, values, demand=problem.demand,
                          max_load=problem.max_load, min_load=problem.min_load, y_start=y)
        y = _idle_prices(problem, flow.y)
        slack = None if flow.feasible else flow.short_papers
        check = _check(problem, rows, cols, values, bound, y, memory, extra=2 * d_max + 5,
                       slack=slack, penalty=flow.penalty)
        rows_read += check.rows_read
        if flow.feasible and (check.improving == 0 or rounds >= max_rounds):
            break
        if not flow.feasible and (check.improving == 0 or rounds >= max_rounds):
            if repaired:
                raise MatchingError("the candidate pairs admit no assignment")
            # pricing finds nothing that repairs the pool: a max-flow on every
            # allowed pair either explains the infeasibility or supplies pairs
            extra_r, extra_c = feasible_pairs(problem, seed=(rows, cols))
            repaired = True
            rows, cols = merge_pairs(np.r_[rows, extra_r], np.r_[cols, extra_c], n_r)
            continue
        rows, cols = merge_pairs(np.r_[rows, check.new_rows], np.r_[cols, check.new_cols], n_r)
    chosen = flow.chosen
    upper = (float(check.topsum.sum())
             + reviewer_term(y, problem.max_load, problem.min_load)
             + float(problem.fixed_scores.sum()))
    return MaxSumSolution(
        rows=rows[chosen], cols=cols[chosen], y=y, upper_bound=upper, rounds=rounds,
        cand_rows=rows, cand_cols=cols, rows_read=rows_read,
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
    rows_read: int = 0,
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
        prices=prices, rows_read=rows_read,
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
    fairness_limits: FairnessLimits | None = None,
) -> Assignment:
    """Assign reviewers to papers, maximising total affinity exactly.

    ``affinity`` is a dense array or a SciPy sparse matrix (papers x reviewers);
    in sparse input an unstored entry means "not a candidate". ``per_paper`` is
    the number of reviewers each paper needs, ``max_load``/``min_load`` bound each
    reviewer's number of papers (ints or per-item arrays). ``conflicts`` is a
    boolean mask of forbidden pairs; ``fixed`` lists ``(paper, reviewer)`` pairs to
    keep, which count toward both limits. With ``fairness`` the lowest paper score
    is raised first and the total second (see ``fairness.assign_fair``), with the work
    bounded by ``fairness_limits`` (counts, not time: the same input gives the same answer).

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
            problem, solution, started=started, limits=fairness_limits
        )
    return finish(
        problem, solution.rows, solution.cols, upper_bound=solution.upper_bound,
        started=started, rounds=solution.rounds, n_candidates=len(solution.cand_rows),
        prices=solution.y, rows_read=solution.rows_read,
    )
