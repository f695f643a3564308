"""Benchmark ``assign`` on tight venues, side by side with a full-graph min-cost flow.

Families (``synthetic.hard_instance``): ``tight`` (varying max loads between
``ceil(3P/R)`` and ``ceil(3P/R) + 2``, ~300 institutions of clustered conflicts,
Zipf topic popularity), ``tight+min`` (the same with every reviewer's
``min_load`` at ``ceil(3P/R) - 1``) and ``sparse`` (the tight venue given as
each paper's 200 best non-conflicted reviewers, CSR; unstored pairs are not
candidates).

The reference is independent code: every allowed pair an arc (the formulation
of OpenReview's MinMax matcher, without its Python overhead), costs scaled by
2^30 and rounded, solved once by OR-Tools' ``SimpleMinCostFlow``; it is run
where its graph fits in memory. Each solve runs in a fresh process; CPU time is
``time.process_time`` of that process. The dual bound of ``assign``'s prices is
recomputed here from the matrix (``bench.independent_bounds``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time

import numpy as np
import scipy.sparse as sp

FAMILIES = ("tight", "tight+min", "sparse")
SPARSE_K = 200
REFERENCE_SCALE = 2.0**30
BYTES_PER_ARC = 110  # measured peak RSS of the reference per allowed pair


def hard_venue(family: str, n_papers: int, n_reviewers: int, seed: int = 0):
    """Return ``(affinity, conflicts, per_paper, max_load, min_load)`` of a family."""
    from .synthetic import hard_instance, sparse_candidates

    inst = hard_instance(n_papers, n_reviewers, min_load=family == "tight+min", seed=seed)
    if family == "sparse":
        return (sparse_candidates(inst.affinity, inst.conflicts, SPARSE_K), None,
                inst.per_paper, inst.max_load, inst.min_load)
    return inst.affinity, inst.conflicts, inst.per_paper, inst.max_load, inst.min_load


def _allowed(affinity, conflicts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return every allowed pair and its affinity (float64)."""
    if sp.issparse(affinity):
        coo = sp.coo_matrix(affinity)
        return coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data.astype(np.float64)
    rows, cols = np.nonzero(~conflicts)
    return rows, cols, affinity[rows, cols].astype(np.float64)


def n_allowed(affinity, conflicts) -> int:
    if sp.issparse(affinity):
        return int(affinity.nnz)
    return int(conflicts.size - np.count_nonzero(conflicts))


def reference_flow(affinity, conflicts, per_paper, max_load, min_load) -> tuple[float, str]:
    """Solve the full-graph min-cost flow; return (total affinity, solver status)."""
    from ortools.graph.python import min_cost_flow

    n_p, n_r = affinity.shape
    rows, cols, values = _allowed(affinity, conflicts)
    n = len(rows)
    sink = n_p + n_r
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([rows, n_p + np.arange(n_r)]),
        np.concatenate([n_p + cols, np.full(n_r, sink)]),
        np.concatenate([np.ones(n, dtype=np.int64), (max_load - min_load).astype(np.int64)]),
        np.concatenate([-np.rint(values * REFERENCE_SCALE).astype(np.int64),
                        np.zeros(n_r, dtype=np.int64)]),
    )
    need = np.broadcast_to(per_paper, (n_p,)).astype(np.int64)
    flow.set_nodes_supplies(
        np.arange(n_p + n_r + 1),
        np.concatenate([need, -min_load.astype(np.int64),
                        [-(need.sum() - min_load.sum())]]),
    )
    status = flow.solve()
    used = flow.flows(np.arange(n)) > 0
    return float(values[used].sum()), status.name


