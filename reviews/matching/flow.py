"""Solve a restricted assignment problem as a min-cost flow and recover its duals.

The network: each paper is a node with supply ``demand[p]``, each reviewer a
node with demand ``min_load[r]``, and one sink takes the rest. A candidate pair
is an arc paper -> reviewer of capacity 1; each reviewer has an arc to the sink
of capacity ``max_load - min_load``. Costs are integers: affinities multiplied
by a power of two ``scale`` and rounded, negated and shifted to be non-negative.
OR-Tools' cost-scaling push-relabel solver returns an optimal integral flow.

OR-Tools does not expose node potentials, so the reviewer prices ``y`` are
recovered from the flow here: they are any solution of the complementary
slackness conditions, a system of difference constraints (for each paper, every
assigned reviewer is at least as good, after prices, as every unassigned
candidate; a price is positive only at ``max_load`` and negative only at
``min_load``). It is solved by label correction in exact integer arithmetic on
the rounded costs, so it terminates (the flow is optimal for them, hence the
system has no negative cycle), warm-started from the previous round's prices.

Exactness. The flow is optimal for the rounded affinities ``a'``, which differ
from the true ones by at most ``0.5 / scale`` per pair. For the true affinities,
its total is then within ``sum(demand) / scale`` of the optimum on the candidate
set, and the dual bound of its prices is within the same distance of the total.
``scale`` is chosen as large as OR-Tools' overflow checks allow (about 2^40 for
a 25,000-node venue with affinities in [0, 1], so the distance is below 1e-7 for
30,000 reviews), and the prices are then polished against the exact float
affinities, which usually closes the gap to floating-point rounding. In every
case the caller measures the remaining gap on the full matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_SWEEPS = 100_000
POLISH_SWEEPS = 200


@dataclass(frozen=True, eq=False)
class FlowSolution:
    """Whether a flow exists, which candidate pairs carry one, and the prices.

    When the candidate pairs admit no assignment, ``short_papers`` and
    ``short_reviewers`` name the papers left without enough reviewers and the
    reviewers left below ``min_load`` by the cheapest repair.
    """

    feasible: bool
    chosen: np.ndarray
    y: np.ndarray
    scale: float
    sweeps: int = 0
    short_papers: np.ndarray | None = None
    short_reviewers: np.ndarray | None = None


def cost_scale(values: np.ndarray, n_nodes: int, max_capacity: int) -> float:
    """Return the power of two that scales affinities to integer costs safely.

    OR-Tools refuses costs whose magnitude, times the number of nodes and the
    largest capacity, comes near 2^62 (measured on version 9.15); stay 2^4 below.
    """
    spread = float(values.max(initial=0.0) - values.min(initial=0.0))
    spread = max(spread, 1e-300)
    bits = 58 - math.log2(n_nodes + 1) - math.log2(max_capacity + 1) - math.log2(spread)
    return 2.0 ** max(0, min(44, math.floor(bits)))


def _segments(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the order that sorts ``keys`` and each key's start in that order."""
    order = np.argsort(keys, kind="stable")
    starts = np.searchsorted(keys[order], np.arange(n))
    return order, starts


def _segment_reduce(func: np.ufunc, values: np.ndarray, starts: np.ndarray,
                    counts: np.ndarray, empty: float | int) -> np.ndarray:
    """Reduce sorted ``values`` per segment; empty segments get ``empty``."""
    out = np.full(len(starts), empty, dtype=values.dtype)
    has = counts > 0
    if values.size:
        red = func.reduceat(values, np.minimum(starts, len(values) - 1))
        out[has] = red[has]
    return out


class PriceSystem:
    """The complementary slackness conditions of one restricted solution.

    With reviewer prices ``y`` and ``u_p`` the best unassigned candidate of paper
    ``p`` after prices, the conditions are ``y_r <= a_pr - u_p`` for assigned
    pairs, ``y_r <= 0`` below ``max_load`` and ``y_r >= 0`` above ``min_load``
    (the last two relative to a reference price ``z``, the sink's potential).
    Label correction from any start decreases prices until all hold.
    """

    def __init__(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
                 chosen: np.ndarray, loads: np.ndarray, *, n_papers: int,
                 max_load: np.ndarray, min_load: np.ndarray) -> None:
        n_r = len(max_load)
        free = ~chosen
        self.n_papers, self.n_reviewers = n_papers, n_r
        self.u_rows, self.u_cols, self.u_vals = rows[free], cols[free], values[free]
        order, self.u_starts = _segments(self.u_rows, n_papers)
        self.u_rows, self.u_cols, self.u_vals = (
            self.u_rows[order], self.u_cols[order], self.u_vals[order])
        self.u_counts = np.bincount(self.u_rows, minlength=n_papers)
        a_rows, a_cols, a_vals = rows[chosen], cols[chosen], values[chosen]
        order, self.a_starts = _segments(a_cols, n_r)
        self.a_rows, self.a_cols, self.a_vals = a_rows[order], a_cols[order], a_vals[order]
        self.a_counts = np.bincount(self.a_cols, minlength=n_r)
        self.below_max = loads < max_load
        self.above_min = loads > min_load

    def solve(self, y: np.ndarray, *, max_sweeps: int) -> tuple[np.ndarray, int, bool]:
        """Run label correction from ``y``; return (prices relative to z, sweeps, converged).

        ``y`` and the affinities must share one dtype: int64 for exact
        arithmetic on scaled costs, float64 for the polish.
        """
        y = y.copy()
        low = np.iinfo(np.int64).min // 4 if y.dtype.kind == "i" else -np.inf
        high = np.iinfo(np.int64).max // 4 if y.dtype.kind == "i" else np.inf
        z = y[self.above_min].min(initial=0) if self.above_min.any() else y.dtype.type(0)
        z = min(z, 0)
        for sweep in range(1, max_sweeps + 1):
            u = _segment_reduce(np.maximum, self.u_vals - y[self.u_cols], self.u_starts,
                                self.u_counts, low)
            cap = _segment_reduce(np.minimum, self.a_vals - u[self.a_rows], self.a_starts,
                                  self.a_counts, high)
            new = np.minimum(y, cap)
            if self.above_min.any():
                z = min(z, new[self.above_min].min())
            new[self.below_max] = np.minimum(new[self.below_max], z)
            if np.array_equal(new, y):
                return y - z, sweep, True
            y = new
        return y - z, max_sweeps, False


