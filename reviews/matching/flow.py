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
``scale`` is chosen as large as OR-Tools' overflow checks allow (about 2^39 for
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

    When the candidate pairs admit no assignment, the flow uses slack arcs:
    ``short_papers`` holds each paper's number of missing reviewers,
    ``short_reviewers`` names the reviewers left below ``min_load``, and the
    prices are those of the network with slack (a phase-one solution whose
    pricing finds the pairs that repair it). ``penalty`` is the value of a
    slack arc in affinity units.
    """

    feasible: bool
    chosen: np.ndarray
    y: np.ndarray
    scale: float
    sweeps: int = 0
    short_papers: np.ndarray | None = None
    short_reviewers: np.ndarray | None = None
    penalty: float = 0.0


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
        # the starts of non-empty segments increase strictly, so each reduces
        # exactly its own entries
        out[has] = func.reduceat(values, starts[has])
    return out


class PriceSystem:
    """The complementary slackness conditions of one restricted solution.

    Nodes are papers (with potential ``u``) and reviewers (with price ``y``).
    An arc ``(p, r)`` of value ``v`` with spare capacity requires
    ``u_p >= v - y_r``; one that carries flow requires ``y_r <= v - u_p``.
    A price must also be ``<= z`` below ``max_load`` and ``>= z`` above
    ``min_load``, for a reference ``z`` (the sink's potential). Label correction
    from any start decreases prices until every condition holds; prices are
    returned relative to ``z``.
    """

    def __init__(self, spare: tuple[np.ndarray, np.ndarray, np.ndarray],
                 used: tuple[np.ndarray, np.ndarray, np.ndarray], *, n_papers: int,
                 below_max: np.ndarray, above_min: np.ndarray) -> None:
        n_r = len(below_max)
        self.n_papers, self.n_reviewers = n_papers, n_r
        rows, cols, vals = spare
        order, self.u_starts = _segments(rows, n_papers)
        self.u_rows, self.u_cols, self.u_vals = rows[order], cols[order], vals[order]
        self.u_counts = np.bincount(rows, minlength=n_papers)
        rows, cols, vals = used
        order, self.a_starts = _segments(cols, n_r)
        self.a_rows, self.a_cols, self.a_vals = rows[order], cols[order], vals[order]
        self.a_counts = np.bincount(cols, minlength=n_r)
        self.below_max = below_max
        self.above_min = above_min

    def solve(self, y: np.ndarray, *, max_sweeps: int) -> tuple[np.ndarray, int, bool]:
        """Run label correction from ``y``; return (prices relative to z, sweeps, converged).

        ``y`` and the arc values must share one dtype: int64 for exact
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

    The flow is elastic (slack stands in for missing pairs). Its penalty is above any
    single pair, not above every augmenting path, so when it uses slack the pairs are
    tried once more without slack: if they admit an assignment, that flow is the answer.
    """
    solution = _solve_flow(rows, cols, values, demand=demand, max_load=max_load,
                           min_load=min_load, y_start=y_start, elastic=True)
    if solution.feasible:
        return solution
    exact = _solve_flow(rows, cols, values, demand=demand, max_load=max_load,
                        min_load=min_load, y_start=y_start, elastic=False)
    return solution if exact is None else exact


def _solve_flow(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    *,
    demand: np.ndarray,
    max_load: np.ndarray,
    min_load: np.ndarray,
    y_start: np.ndarray | None,
    elastic: bool,
) -> FlowSolution | None:
    """Solve one flow (``elastic``: with slack arcs; without, None when infeasible).

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
    slack_caps = np.concatenate([demand, min_load]).astype(np.int64) * int(elastic)
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
                        slack_caps[:n_p], slack_caps[n_p:], [lower]]),
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
    if not elastic and status != flow.OPTIMAL:
        return None
    if status != flow.OPTIMAL:
        from .errors import MatchingError

        raise MatchingError(f"min-cost flow solver failed: {status}")
    flows = flow.flows(np.arange(n, dtype=np.int64))
    chosen = flows > 0
    loads = min_load + flow.flows(n + reviewers)
    slack_papers = flow.flows(n + n_r + paper_ids)
    slack_reviewers = flow.flows(n + n_r + n_p + reviewers)
    feasible = not (slack_papers.any() or slack_reviewers.any())
    # prices of the elastic network: the slack node is one more paper, the
    # sink one more reviewer whose price is the reference
    pen_value = top - penalty
    arc_rows = np.concatenate([rows, paper_ids, np.full(n_r, n_p)])
    arc_cols = np.concatenate([cols, np.full(n_p, n_r), reviewers])
    arc_flows = np.concatenate([flows, slack_papers, slack_reviewers])
    arc_caps = np.concatenate([np.ones(n, dtype=np.int64), slack_caps])
    below = np.r_[loads < max_load, True]
    above = np.r_[loads > min_load, True]
    if lower:
        arc_rows, arc_cols = np.r_[arc_rows, n_p], np.r_[arc_cols, n_r]
        arc_flows = np.r_[arc_flows, flow.flow(n + n_r + n_p + n_r)]
        arc_caps = np.r_[arc_caps, lower]
    keep = arc_caps > 0
    arc_rows, arc_cols, arc_flows, arc_caps = (
        arc_rows[keep], arc_cols[keep], arc_flows[keep], arc_caps[keep])

    def arc_values(pair_values, pen, top_value):
        vals = np.concatenate([pair_values, np.full(n_p + n_r, pen, dtype=pair_values.dtype)])
        if lower:
            vals = np.r_[vals, top_value]
        return vals[keep]

    spare_arc = arc_flows < arc_caps
    used_arc = arc_flows > 0

    def system(vals):
        return PriceSystem(
            (arc_rows[spare_arc], arc_cols[spare_arc], vals[spare_arc]),
            (arc_rows[used_arc], arc_cols[used_arc], vals[used_arc]),
            n_papers=n_p + 1, below_max=below, above_min=above)

    start = np.zeros(n_r + 1, dtype=np.int64)
    if y_start is not None:
        start[:n_r] = np.rint(np.clip(y_start, -2 * (top - bottom + 1) / scale,
                                      2 * (top - bottom + 1) / scale) * scale)
    y_int, sweeps, done = system(arc_values(ints, pen_value, top)).solve(
        start, max_sweeps=MAX_SWEEPS)
    if not done:
        from .errors import MatchingError

        raise MatchingError("prices of the min-cost flow did not converge")
    y = y_int.astype(np.float64) / scale
    if feasible:
        floats = arc_values(np.asarray(values, dtype=np.float64), pen_value / scale,
                            top / scale)
        polished, more, done = system(floats).solve(y, max_sweeps=POLISH_SWEEPS)
        if done:
            y = polished
            sweeps += more
    return FlowSolution(feasible, chosen, y[:n_r], scale, sweeps,
                        short_papers=slack_papers, short_reviewers=np.flatnonzero(slack_reviewers),
                        penalty=pen_value / scale)
