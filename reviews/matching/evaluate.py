"""Choose aggregations and ensemble weights by a leave-one-out author-ranking test.

For every reviewer with at least two publications one publication is held out
and used as a pseudo-submission; the reviewer keeps the rest. A good affinity
ranks the held-out text's own author first among all reviewers. We report top-1,
top-10, mean reciprocal rank and a pairwise ranking loss (the share of reviewers
ranked above the true author, ties counting half: 0.5 is random, 0 is perfect).
On the synthetic corpus, whose topic mixtures are known, we also report the
weighted pairwise ranking loss against graded expertise (cosine of topic
mixtures), weighting each misordered reviewer pair by its expertise gap.

Run ``python -m reviews.matching.evaluate`` for the tables of the README.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .affinity import AGGREGATIONS, AffinityModel


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
        scores = model.affinity(queries, index, aggregation=how)
        quality = author_metrics(scores, truth)
        rows.append(LeaveOneOutRow(
            aggregation=how,
            queries=len(truth),
            top1=quality.top1,
            top10=quality.top10,
            mrr=quality.mrr,
            seconds=time.perf_counter() - started,
        ))
    return rows


@dataclass(frozen=True)
class Quality:
    """How well scores rank the true author of each query (higher is better, but loss)."""

    queries: int
    top1: float
    top10: float
    mrr: float
    loss: float


def author_ranks(scores: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Return the rank of each query's true author (1 = first; ties count against it)."""
    own = scores[np.arange(len(truth)), truth]
    return (scores >= own[:, None]).sum(axis=1)


def author_metrics(scores: np.ndarray, truth: np.ndarray) -> Quality:
    """Return top-1, top-10, MRR and the pairwise ranking loss of the true authors."""
    if not len(truth):
        return Quality(0, 0.0, 0.0, 0.0, 0.5)
    ranks = author_ranks(scores, truth)
    own = scores[np.arange(len(truth)), truth]
    above = (scores > own[:, None]).sum(axis=1)
    ties = (scores == own[:, None]).sum(axis=1) - 1
    loss = (above + 0.5 * ties) / max(1, scores.shape[1] - 1)
    return Quality(len(truth), float(np.mean(ranks <= 1)), float(np.mean(ranks <= 10)),
                   float(np.mean(1.0 / ranks)), float(np.mean(loss)))


def graded_loss(scores: np.ndarray, grades: np.ndarray, *, pairs: int = 4000,
                seed: int = 0) -> float:
    """Return the weighted pairwise ranking loss of ``scores`` against graded expertise.

    For each paper, ``pairs`` random reviewer pairs with different grades; a pair ordered
    wrongly costs the gap between their grades, a tie half of it; the total is divided by
    the sum of the gaps (0.5 = random, 0 = perfect).
    """
    rng = np.random.default_rng(seed)
    n_p, n_r = scores.shape
    i = rng.integers(n_r, size=(n_p, pairs))
    j = rng.integers(n_r, size=(n_p, pairs))
    rows = np.arange(n_p)[:, None]
    gap = grades[rows, i] - grades[rows, j]
    diff = scores[rows, i] - scores[rows, j]
    wrong = np.where(diff == 0, 0.5, (np.sign(diff) != np.sign(gap)).astype(np.float64))
    weight = np.abs(gap)
    return float((weight * wrong).sum() / max(weight.sum(), 1e-12))


@dataclass(frozen=True)
class HeldOut:
    """A leave-one-out split: one text per author as a query, the rest kept."""

    queries: list[str]
    truth: np.ndarray
    kept: list[list[str]]


def hold_out(reviewer_texts: Sequence[Sequence[str]], *, seed: int = 0) -> HeldOut:
    """Hold out one random text of every reviewer who has at least two."""
    rng = np.random.default_rng(seed)
    queries, authors, kept = [], [], []
    for r, docs in enumerate(reviewer_texts):
        docs = list(docs)
        if len(docs) >= 2:
            i = int(rng.integers(len(docs)))
            queries.append(docs[i])
            authors.append(r)
            docs = docs[:i] + docs[i + 1:]
        kept.append(docs)
    return HeldOut(queries, np.array(authors, dtype=np.int64), kept)




def ensemble_scores(tfidf: np.ndarray, embedding: np.ndarray, has: np.ndarray,
                    weight: float) -> np.ndarray:
    """Combine two full matrices as the engine does (standardised over the whole matrix)."""
    from .ensemble import combine, standardisation

    stats = standardisation(tfidf, embedding, has, weight=weight)
    return combine(tfidf, embedding, has, stats, weight=weight)


