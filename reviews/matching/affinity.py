"""Text affinity between papers and reviewers from TF-IDF similarity.

One ``AffinityModel`` is fitted on the venue's corpus (submissions plus the
reviewers' publications) and reused for affinities and explanations. Each
paper is compared with every publication by cosine similarity of sublinear
TF-IDF vectors over unigrams and bigrams; a reviewer's affinity aggregates the
similarities of their publications (see ``AGGREGATIONS``). Papers are processed
in blocks so memory stays bounded however large the venue is.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .errors import MatchingError
from .plaintext import plain_text

if TYPE_CHECKING:
    from .explain import PairExplanation

logger = logging.getLogger(__name__)

AGGREGATIONS = ("max", "mean", "top2", "top3", "centroid")
DEFAULT_AGGREGATION = "mean"
BLOCK_BYTES = 192 * 2**20


@dataclass(frozen=True, eq=False)
class ReviewerIndex:
    """Publication vectors grouped by reviewer, ready for block similarity."""

    publications: sp.csr_matrix
    owner: np.ndarray
    position: np.ndarray
    counts: np.ndarray
    profiles: sp.csr_matrix
    #: Each reviewer's sum of publication vectors (their mean similarity is a paper's
    #: product with it, over their count).
    sums: sp.csr_matrix | None = None

    @property
    def n_reviewers(self) -> int:
        return len(self.counts)


class AffinityModel:
    """A TF-IDF model fitted on one venue, reused for affinities and explanations."""

    def __init__(
        self,
        *,
        aggregation: str = DEFAULT_AGGREGATION,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        stop_words: str | list[str] | None = "english",
        max_features: int | None = None,
        n_jobs: int | None = None,
    ) -> None:
        if aggregation not in AGGREGATIONS:
            raise MatchingError(f"aggregation must be one of {AGGREGATIONS}")
        self.aggregation = aggregation
        self.vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            ngram_range=ngram_range,
            min_df=min_df,
            max_df=max_df,
            stop_words=stop_words,
            max_features=max_features,
            preprocessor=_preprocess,
            dtype=np.float32,
        )
        self.n_jobs = n_jobs or min(4, os.cpu_count() or 1)
        self._fitted = False
        self._names: np.ndarray | None = None

    def fit(self, corpus: Iterable[str]) -> AffinityModel:
        """Learn vocabulary and IDF weights from the venue's texts; return self."""
        docs = list(corpus)
        if not docs:
            raise MatchingError("cannot fit an affinity model on an empty corpus")
        try:
            self.vectorizer.fit(docs)
        except ValueError:
            # too few documents for min_df/max_df: fall back to keeping every term
            self.vectorizer.set_params(min_df=1, max_df=1.0)
            self.vectorizer.fit(docs)
        self._fitted = True
        self._names = None
        return self

    def feature_names(self) -> np.ndarray:
        """Return the vocabulary as an array indexed by feature column."""
        if not self._fitted:
            raise MatchingError("fit the affinity model before using it")
        if self._names is None:
            self._names = np.asarray(self.vectorizer.get_feature_names_out())
        return self._names

    def fit_transform(self, corpus: Iterable[str]) -> sp.csr_matrix:
        """Fit on ``corpus`` and return its L2-normalised TF-IDF rows (one tokenising pass)."""
        docs = list(corpus)
        if not docs:
            raise MatchingError("cannot fit an affinity model on an empty corpus")
        try:
            matrix = self.vectorizer.fit_transform(docs)
        except ValueError:
            self.vectorizer.set_params(min_df=1, max_df=1.0)
            matrix = self.vectorizer.fit_transform(docs)
        self._fitted = True
        self._names = None
        return sp.csr_matrix(matrix, dtype=np.float32)

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        """Return L2-normalised TF-IDF rows (float32 CSR) for ``texts``."""
        if not self._fitted:
            raise MatchingError("fit the affinity model before using it")
        return sp.csr_matrix(self.vectorizer.transform(list(texts)), dtype=np.float32)

    def index(self, reviewer_texts: Sequence[Sequence[str]]) -> ReviewerIndex:
        """Vectorise every reviewer's publications once."""
        counts = np.array([len(docs) for docs in reviewer_texts], dtype=np.int64)
        flat = [doc for docs in reviewer_texts for doc in docs]
        pubs = self.transform(flat) if flat else sp.csr_matrix(
            (0, len(self.vectorizer.vocabulary_)), dtype=np.float32)
        return self.index_vectors(pubs, counts)

    @staticmethod
    def index_vectors(pubs: sp.csr_matrix, counts: np.ndarray) -> ReviewerIndex:
        """Group already-vectorised publications (ordered by reviewer) by reviewer."""
        counts = np.asarray(counts, dtype=np.int64)
        if int(counts.sum()) != pubs.shape[0]:
            raise MatchingError("publication counts do not match the number of vectors")
        pubs = sp.csr_matrix(pubs, dtype=np.float32)
        owner = np.repeat(np.arange(len(counts)), counts)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
        position = np.arange(len(owner)) - np.repeat(starts, counts)
        grouping = sp.csr_matrix(
            (np.ones(len(owner), dtype=np.float32), (owner, np.arange(len(owner)))),
            shape=(len(counts), len(owner)),
        )
        sums = sp.csr_matrix(grouping @ pubs, dtype=np.float32)
        profiles = normalize(sums)
        return ReviewerIndex(pubs, owner, position, counts, sp.csr_matrix(profiles), sums)

    def blocks(
        self,
        paper_texts: Sequence[str] | sp.csr_matrix,
        reviewer_texts: Sequence[Sequence[str]] | ReviewerIndex,
        *,
        aggregation: str | None = None,
    ) -> Iterator[tuple[int, int, np.ndarray]]:
        """Yield ``(start, stop, block)`` with float32 affinities of papers ``start:stop``."""
        how = aggregation or self.aggregation
        if how not in AGGREGATIONS:
            raise MatchingError(f"aggregation must be one of {AGGREGATIONS}")
        idx = reviewer_texts if isinstance(reviewer_texts, ReviewerIndex) \
            else self.index(reviewer_texts)
        papers = paper_texts if sp.issparse(paper_texts) else self.transform(paper_texts)
        papers = sp.csr_matrix(papers, dtype=np.float32)
        n_p, n_r = papers.shape[0], idx.n_reviewers
        width = int(idx.counts.max(initial=0))
        per_row = 4 * max(1, n_r) * max(3, width) + 16 * max(1, len(idx.owner))
        step = max(1, min(2048, BLOCK_BYTES // per_row))
        spans = [(a, min(n_p, a + step)) for a in range(0, n_p, step)]
        if how == "mean" and idx.sums is not None:
            # the mean of a reviewer's cosines is one product with the sum of their
            # vectors: a product with reviewers instead of publications
            pub_t, width = sp.csr_matrix(idx.sums.T), 0
        else:
            pub_t = sp.csr_matrix(idx.publications.T)
        profile_t = sp.csr_matrix(idx.profiles.T)

        def work(span: tuple[int, int]) -> np.ndarray:
            return _aggregate(papers[span[0]:span[1]], idx, how, width, pub_t, profile_t)

        for (start, stop), block in _ordered(work, spans, self.n_jobs):
            yield start, stop, block

    def affinity(
        self,
        paper_texts: Sequence[str] | sp.csr_matrix,
        reviewer_texts: Sequence[Sequence[str]] | ReviewerIndex,
        *,
        aggregation: str | None = None,
    ) -> np.ndarray:
        """Return the dense (papers x reviewers) float32 affinity matrix in [0, 1]."""
        n_r = reviewer_texts.n_reviewers if isinstance(reviewer_texts, ReviewerIndex) \
            else len(reviewer_texts)
        out = np.zeros((_count(paper_texts), n_r), dtype=np.float32)
        for start, stop, block in self.blocks(
            paper_texts, reviewer_texts, aggregation=aggregation
        ):
            out[start:stop] = block
        return out

    def affinity_topk(
        self,
        paper_texts: Sequence[str] | sp.csr_matrix,
        reviewer_texts: Sequence[Sequence[str]] | ReviewerIndex,
        *,
        k: int,
        aggregation: str | None = None,
    ) -> sp.csr_matrix:
        """Return a CSR matrix holding each paper's ``k`` highest affinities only.

        Ties at the cut are broken toward the lower reviewer index. Stored zeros
        are kept, so every paper has exactly ``min(k, n_reviewers)`` candidates.
        """
        n_r = reviewer_texts.n_reviewers if isinstance(reviewer_texts, ReviewerIndex) \
            else len(reviewer_texts)
        blocks = self.blocks(paper_texts, reviewer_texts, aggregation=aggregation)
        return _topk(blocks, (_count(paper_texts), n_r), k)

    def explain(
        self, paper_text: str, publications: Sequence[str], *, top_terms: int = 8
    ) -> PairExplanation:
        """Explain one pair: closest publication and the terms shared most."""
        from .explain import explain_pair

        return explain_pair(paper_text, publications, model=self, top_terms=top_terms)


def _preprocess(text: str) -> str:
    """Lower-case the plain text (no LaTeX macros or math) for the vectorizer."""
    return plain_text(text).lower()


def _count(papers: Sequence[str] | sp.csr_matrix) -> int:
    return int(papers.shape[0]) if sp.issparse(papers) else len(papers)


def _ordered(
    work: Callable[[tuple[int, int]], np.ndarray],
    spans: list[tuple[int, int]],
    n_jobs: int,
) -> Iterator[tuple[tuple[int, int], np.ndarray]]:
    """Run ``work`` on spans in a small thread pool, yielding in order, few in flight.

    The sparse products release the GIL, so threads use every core while memory
    stays bounded by ``n_jobs + 1`` blocks.
    """
    if n_jobs <= 1 or len(spans) <= 1:
        for span in spans:
            yield span, work(span)
        return
    with ThreadPoolExecutor(max_workers=n_jobs) as pool:
        pending: deque[tuple[tuple[int, int], Future[np.ndarray]]] = deque()
        for span in spans:
            pending.append((span, pool.submit(work, span)))
            if len(pending) > n_jobs:
                done_span, fut = pending.popleft()
                yield done_span, fut.result()
        while pending:
            done_span, fut = pending.popleft()
            yield done_span, fut.result()


def _aggregate(papers: sp.csr_matrix, idx: ReviewerIndex, how: str, width: int,
               pub_t: sp.csr_matrix, profile_t: sp.csr_matrix) -> np.ndarray:
    """Aggregate publication similarities of a paper block into reviewer affinities."""
    n_b, n_r = papers.shape[0], idx.n_reviewers
    if how == "centroid":
        block = (papers @ profile_t).toarray()
        return np.clip(block, 0.0, 1.0, out=block).astype(np.float32, copy=False)
    if how == "mean" and pub_t.shape[1] == n_r and idx.sums is not None:
        block = (papers @ pub_t).toarray().astype(np.float32, copy=False)
        block /= np.maximum(idx.counts, 1).astype(np.float32)
        return np.clip(block, 0.0, 1.0, out=block)
    out = np.zeros((n_b, n_r), dtype=np.float32)
    if len(idx.owner) == 0:
        return out
    sims = (papers @ pub_t).toarray().astype(np.float32, copy=False)
    np.clip(sims, 0.0, 1.0, out=sims)
    has = np.flatnonzero(idx.counts)
    starts = np.concatenate([[0], np.cumsum(idx.counts)[:-1]])[has]
    if how == "max":
        out[:, has] = np.maximum.reduceat(sims, starts, axis=1)
    elif how == "mean":
        out[:, has] = np.add.reduceat(sims, starts, axis=1) / idx.counts[has]
    else:
        k = 2 if how == "top2" else 3
        padded = np.zeros((n_b, n_r, max(width, k)), dtype=np.float32)
        padded[:, idx.owner, idx.position] = sims
        padded.sort(axis=2)
        top = padded[:, :, -k:].sum(axis=2)
        out[:, has] = top[:, has] / np.minimum(idx.counts[has], k)
    return out


METHODS = ("auto", "tfidf", "ensemble")
#: Texts ``method="auto"`` embeds on the spot (about 5 CPU-minutes); a larger venue gets
#: TF-IDF, since embeddings belong in a cache filled ahead of time (see the service).
AUTO_EMBED_LIMIT = 5000


def text_affinity(
    paper_texts: Sequence[str],
    reviewer_texts: Sequence[Sequence[str]],
    *,
    method: str = "auto",
    embedding_source: str | None = None,
    embedding_sha256: str | None = None,
    **options: object,
) -> np.ndarray:
    """Return the venue's default (papers x reviewers) float32 affinity in [0, 1].

    ``method="auto"`` gives the TF-IDF + sentence-embedding ensemble when the embedding
    model (``embedding_source``, by default the installed all-MiniLM-L6-v2 package) loads
    and its checksum is right, and TF-IDF alone otherwise (also beyond `AUTO_EMBED_LIMIT`
    texts, which would take long to embed on the spot); ``"tfidf"`` and ``"ensemble"``
    ask for one (``"ensemble"`` raises `MatchingError` when the model cannot be used).
    ``options`` go to the TF-IDF ``AffinityModel`` (for example ``aggregation="max"``).
    A reviewer without publications gets a column of zeros.
    """
    out = np.zeros((len(paper_texts), len(reviewer_texts)), dtype=np.float32)
    for start, stop, block in _venue_blocks(
        paper_texts, reviewer_texts, method, embedding_source, embedding_sha256, options
    ):
        out[start:stop] = block
    return out


def text_affinity_topk(
    paper_texts: Sequence[str],
    reviewer_texts: Sequence[Sequence[str]],
    *,
    k: int,
    method: str = "auto",
    embedding_source: str | None = None,
    embedding_sha256: str | None = None,
    **options: object,
) -> sp.csr_matrix:
    """Return `text_affinity` keeping only each paper's ``k`` best reviewers, as sparse CSR.

    Ties at the cut are broken toward the lower reviewer index; stored zeros are kept.
    """
    blocks = _venue_blocks(
        paper_texts, reviewer_texts, method, embedding_source, embedding_sha256, options
    )
    return _topk(blocks, (len(paper_texts), len(reviewer_texts)), k)


def _topk(blocks: Iterable[tuple[int, int, np.ndarray]], shape: tuple[int, int],
          k: int) -> sp.csr_matrix:
    kk = min(k, shape[1])
    rows, cols, vals = [], [], []
    for start, stop, block in blocks:
        if kk == 0:
            continue
        order = np.argsort(-block, axis=1, kind="stable")[:, :kk]
        rows.append(np.repeat(np.arange(start, stop), kk))
        cols.append(order.ravel())
        vals.append(np.take_along_axis(block, order, axis=1).ravel())
    if not rows:
        return sp.csr_matrix(shape, dtype=np.float32)
    mat = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape
    )
    mat.sort_indices()
    return mat


def _venue_blocks(
    paper_texts: Sequence[str],
    reviewer_texts: Sequence[Sequence[str]],
    method: str,
    embedding_source: str | None,
    embedding_sha256: str | None,
    options: dict[str, object],
) -> Iterator[tuple[int, int, np.ndarray]]:
    """Yield the venue's affinity blocks by ``method`` (see `text_affinity`)."""
    if method not in METHODS:
        raise MatchingError(f"method must be one of {METHODS}")
    model = AffinityModel(**options)  # type: ignore[arg-type]
    papers, index = _fit_venue(model, paper_texts, reviewer_texts)
    if method == "tfidf":
        return model.blocks(papers, index)
    from .embedding import DEFAULT_SOURCE, EmbeddingUnavailable, load_embedding_model
    from .ensemble import VectorIndex, ensemble_blocks, ensemble_standardisation

    n_texts = len(paper_texts) + sum(len(docs) for docs in reviewer_texts)
    if method == "auto" and n_texts > AUTO_EMBED_LIMIT:
        logger.warning("Affinity falls back to TF-IDF: %d texts are too many to embed here "
                       "(cache their vectors, or ask for method='ensemble')", n_texts)
        return model.blocks(papers, index)
    try:
        encoder = load_embedding_model(embedding_source or DEFAULT_SOURCE,
                                       sha256=embedding_sha256)
    except EmbeddingUnavailable as exc:
        if method == "ensemble":
            raise MatchingError(exc.message) from None
        logger.warning("Affinity falls back to TF-IDF: %s", exc.message)
        return model.blocks(papers, index)
    n_p = len(paper_texts)
    vectors = encoder.encode([*paper_texts, *(doc for docs in reviewer_texts for doc in docs)])
    counts = np.array([len(docs) for docs in reviewer_texts], dtype=np.int64)
    vector_index = VectorIndex.build(
        vectors[n_p:], counts, valid=np.linalg.norm(vectors[n_p:], axis=1) > 0
    )
    how = {"tfidf_aggregation": options["aggregation"]} if "aggregation" in options else {}
    stats = ensemble_standardisation(model, papers, index, vectors[:n_p], vector_index, **how)
    return ensemble_blocks(model, papers, index, vectors[:n_p], vector_index, stats, **how)


def _fit_venue(
    model: AffinityModel,
    paper_texts: Sequence[str],
    reviewer_texts: Sequence[Sequence[str]],
) -> tuple[sp.csr_matrix, ReviewerIndex]:
    """Fit ``model`` on papers plus publications in one pass; return papers and index."""
    counts = np.array([len(docs) for docs in reviewer_texts], dtype=np.int64)
    matrix = model.fit_transform(
        [*paper_texts, *(doc for docs in reviewer_texts for doc in docs)]
    )
    n_p = len(paper_texts)
    return matrix[:n_p], model.index_vectors(matrix[n_p:], counts)


def model_state(model: AffinityModel) -> tuple[list[str], np.ndarray]:
    """Return the fitted model's vocabulary (terms by column) and IDF weights, to store."""
    names = model.feature_names()
    return [str(term) for term in names], np.asarray(model.vectorizer.idf_, dtype=np.float32)


def model_from_state(
    terms: Sequence[str], idf: np.ndarray, *, aggregation: str = DEFAULT_AGGREGATION
) -> AffinityModel:
    """Rebuild a fitted ``AffinityModel`` from ``model_state``: it transforms and scores
    exactly as the model it was taken from, without fitting on the corpus again."""
    if len(terms) != len(idf) or not len(terms):
        raise MatchingError("a stored affinity model needs one IDF weight per term")
    model = AffinityModel(aggregation=aggregation)
    model.vectorizer.set_params(vocabulary={term: i for i, term in enumerate(terms)})
    model.vectorizer.idf_ = np.asarray(idf, dtype=np.float64)
    model._fitted = True
    return model