def _run(kind: str, family: str, n_papers: int, n_reviewers: int) -> dict:
    """Generate the venue and time one solve (``assign`` or ``reference``)."""
    from . import MatchingError, assign
    from .bench import _peak_gib, _reset_peak, independent_bounds

    affinity, conflicts, per_paper, max_load, min_load = hard_venue(
        family, n_papers, n_reviewers)
    _reset_peak()
    cpu, wall = time.process_time(), time.perf_counter()
    if kind == "reference":
        objective, status = reference_flow(affinity, conflicts, per_paper, max_load, min_load)
        return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                "peak": _peak_gib(), "objective": objective, "status": status}
    try:
        result = assign(affinity, per_paper=per_paper, max_load=max_load, min_load=min_load,
                        conflicts=conflicts)
    except MatchingError as exc:  # reported in the table, not raised across processes
        return {"error": str(exc), "cpu": time.process_time() - cpu,
                "arcs": n_allowed(affinity, conflicts)}
    out = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
           "peak": _peak_gib(), "objective": result.objective, "status": result.status,
           "rounds": result.rounds, "candidates": result.n_candidates,
           "rows_read": result.rows_read, "upper": result.upper_bound}
    dual, _ = independent_bounds(affinity, conflicts, result.prices, per_paper=per_paper,
                                 max_load=max_load, min_load=min_load)
    out["dual"] = dual
    out["min_ok"] = bool(np.all(result.loads >= min_load))
    out["arcs"] = n_allowed(affinity, conflicts)
    return out


def _isolated(*args: object) -> dict:
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(_run, args)


def hard_table(sizes: list[tuple[int, int]], families: tuple[str, ...] = FAMILIES, *,
               reference: bool = True, reference_gib: float = 8.0) -> None:
    """Print the hard-family table, the reference side by side."""
    load = os.getloadavg()
    print("## Tight venues, side by side with a full-graph min-cost flow (OR-Tools)\n")
    print(f"Load average at start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} "
          f"on {os.cpu_count()} cores.\n")
    print("| family | papers x reviewers | allowed pairs | assign CPU s | assign wall s "
          "| rounds | candidates | rows read | peak GiB | objective | independent dual - "
          "objective | reference CPU s | reference wall s | reference peak GiB "
          "| reference objective | CPU ratio |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
          "| ---: | ---: | ---: | ---: |")
    for n_p, n_r in sizes:
        for family in families:
            a = _isolated("assign", family, n_p, n_r)
            arcs = a["arcs"]
            if "error" in a:
                print(f"| {family} | {n_p:,} x {n_r:,} | {arcs:,} | {a['cpu']:.2f} | "
                      f"| | | | | no assignment: {a['error']} | | | | | | |", flush=True)
                continue
            ref = None
            if reference and arcs * BYTES_PER_ARC / 2**30 <= reference_gib:
                ref = _isolated("reference", family, n_p, n_r)
            if ref is None:
                ref_cells = (f"not run (~{arcs * BYTES_PER_ARC / 2**30:.0f} GiB)", "", "", "",
                             "")
            else:
                ref_cells = (f"{ref['cpu']:.2f}", f"{ref['wall']:.2f}", f"{ref['peak']:.2f}",
                             f"{ref['objective']:,.4f}", f"{ref['cpu'] / a['cpu']:.1f}x")
            status = "" if a["status"] == "optimal" else f" ({a['status']})"
            print(f"| {family} | {n_p:,} x {n_r:,} | {arcs:,} | {a['cpu']:.2f} | {a['wall']:.2f} "
                  f"| {a['rounds']} | {a['candidates']:,} | {a['rows_read']:,} | {a['peak']:.2f} "
                  f"| {a['objective']:,.4f}{status} | {a['dual'] - a['objective']:.1e} "
                  f"| {' | '.join(ref_cells)} |", flush=True)


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """Parse ``"2000x3000,10000x15000"``."""
    out = []
    for part in text.split(","):
        if part.strip():
            p, r = part.lower().split("x")
            out.append((int(p), int(r)))
    return out


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000x3000,5000x7500,10000x15000")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--reference-gib", type=float, default=8.0,
                        help="run the full-graph reference only below this estimated peak")
    args = parser.parse_args()
    hard_table(parse_sizes(args.sizes), tuple(args.families.split(",")),
               reference=not args.no_reference, reference_gib=args.reference_gib)
