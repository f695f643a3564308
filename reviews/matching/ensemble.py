"""Embedding affinity and its ensemble with TF-IDF.

A reviewer's embedding affinity aggregates the cosine similarities between the paper's
vector and the vectors of their publications (`EMBEDDING_AGGREGATIONS`). The ensemble
standardises each method over the whole (papers x reviewers) matrix — never per reviewer,
so reviewers stay comparable for the assignment — adds the two z-scores with fixed weights,
and maps the sum back onto the TF-IDF scale (its mean and spread), so the score keeps the
meaning bids and thresholds were tuned for. When papers are processed in blocks, the mean
and spread are estimated from a seeded sample of papers (every paper when there are few).
The weights and aggregations below were chosen by ``python -m reviews.matching.evaluate``
(see the README's tables); they are not tuned on any external benchmark.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .affinity import AffinityModel, ReviewerIndex
from .errors import MatchingError

EMBEDDING_AGGREGATIONS = ("max", "mean", "top2", "top3", "softmax")
DEFAULT_EMBEDDING_AGGREGATION = "softmax"
#: The TF-IDF aggregation inside the ensemble.
DEFAULT_TFIDF_AGGREGATION = "mean"
#: Weight of the embedding z-score in the ensemble (the TF-IDF z-score gets the rest).
DEFAULT_EMBEDDING_WEIGHT = 0.6
SOFTMAX_TEMPERATURE = 0.05
SAMPLE_PAPERS = 512
BLOCK_BYTES = 128 * 2**20


@dataclass(frozen=True, eq=False)
class VectorIndex:
    """Publication vectors (unit rows) grouped by reviewer, ordered by reviewer."""

    vectors: np.ndarray
    counts: np.ndarray

    @classmethod
    def build(cls, vectors: np.ndarray, counts: np.ndarray,
              valid: np.ndarray | None = None) -> VectorIndex:
        """Group ``vectors`` (ordered by reviewer, ``counts`` each); drop rows not ``valid``."""
        counts = np.asarray(counts, dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32)
        if int(counts.sum()) != len(vectors):
            raise MatchingError("publication counts do not match the number of vectors")
        if valid is not None:
            owner = np.repeat(np.arange(len(counts)), counts)
            valid = np.asarray(valid, dtype=bool)
            counts = np.bincount(owner[valid], minlength=len(counts)).astype(np.int64)
            vectors = vectors[valid]
        return cls(np.ascontiguousarray(vectors), counts)

    @property
    def n_reviewers(self) -> int:
        return len(self.counts)


def reduce_by_reviewer(sims: np.ndarray, counts: np.ndarray, how: str) -> np.ndarray:
    """Aggregate (papers x publications) similarities into (papers x reviewers).

    Publications are ordered by reviewer, ``counts`` per reviewer; a reviewer without any
    gets 0. ``softmax`` is the softmax-weighted mean with temperature `SOFTMAX_TEMPERATURE`.
    """
    if how not in EMBEDDING_AGGREGATIONS:
        raise MatchingError(f"aggregation must be one of {EMBEDDING_AGGREGATIONS}")
    n_b, n_r = sims.shape[0], len(counts)
    out = np.zeros((n_b, n_r), dtype=np.float32)
    has = np.flatnonzero(counts)
    if not len(has):
        return out
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[has]
    if how == "max":
        out[:, has] = np.maximum.reduceat(sims, starts, axis=1)
    elif how == "mean":
        out[:, has] = np.add.reduceat(sims, starts, axis=1) / counts[has]
    elif how == "softmax":
        # one work array for the weights and their products (blocks are large)
        weights = sims - sims.max(axis=1, keepdims=True)
        np.divide(weights, SOFTMAX_TEMPERATURE, out=weights)
        np.exp(weights, out=weights)
        den = np.add.reduceat(weights, starts, axis=1)
        weights *= sims
        num = np.add.reduceat(weights, starts, axis=1)
        out[:, has] = num / np.maximum(den, np.finfo(np.float32).tiny)
    else:
        k = 2 if how == "top2" else 3
        owner = np.repeat(np.arange(n_r), counts)
        position = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        padded = np.full((n_b, n_r, max(int(counts.max()), k)), -np.inf, dtype=np.float32)
        padded[:, owner, position] = sims
        padded.sort(axis=2)
        top = padded[:, :, -k:]
        top = np.where(np.isfinite(top), top, 0.0).sum(axis=2)
        out[:, has] = top[:, has] / np.minimum(counts[has], k)
    return out


def embedding_blocks(
    papers: np.ndarray, index: VectorIndex, *, aggregation: str = DEFAULT_EMBEDDING_AGGREGATION
) -> Iterator[tuple[int, int, np.ndarray]]:
    """Yield ``(start, stop, block)``: embedding affinities of papers ``start:stop``."""
    papers = np.asarray(papers, dtype=np.float32)
    n_p = len(papers)
    step = _step(index)
    pubs_t = np.ascontiguousarray(index.vectors.T)
    for start in range(0, n_p, step):
        stop = min(n_p, start + step)
        sims = papers[start:stop] @ pubs_t
        yield start, stop, reduce_by_reviewer(sims, index.counts, aggregation)


def embedding_affinity(
    papers: np.ndarray, index: VectorIndex, *, aggregation: str = DEFAULT_EMBEDDING_AGGREGATION
) -> np.ndarray:
    """Return the dense (papers x reviewers) embedding affinity (cosines, in [-1, 1])."""
    out = np.zeros((len(papers), index.n_reviewers), dtype=np.float32)
    for start, stop, block in embedding_blocks(papers, index, aggregation=aggregation):
        out[start:stop] = block
    return out


@dataclass(frozen=True)
class Standardisation:
    """Mean and spread of both methods over the matrix (or a sample of its rows)."""

    tfidf_mean: float
    tfidf_std: float
    embedding_mean: float
    embedding_std: float
    combined_std: float
    sampled_papers: int


def standardisation(
    tfidf: np.ndarray, embedding: np.ndarray, has_embedding: np.ndarray, *, weight: float
) -> Standardisation:
    """Estimate the standardisation from rows of both matrices (columns with vectors only)."""
    cols = np.flatnonzero(has_embedding)
    if not len(cols) or not len(tfidf):
        return Standardisation(0.0, 1.0, 0.0, 1.0, 1.0, len(tfidf))
    t = tfidf[:, cols].astype(np.float64)
    e = embedding[:, cols].astype(np.float64)
    t_mean, t_std = float(t.mean()), float(t.std()) or 1.0
    e_mean, e_std = float(e.mean()), float(e.std()) or 1.0
    z = (1 - weight) * (t - t_mean) / t_std + weight * (e - e_mean) / e_std
    return Standardisation(t_mean, t_std, e_mean, e_std, float(z.std()) or 1.0, len(tfidf))


def combine(
    tfidf: np.ndarray,
    embedding: np.ndarray,
    has_embedding: np.ndarray,
    stats: Standardisation,
    *,
    weight: float,
) -> np.ndarray:
    """Return the ensemble block in [0, 1], on the TF-IDF scale.

    Reviewers without embedded publications keep their TF-IDF score, which is exactly what
    the ensemble gives when the embedding z-score is replaced by the TF-IDF one; reviewers
    without any text keep 0.
    """
    zt = (tfidf - stats.tfidf_mean) / stats.tfidf_std
    ze = (embedding - stats.embedding_mean) / stats.embedding_std
    z = ((1 - weight) * zt + weight * ze) / stats.combined_std
    out = np.where(has_embedding[None, :], stats.tfidf_mean + stats.tfidf_std * z, tfidf)
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def _check(paper_tfidf, tfidf_index, paper_vectors, vector_index, weight) -> None:
    if not 0.0 <= weight <= 1.0:
        raise MatchingError("the embedding weight must lie in [0, 1]")
    if len(paper_vectors) != paper_tfidf.shape[0] or (
        vector_index.n_reviewers != tfidf_index.n_reviewers
    ):
        raise MatchingError("TF-IDF and embedding inputs do not describe the same venue")


def ensemble_standardisation(
    model: AffinityModel,
    paper_tfidf: sp.csr_matrix,
    tfidf_index: ReviewerIndex,
    paper_vectors: np.ndarray,
    vector_index: VectorIndex,
    *,
    weight: float = DEFAULT_EMBEDDING_WEIGHT,
    aggregation: str = DEFAULT_EMBEDDING_AGGREGATION,
    tfidf_aggregation: str = DEFAULT_TFIDF_AGGREGATION,
    sample: int = SAMPLE_PAPERS,
    seed: int = 0,
) -> Standardisation:
    """Estimate both methods' mean and spread: over every paper, or a seeded sample of them."""
    _check(paper_tfidf, tfidf_index, paper_vectors, vector_index, weight)
    n_p = paper_tfidf.shape[0]
    rows = np.arange(n_p) if n_p <= sample else np.sort(
        np.random.default_rng(seed).choice(n_p, size=sample, replace=False))
    t_sample = model.affinity(paper_tfidf[rows], tfidf_index, aggregation=tfidf_aggregation)
    e_sample = embedding_affinity(paper_vectors[rows], vector_index, aggregation=aggregation)
    return standardisation(t_sample, e_sample, vector_index.counts > 0, weight=weight)


