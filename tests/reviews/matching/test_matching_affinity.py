"""Text affinity, its sparse top-k form, explanations and the evaluation."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics.pairwise import cosine_similarity

from reviews.matching import (
    AGGREGATIONS,
    AffinityModel,
    MatchingError,
    explain_pair,
    text_affinity,
    text_affinity_topk,
)
from reviews.matching.evaluate import format_table, leave_one_out
from reviews.matching.synthetic import topic_affinity, topic_corpus

PAPERS = [
    "Graph neural networks with message passing for molecular property prediction",
    "Differentially private stochastic gradient descent with tight privacy accounting",
    "Diffusion models for image synthesis with classifier-free guidance",
]
REVIEWERS = [
    [
        "Message passing graph neural networks on molecular graphs",
        "Oversmoothing in deep graph neural networks",
    ],
    [
        "Privacy amplification by subsampling for differentially private gradient descent",
        "Membership inference attacks against private models",
        "Renyi differential privacy accounting",
    ],
    [],
    [
        "Score matching and denoising diffusion models for image synthesis",
    ],
]


def test_affinity_shape_range_and_dtype():
    aff = text_affinity(PAPERS, REVIEWERS)
    assert aff.shape == (3, 4)
    assert aff.dtype == np.float32
    assert np.all((aff >= 0) & (aff <= 1))


def test_affinity_on_topic_reviewer_ranks_first():
    aff = text_affinity(PAPERS, REVIEWERS)
    assert aff[0].argmax() == 0
    assert aff[1].argmax() == 1
    assert aff[2].argmax() == 3
    assert aff[0, 0] > aff[0, 1]


def test_affinity_reviewer_without_publications_is_zero():
    for how in AGGREGATIONS:
        aff = text_affinity(PAPERS, REVIEWERS, aggregation=how)
        assert np.all(aff[:, 2] == 0), how


def test_affinity_max_equals_best_publication_cosine():
    model = AffinityModel(aggregation="max")
    model.fit([*PAPERS, *(d for docs in REVIEWERS for d in docs)])
    aff = model.affinity(PAPERS, REVIEWERS)
    papers = model.transform(PAPERS)
    for r, docs in enumerate(REVIEWERS):
        if docs:
            sims = cosine_similarity(papers, model.transform(docs))
            np.testing.assert_allclose(aff[:, r], sims.max(axis=1), atol=1e-6)


def test_affinity_aggregations_ordered_as_defined():
    model = AffinityModel()
    model.fit([*PAPERS, *(d for docs in REVIEWERS for d in docs)])
    values = {how: model.affinity(PAPERS, REVIEWERS, aggregation=how) for how in AGGREGATIONS}
    assert np.all(values["max"] >= values["top2"] - 1e-6)
    assert np.all(values["top2"] >= values["top3"] - 1e-6)
    assert np.all(values["top3"] >= values["mean"] - 1e-6)
    with pytest.raises(MatchingError):
        model.affinity(PAPERS, REVIEWERS, aggregation="median")


def test_affinity_topk_matches_dense_topk():
    corpus = topic_corpus(40, 60, seed=2)
    dense = text_affinity(corpus.paper_texts, corpus.reviewer_texts, method="tfidf")
    sparse = text_affinity_topk(corpus.paper_texts, corpus.reviewer_texts, k=5, method="tfidf")
    assert sparse.shape == dense.shape
    assert np.all(np.diff(sparse.indptr) == 5)
    for p in range(dense.shape[0]):
        row = sparse[p]
        expected = np.sort(dense[p])[::-1][:5]
        np.testing.assert_allclose(np.sort(row.data)[::-1], expected, atol=1e-6)
        np.testing.assert_allclose(row.data, dense[p, row.indices], atol=1e-6)


def test_affinity_blocks_cover_all_papers_with_small_blocks(monkeypatch):
    import reviews.matching.affinity as module

    corpus = topic_corpus(30, 20, seed=4)
    full = text_affinity(corpus.paper_texts, corpus.reviewer_texts, method="tfidf", n_jobs=1)
    monkeypatch.setattr(module, "BLOCK_BYTES", 1)
    blocked = text_affinity(corpus.paper_texts, corpus.reviewer_texts, method="tfidf", n_jobs=2)
    np.testing.assert_allclose(full, blocked, atol=1e-6)


def test_affinity_model_requires_fit():
    with pytest.raises(MatchingError):
        AffinityModel().transform(["text"])
    with pytest.raises(MatchingError):
        AffinityModel(aggregation="nope")


def test_explain_pair_finds_closest_publication_and_shared_terms():
    model = AffinityModel().fit([*PAPERS, *(d for docs in REVIEWERS for d in docs)])
    explanation = explain_pair(PAPERS[1], REVIEWERS[1], model=model, top_terms=5)
    sims = cosine_similarity(model.transform([PAPERS[1]]), model.transform(REVIEWERS[1]))[0]
    assert explanation.publication == int(np.argmax(sims))
    assert explanation.similarity == pytest.approx(sims.max(), abs=1e-6)
    assert 0 < len(explanation.shared_terms) <= 5
    closest = REVIEWERS[1][explanation.publication].lower()
    for term, weight in explanation.shared_terms:
        assert weight > 0
        assert term in PAPERS[1].lower() and term in closest
    weights = [w for _, w in explanation.shared_terms]
    assert weights == sorted(weights, reverse=True)
    assert 0 < explanation.coverage <= 1 + 1e-6


def test_explain_pair_without_publications():
    model = AffinityModel().fit(PAPERS)
    explanation = model.explain(PAPERS[0], [])
    assert explanation.publication is None and explanation.shared_terms == ()


def test_leave_one_out_ranks_authors():
    corpus = topic_corpus(50, 80, seed=1)
    rows = leave_one_out(corpus.reviewer_texts, paper_texts=corpus.paper_texts)
    assert [r.aggregation for r in rows] == list(AGGREGATIONS)
    for row in rows:
        assert row.queries == 80
        assert 0 <= row.top1 <= row.top10 <= 1
        assert row.top10 > 0.5, "the author should usually be among the first ten"
    assert "| max |" in format_table(rows)


def test_synthetic_generators_are_seeded():
    first, again = topic_corpus(5, 5, seed=3), topic_corpus(5, 5, seed=3)
    assert first.paper_texts == again.paper_texts
    assert first.reviewer_texts == again.reviewer_texts
    np.testing.assert_array_equal(topic_affinity(5, 6, seed=1), topic_affinity(5, 6, seed=1))
    assert topic_affinity(5, 6).min() >= 0 and topic_affinity(5, 6).max() <= 1
