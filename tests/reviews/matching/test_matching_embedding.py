"""Sentence embeddings: the NumPy encoder, the checked loader, plain text and the ensemble."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from reviews.matching import MatchingError, text_affinity, text_affinity_topk
from reviews.matching.embedding import (
    DEFAULT_SOURCE,
    EmbeddingUnavailable,
    load_embedding_model,
    resolve_source,
)
from reviews.matching.ensemble import (
    EMBEDDING_AGGREGATIONS,
    VectorIndex,
    embedding_affinity,
    reduce_by_reviewer,
    standardisation,
)
from reviews.matching.evaluate import author_metrics, graded_loss
from reviews.matching.plaintext import plain_text

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"
WRONG = "0" * 64


@pytest.fixture(scope="module")
def encoder():
    """The installed all-MiniLM-L6-v2 (CI installs it with the embeddings extra)."""
    try:
        return load_embedding_model()
    except EmbeddingUnavailable as exc:  # pragma: no cover - only without `make test`'s install
        pytest.skip(f"the embedding model is not installed here: {exc.message}")


def test_encoder_reproduces_reference_vectors(encoder):
    """Our NumPy forward pass gives the reference implementation's vectors.

    The reference vectors in data/minilm_reference.json were computed once, outside the
    project, with sentence-transformers 6.2.0 on PyTorch 2.14.1 (CPU) and transformers
    5.24.0 from the same weights (max_seq_length=128, normalize_embeddings=True) — an
    independent implementation of the model. They include a text long enough to be cut at
    128 tokens.
    """
    reference = json.loads(REFERENCE.read_text())
    assert reference["max_tokens"] == encoder.max_tokens == 128
    vectors = encoder.encode(reference["texts"])
    expected = np.array(reference["vectors"], dtype=np.float32)
    np.testing.assert_allclose(vectors, expected, atol=2e-5)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors[:8] @ vectors[:8].T
    assert sims[2, 3] > 0.8 and sims[4, 5] > 0.5 and sims[6, 7] > 0.6
    assert sims[2, 3] > max(sims[2, 4], sims[2, 6])


def test_encoder_gives_empty_text_a_zero_vector(encoder):
    vectors = encoder.encode(["", "$x^2$ \\cite{a}", "Graph neural networks"])
    assert np.all(vectors[:2] == 0)
    assert np.linalg.norm(vectors[2]) == pytest.approx(1.0, abs=1e-5)


def test_embedding_loader_refuses_a_wrong_checksum():
    with pytest.raises(EmbeddingUnavailable) as caught:
        load_embedding_model(DEFAULT_SOURCE, sha256=WRONG)
    assert "not the expected " + WRONG in caught.value.message
    assert "were not loaded" in caught.value.message


def test_embedding_loader_refuses_tampered_weights(tmp_path, encoder):
    copy = tmp_path / "model"
    shutil.copytree(encoder.path, copy)
    weights = copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(EmbeddingUnavailable) as caught:
        load_embedding_model(str(copy), sha256=encoder.sha256)
    assert str(weights) in caught.value.message
    assert f"not the expected {encoder.sha256}" in caught.value.message


def test_embedding_loader_refuses_a_directory_without_checksum(tmp_path, encoder):
    copy = tmp_path / "model"
    shutil.copytree(encoder.path, copy)
    with pytest.raises(EmbeddingUnavailable) as caught:
        load_embedding_model(str(copy))
    assert "No SHA-256 is configured" in caught.value.message
    # the same directory with its right checksum loads
    assert load_embedding_model(str(copy), sha256=encoder.sha256).dim == 384


def test_embedding_loader_names_a_missing_package_or_directory():
    with pytest.raises(EmbeddingUnavailable, match="is not installed"):
        resolve_source("no_such_model_package")
    with pytest.raises(EmbeddingUnavailable, match="does not exist"):
        resolve_source("/nonexistent/model/dir")


# Three papers, their authors' publications in other words, a reviewer without any, and a
# distractor who shares many of the papers' words (noise, images, training, molecular).
PAPERS = [
    "Predicting molecular properties with message passing. We learn representations of "
    "molecules from their atoms and bonds and predict quantum chemical properties.",
    "Private training of statistical models. We bound how much a trained model can reveal "
    "about any single person whose record was used for training.",
    "Image generation by reversing a noising process. We train a network to remove "
    "gradually added Gaussian noise and sample new images from pure noise.",
]
REVIEWERS = [
    ["Graph convolutional networks for chemistry. Neural networks on molecular graphs "
     "predict solubility and toxicity of compounds.",
     "Learning on atoms and bonds. Equivariant message passing networks for quantum "
     "chemistry."],
    ["Differential privacy for stochastic gradient descent. Clipping and noise give "
     "privacy guarantees for deep learning.",
     "Membership inference attacks. An adversary guesses whether a record was in the "
     "training set of a classifier."],
    [],
    ["Denoising diffusion probabilistic models. A Markov chain adds noise to images and "
     "a network learns to reverse it.",
     "Score-based generative modelling. Sampling images by following the gradient of the "
     "log density with Langevin dynamics."],
    ["Training large image classifiers with noise robust losses. We study label noise "
     "in image datasets and training of networks.",
     "Statistical models of molecular evolution. Predicting the properties of proteins "
     "from their sequences."],
]


def test_ensemble_ranks_the_true_author_first_on_a_hand_made_corpus(encoder):
    aff = text_affinity(PAPERS, REVIEWERS, method="ensemble")
    assert aff.shape == (3, 5) and aff.dtype == np.float32
    assert np.all((aff >= 0) & (aff <= 1))
    assert list(aff.argmax(axis=1)) == [0, 1, 3]
    assert np.all(aff[:, 2] == 0)


def test_text_affinity_is_the_ensemble_when_the_model_is_installed(encoder):
    auto = text_affinity(PAPERS, REVIEWERS)
    np.testing.assert_array_equal(auto, text_affinity(PAPERS, REVIEWERS, method="ensemble"))
    assert not np.allclose(auto, text_affinity(PAPERS, REVIEWERS, method="tfidf"))
    top = text_affinity_topk(PAPERS, REVIEWERS, k=2)
    np.testing.assert_allclose(top.toarray()[top.toarray() > 0], auto[top.toarray() > 0])


def test_text_affinity_with_a_wrong_checksum_falls_back_to_tfidf(encoder):
    fallback = text_affinity(PAPERS, REVIEWERS, embedding_sha256=WRONG)
    np.testing.assert_array_equal(fallback, text_affinity(PAPERS, REVIEWERS, method="tfidf"))
    with pytest.raises(MatchingError, match="not the expected"):
        text_affinity(PAPERS, REVIEWERS, method="ensemble", embedding_sha256=WRONG)
    with pytest.raises(MatchingError, match="method must be one of"):
        text_affinity(PAPERS, REVIEWERS, method="bm25")


def test_plain_text_drops_latex_math_and_macro_names():
    text = (r"From dyadic $\Lambda_{\alpha}$ to \emph{sparse} \textbf{Hilbert--Siegel} forms "
            r"over $\mathbb{Q}(\sqrt{5})$ \cite{doe21}, after Bal\'azs and \v{C}ech; "
            "see **this** [note](https://example.org).")
    plain = plain_text(text)
    assert plain == ("From dyadic to sparse Hilbert--Siegel forms over , after Balazs and "
                     "Cech; see this note.")
    for macro in ("Lambda", "alpha", "emph", "textbf", "mathbb", "sqrt", "cite", "doe21"):
        assert macro not in plain


def test_tfidf_vocabulary_has_no_macro_names():
    from reviews.matching import AffinityModel

    model = AffinityModel(min_df=1, max_df=1.0)
    model.fit([r"We bound $\mathcal{O}(n \log n)$ with \emph{sparse} cuts", "sparse graphs"])
    assert set(model.feature_names()) >= {"sparse", "cuts"}
    assert not {"mathcal", "log", "emph"} & set(model.feature_names())


def test_reduce_by_reviewer_aggregations_are_ordered():
    rng = np.random.default_rng(0)
    sims = rng.uniform(-0.2, 0.9, size=(5, 9)).astype(np.float32)
    counts = np.array([3, 0, 4, 2])
    got = {how: reduce_by_reviewer(sims, counts, how) for how in EMBEDDING_AGGREGATIONS}
    assert np.all(got["max"] >= got["top2"] - 1e-6)
    assert np.all(got["top2"] >= got["top3"] - 1e-6)
    assert np.all(got["top3"] >= got["mean"] - 1e-6)
    assert np.all(got["softmax"] <= got["max"] + 1e-6)
    assert np.all(got["softmax"] >= got["mean"] - 1e-6)
    np.testing.assert_allclose(got["max"][:, 0], sims[:, :3].max(axis=1))
    np.testing.assert_allclose(got["top2"][:, 3], sims[:, 7:9].mean(axis=1), rtol=1e-6)
    assert all(np.all(v[:, 1] == 0) for v in got.values())
    with pytest.raises(MatchingError):
        reduce_by_reviewer(sims, counts, "median")


def test_standardisation_from_a_sample_of_papers_is_close_to_the_whole_matrix():
    rng = np.random.default_rng(1)
    tfidf = rng.beta(1, 12, size=(4000, 50)).astype(np.float32)
    emb = (0.3 * tfidf + rng.normal(0.2, 0.08, size=tfidf.shape)).astype(np.float32)
    has = np.ones(50, dtype=bool)
    whole = standardisation(tfidf, emb, has, weight=0.6)
    rows = rng.choice(4000, size=512, replace=False)
    sample = standardisation(tfidf[rows], emb[rows], has, weight=0.6)
    assert sample.tfidf_mean == pytest.approx(whole.tfidf_mean, rel=0.05)
    assert sample.embedding_std == pytest.approx(whole.embedding_std, rel=0.05)
    assert sample.combined_std == pytest.approx(whole.combined_std, rel=0.05)


def test_vector_index_drops_texts_without_vectors():
    vectors = np.eye(4, dtype=np.float32)
    index = VectorIndex.build(vectors, np.array([2, 2]), valid=np.array([1, 0, 0, 0], bool))
    assert list(index.counts) == [1, 0]
    aff = embedding_affinity(np.eye(4, dtype=np.float32)[:1], index, aggregation="mean")
    assert aff.tolist() == [[1.0, 0.0]]


def test_author_metrics_and_graded_loss():
    scores = np.array([[0.9, 0.1, 0.5], [0.2, 0.2, 0.8]], dtype=np.float32)
    quality = author_metrics(scores, np.array([0, 1]))
    assert quality.top1 == 0.5 and quality.mrr == pytest.approx((1 + 1 / 3) / 2)
    assert quality.loss == pytest.approx((0 + (1 + 0.5) / 2) / 2)
    grades = np.array([[1.0, 0.0, 0.5]])
    assert graded_loss(np.array([[0.9, 0.1, 0.5]]), grades) == 0.0
    assert graded_loss(np.array([[0.1, 0.9, 0.5]]), grades) == 1.0