def ensemble_blocks(
    model: AffinityModel,
    paper_tfidf: sp.csr_matrix,
    tfidf_index: ReviewerIndex,
    paper_vectors: np.ndarray,
    vector_index: VectorIndex,
    stats: Standardisation,
    *,
    weight: float = DEFAULT_EMBEDDING_WEIGHT,
    aggregation: str = DEFAULT_EMBEDDING_AGGREGATION,
    tfidf_aggregation: str = DEFAULT_TFIDF_AGGREGATION,
) -> Iterator[tuple[int, int, np.ndarray]]:
    """Yield ``(start, stop, block)``: ensemble affinities in [0, 1] of papers ``start:stop``."""
    _check(paper_tfidf, tfidf_index, paper_vectors, vector_index, weight)
    has = vector_index.counts > 0
    paper_vectors = np.asarray(paper_vectors, dtype=np.float32)
    pubs_t = np.ascontiguousarray(vector_index.vectors.T)
    step = _step(vector_index)
    for start, stop, t_block in model.blocks(
        paper_tfidf, tfidf_index, aggregation=tfidf_aggregation
    ):
        e_block = np.empty_like(t_block)
        for a in range(start, stop, step):
            b = min(stop, a + step)
            sims = paper_vectors[a:b] @ pubs_t
            e_block[a - start : b - start] = reduce_by_reviewer(
                sims, vector_index.counts, aggregation)
        yield start, stop, combine(t_block, e_block, has, stats, weight=weight)


def _step(index: VectorIndex) -> int:
    """Papers per embedding block, so one block's work stays near `BLOCK_BYTES`."""
    width = max(1, len(index.vectors)) + 3 * max(1, index.n_reviewers)
    return max(1, min(2048, BLOCK_BYTES // (12 * width)))
