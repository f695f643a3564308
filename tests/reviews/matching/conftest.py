"""Brute-force references and feasibility checks for the matching tests.

They are served as session fixtures so the tests work under any import mode.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp


def allowed_mask(affinity, conflicts) -> np.ndarray:
    """Return the dense mask of pairs that may be assigned."""
    if sp.issparse(affinity):
        allowed = sp.csr_matrix(affinity).astype(bool).toarray()
        coo = sp.coo_matrix(affinity)
        allowed[coo.row, coo.col] = True
    else:
        allowed = np.ones(np.shape(affinity), dtype=bool)
    if conflicts is not None:
        allowed &= ~np.asarray(conflicts, dtype=bool)
    return allowed


def dense_values(affinity) -> np.ndarray:
    return sp.csr_matrix(affinity).toarray() if sp.issparse(affinity) else np.asarray(affinity)


def brute_force(affinity, *, per_paper, max_load, min_load, conflicts=None, fair=False):
    """Enumerate every assignment; return the best (objective, min score) or None.

    With ``fair`` the key is (lowest score of papers needing review, total).
    """
    values = dense_values(affinity)
    allowed = allowed_mask(affinity, conflicts)
    n_p, n_r = values.shape
    need = np.broadcast_to(per_paper, (n_p,))
    upper = np.broadcast_to(max_load, (n_r,))
    lower = np.broadcast_to(min_load, (n_r,))
    options = [
        [c for c in itertools.combinations(np.flatnonzero(allowed[p]).tolist(), int(need[p]))]
        for p in range(n_p)
    ]
    best = None
    for choice in itertools.product(*options):
        loads = np.zeros(n_r, dtype=int)
        for group in choice:
            loads[list(group)] += 1
        if np.any(loads > upper) or np.any(loads < lower):
            continue
        scores = np.array([values[p, list(g)].sum() for p, g in enumerate(choice)])
        total = float(scores.sum())
        low = float(scores[need > 0].min()) if np.any(need > 0) else 0.0
        key = (round(low, 9), total) if fair else (total,)
        if best is None or key > best[0]:
            best = (key, total, low)
    return None if best is None else (best[1], best[2])


def assert_feasible(result, affinity, *, per_paper, max_load, min_load=0, conflicts=None,
                    fixed=None) -> None:
    """Check every constraint on a returned assignment."""
    n_p, n_r = np.shape(affinity)
    pairs = result.pairs
    allowed = allowed_mask(affinity, conflicts)
    if fixed is not None and len(fixed):
        allowed[np.asarray(fixed)[:, 0], np.asarray(fixed)[:, 1]] = True
    assert pairs.shape[1] == 2
    assert len({tuple(p) for p in pairs.tolist()}) == len(pairs), "duplicate pair"
    assert np.all(allowed[pairs[:, 0], pairs[:, 1]]), "assigned a forbidden pair"
    counts = np.bincount(pairs[:, 0], minlength=n_p)
    loads = np.bincount(pairs[:, 1], minlength=n_r)
    assert np.array_equal(counts, np.broadcast_to(per_paper, (n_p,)))
    assert np.all(loads <= np.broadcast_to(max_load, (n_r,)))
    assert np.all(loads >= np.broadcast_to(min_load, (n_r,)))
    assert np.array_equal(result.loads, loads)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    assert np.array_equal(order, np.arange(len(pairs))), "pairs not sorted"
    values = dense_values(affinity)
    assert np.isclose(result.objective, values[pairs[:, 0], pairs[:, 1]].sum(), atol=1e-9)
    if fixed is not None:
        for p, r in np.asarray(fixed).reshape(-1, 2).tolist():
            assert [p, r] in pairs.tolist()


@pytest.fixture(scope="session")
def check_feasible():
    """Provide ``assert_feasible``."""
    return assert_feasible


@pytest.fixture(scope="session")
def brute():
    """Provide ``brute_force``."""
    return brute_force
