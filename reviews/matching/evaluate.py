"""Choose the publication aggregation by a leave-one-out author-ranking test.

For every reviewer with at least two publications one publication is held out
and used as a pseudo-submission; the reviewer keeps the rest. A good affinity
ranks the held-out text's own author first among all reviewers. Run as
``python -m reviews.matching.evaluate`` to print the table for a synthetic venue.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .affinity import AGGREGATIONS, AffinityModel
from .synthetic import topic_corpus


@dataclass(frozen=True)
class LeaveOneOutRow:
    """Author-ranking quality of one aggregation."""

    aggregation: str
    queries: int
    top1: float
    top10: float
    mrr: float
    seconds: float


def leave_one_out(
    reviewer_texts: Sequence[Sequence[str]],
    *,
    paper_texts: Sequence[str] = (),
    aggregations: Sequence[str] = AGGREGATIONS,
    seed: int = 0,
    **model_options: object,
) -> list[LeaveOneOutRow]:
    """Return top-1, top-10 and mean reciprocal rank of the true author per aggregation.

    ``paper_texts`` only enter the corpus the model is fitted on, as in a venue.
    Ties count against the true author (pessimistic rank).
    """
    rng = np.random.default_rng(seed)
    held: list[str] = []
    authors: list[int] = []
    kept: list[list[str]] = []
    for r, docs in enumerate(reviewer_texts):
        docs = list(docs)
        if len(docs) >= 2:
            i = int(rng.integers(len(docs)))
            held.append(docs[i])
            authors.append(r)
            docs = docs[:i] + docs[i + 1:]
        kept.append(docs)
    truth = np.array(authors, dtype=np.int64)
    model = AffinityModel(**model_options)  # type: ignore[arg-type]
    model.fit([*paper_texts, *(doc for docs in reviewer_texts for doc in docs)])
    index = model.index(kept)
    queries = model.transform(held)
    rows = []
    for how in aggregations:
        started = time.perf_counter()
        ranks = np.zeros(len(truth), dtype=np.int64)
        for start, stop, block in model.blocks(queries, index, aggregation=how):
            own = block[np.arange(stop - start), truth[start:stop]]
            ranks[start:stop] = (block >= own[:, None]).sum(axis=1)
        rows.append(LeaveOneOutRow(
            aggregation=how,
            queries=len(truth),
            top1=float(np.mean(ranks <= 1)) if len(truth) else 0.0,
            top10=float(np.mean(ranks <= 10)) if len(truth) else 0.0,
            mrr=float(np.mean(1.0 / ranks)) if len(truth) else 0.0,
            seconds=time.perf_counter() - started,
        ))
    return rows


def format_table(rows: Sequence[LeaveOneOutRow]) -> str:
    """Render rows as a Markdown table."""
    lines = [
        "| aggregation | queries | top-1 | top-10 | MRR | seconds |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r.aggregation} | {r.queries:,} | {r.top1:.1%} | {r.top10:.1%} | {r.mrr:.3f} "
        f"| {r.seconds:.2f} |"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Print the leave-one-out table for a seeded synthetic venue."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--reviewers", type=int, default=2000)
    parser.add_argument("--seeds", type=int, default=1)
    args = parser.parse_args(argv)
    for focused in (True, False):
        for seed in range(args.seeds):
            corpus = topic_corpus(args.papers, args.reviewers, focused=focused, seed=seed)
            rows = leave_one_out(
                corpus.reviewer_texts, paper_texts=corpus.paper_texts, seed=seed
            )
            kind = "one topic each" if focused else "whole profile each"
            print(f"\nseed {seed}: {args.reviewers:,} reviewers with 3-10 publications "
                  f"({kind}), {args.papers:,} papers in the fitted corpus")
            print(format_table(rows))


if __name__ == "__main__":
    main()
