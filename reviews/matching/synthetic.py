"""Seeded synthetic venues: topic-mixture text corpora and affinity matrices.

The generators stand in for real venues in the evaluation, the benchmark and the
tests. Text is built from machine-learning topics, each with its own vocabulary,
so that TF-IDF similarity has the structure it has on real abstracts: shared
generic academic phrasing, topical overlap between neighbouring areas, and
authors who reuse their own niche terminology across publications.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

TOPICS: dict[str, tuple[str, ...]] = {
    "graphs": (
        "graph neural network", "message passing", "node classification", "link prediction",
        "graph convolution", "oversmoothing", "molecular graphs", "graph isomorphism",
        "heterophily", "spectral filters", "graph attention", "subgraph sampling",
        "knowledge graph", "graph transformer", "positional encodings", "hypergraph",
    ),
    "reinforcement": (
        "reinforcement learning", "policy gradient", "value function", "q-learning",
        "exploration bonus", "offline reinforcement", "reward shaping", "actor critic",
        "markov decision process", "sample efficiency", "model-based planning",
        "multi-agent", "regret bound", "bellman operator", "trajectory", "sparse reward",
    ),
    "vision": (
        "image classification", "convolutional network", "object detection", "segmentation",
        "vision transformer", "data augmentation", "imagenet", "feature pyramid",
        "semantic segmentation", "instance segmentation", "depth estimation", "optical flow",
        "image patches", "backbone", "bounding box", "pixel-level",
    ),
    "language": (
        "language model", "tokenizer", "machine translation", "question answering",
        "pretraining corpus", "instruction tuning", "in-context learning", "next-token",
        "summarization", "named entity", "sequence-to-sequence", "prompting",
        "reading comprehension", "text generation", "perplexity", "multilingual",
    ),
    "optimization": (
        "stochastic gradient descent", "convergence rate", "adaptive learning rate",
        "nonconvex optimization", "momentum", "second-order method", "hessian",
        "learning rate schedule", "variance reduction", "saddle point", "lipschitz",
        "smoothness", "step size", "adam optimizer", "loss landscape", "gradient noise",
    ),
    "generative": (
        "diffusion model", "score matching", "denoising", "variational autoencoder",
        "generative adversarial", "normalizing flow", "likelihood", "latent space",
        "sampling steps", "image synthesis", "classifier-free guidance", "evidence lower bound",
        "mode collapse", "reverse process", "noise schedule", "fid score",
    ),
    "theory": (
        "generalization bound", "sample complexity", "pac learning", "rademacher complexity",
        "vc dimension", "uniform convergence", "overparameterization", "neural tangent kernel",
        "double descent", "implicit bias", "minimax rate", "lower bound", "kernel regime",
        "benign overfitting", "margin theory", "statistical learning",
    ),
    "fairness": (
        "algorithmic fairness", "demographic parity", "equalized odds", "protected attribute",
        "disparate impact", "bias mitigation", "fair representation", "group fairness",
        "individual fairness", "calibration across groups", "sensitive attribute",
        "counterfactual fairness", "auditing", "discrimination", "subgroup", "equity",
    ),
    "privacy": (
        "differential privacy", "privacy budget", "membership inference", "dp-sgd",
        "gradient clipping", "federated learning", "secure aggregation", "privacy accounting",
        "local differential privacy", "data leakage", "model inversion", "noise calibration",
        "renyi divergence", "client sampling", "anonymization", "privacy amplification",
    ),
    "bayesian": (
        "bayesian inference", "posterior distribution", "variational inference",
        "markov chain monte carlo", "gaussian process", "prior", "uncertainty quantification",
        "hamiltonian monte carlo", "bayesian neural network", "marginal likelihood",
        "expectation propagation", "credible interval", "hierarchical model",
        "stochastic variational", "posterior predictive", "laplace approximation",
    ),
    "robustness": (
        "adversarial examples", "adversarial training", "certified robustness",
        "perturbation", "distribution shift", "out-of-distribution detection",
        "randomized smoothing", "attack success rate", "robust accuracy", "corruptions",
        "domain generalization", "backdoor attack", "poisoning", "threat model",
        "lp-norm ball", "worst-case risk",
    ),
    "causality": (
        "causal inference", "structural causal model", "treatment effect", "confounding",
        "instrumental variable", "causal discovery", "intervention", "counterfactual",
        "directed acyclic graph", "identifiability", "do-calculus", "propensity score",
        "backdoor criterion", "causal representation", "observational data", "mediation",
    ),
    "timeseries": (
        "time series forecasting", "temporal dynamics", "recurrent network", "lstm",
        "seasonality", "multivariate series", "anomaly detection", "state space model",
        "horizon", "autoregressive", "irregular sampling", "temporal convolution",
        "spatio-temporal", "trend", "forecasting accuracy", "sequential data",
    ),
    "audio": (
        "speech recognition", "acoustic model", "spectrogram", "text-to-speech",
        "speaker verification", "audio classification", "waveform", "phoneme",
        "word error rate", "self-supervised speech", "music generation", "source separation",
        "mel-frequency", "voice conversion", "keyword spotting", "prosody",
    ),
    "recsys": (
        "recommender system", "collaborative filtering", "matrix factorization",
        "implicit feedback", "click-through rate", "user embeddings", "item cold-start",
        "ranking loss", "session-based recommendation", "top-n recommendation",
        "negative sampling", "two-tower", "user engagement", "popularity bias",
        "sequential recommendation", "retrieval stage",
    ),
    "efficiency": (
        "model compression", "quantization", "knowledge distillation", "pruning",
        "sparse attention", "low-rank adaptation", "inference latency", "mixture of experts",
        "hardware-aware", "memory footprint", "efficient transformer", "mixed precision",
        "neural architecture search", "parameter-efficient", "throughput", "edge devices",
    ),
    "robotics": (
        "robot manipulation", "imitation learning", "sim-to-real", "motion planning",
        "grasping", "locomotion", "visuomotor policy", "demonstrations", "embodied agent",
        "dexterous hand", "teleoperation", "control policy", "legged robot", "navigation",
        "tactile sensing", "task and motion",
    ),
    "selfsupervised": (
        "contrastive learning", "self-supervised", "representation learning",
        "masked autoencoder", "augmentation views", "linear probing", "momentum encoder",
        "negative pairs", "invariance", "pretext task", "embedding collapse", "infonce",
        "downstream transfer", "clustering objective", "siamese network", "byol",
    ),
}

FILLER: tuple[str, ...] = (
    "we propose", "novel", "approach", "method", "framework", "experiments", "results show",
    "state-of-the-art", "benchmark", "empirical", "theoretical analysis", "outperforms",
    "baselines", "significantly", "paper", "existing methods", "we show", "challenging",
    "performance", "efficient", "demonstrate", "extensive", "evaluation", "setting",
    "problem", "effective", "improves", "datasets", "propose", "study", "key", "insight",
    "simple", "scalable", "task", "tasks", "learning", "model", "models", "data", "training",
)


_VOCAB = np.array(list(TOPICS.values()), dtype=object)
_FILLER = np.array(FILLER, dtype=object)


@dataclass(frozen=True, eq=False)
class SyntheticCorpus:
    """A venue: submitted papers and the publications of each reviewer."""

    paper_texts: list[str]
    reviewer_texts: list[list[str]]
    paper_topics: np.ndarray
    reviewer_topics: np.ndarray


_SYLLABLES = ("ka", "ro", "ven", "ti", "lu", "mar", "so", "qui", "de", "zan", "pe", "lor",
              "ix", "bra", "no", "fel", "ga", "tor", "mi", "sha")


def _rare_terms(rng: np.random.Generator, n: int) -> np.ndarray:
    """Invent ``n`` method- or dataset-like names (the long tail of real vocabularies)."""
    parts = rng.integers(len(_SYLLABLES), size=(n, 3))
    return np.array(["".join(_SYLLABLES[i] for i in row) for row in parts], dtype=object)


def _document(
    rng: np.random.Generator,
    mixture: np.ndarray,
    *,
    niche: np.ndarray | None,
    signature: np.ndarray,
    length: int,
) -> str:
    """Draw one title-plus-abstract text from a topic mixture.

    60% of the words are topical (half from the author's niche when given), a few
    are rare names from ``signature``, the rest generic academic filler.
    """
    n_topical = int(length * 0.6)
    n_rare = min(len(signature), 3)
    topics = rng.choice(len(_VOCAB), size=n_topical, p=mixture)
    term = rng.integers(_VOCAB.shape[1], size=n_topical)
    if niche is not None:
        use = rng.random(n_topical) < 0.5
        term = np.where(use, niche[topics, rng.integers(niche.shape[1], size=n_topical)], term)
    words = list(_VOCAB[topics, term])
    words.extend(signature[rng.integers(len(signature), size=n_rare)])
    words.extend(_FILLER[rng.integers(len(_FILLER), size=length - n_topical - n_rare)])
    order = rng.permutation(len(words))
    return " ".join(words[i] for i in order)


def _focus(rng: np.random.Generator, profile: np.ndarray, popularity: np.ndarray
           ) -> np.ndarray:
    """Pick the one topic a publication is about: mostly from the profile."""
    focus = np.zeros(len(profile))
    weights = popularity if rng.random() < 0.1 else profile
    focus[rng.choice(len(profile), p=weights)] = 1.0
    return focus


def _mixture(rng: np.random.Generator, n_topics: int, popularity: np.ndarray) -> np.ndarray:
    """Draw a mixture over 1-3 topics, popular topics more often."""
    count = int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15]))
    chosen = rng.choice(n_topics, size=count, replace=False, p=popularity)
    weights = rng.dirichlet(np.full(count, 2.0))
    mixture = np.zeros(n_topics)
    mixture[chosen] = weights
    return mixture


def topic_corpus(
    n_papers: int,
    n_reviewers: int,
    *,
    publications: tuple[int, int] = (3, 10),
    focused: bool = True,
    seed: int = 0,
) -> SyntheticCorpus:
    """Generate a seeded venue of papers and reviewer publications.

    Each reviewer has a profile over 1-3 topics, four niche terms per topic and a
    few invented method names that they reuse. Each publication focuses on one
    topic of the profile (one in ten on a topic outside it, as with a new
    collaboration) mixed with the rest of the profile; with ``focused=False``
    every publication draws from the whole profile instead. Papers draw from 1-3
    topics with Zipf-like topic popularity and carry rare names of their own.
    """
    rng = np.random.default_rng(seed)
    n_topics, width = _VOCAB.shape
    popularity = 1.0 / np.arange(1, n_topics + 1) ** 0.7
    popularity = rng.permutation(popularity / popularity.sum())

    paper_topics = np.stack([_mixture(rng, n_topics, popularity) for _ in range(n_papers)])
    papers = [
        _document(rng, m, niche=None, signature=_rare_terms(rng, 3),
                  length=int(rng.integers(90, 180)))
        for m in paper_topics
    ]
    reviewer_topics = np.stack([_mixture(rng, n_topics, popularity) for _ in range(n_reviewers)])
    reviewers: list[list[str]] = []
    lo, hi = publications
    for profile in reviewer_topics:
        niche = np.argsort(rng.random((n_topics, width)), axis=1)[:, :4]
        signature = _rare_terms(rng, 4)
        docs = []
        for _ in range(int(rng.integers(lo, hi + 1))):
            focus = _focus(rng, profile, popularity) if focused else profile
            mix = 0.6 * focus + 0.3 * profile + 0.1 * rng.dirichlet(np.full(n_topics, 0.05))
            mix = mix / mix.sum()
            docs.append(_document(rng, mix, niche=niche, signature=signature,
                                  length=int(rng.integers(90, 180))))
        reviewers.append(docs)
    return SyntheticCorpus(papers, reviewers, paper_topics, reviewer_topics)


def topic_affinity(
    n_papers: int,
    n_reviewers: int,
    *,
    n_topics: int = 40,
    noise: float = 0.05,
    seed: int = 0,
) -> np.ndarray:
    """Generate a seeded float32 affinity matrix in [0, 1] from topic mixtures.

    Papers and reviewers get sparse Dirichlet topic vectors; affinity is their
    cosine similarity plus Gaussian noise, clipped to [0, 1]. The result has the
    block structure and the contention for popular experts of real venues.
    """
    rng = np.random.default_rng(seed)
    papers = rng.dirichlet(np.full(n_topics, 0.08), size=n_papers).astype(np.float32)
    reviewers = rng.dirichlet(np.full(n_topics, 0.15), size=n_reviewers).astype(np.float32)
    papers /= np.linalg.norm(papers, axis=1, keepdims=True)
    reviewers /= np.linalg.norm(reviewers, axis=1, keepdims=True)
    affinity = papers @ reviewers.T
    affinity += rng.normal(0.0, noise, size=affinity.shape).astype(np.float32)
    np.clip(affinity, 0.0, 1.0, out=affinity)
    return affinity


def random_conflicts(
    n_papers: int, n_reviewers: int, *, rate: float = 0.02, seed: int = 0
) -> np.ndarray:
    """Draw a seeded boolean conflict mask with the given density."""
    rng = np.random.default_rng(seed + 1)
    return rng.random((n_papers, n_reviewers), dtype=np.float32) < rate


@dataclass(frozen=True, eq=False)
class HardInstance:
    """A tight venue: what ``assign`` receives, plus how it was drawn."""

    affinity: np.ndarray
    conflicts: np.ndarray
    per_paper: int
    max_load: np.ndarray
    min_load: np.ndarray
    institutions: np.ndarray


def hard_instance(
    n_papers: int,
    n_reviewers: int,
    *,
    per_paper: int = 3,
    n_topics: int = 40,
    n_institutions: int = 300,
    min_load: bool = False,
    zipf: float = 1.0,
    noise: float = 0.03,
    seed: int = 0,
) -> HardInstance:
    """Generate a seeded tight venue where experts on popular topics are contested.

    * Topic popularity follows Zipf's law (exponent ``zipf``). Papers draw their
      sparse topic mixtures from it; reviewers from a flatter version (its square
      root), so popular topics have more papers than experts.
    * Each reviewer's max load is drawn uniformly from ``ceil(k P / R)`` to
      ``ceil(k P / R) + 2``; with ``min_load`` every reviewer must also take at
      least ``ceil(k P / R) - 1`` papers (at least 1).
    * Conflicts are clustered by institution: reviewers belong to one of
      ``n_institutions`` institutions (sizes Zipf-like, each with a home topic
      its members lean to), papers come from one to three institutions, and a
      reviewer conflicts with every paper of their institution.

    Affinity is the cosine of the topic vectors plus noise, clipped to [0, 1],
    float32 (papers x reviewers).
    """
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, n_topics + 1, dtype=np.float64)
    popularity = rng.permutation(1.0 / ranks**zipf)
    popularity /= popularity.sum()
    flat = np.sqrt(popularity)
    flat /= flat.sum()

    inst_size = 1.0 / np.arange(1, n_institutions + 1) ** 0.8
    inst_size /= inst_size.sum()
    home = rng.choice(n_topics, size=n_institutions, p=flat)

    reviewer_inst = rng.choice(n_institutions, size=n_reviewers, p=inst_size)
    lean = np.zeros((n_reviewers, n_topics))
    lean[np.arange(n_reviewers), home[reviewer_inst]] = 2.0
    reviewers = np.stack([rng.dirichlet(0.15 * n_topics * flat + lean[i] + 1e-3)
                          for i in range(n_reviewers)])

    n_inst = np.minimum(rng.choice([1, 2, 3], size=n_papers, p=[0.5, 0.35, 0.15]),
                        n_institutions)
    paper_inst = np.full((n_papers, 3), -1)
    for p in range(n_papers):
        paper_inst[p, : n_inst[p]] = rng.choice(n_institutions, size=n_inst[p],
                                                replace=False, p=inst_size)
    lean = np.zeros((n_papers, n_topics))
    lean[np.arange(n_papers), home[paper_inst[:, 0]]] = 1.0
    papers = np.stack([rng.dirichlet(0.08 * n_topics * popularity + lean[p] + 1e-3)
                       for p in range(n_papers)])

    papers /= np.linalg.norm(papers, axis=1, keepdims=True)
    reviewers /= np.linalg.norm(reviewers, axis=1, keepdims=True)
    affinity = (papers @ reviewers.T).astype(np.float32)
    affinity += rng.normal(0.0, noise, size=affinity.shape).astype(np.float32)
    np.clip(affinity, 0.0, 1.0, out=affinity)

    conflicts = np.zeros((n_papers, n_reviewers), dtype=bool)
    for j in range(3):
        inst = paper_inst[:, j]
        has = inst >= 0
        conflicts[has] |= reviewer_inst[None, :] == inst[has, None]

    base = -(-per_paper * n_papers // n_reviewers)
    max_load = rng.integers(base, base + 3, size=n_reviewers)
    lower = np.full(n_reviewers, max(1, base - 1) if min_load else 0, dtype=np.int64)
    return HardInstance(affinity, conflicts, per_paper, max_load, lower, reviewer_inst)


def sparse_candidates(affinity: np.ndarray, conflicts: np.ndarray, k: int) -> sp.csr_matrix:
    """Return each paper's ``k`` best non-conflicted reviewers as a CSR matrix.

    This is the sparse candidate input a venue gives when it stores only top-k
    affinities: an unstored pair is not a candidate.
    """
    n_p, n_r = affinity.shape
    masked = np.where(conflicts, -np.inf, affinity.astype(np.float32))
    idx = np.argpartition(-masked, k - 1, axis=1)[:, :k]
    val = np.take_along_axis(masked, idx, axis=1)
    keep = np.isfinite(val)
    rows = np.broadcast_to(np.arange(n_p)[:, None], idx.shape)[keep]
    mat = sp.csr_matrix((val[keep].astype(np.float64), (rows, idx[keep])), shape=(n_p, n_r))
    mat.sort_indices()
    return mat
