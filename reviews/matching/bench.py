"""Benchmark the assignment engine on seeded synthetic venues.

Run ``python -m reviews.matching.bench`` (``--hard 2000x3000`` for the tight
families at one size only, ``--hard ""`` to skip them, ``--sizes small`` for a quick run,
``--no-affinity`` to skip the text-affinity timing, ``--fairness`` to time the
fair variant, ``--reference`` to also solve the unpruned problem). Each instance
runs in a fresh process so its peak memory is its own. Quality is checked
against bounds computed here with separate NumPy code: the LP dual value of the
solver's reviewer prices, re-evaluated on the full matrix, and the trivial bound
that gives every paper its best non-conflicted reviewers.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import resource
import time
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

SIZES = {"small": (1_000, 1_500), "medium": (5_000, 8_000), "large": (10_000, 15_000)}
PER_PAPER = 3


def _reset_peak() -> None:
    """Reset this process's peak-RSS counter where the OS allows it (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _peak_gib() -> float:
    """Return peak RSS since the last reset (Linux VmHWM), else since process start."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def instance(n_papers: int, n_reviewers: int, seed: int = 0
             ) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the seeded affinity, 2% conflict mask and max load of a benchmark venue."""
    from .synthetic import random_conflicts, topic_affinity

    affinity = topic_affinity(n_papers, n_reviewers, seed=seed)
    conflicts = random_conflicts(n_papers, n_reviewers, rate=0.02, seed=seed)
    max_load = math.ceil(PER_PAPER * n_papers / n_reviewers) + 1
    return affinity, conflicts, max_load


def independent_bounds(affinity, conflicts, prices: np.ndarray, *, per_paper,
                       max_load, min_load=0) -> tuple[float, float]:
    """Return (dual bound of ``prices``, trivial top-k bound), computed from scratch.

    ``affinity`` is dense or sparse (unstored entries are not candidates);
    ``conflicts`` is a dense boolean mask or None; the counts are ints or arrays.
    """
    n_p, n_r = affinity.shape
    upper = np.broadcast_to(np.asarray(max_load, dtype=np.float64), (n_r,))
    lower = np.broadcast_to(np.asarray(min_load, dtype=np.float64), (n_r,))
    need = np.broadcast_to(np.asarray(per_paper), (n_p,))
    dual = float(np.sum(np.where(prices > 0, upper * prices, lower * prices)))
    trivial = 0.0
    step = 500
    for start in range(0, n_p, step):
        if sp.issparse(affinity):
            sub = sp.coo_matrix(affinity[start:start + step])
            block = np.full(sub.shape, -np.inf)
            block[sub.row, sub.col] = sub.data
        else:
            block = affinity[start:start + step].astype(np.float64)
        if conflicts is not None:
            block[np.asarray(conflicts[start:start + step], dtype=bool)] = -np.inf
        k = min(int(need.max(initial=0)), n_r)
        if k == 0:
            continue
        take = np.arange(k)[None, :] < need[start:start + step, None]
        for values, into in ((block, "trivial"), (block - prices[None, :], "dual")):
            top = -np.sort(np.partition(-values, k - 1, axis=1)[:, :k], axis=1)
            total = float(np.where(take, top, 0.0).sum())
            if into == "trivial":
                trivial += total
            else:
                dual += total
    return dual, trivial


def _solve(n_papers: int, n_reviewers: int, fairness: bool) -> dict[str, float | str]:
    from . import assign

    affinity, conflicts, max_load = instance(n_papers, n_reviewers)
    _reset_peak()
    base = _peak_gib()
    cpu, started = _cpu(), time.perf_counter()
    result = assign(affinity, per_paper=PER_PAPER, max_load=max_load, conflicts=conflicts,
                    fairness=fairness)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    peak = _peak_gib()
    prices = result.prices if result.prices is not None else np.zeros(n_reviewers)
    dual, trivial = independent_bounds(
        affinity, conflicts, prices, per_paper=PER_PAPER, max_load=max_load
    )
    return {
        "seconds": seconds, "cpu": cpu, "peak": peak, "input": base,
        "objective": result.objective,
        "dual": dual, "trivial": trivial, "status": result.status, "rounds": result.rounds,
        "candidates": result.n_candidates, "min": result.min_paper_score,
        "min_bound": result.min_score_bound if result.min_score_bound is not None else math.nan,
        "max_load": max_load,
    }