def cross_validated_weight(
    tfidf: np.ndarray, embedding: np.ndarray, has: np.ndarray, truth: np.ndarray,
    *, grid: Sequence[float], seed: int = 0,
) -> tuple[list[float], Quality]:
    """Choose the embedding weight by MRR on one half of the queries, score the other half.

    Returns the weight chosen on each fold and the quality of the held-out halves together.
    """
    rng = np.random.default_rng(seed)
    fold = rng.permutation(len(truth)) % 2
    chosen, parts = [], []
    for k in (0, 1):
        fit, test = fold == k, fold != k
        best = max(grid, key=lambda w: author_metrics(
            ensemble_scores(tfidf[fit], embedding[fit], has, w), truth[fit]).mrr)
        chosen.append(float(best))
        parts.append((ensemble_scores(tfidf[test], embedding[test], has, best), truth[test]))
    scores = np.concatenate([p[0] for p in parts])
    return chosen, author_metrics(scores, np.concatenate([p[1] for p in parts]))


def encode_all(encoder, texts: Sequence[str], cache: str | None = None) -> np.ndarray:
    """Encode ``texts`` (cached in ``cache``.npy when given and matching the texts)."""
    import hashlib
    import os

    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = f"{cache}-{key}.npy" if cache else None
    if path and os.path.exists(path):
        return np.load(path)
    started = time.process_time()
    vectors = encoder.encode(texts)
    cpu = time.process_time() - started
    print(f"embedded {len(texts):,} texts: {cpu:.0f} CPU-s, "
          f"{1000 * cpu / max(1, len(texts)):.0f} CPU-s per 1,000 texts")
    if path:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        np.save(path, vectors)
    return vectors


def compare_methods(
    held: HeldOut, *, fit_corpus: Sequence[str], encoder=None, cache: str | None = None,
    grid: Sequence[float] = tuple(np.round(np.arange(0.0, 1.01, 0.1), 2)),
    seed: int = 0,
) -> tuple[list[tuple[str, Quality]], dict[str, np.ndarray], dict[str, list[float]]]:
    """Return (method name, quality) rows, the score matrices and the ensemble weights.

    The weights of each ensemble are chosen by 2-fold cross-validation on the queries
    (``cross_validated_weight``); the third value lists the weight of each fold by name.
    """
    from .ensemble import EMBEDDING_AGGREGATIONS, VectorIndex, embedding_affinity

    model = AffinityModel()
    model.fit(fit_corpus)
    index = model.index(held.kept)
    queries = model.transform(held.queries)
    rows: list[tuple[str, Quality]] = []
    matrices: dict[str, np.ndarray] = {}
    weights: dict[str, list[float]] = {}
    for how in AGGREGATIONS:
        matrices[f"tfidf-{how}"] = model.affinity(queries, index, aggregation=how)
        rows.append((f"TF-IDF {how}", author_metrics(matrices[f"tfidf-{how}"], held.truth)))
    if encoder is None:
        return rows, matrices, weights
    flat = [d for docs in held.kept for d in docs]
    unique = sorted({*held.queries, *flat})
    encoded = encode_all(encoder, unique, cache)
    row_of = {text: i for i, text in enumerate(unique)}
    vectors = encoded[[row_of[t] for t in [*held.queries, *flat]]]
    counts = np.array([len(d) for d in held.kept], dtype=np.int64)
    vindex = VectorIndex.build(vectors[len(held.queries):], counts)
    for how in EMBEDDING_AGGREGATIONS:
        key = f"emb-{how}"
        matrices[key] = embedding_affinity(vectors[: len(held.queries)], vindex, aggregation=how)
        rows.append((f"MiniLM {how}", author_metrics(matrices[key], held.truth)))
    has = vindex.counts > 0
    for t_how in ("max", "mean"):
        for e_how in EMBEDDING_AGGREGATIONS:
            chosen, quality = cross_validated_weight(
                matrices[f"tfidf-{t_how}"], matrices[f"emb-{e_how}"], has, held.truth,
                grid=grid, seed=seed)
            name = f"ensemble TF-IDF {t_how} + MiniLM {e_how}"
            rows.append((name, quality))
            weights[name] = chosen
    return rows, matrices, weights


def mean_quality(qualities: Sequence[Quality]) -> Quality:
    """Average the metrics of several splits (queries: those of one split)."""
    return Quality(qualities[0].queries,
                   *(float(np.mean([getattr(q, f) for q in qualities]))
                     for f in ("top1", "top10", "mrr", "loss")))


def format_quality(rows: Sequence[tuple[str, Quality]],
                   weights: dict[str, list[float]] | None = None) -> str:
    """Render method rows as a Markdown table (with the weights chosen, when given)."""
    weights = weights or {}
    lines = ["| method | queries | top-1 | top-10 | MRR | pairwise loss | weights chosen |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    lines += [f"| {name} | {q.queries:,} | {q.top1:.1%} | {q.top10:.1%} | {q.mrr:.3f} "
              f"| {q.loss:.4f} | {', '.join(f'{w:.1f}' for w in weights.get(name, ()))} |"
              for name, q in rows]
    return "\n".join(lines)


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


def load_corpus(path: str) -> list[list[str]]:
    """Read a corpus file of ``{"authors": [{"texts": [{"title", "abstract"}]}]}`` (gzip ok)."""
    import gzip
    import json

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return [[f"{t['title']}\n{t.get('abstract', '')}".strip() for t in a["texts"]]
            for a in data["authors"]]


if __name__ == "__main__":
    from .evaluate_cli import main

    main()
