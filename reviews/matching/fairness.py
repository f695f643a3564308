"""Fair assignment: raise the lowest paper score first, then the total.

Maximising the minimum paper score over integral assignments is NP-hard in
general, so two methods are used, both reported honestly:

* Small instances (at most ``exact_limit`` allowed pairs) are solved exactly as
  two integer programs with HiGHS: the largest achievable minimum score ``t*``,
  then the largest total subject to every paper scoring at least ``t*``.
* Larger instances use the LP relaxation. Column generation on the max-min LP
  gives a bound ``t_LP`` that is certified on the full matrix by duality. A
  second LP maximises the total subject to every paper scoring at least
  ``t_LP``; its fractional solution is rounded with the slot construction of
  Shmoys and Tardos, which guarantees every paper at least ``t_LP`` minus the
  largest affinity in its fractional support, and a total at least the LP's.
  Local moves (replacing or swapping one reviewer) then lift the lowest papers.

The result is never worse, in minimum score, than the plain maximum-total
assignment: the better of the two is returned.

Every part is bounded by a count, never by the clock: the integer programs by a number of
branch-and-bound nodes, the column generation by a number of rounds and the local search by
a number of moves (``FairnessLimits``), so one instance gets the same answer on a quiet or a
busy machine. A bound on the minimum score is always reported: the proven or LP value, or
else the lowest of the papers' best possible scores.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .dual import pair_keys, reviewer_term, scan
from .feasibility import allowed_pattern
from .lp import HIGHS_OPTIONS, reviewer_rows
from .problem import Problem
from .result import Assignment
from .solver import MaxSumSolution, finish, merge_pairs

EXACT_LIMIT = 5_000


@dataclass(frozen=True)
class FairnessLimits:
    """How much work fairness mode does: counts, so its answer does not depend on time."""

    #: Branch-and-bound nodes of each integer program of the exact method.
    mip_nodes: int = 20_000
    #: Column-generation rounds of the max-min LP.
    lp_rounds: int = 50
    #: Local moves (replacements or swaps) lifting the lowest papers after rounding.
    moves: int = 20_000


def _paper_rows(rows: np.ndarray, n_p: int, weights: np.ndarray | None = None) -> sp.csr_matrix:
    n = len(rows)
    data = np.ones(n) if weights is None else weights
    return sp.csr_matrix((data, (rows, np.arange(n))), shape=(n_p, n))


def _scores(problem: Problem, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    return problem.fixed_scores + np.bincount(rows, weights=values, minlength=problem.n_papers)


def _lowest(problem: Problem, scores: np.ndarray) -> float:
    reviewed = problem.full_per_paper > 0
    return float(scores[reviewed].min()) if reviewed.any() else 0.0


def _maxmin_lp(
    problem: Problem, rows: np.ndarray, cols: np.ndarray, values: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray] | None:
    """Solve ``max t`` s.t. every reviewed paper scores at least ``t`` (LP relaxation).

    Return ``(t, lambda, u, y)``: the LP value, the normalised paper weights of
    the score rows and the paper and reviewer duals, or None if infeasible.
    """
    n_p, n = problem.n_papers, len(rows)
    reviewed = np.flatnonzero(problem.full_per_paper > 0)
    a_eq = sp.hstack([_paper_rows(rows, n_p), sp.csr_matrix((n_p, 1))], format="csr")
    score = _paper_rows(rows, n_p, values)[reviewed]
    a_score = sp.hstack([-score, sp.csr_matrix(np.ones((len(reviewed), 1)))], format="csr")
    a_rev, b_rev, upper, lower = reviewer_rows(
        cols, problem.max_load, problem.min_load, n
    )
    a_rev = sp.hstack([a_rev, sp.csr_matrix((a_rev.shape[0], 1))], format="csr")
    cost = np.zeros(n + 1)
    cost[-1] = -1.0
    res = linprog(
        cost,
        A_ub=sp.vstack([a_score, a_rev], format="csr"),
        b_ub=np.concatenate([problem.fixed_scores[reviewed], b_rev]),
        A_eq=a_eq, b_eq=problem.demand.astype(np.float64),
        bounds=[(0, 1)] * n + [(None, None)],
        method="highs-ds", options=dict(HIGHS_OPTIONS),
    )
    if res.status != 0:
        return None
    marg = np.asarray(res.ineqlin.marginals)
    lam = np.zeros(n_p)
    lam[reviewed] = np.maximum(-marg[: len(reviewed)], 0.0)
    lam = lam / lam.sum() if lam.sum() > 0 else lam
    y = np.zeros(problem.n_reviewers)
    rev = marg[len(reviewed):]
    y[upper] -= rev[: len(upper)]
    y[lower] += rev[len(upper):]
    u = -np.asarray(res.eqlin.marginals)
    return float(res.x[-1]), lam, u, y


def _fair_sum_lp(problem: Problem, rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
                 target: float) -> np.ndarray | None:
    """Maximise the total subject to every reviewed paper scoring at least ``target``."""
    n_p, n = problem.n_papers, len(rows)
    reviewed = np.flatnonzero(problem.full_per_paper > 0)
    score = _paper_rows(rows, n_p, values)[reviewed]
    a_rev, b_rev, _, _ = reviewer_rows(cols, problem.max_load, problem.min_load, n)
    res = linprog(
        -values,
        A_ub=sp.vstack([-score, a_rev], format="csr"),
        b_ub=np.concatenate([problem.fixed_scores[reviewed] - target, b_rev]),
        A_eq=_paper_rows(rows, n_p), b_eq=problem.demand.astype(np.float64),
        bounds=(0, 1), method="highs-ds", options=dict(HIGHS_OPTIONS),
    )
    return None if res.status != 0 else np.asarray(res.x)


def slot_round(problem: Problem, rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
               x: np.ndarray) -> np.ndarray:
    """Round a fractional assignment with per-paper slots; return the chosen-pair mask.

    Each paper's fractional reviewers, best first, fill ``d_p`` unit slots. An
    integral flow that gives each slot one of its reviewers exists (the slot
    network is totally unimodular and ``x`` is a fractional flow in it), so each
    paper loses at most its best fractional affinity, and the total does not drop.
    """
    eps = 1e-7
    keep = np.flatnonzero(x > eps)
    r_, c_, v_, m_ = rows[keep], cols[keep], values[keep], x[keep]
    order = np.lexsort((c_, -v_, r_))
    r_, c_, v_, m_ = r_[order], c_[order], v_[order], m_[order]
    n_s = len(r_)
    csum = np.cumsum(m_)
    first = np.searchsorted(r_, r_, side="left")
    base = np.where(first > 0, csum[first - 1], 0.0)
    hi = csum - base
    lo = hi - m_
    need = problem.demand[r_]
    s_lo = np.clip(np.floor(lo + eps).astype(np.int64), 0, np.maximum(need - 1, 0))
    s_hi = np.clip(np.ceil(hi - eps).astype(np.int64) - 1, 0, np.maximum(need - 1, 0))
    e_entry = np.concatenate([np.arange(n_s), np.flatnonzero(s_hi > s_lo)])
    e_slot = np.concatenate([s_lo, s_hi[s_hi > s_lo]])
    slot_offset = np.concatenate([[0], np.cumsum(problem.demand)])
    e_slot_id = slot_offset[r_[e_entry]] + e_slot
    n_e, n_slots = len(e_entry), int(slot_offset[-1])
    a_slot = sp.csr_matrix(
        (np.ones(n_e), (e_slot_id, np.arange(n_e))), shape=(n_slots, n_e + n_s)
    )
    a_link = sp.csr_matrix(
        (np.concatenate([np.ones(n_e), -np.ones(n_s)]),
         (np.concatenate([e_entry, np.arange(n_s)]),
          np.concatenate([np.arange(n_e), n_e + np.arange(n_s)]))),
        shape=(n_s, n_e + n_s),
    )
    a_rev, b_rev, _, _ = reviewer_rows(c_, problem.max_load, problem.min_load, n_s)
    a_rev = sp.hstack([sp.csr_matrix((a_rev.shape[0], n_e)), a_rev], format="csr")
    res = linprog(
        np.concatenate([np.zeros(n_e), -v_]),
        A_ub=a_rev if a_rev.shape[0] else None, b_ub=b_rev if a_rev.shape[0] else None,
        A_eq=sp.vstack([a_slot, a_link], format="csr"),
        b_eq=np.concatenate([np.ones(n_slots), np.zeros(n_s)]),
        bounds=(0, 1), method="highs-ds", options=dict(HIGHS_OPTIONS),
    )
    chosen = np.zeros(len(rows), dtype=bool)
    if res.status == 0:
        chosen[keep[order[res.x[n_e:] > 0.5]]] = True
    return chosen


def improve_lowest(problem: Problem, rows: np.ndarray, cols: np.ndarray, *,
                   max_moves: int, width: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Raise the lowest paper score by single-reviewer replacements and swaps.

    Stop when the lowest paper admits no improving move or after ``max_moves`` moves.
    """
    n_p = problem.n_papers
    reviewed = problem.full_per_paper > 0
    values = problem.values(rows, cols)
    scores = _scores(problem, rows, values)
    loads = np.bincount(cols, minlength=problem.n_reviewers) + problem.fixed_loads
    full_max, full_min = problem.full_max_load, problem.full_min_load
    mine: list[dict[int, float]] = [{} for _ in range(n_p)]
    holders: dict[int, set[int]] = {}
    for p, r, v in zip(rows.tolist(), cols.tolist(), values.tolist(), strict=True):
        mine[p][r] = v
        holders.setdefault(r, set()).add(p)
    cache: dict[int, np.ndarray] = {}

    def row(p: int) -> np.ndarray:
        if p not in cache:
            cache[p] = problem.dense_block(p, p + 1)[0]
        return cache[p]

    def move(p: int, r_old: int, r_new: int) -> None:
        v = row(p)[r_new]
        scores[p] += v - mine[p].pop(r_old)
        mine[p][r_new] = v
        holders[r_old].discard(p)
        holders.setdefault(r_new, set()).add(p)
        loads[r_old] -= 1
        loads[r_new] += 1

    moves = 0
    while moves < max_moves and reviewed.any():
        moves += 1
        masked = np.where(reviewed, scores, np.inf)
        p = int(np.argmin(masked))
        current = scores[p]
        a_p = row(p).copy()
        a_p[list(mine[p])] = -np.inf
        best = (current + 1e-12, None)
        free = np.isfinite(a_p) & (loads < full_max)
        if free.any():
            r_new = int(np.argmax(np.where(free, a_p, -np.inf)))
            for r_old, v_old in mine[p].items():
                if loads[r_old] - 1 >= full_min[r_old] and current - v_old + a_p[r_new] > best[0]:
                    best = (current - v_old + a_p[r_new], ("replace", r_old, r_new))
        order = np.argsort(-a_p, kind="stable")[:width]
        for r_new in order.tolist():
            if not np.isfinite(a_p[r_new]) or current + a_p[r_new] <= best[0]:
                break
            for q in holders.get(r_new, ()):
                a_q = row(q)
                for r_old, v_old in mine[p].items():
                    if r_old in mine[q] or not np.isfinite(a_q[r_old]):
                        continue
                    new_p = current - v_old + a_p[r_new]
                    new_q = scores[q] - mine[q][r_new] + a_q[r_old]
                    if min(new_p, new_q) > best[0]:
                        best = (min(new_p, new_q), ("swap", r_old, r_new, q))
        if best[1] is None:
            break
        if best[1][0] == "replace":
            move(p, best[1][1], best[1][2])
        else:
            _, r_old, r_new, q = best[1]
            move(p, r_old, r_new)
            move(q, r_new, r_old)
    out = [(p, r) for p in range(n_p) for r in sorted(mine[p])]
    arr = np.array(out, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def _exact(
    problem: Problem, node_limit: int
) -> tuple[np.ndarray, np.ndarray, float, bool] | None:
    """Solve max-min then max-total exactly as integer programs on all allowed pairs.

    Return ``(rows, cols, bound, proven)``; ``bound`` is the proven max-min value
    when ``proven``, else the solver's dual bound.
    """
    allowed = allowed_pattern(problem).tocoo()
    rows, cols = allowed.row.astype(np.int64), allowed.col.astype(np.int64)
    n_p, n = problem.n_papers, len(rows)
    values = problem.values(rows, cols)
    reviewed = np.flatnonzero(problem.full_per_paper > 0)
    a_rev, b_rev, upper, lower = reviewer_rows(cols, problem.max_load, problem.min_load, n)
    pad = sp.csr_matrix((a_rev.shape[0], 1))
    n_up = len(upper)
    rev_lb = np.concatenate([np.full(n_up, -np.inf), np.full(len(lower), -np.inf)])
    constraints = [
        LinearConstraint(sp.hstack([_paper_rows(rows, n_p), sp.csr_matrix((n_p, 1))]),
                         problem.demand, problem.demand),
        LinearConstraint(sp.hstack([a_rev, pad]), rev_lb, b_rev),
    ]
    score = sp.hstack([_paper_rows(rows, n_p, values)[reviewed],
                       sp.csr_matrix(-np.ones((len(reviewed), 1)))])
    integrality = np.concatenate([np.ones(n), [0]])
    bounds = Bounds(np.concatenate([np.zeros(n), [-np.inf]]),
                    np.concatenate([np.ones(n), [np.inf]]))
    options = {"node_limit": int(node_limit), "mip_rel_gap": 1e-9}
    first = milp(
        np.concatenate([np.zeros(n), [-1.0]]),
        constraints=[*constraints, LinearConstraint(score, -problem.fixed_scores[reviewed],
                                                    np.inf)],
        integrality=integrality, bounds=bounds, options=options,
    )
    if first.x is None:
        return None
    proven = first.status == 0
    bound = -float(first.mip_dual_bound) if first.mip_dual_bound is not None else np.inf
    t_star = float(first.x[-1])
    tol = 1e-9 * max(1.0, abs(t_star))
    second = milp(
        np.concatenate([-values, [0.0]]),
        constraints=[*constraints, LinearConstraint(
            score, -problem.fixed_scores[reviewed] + t_star - tol, np.inf)],
        integrality=integrality, options=options,
        bounds=Bounds(np.zeros(n + 1), np.concatenate([np.ones(n), [0.0]])),
    )
    x = first.x[:n] if second.x is None else second.x[:n]
    proven = proven and second.status == 0
    chosen = x > 0.5
    return rows[chosen], cols[chosen], (t_star if proven else bound), proven


def _lp_rounding(
    problem: Problem, plain: MaxSumSolution, limits: FairnessLimits
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Return a rounded fair assignment and a certified bound on the max-min score."""
    n_r = problem.n_reviewers
    rows, cols = plain.cand_rows, plain.cand_cols
    bound, t_lp = np.inf, None
    for _ in range(limits.lp_rounds):
        values = problem.values(rows, cols)
        out = _maxmin_lp(problem, rows, cols, values)
        if out is None:
            return None
        t_lp, lam, u, y = out
        keys = pair_keys(rows, cols, n_r)
        res = scan(problem, y, weights=lam, u=u, candidate_keys=keys, max_new=10)
        bound = min(bound, float(res.topsum.sum()) + reviewer_term(
            y, problem.max_load, problem.min_load) + float(lam @ problem.fixed_scores))
        if len(res.new_rows) == 0:
            break
        rows, cols = merge_pairs(np.r_[rows, res.new_rows], np.r_[cols, res.new_cols], n_r)
    values = problem.values(rows, cols)
    x = _fair_sum_lp(problem, rows, cols, values, t_lp - 1e-9 * max(1.0, abs(t_lp)))
    if x is None:
        return None
    chosen = slot_round(problem, rows, cols, values, x)
    if chosen.sum() != problem.demand.sum():
        return None
    r_, c_ = improve_lowest(problem, rows[chosen], cols[chosen], max_moves=limits.moves)
    return r_, c_, bound


def best_possible_lowest(problem: Problem) -> float:
    """Return the lowest, over reviewed papers, of the best score each could get alone (its
    fixed score plus its best allowed values): a bound on the max-min score that always
    holds, read block by block."""
    reviewed = problem.full_per_paper > 0
    if not reviewed.any():
        return 0.0
    best = np.full(problem.n_papers, np.inf)
    demand = problem.demand
    for start, stop in problem.blocks():
        block = problem.dense_block(start, stop)
        d_max = int(demand[start:stop].max(initial=0))
        if d_max == 0:
            best[start:stop] = 0.0
            continue
        top = -np.sort(-np.where(np.isfinite(block), block, 0.0), axis=1)[:, :d_max]
        take = np.arange(top.shape[1])[None, :] < demand[start:stop, None]
        best[start:stop] = (top * take).sum(axis=1)
    return float((best + problem.fixed_scores)[reviewed].min())


def assign_fair(problem: Problem, plain: MaxSumSolution, *, started: float,
                limits: FairnessLimits | None = None,
                exact_limit: int = EXACT_LIMIT) -> Assignment:
    """Return the fairest assignment found, with a certified bound on the max-min score."""
    limits = limits or FairnessLimits()
    base_scores = _scores(problem, plain.rows, problem.values(plain.rows, plain.cols))
    best = (plain.rows, plain.cols)
    best_key = (_lowest(problem, base_scores), float(base_scores.sum()))
    n_allowed = int(problem.n_papers) * int(problem.n_reviewers) if not problem.is_sparse \
        else int(problem.affinity.nnz)
    method, proven, bound = "fair-lp-rounding", False, np.inf
    found = None
    if not problem.demand.any():
        found = (plain.rows, plain.cols, best_key[0], True)
        method, proven = "fair-exact", True
    elif n_allowed <= exact_limit:
        found = _exact(problem, limits.mip_nodes)
        if found is not None:
            method, proven = "fair-exact", found[3]
    if found is None:
        found = _lp_rounding(problem, plain, limits)
    if found is not None:
        rows, cols, bound = found[0], found[1], found[2]
        scores = _scores(problem, rows, problem.values(rows, cols))
        key = (_lowest(problem, scores), float(scores.sum()))
        if key > best_key or proven:
            best, best_key = (rows, cols), key
    if not np.isfinite(bound):
        bound = best_possible_lowest(problem)
    result = finish(
        problem, best[0], best[1], upper_bound=plain.upper_bound, started=started,
        rounds=plain.rounds, n_candidates=len(plain.cand_rows), method=method,
        min_score_bound=float(max(bound, best_key[0])), prices=plain.y,
    )
    return replace(result, status="optimal" if proven else "feasible")
