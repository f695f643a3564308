"""Score papers submitted after the venue's last affinity computation, one at a time.

The full computation (`reviews.services.affinity`) keeps what it fitted (`AffinityFit`): the
TF-IDF vocabulary and weights of the venue's corpus, the ensemble's standardisation, and each
reviewer's lowest kept score among their best papers. A newly submitted (or resubmitted)
paper is scored against the venue's reviewers with that model — its own embedding computed
here, the publications' read from the embedding cache — and stored like the others: its best
`candidates_per_paper` reviewers without a conflict, every reviewer it would have been among
the best papers of, and the pairs with a "high" or "very high" bid or an invitation. Nothing else is
recomputed; a venue without a full computation yet scores nothing (its first run will).
"""

from __future__ import annotations

import logging
import math
import zlib
from collections.abc import Sequence

import numpy as np
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from journal.models import Venue
from reviews.matching.affinity import model_from_state
from reviews.matching.embedding import EmbeddingUnavailable
from reviews.matching.ensemble import Standardisation, ensemble_blocks
from reviews.models import AffinityFit, AffinityScore
from reviews.selectors.conflicts import conflict_mask
from reviews.selectors.expertise import (
    matchable_submissions,
    reviewer_documents,
    submission_text,
    venue_reviewer_roles,
)
from reviews.services.affinity import block_top_k, embedded_vectors, kept_pairs
from reviews.services.embeddings import embedding_model_configured

logger = logging.getLogger(__name__)


def affinities_queue_papers(*, venue: Venue, submission_ids: Sequence[int]) -> None:
    """Score these papers in the background once the current transaction commits."""
    from reviews.tasks import affinity_score_papers_task

    ids = [int(i) for i in submission_ids]
    venue_id = venue.pk

    def enqueue() -> None:
        # The paper is stored whatever happens here: with the broker down it is scored by
        # the venue's next affinity run instead of failing the author's request.
        try:
            affinity_score_papers_task.delay(venue_id, ids)
        except OperationalError as exc:
            logger.warning("Could not queue the scoring of papers %s: %s", ids, exc)

    transaction.on_commit(enqueue)


def affinities_score_papers(
    *, venue: Venue, submission_ids: Sequence[int], per_paper: int | None = None
) -> int:
    """Score the given papers of `venue` with its stored fit; return how many scores were
    stored. Their previous scores are replaced; papers that are not matchable are skipped.

    `per_paper` keeps more than the fit's number of best reviewers per paper (the matching
    asks for more when the stored candidates are too few for the loads).
    """
    fit = AffinityFit.objects.filter(venue=venue).first()
    if fit is None:
        return 0
    wanted = {int(i) for i in submission_ids}
    submissions = list(matchable_submissions(venue=venue).filter(pk__in=wanted))
    reviewers = [role.user for role in venue_reviewer_roles(venue=venue)]
    if not submissions or not reviewers:
        return 0
    terms = zlib.decompress(bytes(fit.terms)).decode("utf-8").split("\n")
    model = model_from_state(terms, np.frombuffer(bytes(fit.idf), dtype="<f4"))
    documents = reviewer_documents(user_ids=[r.pk for r in reviewers])
    paper_texts = [submission_text(s) for s in submissions]
    reviewer_texts = [[text for _, text in documents.get(r.pk, ())] for r in reviewers]
    papers = model.transform(paper_texts)
    index = model.index(reviewer_texts)
    blocks = _blocks(fit, model, papers, index, submissions, paper_texts, reviewers, reviewer_texts)
    conflicts = conflict_mask(venue=venue, submissions=submissions, reviewers=reviewers)
    extra = kept_pairs(submissions, reviewers)
    k = min(max(per_paper or 0, fit.candidates_per_paper), len(reviewers))
    thresholds = np.array(
        [_threshold(fit.reviewer_thresholds.get(str(r.pk), math.inf)) for r in reviewers]
    )
    rows, cols, vals, ranks = [], [], [], []
    for start, stop, block in blocks:
        block = np.array(block, dtype=np.float64)
        sub = conflicts[start:stop]
        block[np.repeat(np.arange(stop - start), np.diff(sub.indptr)), sub.indices] = -1.0
        block_top_k(block, start, k, extra, rows, cols, vals, ranks)
        _reviewer_side(block, start, thresholds, rows, cols, vals, ranks)
    rows, cols, vals, ranks = (np.concatenate(x) for x in (rows, cols, vals, ranks))
    keys, first = np.unique(rows * len(reviewers) + cols, return_index=True)
    now = timezone.now()
    with transaction.atomic():
        AffinityScore.objects.filter(submission__in=submissions).delete()
        AffinityScore.objects.bulk_create(
            (
                AffinityScore(
                    venue=venue,
                    submission_id=submissions[int(rows[i])].pk,
                    reviewer_id=reviewers[int(cols[i])].pk,
                    score=float(vals[i]),
                    rank=int(ranks[i]),
                    computed_at=now,
                )
                for i in first.tolist()
            ),
            batch_size=2000,
        )
    return len(keys)


def _threshold(value) -> float:
    return -math.inf if value is None else float(value)


def _blocks(fit, model, papers, index, submissions, paper_texts, reviewers, reviewer_texts):
    """Score with the fit's method: the ensemble when the same embedding model is there."""
    if fit.method == "ensemble" and fit.standardisation:
        try:
            encoder = embedding_model_configured()
            if encoder.sha256 != fit.model_sha256:
                raise EmbeddingUnavailable("the embedding model changed since the last run")
            paper_vectors, vector_index = embedded_vectors(
                encoder, submissions, paper_texts, reviewers, reviewer_texts
            )
        except EmbeddingUnavailable as exc:
            logger.warning("New papers scored by TF-IDF only: %s", exc.message)
        else:
            stats = Standardisation(**fit.standardisation)
            return ensemble_blocks(model, papers, index, paper_vectors, vector_index, stats)
    return model.blocks(papers, index)


def _reviewer_side(block, start, thresholds, rows, cols, vals, ranks) -> None:
    """Append the pairs where the paper is among the reviewer's best papers."""
    hit = (block >= 0) & (block >= thresholds[None, :])
    i, j = np.nonzero(hit)
    if not len(i):
        return
    order = np.argsort(-block, axis=1, kind="stable")
    rank = np.empty(block.shape, dtype=np.int64)
    np.put_along_axis(rank, order, np.arange(1, block.shape[1] + 1)[None, :], axis=1)
    rows.append(i + start)
    cols.append(j)
    vals.append(block[i, j])
    ranks.append(rank[i, j])
