"""Solve the restricted assignment LP with HiGHS and read off its duals.

The constraint matrix of the assignment problem (paper rows, reviewer rows) is
the incidence matrix of a bipartite graph, hence totally unimodular: every
vertex of the polytope is integral. The dual simplex returns a vertex, so the
LP optimum is an optimal integral assignment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

HIGHS_OPTIONS = {
    "primal_feasibility_tolerance": 1e-9,
    "dual_feasibility_tolerance": 1e-9,
}


@dataclass(frozen=True, eq=False)
class LPSolution:
    """Primal values per candidate pair and duals per paper and reviewer."""

    status: int
    message: str
    x: np.ndarray
    u: np.ndarray
    y: np.ndarray

    @property
    def feasible(self) -> bool:
        return self.status == 0


def reviewer_rows(
    cols: np.ndarray, max_load: np.ndarray, min_load: np.ndarray, n_vars: int
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """Build ``<=`` rows for max loads and negated rows for min loads.

    Return the matrix, its right-hand side, and the reviewers of the max-load
    rows and of the min-load rows, in row order.
    """
    n_r = len(max_load)
    used = np.zeros(n_r, dtype=bool)
    used[cols] = True
    upper = np.flatnonzero(used)
    lower = np.flatnonzero(min_load > 0)
    up_pos = np.full(n_r, -1)
    up_pos[upper] = np.arange(len(upper))
    lo_pos = np.full(n_r, -1)
    lo_pos[lower] = np.arange(len(lower))
    var = np.arange(n_vars)
    take = lo_pos[cols] >= 0
    rows = np.concatenate([up_pos[cols], len(upper) + lo_pos[cols[take]]])
    data = np.concatenate([np.ones(n_vars), -np.ones(int(take.sum()))])
    mat = sp.csr_matrix(
        (data, (rows, np.concatenate([var, var[take]]))),
        shape=(len(upper) + len(lower), n_vars),
    )
    rhs = np.concatenate([max_load[upper], -min_load[lower]]).astype(np.float64)
    return mat, rhs, upper, lower


def solve_assignment_lp(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    *,
    demand: np.ndarray,
    max_load: np.ndarray,
    min_load: np.ndarray,
    time_limit: float | None = None,
) -> LPSolution:
    """Maximise ``values @ x`` over the candidate pairs ``(rows, cols)``.

    Return primal ``x`` (0/1 up to solver tolerance), paper duals ``u`` and
    reviewer prices ``y`` in the sign convention of ``dual.scan``.
    """
    n_p, n_r, n = len(demand), len(max_load), len(rows)
    if n == 0:
        ok = not demand.any() and not min_load.any()
        return LPSolution(0 if ok else 2, "no candidate pairs", np.zeros(0), np.zeros(n_p),
                          np.zeros(n_r))
    a_eq = sp.csr_matrix((np.ones(n), (rows, np.arange(n))), shape=(n_p, n))
    a_ub, b_ub, upper, lower = reviewer_rows(cols, max_load, min_load, n)
    options = dict(HIGHS_OPTIONS)
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    res = linprog(
        -values,
        A_ub=a_ub if a_ub.shape[0] else None,
        b_ub=b_ub if a_ub.shape[0] else None,
        A_eq=a_eq,
        b_eq=demand.astype(np.float64),
        bounds=(0, 1),
        method="highs-ds",
        options=options,
    )
    if res.status != 0 or res.x is None:
        return LPSolution(res.status, res.message, np.zeros(n), np.zeros(n_p), np.zeros(n_r))
    u = -np.asarray(res.eqlin.marginals, dtype=np.float64)
    y = np.zeros(n_r)
    if a_ub.shape[0]:
        marg = np.asarray(res.ineqlin.marginals, dtype=np.float64)
        y[upper] -= marg[: len(upper)]
        y[lower] += marg[len(upper):]
    return LPSolution(0, res.message, np.asarray(res.x), u, y)
