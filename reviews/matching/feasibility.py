"""Explain infeasible instances: cheap counting checks, then max-flow min cuts."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from .errors import InfeasibleError
from .problem import Problem


def _n(value: int) -> str:
    return f"{int(value):,}"


def _ids(indices: np.ndarray, limit: int = 10) -> str:
    """Format an index list, truncated for long lists."""
    shown = ", ".join(str(int(i)) for i in indices[:limit])
    if len(indices) > limit:
        shown += f", ... ({_n(len(indices) - limit)} more)"
    return f"[{shown}]"


def _parts(counts: list[tuple[int, str]]) -> str:
    return ", ".join(f"{_n(c)} {label}" for c, label in counts if c)


def allowed_pattern(problem: Problem) -> sp.csr_matrix:
    """Return the boolean CSR pattern of pairs that may be newly assigned."""
    shape = (problem.n_papers, problem.n_reviewers)
    if problem.is_sparse:
        stored = problem.affinity.astype(bool)
        stored.data[:] = True
        allowed = (stored.astype(np.int8) - stored.multiply(problem.excluded).astype(np.int8))
        allowed = sp.csr_matrix(allowed, dtype=bool)
    else:
        parts = []
        for start, stop in problem.blocks():
            block = np.ones((stop - start, problem.n_reviewers), dtype=bool)
            ex = problem.excluded[start:stop]
            rows = np.repeat(np.arange(stop - start), np.diff(ex.indptr))
            block[rows, ex.indices] = False
            parts.append(sp.csr_matrix(block))
        allowed = sp.vstack(parts, format="csr") if parts else sp.csr_matrix(shape, dtype=bool)
    allowed.eliminate_zeros()
    cap = problem.max_load > 0
    allowed = allowed @ sp.diags_array(cap.astype(np.int8), dtype=np.int8)
    allowed = sp.csr_matrix(allowed, dtype=bool)
    allowed.eliminate_zeros()
    allowed.sort_indices()
    return allowed


def eligible_counts(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Count, per paper, reviewers with room it may get and, per reviewer, open papers."""
    cap = (problem.max_load > 0).astype(np.int64)
    open_p = (problem.demand > 0).astype(np.int64)
    if problem.is_sparse:
        allowed = allowed_pattern(problem).astype(np.int64)
        return np.asarray(allowed.sum(axis=1)).ravel(), np.asarray(
            (sp.diags_array(open_p, dtype=np.int64) @ allowed).sum(axis=0)).ravel()
    excluded = problem.excluded.astype(np.int64)
    per_paper = int(cap.sum()) - excluded @ cap
    per_reviewer = int(open_p.sum()) - excluded.T @ open_p
    return np.asarray(per_paper).ravel(), np.asarray(per_reviewer).ravel()


def precheck(problem: Problem) -> None:
    """Raise ``InfeasibleError`` for the common, cheaply countable causes."""
    demand, upper, lower = problem.demand, problem.max_load, problem.min_load
    fixed_note = problem.fixed_scores is not None and len(problem.fixed) > 0
    need_total, cap_total = int(demand.sum()), int(upper.sum())
    if cap_total < need_total:
        extra = " after fixed assignments" if fixed_note else ""
        raise InfeasibleError(
            f"total reviewer capacity {_n(cap_total)} < {_n(need_total)} required reviews"
            f"{extra} (max_load too low or too few reviewers)",
            constraint="max_load",
        )
    low_total = int(lower.sum())
    if low_total > need_total:
        holders = lower > 0
        levels = np.unique(problem.full_min_load[holders])
        if len(levels) == 1 and not fixed_note:
            head = f"min_load of {levels[0]} for {_n(holders.sum())} reviewers"
        else:
            head = f"min_load of {_n(holders.sum())} reviewers"
        raise InfeasibleError(
            f"{head} needs {_n(low_total)} reviews but only {_n(need_total)} are required",
            constraint="min_load",
        )
    eligible, col_eligible = eligible_counts(problem)
    short = np.flatnonzero(eligible < demand)
    if short.size:
        p = int(short[0])
        n_r = problem.n_reviewers
        conflicts = int(problem.conflicts[p].nnz)
        fixed = int(problem.full_per_paper[p] - demand[p])
        if problem.is_sparse:
            stored = set(problem.affinity[p].indices.tolist())
            missing = n_r - len(stored)
        else:
            stored, missing = None, 0
        excluded = set(problem.excluded[p].indices.tolist())
        full = np.flatnonzero(upper <= 0)
        no_room = sum(
            1 for r in full.tolist()
            if r not in excluded and (stored is None or r in stored)
        )
        detail = _parts([
            (conflicts, "conflicts"),
            (missing, "without candidate score"),
            (no_room, "with no capacity left (max_load)"),
            (fixed, "already fixed"),
        ])
        needs = f"needs {_n(demand[p])}" + (f" more, {_n(fixed)} fixed" if fixed else "")
        raise InfeasibleError(
            f"paper {p} has only {_n(eligible[p])} eligible reviewers ({needs})"
            + (f": {detail}" if detail else ""),
            constraint="per_paper", papers=(p,),
        )
    short = np.flatnonzero(col_eligible < lower)
    if short.size:
        r = int(short[0])
        raise InfeasibleError(
            f"reviewer {r} has min_load {problem.full_min_load[r]} but only "
            f"{_n(col_eligible[r])} eligible papers need reviewers "
            f"({_n(problem.conflicts[:, r].nnz)} conflicts)",
            constraint="min_load", reviewers=(r,),
        )