def _reference(n_papers: int, n_reviewers: int) -> dict[str, float | str]:
    """Solve the unpruned LP (every non-conflicted pair a variable) with HiGHS."""
    affinity, conflicts, max_load = instance(n_papers, n_reviewers)
    _reset_peak()
    cpu, started = _cpu(), time.perf_counter()
    rows, cols = np.nonzero(~conflicts)
    values = affinity[rows, cols].astype(np.float64)
    n = len(rows)
    res = linprog(
        -values,
        A_ub=sp.csr_matrix((np.ones(n), (cols, np.arange(n))), shape=(n_reviewers, n)),
        b_ub=np.full(n_reviewers, float(max_load)),
        A_eq=sp.csr_matrix((np.ones(n), (rows, np.arange(n))), shape=(n_papers, n)),
        b_eq=np.full(n_papers, float(PER_PAPER)),
        bounds=(0, 1), method="highs-ds",
    )
    return {"seconds": time.perf_counter() - started, "cpu": _cpu() - cpu,
            "peak": _peak_gib(), "objective": -float(res.fun), "status": res.message}


def _full_graph_flow(n_papers: int, n_reviewers: int) -> dict[str, float | str]:
    """Solve the full-graph min-cost flow with OR-Tools (if installed), costs scaled 1e6."""
    try:
        from ortools.graph.python import min_cost_flow
    except ImportError:
        return {"status": "skipped: ortools is not installed"}
    affinity, conflicts, max_load = instance(n_papers, n_reviewers)
    _reset_peak()
    cpu, started = _cpu(), time.perf_counter()
    rows, cols = np.nonzero(~conflicts)
    n_p, n_r, n = n_papers, n_reviewers, len(rows)
    flow = min_cost_flow.SimpleMinCostFlow()
    sink = n_p + n_r + 1
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.zeros(n_p, np.int64), rows + 1, np.arange(n_r) + 1 + n_p]),
        np.concatenate([np.arange(n_p) + 1, cols + 1 + n_p, np.full(n_r, sink)]),
        np.concatenate([np.full(n_p, PER_PAPER), np.ones(n, np.int64), np.full(n_r, max_load)]),
        np.concatenate([np.zeros(n_p, np.int64),
                        -np.round(affinity[rows, cols].astype(np.float64) * 1e6).astype(np.int64),
                        np.zeros(n_r, np.int64)]),
    )
    flow.set_node_supply(0, PER_PAPER * n_p)
    flow.set_node_supply(sink, -PER_PAPER * n_p)
    status = flow.solve()
    used = flow.flows(np.arange(n_p, n_p + n)) > 0
    objective = float(affinity[rows[used], cols[used]].astype(np.float64).sum())
    return {"seconds": time.perf_counter() - started, "cpu": _cpu() - cpu,
            "peak": _peak_gib(), "objective": objective, "status": str(status)}


def _affinity(n_papers: int, n_reviewers: int, pubs: int) -> dict[str, float | str]:
    from .affinity import text_affinity
    from .synthetic import topic_corpus

    corpus = topic_corpus(n_papers, n_reviewers, publications=(pubs, pubs), seed=0)
    _reset_peak()
    base = _peak_gib()
    cpu, started = _cpu(), time.perf_counter()
    matrix = text_affinity(corpus.paper_texts, corpus.reviewer_texts)
    return {"seconds": time.perf_counter() - started, "cpu": _cpu() - cpu,
            "peak": _peak_gib(), "input": base,
            "shape": f"{matrix.shape[0]:,} x {matrix.shape[1]:,}",
            "docs": n_papers + n_reviewers * pubs}


def _isolated(func: Callable[..., dict], *args: object) -> dict:
    """Run ``func`` in a fresh process and return its result."""
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(func, args)