def solve_flow(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    *,
    demand: np.ndarray,
    max_load: np.ndarray,
    min_load: np.ndarray,
    y_start: np.ndarray | None = None,
) -> FlowSolution:
    """Maximise ``values @ x`` over the candidate pairs and return prices ``y``.

    ``rows``/``cols`` index papers and reviewers. Prices are returned in the
    sign convention of ``dual.scan`` (positive for reviewers at ``max_load``).
    """
    from ortools.graph.python import min_cost_flow

    n_p, n_r, n = len(demand), len(max_load), len(rows)
    total = int(demand.sum())
    spare = max_load - min_load
    n_nodes = n_p + n_r + 2
    big_cap = int(max(spare.max(initial=0), demand.max(initial=0), min_load.max(initial=0)))
    if n:
        scale = cost_scale(np.r_[values.min() - 2 * np.ptp(values), values.max()], n_nodes,
                           big_cap)
        ints = np.rint(values * scale).astype(np.int64)
        top, bottom = int(ints.max()), int(ints.min())
    else:
        scale, ints, top, bottom = 1.0, np.zeros(0, dtype=np.int64), 0, 0
    # a slack node stands in for missing candidates (papers short of reviewers,
    # reviewers short of min_load) at a cost above any real pair
    penalty = 2 * (top - bottom) + 1
    sink, slack = n_p + n_r, n_p + n_r + 1
    lower = int(min_load.sum())
    paper_ids = np.arange(n_p, dtype=np.int64)
    reviewers = np.arange(n_r, dtype=np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([rows.astype(np.int64), n_p + reviewers, paper_ids,
                        np.full(n_r, slack, dtype=np.int64), [slack]]),
        np.concatenate([n_p + cols.astype(np.int64), np.full(n_r, sink, dtype=np.int64),
                        np.full(n_p, sink, dtype=np.int64), n_p + reviewers, [sink]]),
        np.concatenate([np.ones(n, dtype=np.int64), spare.astype(np.int64),
                        demand.astype(np.int64), min_load.astype(np.int64), [lower]]),
        np.concatenate([top - ints, np.zeros(n_r, dtype=np.int64),
                        np.full(n_p, penalty, dtype=np.int64),
                        np.full(n_r, penalty, dtype=np.int64), [0]]),
    )
    flow.set_nodes_supplies(
        np.arange(n_nodes, dtype=np.int64),
        np.concatenate([demand.astype(np.int64), -min_load.astype(np.int64),
                        [-(total - lower) - lower, lower]]),
    )
    status = flow.solve()
    if status != flow.OPTIMAL:
        from .errors import MatchingError

        raise MatchingError(f"min-cost flow solver failed: {status}")
    slack_papers = flow.flows(n + n_r + paper_ids)
    slack_reviewers = flow.flows(n + n_r + n_p + reviewers)
    if slack_papers.any() or slack_reviewers.any():
        return FlowSolution(False, np.zeros(n, dtype=bool), np.zeros(n_r), scale,
                            short_papers=np.flatnonzero(slack_papers),
                            short_reviewers=np.flatnonzero(slack_reviewers))
    chosen = flow.flows(np.arange(n, dtype=np.int64)) > 0
    loads = min_load + flow.flows(np.arange(n, n + n_r, dtype=np.int64))
    system = PriceSystem(rows, cols, ints, chosen, loads, n_papers=n_p,
                         max_load=max_load, min_load=min_load)
    start = (np.zeros(n_r, dtype=np.int64) if y_start is None
             else np.rint(y_start * scale).astype(np.int64))
    y_int, sweeps, done = system.solve(start, max_sweeps=MAX_SWEEPS)
    if not done:
        from .errors import MatchingError

        raise MatchingError("prices of the min-cost flow did not converge")
    y = y_int.astype(np.float64) / scale
    exact = PriceSystem(rows, cols, np.asarray(values, dtype=np.float64), chosen, loads,
                        n_papers=n_p, max_load=max_load, min_load=min_load)
    polished, more, done = exact.solve(y, max_sweeps=POLISH_SWEEPS)
    if done:
        y = polished
    return FlowSolution(True, chosen, y, scale, sweeps + more)
