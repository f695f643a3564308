"""Explain an affinity: the closest publication and the terms shared most."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .affinity import AffinityModel


@dataclass(frozen=True)
class PairExplanation:
    """Why a paper and a reviewer match.

    ``publication`` is the index of the reviewer's publication closest to the
    paper (``None`` without publications) and ``similarity`` its cosine
    similarity. ``shared_terms`` lists ``(term, contribution)`` pairs, largest
    first, where a contribution is the product of the term's TF-IDF weights in
    both texts; all contributions of a publication add up to its similarity, so
    ``coverage`` tells how much of it the listed terms explain.
    """

    publication: int | None
    similarity: float
    similarities: tuple[float, ...]
    shared_terms: tuple[tuple[str, float], ...]
    coverage: float


def explain_pair(
    paper_text: str,
    publications: Sequence[str],
    *,
    model: AffinityModel,
    top_terms: int = 8,
) -> PairExplanation:
    """Return the closest publication and the shared terms behind a pair's affinity.

    ``model`` is the venue's fitted ``AffinityModel``, so the explanation uses the
    same vocabulary and weights as the affinities. Ties go to the earlier
    publication and, among terms, to the alphabetically first.
    """
    if not publications:
        return PairExplanation(None, 0.0, (), (), 0.0)
    paper = model.transform([paper_text])
    pubs = model.transform(publications)
    sims = np.clip(np.asarray((pubs @ paper.T).toarray()).ravel(), 0.0, 1.0)
    best = int(np.argmax(sims))
    overlap = paper.multiply(pubs[best]).tocoo()
    names = model.feature_names()
    weights = overlap.data.astype(np.float64)
    terms = names[overlap.col]
    order = np.lexsort((terms, -weights))[:top_terms]
    shared = tuple((str(terms[i]), float(weights[i])) for i in order if weights[i] > 0)
    total = float(sims[best])
    covered = float(sum(w for _, w in shared))
    return PairExplanation(
        publication=best,
        similarity=total,
        similarities=tuple(float(s) for s in sims),
        shared_terms=shared,
        coverage=covered / total if total > 0 else 0.0,
    )