def main(argv: Sequence[str] | None = None) -> None:
    """Print benchmark tables."""
    parser = argparse.ArgumentParser(description="Benchmark the assignment engine.")
    parser.add_argument("--sizes", default="small,medium,large",
                        help="comma list of small, medium, large")
    parser.add_argument("--affinity", action=argparse.BooleanOptionalAction, default=True,
                        help="time text affinity for 10,000 papers x 15,000 reviewers")
    parser.add_argument("--fairness", action="store_true", help="also time fairness=True")
    parser.add_argument("--reference", action="store_true",
                        help="also solve small unpruned with HiGHS, and small and medium as a "
                             "full-graph min-cost flow with OR-Tools when it is installed")
    parser.add_argument("--hard", default="2000x3000,5000x7500,10000x15000",
                        help="sizes of the tight families, e.g. 2000x3000 (empty: skip)")
    parser.add_argument("--hard-reference-gib", type=float, default=8.0,
                        help="run the full-graph reference where its estimated peak fits")
    args = parser.parse_args(argv)
    names = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if args.hard:
        from .bench_hard import hard_table, parse_sizes

        hard_table(parse_sizes(args.hard), reference_gib=args.hard_reference_gib)
        print()

    print("## Assignment, loose venues (3 reviewers per paper, max load ceil(3P/R)+1, "
          "2% conflicts)\n")
    print("| instance | papers x reviewers | wall s | CPU s | peak RSS GiB (input) "
          "| objective | dual bound - objective | / trivial bound | status | LP rounds "
          "| candidates |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for name in names:
        n_p, n_r = SIZES[name]
        r = _isolated(_solve, n_p, n_r, False)
        print(f"| {name} | {n_p:,} x {n_r:,} | {r['seconds']:.2f} | {r['cpu']:.2f} "
              f"| {r['peak']:.2f} ({r['input']:.2f}) | {r['objective']:,.4f} "
              f"| {r['dual'] - r['objective']:.2e} | {r['objective'] / r['trivial']:.4%} "
              f"| {r['status']} | {r['rounds']} | {r['candidates']:,} |", flush=True)
    if args.fairness:
        print("\n## Fairness (same instances)\n")
        print("| instance | wall s | CPU s | lowest paper score | bound on best lowest "
              "| objective | / unconstrained optimum |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name in names:
            n_p, n_r = SIZES[name]
            r = _isolated(_solve, n_p, n_r, True)
            print(f"| {name} | {r['seconds']:.2f} | {r['cpu']:.2f} | {r['min']:.4f} "
                  f"| {r['min_bound']:.4f} | {r['objective']:,.4f} "
                  f"| {r['objective'] / r['dual']:.6%} |", flush=True)
    if args.reference:
        print("\n## Unpruned references\n")
        if "small" in names:
            n_p, n_r = SIZES["small"]
            r = _isolated(_reference, n_p, n_r)
            print(f"- HiGHS LP over every allowed pair, small: {r['seconds']:.2f} s wall, "
                  f"{r['cpu']:.2f} s CPU, peak RSS {r['peak']:.2f} GiB, "
                  f"objective {r['objective']:,.4f}", flush=True)
        for name in [n for n in names if n in ("small", "medium")]:
            n_p, n_r = SIZES[name]
            r = _isolated(_full_graph_flow, n_p, n_r)
            if "seconds" not in r:
                print(f"- full-graph min-cost flow, {name}: {r['status']}")
                continue
            print(f"- full-graph min-cost flow (OR-Tools), {name}: {r['seconds']:.2f} s wall, "
                  f"{r['cpu']:.2f} s CPU, peak RSS {r['peak']:.2f} GiB, "
                  f"objective {r['objective']:,.4f}", flush=True)
    if args.affinity:
        r = _isolated(_affinity, 10_000, 15_000, 8)
        print(f"\n## Text affinity\n\n{r['docs']:,} documents, matrix {r['shape']}: "
              f"{r['seconds']:.1f} s wall, {r['cpu']:.1f} s CPU, peak RSS {r['peak']:.2f} GiB "
              f"(corpus strings alone {r['input']:.2f} GiB)")


if __name__ == "__main__":
    main()
