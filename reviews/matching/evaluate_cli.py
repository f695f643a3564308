"""``python -m reviews.matching.evaluate``: print the evaluation tables of the README.

Real text: the leave-one-out author test on a corpus file (``--real``, by default the
Debian package descriptions shipped under ``tests/``). Synthetic text: the same test on
``synthetic.topic_corpus`` plus the weighted pairwise loss of its papers against graded
expertise. Embeddings are computed once per text and cached under ``--cache``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .evaluate import (
    compare_methods,
    encode_all,
    ensemble_scores,
    format_quality,
    graded_loss,
    hold_out,
    load_corpus,
    mean_quality,
)

REAL = (Path(__file__).resolve().parents[2]
        / "tests/reviews/matching/data/debian_descriptions.json.gz")


def _encoder(skip: bool):
    if skip:
        return None
    from .embedding import EmbeddingUnavailable, load_embedding_model

    try:
        return load_embedding_model()
    except EmbeddingUnavailable as exc:
        print(f"(no embeddings: {exc.message})")
        return None


def real(path: str, *, encoder, cache: str | None, seeds: int) -> None:
    """Print the leave-one-out table of a corpus file, averaged over ``seeds`` splits."""
    reviewer_texts = load_corpus(path)
    flat = [d for docs in reviewer_texts for d in docs]
    print(f"\n## Real text: {path}\n{len(reviewer_texts):,} authors, {len(flat):,} texts")
    per_method: dict[str, list] = {}
    weights: dict[str, list[float]] = {}
    for seed in range(seeds):
        held = hold_out(reviewer_texts, seed=seed)
        rows, _, chosen = compare_methods(held, fit_corpus=flat, encoder=encoder, cache=cache,
                                          seed=seed)
        for name, quality in rows:
            per_method.setdefault(name, []).append(quality)
        for name, ws in chosen.items():
            weights.setdefault(name, []).extend(ws)
    print(f"\naverage of {seeds} seed(s); weights chosen by 2-fold CV inside each seed\n"
          + format_quality([(n, mean_quality(q)) for n, q in per_method.items()], weights))


def synthetic(n_papers: int, n_reviewers: int, *, encoder, cache: str | None,
              weight: float, emb_how: str) -> None:
    from .affinity import AffinityModel
    from .ensemble import VectorIndex, embedding_affinity
    from .synthetic import topic_corpus

    corpus = topic_corpus(n_papers, n_reviewers, focused=True, seed=0)
    flat = [d for docs in corpus.reviewer_texts for d in docs]
    print(f"\n## Synthetic: {n_papers:,} papers, {n_reviewers:,} reviewers, {len(flat):,} texts")
    held = hold_out(corpus.reviewer_texts, seed=0)
    rows, _, chosen = compare_methods(held, fit_corpus=[*corpus.paper_texts, *flat],
                                      encoder=encoder, cache=cache)
    print("\nleave-one-out author test\n" + format_quality(rows, chosen))
    grades = _cosine(corpus.paper_topics, corpus.reviewer_topics)
    model = AffinityModel()
    vectors = model.fit_transform([*corpus.paper_texts, *flat])
    counts = np.array([len(d) for d in corpus.reviewer_texts], dtype=np.int64)
    papers, index = vectors[:n_papers], model.index_vectors(vectors[n_papers:], counts)
    table = {f"TF-IDF {how}": model.affinity(papers, index, aggregation=how)
             for how in ("max", "mean")}
    if encoder is not None:
        unique = sorted(set(flat))  # the texts of the leave-one-out test: cached already
        row_of = {text: i for i, text in enumerate(unique)}
        emb = np.concatenate([
            encode_all(encoder, corpus.paper_texts, cache),
            encode_all(encoder, unique, cache)[[row_of[t] for t in flat]],
        ])
        vindex = VectorIndex.build(emb[n_papers:], counts)
        e = embedding_affinity(emb[:n_papers], vindex, aggregation=emb_how)
        table[f"MiniLM {emb_how}"] = e
        for how in ("max", "mean"):
            table[f"ensemble TF-IDF {how} + MiniLM {emb_how}, weight {weight}"] = (
                ensemble_scores(table[f"TF-IDF {how}"], e, vindex.counts > 0, weight))
    print("\ngraded expertise (cosine of topic mixtures), papers x reviewers")
    print("| method | weighted pairwise loss |\n| --- | ---: |")
    for name, scores in table.items():
        print(f"| {name} | {graded_loss(scores, grades):.4f} |")


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T


def main(argv: Sequence[str] | None = None) -> None:
    """Print the tables for the real corpus and a synthetic venue."""
    from .ensemble import DEFAULT_EMBEDDING_AGGREGATION, DEFAULT_EMBEDDING_WEIGHT

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", nargs="*", default=[str(REAL)],
                        help="corpus files (none to skip), e.g. the Debian one and the PubMed "
                             "one that tests/reviews/matching/data/build_pubmed_corpus.py builds")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--papers", type=int, default=300)
    parser.add_argument("--reviewers", type=int, default=600)
    parser.add_argument("--cache", default=None, help="path prefix for cached embeddings")
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--weight", type=float, default=DEFAULT_EMBEDDING_WEIGHT)
    parser.add_argument("--aggregation", default=DEFAULT_EMBEDDING_AGGREGATION)
    parser.add_argument("--scale", type=int, nargs=3, metavar=("PAPERS", "REVIEWERS", "PUBS"),
                        help="only time the affinity of a venue of this size")
    args = parser.parse_args(argv)
    if args.scale:
        scale(*args.scale)
        return
    encoder = _encoder(args.no_embeddings)
    for path in args.real:
        real(path, encoder=encoder, cache=args.cache, seeds=args.seeds)
    if args.papers and args.reviewers:
        synthetic(args.papers, args.reviewers, encoder=encoder, cache=args.cache,
                  weight=args.weight, emb_how=args.aggregation)


def scale(n_papers: int, n_reviewers: int, pubs: int, *, k: int = 100) -> None:
    """Time the affinity of a venue whose embeddings are cached (top ``k`` kept per paper).

    Cached vectors are stood in for by random unit vectors: the cost of the similarity and
    aggregation does not depend on what the vectors say. Each method runs in a fresh
    process so its peak memory is its own.
    """
    import multiprocessing as mp

    print(f"\n## Scale: {n_papers:,} papers x {n_reviewers:,} reviewers x {pubs} publications")
    print("| method | wall s | CPU s | peak RSS GiB |\n| --- | ---: | ---: | ---: |")
    for method in ("tfidf", "ensemble"):
        with mp.get_context("spawn").Pool(1) as pool:
            wall, cpu, peak = pool.apply(_scale_run, (n_papers, n_reviewers, pubs, k, method))
        print(f"| {method} | {wall:.1f} | {cpu:.1f} | {peak:.2f} |")


def _scale_run(n_papers: int, n_reviewers: int, pubs: int, k: int, method: str):
    import resource
    import time

    from .affinity import AffinityModel, _topk
    from .ensemble import VectorIndex, ensemble_blocks, ensemble_standardisation
    from .synthetic import topic_corpus

    corpus = topic_corpus(n_papers, n_reviewers, publications=(pubs, pubs), seed=0)
    flat = [d for docs in corpus.reviewer_texts for d in docs]
    rng = np.random.default_rng(0)
    cached = rng.standard_normal((n_papers + len(flat), 384), dtype=np.float32)
    cached /= np.linalg.norm(cached, axis=1, keepdims=True)
    wall, cpu = time.perf_counter(), time.process_time()
    model = AffinityModel()
    vectors = model.fit_transform([*corpus.paper_texts, *flat])
    counts = np.full(n_reviewers, pubs, dtype=np.int64)
    papers, index = vectors[:n_papers], model.index_vectors(vectors[n_papers:], counts)
    if method == "tfidf":
        blocks = model.blocks(papers, index)
    else:
        vindex = VectorIndex.build(cached[n_papers:], counts)
        stats = ensemble_standardisation(model, papers, index, cached[:n_papers], vindex)
        blocks = ensemble_blocks(model, papers, index, cached[:n_papers], vindex, stats)
    _topk(blocks, (n_papers, n_reviewers), k)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return time.perf_counter() - wall, time.process_time() - cpu, peak