def _graph(heads: list[np.ndarray], tails: list[np.ndarray], caps: list[np.ndarray],
           n_nodes: int) -> sp.csr_matrix:
    graph = sp.csr_matrix(
        (np.concatenate(caps).astype(np.int32),
         (np.concatenate(heads), np.concatenate(tails))),
        shape=(n_nodes, n_nodes),
    )
    graph.sum_duplicates()
    graph.eliminate_zeros()
    return graph


def _with_cut(error: InfeasibleError, cut) -> InfeasibleError:
    """Attach the min cut (papers and reviewers on the source side, and whether the pairs
    that could cross it go from reviewers to papers) for checks on a partial graph."""
    error.cut = cut
    return error


def _reachable(graph: sp.csr_matrix, flow: sp.csr_matrix, source: int) -> np.ndarray:
    """Return a boolean mask of nodes reachable from ``source`` in the residual graph."""
    residual = sp.csr_matrix(graph - flow)
    residual.data[residual.data < 0] = 0
    residual.eliminate_zeros()
    nodes = breadth_first_order(residual, source, directed=True, return_predecessors=False)
    mask = np.zeros(graph.shape[0], dtype=bool)
    mask[nodes] = True
    return mask


def feasible_pairs(problem: Problem, allowed: sp.csr_matrix | None = None, *,
                   seed: tuple[np.ndarray, np.ndarray] | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Return one feasible assignment of the residual problem, or raise with a min cut.

    Check upper loads alone, then lower loads alone (each explained by its own
    Hall-type min cut), then both together as a circulation with lower bounds.

    A sparse problem is checked on its stored pairs. A dense one is never expanded to
    every allowed pair: the check starts from ``seed`` (the solver's candidate pairs) and
    each open paper's best few reviewers, and a cut it finds is kept only when no allowed
    pair crosses it; otherwise the crossing pairs (each side's best, more every round)
    join and the check runs again. Memory stays linear in the pairs used.
    """
    if allowed is not None:
        return _flow_check(problem, allowed)
    if problem.is_sparse:
        return _flow_check(problem, allowed_pattern(problem))
    graph = _start_graph(problem, seed)
    for round_ in range(64):
        try:
            return _flow_check(problem, graph)
        except InfeasibleError as exc:
            grown = _across_cut(problem, graph, exc, width=2 ** (round_ + 1))
            if grown is None:
                raise
            graph = grown
    raise InfeasibleError("the feasibility check did not settle", constraint="coverage")


def _usable(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    return problem.demand > 0, problem.max_load > 0


def _pattern(problem: Problem, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    graph = sp.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)),
                          shape=(problem.n_papers, problem.n_reviewers))
    graph.sum_duplicates()
    graph.sort_indices()
    return graph


def _best_in_rows(problem: Problem, papers: np.ndarray, blocked_cols: np.ndarray,
                  width: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each paper's best ``width`` allowed reviewers with room outside ``blocked_cols``,
    read a block of rows at a time."""
    _, room = _usable(problem)
    closed = blocked_cols | ~room
    step = problem.block_rows()
    out_r, out_c = [], []
    for a in range(0, len(papers), step):
        chunk = papers[a:a + step]
        block = problem.dense_rows(chunk)
        block[:, closed] = -np.inf
        k = int(min(block.shape[1], width[a:a + step].max(initial=0)))
        if k == 0:
            continue
        top = np.argpartition(-block, k - 1, axis=1)[:, :k] if k < block.shape[1] \
            else np.broadcast_to(np.arange(block.shape[1]), block.shape)
        vals = np.take_along_axis(block, top, axis=1)
        keep = np.isfinite(vals) & (np.arange(k)[None, :] < width[a:a + step, None])
        i, j = np.nonzero(keep)
        out_r.append(chunk[i])
        out_c.append(top[i, j])
    if not out_r:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_r).astype(np.int64), np.concatenate(out_c).astype(np.int64)


def _start_graph(problem: Problem, seed) -> sp.csr_matrix:
    """The seed pairs that are allowed, and each open paper's best few reviewers."""
    open_p, room = _usable(problem)
    papers = np.flatnonzero(open_p)
    rows, cols = _best_in_rows(problem, papers, np.zeros(problem.n_reviewers, dtype=bool),
                               2 * problem.demand[papers] + 2)
    if seed is not None and len(seed[0]):
        s_r, s_c = np.asarray(seed[0], dtype=np.int64), np.asarray(seed[1], dtype=np.int64)
        excluded = np.asarray(problem.excluded[s_r, s_c]).ravel().astype(bool)
        ok = room[s_c] & ~excluded
        rows, cols = np.r_[rows, s_r[ok]], np.r_[cols, s_c[ok]]
    return _pattern(problem, rows, cols)


def _across_cut(problem: Problem, graph: sp.csr_matrix, exc: InfeasibleError, *,
                width: int) -> sp.csr_matrix | None:
    """Return the graph with allowed pairs crossing ``exc``'s cut, or None when none do
    (the cut is then one of the full problem, and the error stands)."""
    cut = getattr(exc, "cut", None)
    if cut is None:
        return None
    side_p, side_r, reviewer_side = cut
    open_p, _ = _usable(problem)
    if reviewer_side:  # min_load: reviewers on the source side, papers beyond it
        found_r, found_c = [], []
        chosen = np.flatnonzero(side_r)
        step = max(1, problem.block_rows() * problem.n_reviewers // max(1, problem.n_papers))
        for a in range(0, len(chosen), step):
            reviewers = chosen[a:a + step]
            block = problem.dense_cols(reviewers)
            block[:, side_p | ~open_p] = -np.inf
            k = min(block.shape[1], width * 2)
            top = np.argpartition(-block, k - 1, axis=1)[:, :k] if k < block.shape[1] \
                else np.broadcast_to(np.arange(block.shape[1]), block.shape)
            i, j = np.nonzero(np.isfinite(np.take_along_axis(block, top, axis=1)))
            found_r.append(top[i, j].astype(np.int64))
            found_c.append(reviewers[i])
        if not found_r:
            return None
        rows, cols = np.concatenate(found_r), np.concatenate(found_c)
    else:  # papers on the source side, reviewers beyond it
        papers = np.flatnonzero(side_p & open_p)
        rows, cols = _best_in_rows(problem, papers, side_r,
                                   width * (problem.demand[papers] + 1))
    if not len(rows):
        return None
    grown = _pattern(problem, np.r_[graph.tocoo().row, rows], np.r_[graph.tocoo().col, cols])
    return grown if grown.nnz > graph.nnz else None


def _flow_check(problem: Problem, allowed: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Run the three max-flow checks on the pairs of ``allowed``."""
    n_p, n_r = problem.n_papers, problem.n_reviewers
    demand, upper, lower = problem.demand, problem.max_load, problem.min_load
    coo = allowed.tocoo()
    pr, rr = coo.row.astype(np.int64), coo.col.astype(np.int64)
    papers = np.arange(n_p) + 1
    reviewers = np.arange(n_r) + 1 + n_p
    s, t = 0, n_p + n_r + 1
    ones = np.ones(len(pr))

    graph = _graph(
        [np.zeros(n_p, dtype=np.int64), papers[pr], reviewers],
        [papers, reviewers[rr], np.full(n_r, t)],
        [demand, ones, upper], n_p + n_r + 2,
    )
    res = maximum_flow(graph, s, t)
    if res.flow_value < demand.sum():
        side = _reachable(graph, res.flow, s)
        x_p = np.flatnonzero(side[papers])
        inside = np.flatnonzero(side[reviewers])
        cross = int(np.sum(np.isin(pr, x_p) & ~side[reviewers][rr]))
        need = int(demand[x_p].sum())
        supply = int(upper[inside].sum()) + cross
        neighbours = np.unique(rr[np.isin(pr, x_p)])
        cut = (side[papers], side[reviewers], False)
        others = ("max_load, conflicts and the pairs without a candidate score"
                  if problem.is_sparse else "max_load and conflicts")
        raise _with_cut(InfeasibleError(
            f"papers {_ids(x_p)} need {_n(need)} reviews in total but their eligible "
            f"reviewers {_ids(neighbours)} can supply at most {_n(supply)} "
            f"({others} leave no other reviewers)",
            constraint="coverage", papers=tuple(x_p.tolist()),
            reviewers=tuple(neighbours.tolist()),
        ), cut)
    if lower.sum() > 0:
        graph = _graph(
            [np.zeros(n_r, dtype=np.int64), reviewers[rr], papers],
            [reviewers, papers[pr], np.full(n_p, t)],
            [lower, ones, demand], n_p + n_r + 2,
        )
        res = maximum_flow(graph, s, t)
        if res.flow_value < lower.sum():
            side = _reachable(graph, res.flow, s)
            x_r = np.flatnonzero(side[reviewers] & (lower > 0))
            need = int(lower[x_r].sum())
            mine = np.isin(rr, np.flatnonzero(side[reviewers]))
            neighbours = np.unique(pr[mine])
            inside = np.flatnonzero(side[papers])
            supply = int(demand[inside].sum()) + int(np.sum(mine & ~side[papers][pr]))
            raise _with_cut(InfeasibleError(
                f"reviewers {_ids(x_r)} need at least {_n(need)} papers in total (min_load) "
                f"but their eligible papers {_ids(neighbours)} can take at most {_n(supply)}",
                constraint="min_load", papers=tuple(neighbours.tolist()),
                reviewers=tuple(x_r.tolist()),
            ), (side[papers], side[reviewers], True))
    # circulation with lower bounds: super source S*, super sink T*
    big = int(demand.sum()) + 1
    s_star, t_star = t + 1, t + 2
    graph = _graph(
        [papers[pr], reviewers, np.array([t, s_star, s]), np.full(n_p, s_star), reviewers],
        [reviewers[rr], np.full(n_r, t), np.array([s, t, t_star]), papers,
         np.full(n_r, t_star)],
        [ones, upper - lower, np.array([big, lower.sum(), demand.sum()]), demand, lower],
        n_p + n_r + 4,
    )
    res = maximum_flow(graph, s_star, t_star)
    if res.flow_value < demand.sum() + lower.sum():
        side = _reachable(graph, res.flow, s_star)
        x_p = np.flatnonzero(side[papers])
        x_r = np.flatnonzero(side[reviewers])
        raise _with_cut(InfeasibleError(
            f"per_paper, max_load and min_load cannot hold together: papers {_ids(x_p)} "
            f"and reviewers {_ids(x_r)} cannot be balanced",
            constraint="coverage", papers=tuple(x_p.tolist()), reviewers=tuple(x_r.tolist()),
        ), (side[papers], side[reviewers], False))
    flow = sp.csr_matrix(res.flow)
    on = np.asarray(flow[papers[pr], reviewers[rr]]).ravel() > 0
    return pr[on], rr[on]


def unpruned_supply(papers: np.ndarray, *, demand: np.ndarray, max_load: np.ndarray,
                    conflicts: sp.csr_matrix) -> tuple[int, int]:
    """Return ``(need, supply)`` of a set of papers if every pair but a conflict were a
    candidate: the reviews they need, and at most how many reviewers with room could give.

    Each reviewer gives at most their ``max_load`` and at most one review to each paper of
    the set they have no conflict with. When ``supply >= need`` a shortfall found on fewer
    candidates comes from the pairs left out, not from the loads or the conflicts. Linear in
    the conflicts of the set: no papers x reviewers matrix is built.
    """
    papers = np.unique(np.asarray(papers, dtype=np.int64))
    need = int(np.asarray(demand)[papers].sum())
    rows = sp.csr_matrix(conflicts, dtype=bool)[papers]
    rows.eliminate_zeros()
    blocked = np.bincount(rows.indices, minlength=len(max_load))
    open_papers = len(papers) - blocked
    supply = int(np.minimum(np.maximum(np.asarray(max_load), 0), open_papers).sum())
    return need, supply
