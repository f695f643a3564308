"""Compute and store a venue's paper-reviewer affinities through the matching engine.

Papers are described by title, abstract and keywords; reviewers by their publications plus one
document of their declared expertise keywords. The engine's TF-IDF model is fitted on the
venue's own corpus. When the configured embedding model loads (its checksum verified), the
stored score is the engine's ensemble of TF-IDF and sentence embeddings of papers and
publications, read from the embedding cache (the few texts not yet embedded are embedded
here; when many are still missing the run uses TF-IDF and says so); the run records which
method and model produced it. Each paper keeps its best `candidates_per_paper` reviewers who have no
conflict with it, each reviewer keeps their best `candidates_per_reviewer` papers (so that a
crowd of similar papers cannot take every candidate of theirs from the others and leave the
venue unmatchable), plus every pair a reviewer bid "high" or "very high" on and every pair
already invited, so the matching sees them whatever their rank. The previous scores are replaced in
one transaction, so readers see either the old set or the new one, and the fitted model is
kept (`AffinityFit`) so that a paper submitted later is scored alone
(`reviews.services.affinity_papers`).
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from journal.errors import DomainError
from journal.models import User, Venue
from reviews.matching import AffinityModel
from reviews.matching.affinity import model_state
from reviews.matching.embedding import EmbeddingModel, EmbeddingUnavailable
from reviews.matching.ensemble import VectorIndex, ensemble_blocks, ensemble_standardisation
from reviews.matching.topk import ColumnTops
from reviews.models import AffinityFit, AffinityRun, AffinityScore, BidValue, JobStatus
from reviews.selectors.conflicts import conflict_mask
from reviews.selectors.embeddings import reviewer_publication_ids
from reviews.selectors.expertise import (
    active_invitation_pairs,
    bids_of,
    matchable_submissions,
    matching_settings_of,
    reviewer_documents,
    submission_text,
    venue_reviewer_roles,
)
from reviews.services.embeddings import (
    cached_vectors,
    embedding_model_configured,
    embeddings_queue,
    embeddings_store,
)

Progress = Callable[[int], None]
#: Texts still missing from the embedding cache that a run embeds itself; beyond this the
#: run uses TF-IDF alone and queues the embedding in the background.
INLINE_EMBEDDING_LIMIT = 500
_COLUMNS = ("venue_id", "submission_id", "reviewer_id", "score", "rank", "computed_at")
#: A reviewer keeps at least this many best papers, and at least twice the load a default
#: matching run gives them.
MIN_CANDIDATES_PER_REVIEWER = 10


def candidates_per_reviewer(
    *, per_paper: int, n_papers: int, n_reviewers: int, setting: int = 0
) -> int:
    """Return how many best papers each reviewer keeps: the venue's setting, or by default
    twice the most load a default matching run gives (at least 10)."""
    if setting:
        return min(n_papers, setting)
    load = math.ceil(per_paper * n_papers / max(1, n_reviewers)) + 1
    return min(n_papers, max(MIN_CANDIDATES_PER_REVIEWER, 2 * load))


def affinity_run_create(*, venue: Venue, actor: User | None) -> AffinityRun:
    """Queue a computation of the venue's affinities; the task starts after commit."""
    from reviews.tasks import affinity_compute_task

    run = AffinityRun.objects.create(venue=venue, created_by=actor)
    transaction.on_commit(lambda: affinity_compute_task.delay(run.pk))
    return run


def affinity_run_execute(*, run_id: int) -> AffinityRun:
    """Carry out a queued (or interrupted) computation; a finished one is left as it is."""
    with transaction.atomic():
        run = AffinityRun.objects.select_for_update().select_related("venue").get(pk=run_id)
        if run.status not in JobStatus.ACTIVE:
            return run
        run.status = JobStatus.RUNNING
        run.progress = 1
        run.save(update_fields=["status", "progress"])

    def report(percent: int) -> None:
        AffinityRun.objects.filter(pk=run.pk).update(progress=percent)

    try:
        counts = affinities_compute(venue=run.venue, progress=report)
    except DomainError as exc:
        _finish(run, status=JobStatus.FAILED, message=exc.message)
        return run
    except Exception as exc:
        _finish(run, status=JobStatus.FAILED, message=f"The computation failed: {exc}")
        raise
    note = str(counts.pop("note", ""))
    _finish(run, status=JobStatus.DONE, message=note, **counts)
    return run


def _finish(run: AffinityRun, *, status: str, message: str = "", **counts: object) -> None:
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    fields = ["status", "message", "finished_at"]
    if status == JobStatus.DONE:
        run.progress = 100
        fields.append("progress")
    for name, value in counts.items():
        setattr(run, name, value)
        fields.append(name)
    run.save(update_fields=fields)


def affinities_compute(*, venue: Venue, progress: Progress | None = None) -> dict[str, object]:
    """Compute and store the venue's affinities; return what was done and by which method.

    Raise `DomainError` when there is nothing to compare (no papers or no reviewers).
    """
    started = time.perf_counter()
    report = progress or (lambda percent: None)
    submissions = list(matchable_submissions(venue=venue))
    roles = list(venue_reviewer_roles(venue=venue))
    reviewers = [role.user for role in roles]
    if not submissions:
        raise DomainError(f"{venue.name} has no submitted papers to match.")
    if not reviewers:
        raise DomainError(f"{venue.name} has no reviewers yet.")
    documents = reviewer_documents(user_ids=[r.pk for r in reviewers])
    paper_texts = [submission_text(s) for s in submissions]
    reviewer_texts = [[text for _, text in documents.get(r.pk, ())] for r in reviewers]
    report(5)
    conflicts = conflict_mask(venue=venue, submissions=submissions, reviewers=reviewers)
    extra = kept_pairs(submissions, reviewers)
    report(15)
    model = AffinityModel()
    vectors = model.fit_transform([*paper_texts, *(d for docs in reviewer_texts for d in docs)])
    counts = np.array([len(docs) for docs in reviewer_texts], dtype=np.int64)
    papers = vectors[: len(paper_texts)]
    index = model.index_vectors(vectors[len(paper_texts) :], counts)
    report(20)
    method = {"method": "tfidf", "model_name": "", "model_sha256": "", "note": ""}
    blocks = model.blocks(papers, index)
    stats = None
    try:
        encoder = embedding_model_configured()
        embedded = embedded_vectors(encoder, submissions, paper_texts, reviewers, reviewer_texts)
    except EmbeddingUnavailable as exc:
        method["note"] = f"TF-IDF only: {exc.message}"
    else:
        paper_vectors, vector_index = embedded
        stats = ensemble_standardisation(model, papers, index, paper_vectors, vector_index)
        blocks = ensemble_blocks(model, papers, index, paper_vectors, vector_index, stats)
        method.update(method="ensemble", model_name=encoder.name, model_sha256=encoder.sha256)
    report(25)
    chosen = matching_settings_of(venue=venue)
    k = min(chosen.candidates_per_paper, len(reviewers))
    k_reviewer = candidates_per_reviewer(
        per_paper=venue.reviewers_per_paper,
        n_papers=len(submissions),
        n_reviewers=len(reviewers),
        setting=chosen.candidates_per_reviewer,
    )
    tops = ColumnTops(len(reviewers), k_reviewer)
    rows, cols, vals, ranks = [], [], [], []
    for start, stop, block in blocks:
        block = np.array(block, dtype=np.float64)
        sub = conflicts[start:stop]
        block[np.repeat(np.arange(stop - start), np.diff(sub.indptr)), sub.indices] = -1.0
        block_top_k(block, start, k, extra, rows, cols, vals, ranks)
        tops.add(start, block)
        report(25 + int(60 * stop / len(submissions)))
    rows, cols, vals, ranks = _with_reviewer_tops(
        tops, k, len(reviewers), *(np.concatenate(x) for x in (rows, cols, vals, ranks))
    )
    paper_ids = np.array([s.pk for s in submissions], dtype=np.int64)
    reviewer_ids = np.array([r.pk for r in reviewers], dtype=np.int64)
    with transaction.atomic():
        n_scores = _store(venue, paper_ids[rows], reviewer_ids[cols], vals, ranks)
        _fit_save(
            venue,
            model,
            method=method,
            stats=stats if method["method"] == "ensemble" else None,
            k=k,
            k_reviewer=k_reviewer,
            thresholds=dict(zip(reviewer_ids.tolist(), tops.thresholds().tolist(), strict=True)),
        )
    report(100)
    return {
        "n_papers": len(submissions),
        "n_reviewers": len(reviewers),
        "n_scores": n_scores,
        "seconds": time.perf_counter() - started,
        **method,
    }


def embedded_vectors(
    encoder: EmbeddingModel, submissions, paper_texts, reviewers, reviewer_texts
) -> tuple[np.ndarray, VectorIndex]:
    """Return paper vectors and reviewers' publication vectors, from the cache.

    Texts missing from the cache are embedded and stored here when they are few; otherwise
    they are queued and `EmbeddingUnavailable` says the run falls back to TF-IDF.
    """
    pub_ids = reviewer_publication_ids(user_ids=[r.pk for r in reviewers])
    pub_texts: dict[int, str] = {}
    owned: list[int | None] = []
    for reviewer, docs in zip(reviewers, reviewer_texts, strict=True):
        ids = pub_ids.get(reviewer.pk, [])
        for position, text in enumerate(docs):
            pk = ids[position] if position < len(ids) else None
            owned.append(pk)
            if pk is not None:
                pub_texts[pk] = text
    sub_texts = {s.pk: text for s, text in zip(submissions, paper_texts, strict=True)}
    subs = cached_vectors(model=encoder, kind="submission", texts=sub_texts)
    pubs = cached_vectors(model=encoder, kind="publication", texts=pub_texts)
    missing_subs = {pk: t for pk, t in sub_texts.items() if pk not in subs}
    missing_pubs = {pk: t for pk, t in pub_texts.items() if pk not in pubs}
    n_missing = len(missing_subs) + len(missing_pubs)
    if n_missing > INLINE_EMBEDDING_LIMIT:
        embeddings_queue(kind="submission", ids=list(missing_subs))
        embeddings_queue(kind="publication", ids=list(missing_pubs))
        raise EmbeddingUnavailable(
            f"{n_missing:,} texts are still being embedded; "
            "compute again once they are done to use the embedding model."
        )
    subs.update(embeddings_store(model=encoder, kind="submission", texts=missing_subs))
    pubs.update(embeddings_store(model=encoder, kind="publication", texts=missing_pubs))
    zero = np.zeros(encoder.dim, dtype=np.float32)
    paper_vectors = np.stack([subs[s.pk] for s in submissions]).astype(np.float32)
    flat = [pubs[pk] if pk is not None else zero for pk in owned]
    matrix = np.stack(flat) if flat else np.zeros((0, encoder.dim), dtype=np.float32)
    counts = np.array([len(docs) for docs in reviewer_texts], dtype=np.int64)
    valid = np.array([pk is not None for pk in owned], dtype=bool)
    return paper_vectors, VectorIndex.build(matrix, counts, valid=valid)


def kept_pairs(submissions, reviewers) -> dict[int, list[int]]:
    """Return {paper index: [reviewer index]} of pairs to keep whatever their rank."""
    paper_at = {s.pk: i for i, s in enumerate(submissions)}
    reviewer_at = {r.pk: j for j, r in enumerate(reviewers)}
    ids = list(paper_at)
    keep = {
        pair
        for pair, value in bids_of(submission_ids=ids).items()
        if value in (BidValue.VERY_HIGH, BidValue.HIGH)
    }
    keep.update(active_invitation_pairs(submission_ids=ids))
    extra: dict[int, list[int]] = {}
    for sid, rid in keep:
        if rid in reviewer_at:
            extra.setdefault(paper_at[sid], []).append(reviewer_at[rid])
    return extra


def block_top_k(block, start, k, extra, rows, cols, vals, ranks) -> None:
    """Append the block's best `k` allowed reviewers per paper, plus the extra pairs."""
    n_b, n_r = block.shape
    kk = min(k, n_r)
    top = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
    top_vals = np.take_along_axis(block, top, axis=1)
    order = np.argsort(-top_vals, axis=1, kind="stable")
    top = np.take_along_axis(top, order, axis=1)
    top_vals = np.take_along_axis(top_vals, order, axis=1)
    top_ranks = np.broadcast_to(np.arange(1, kk + 1), top.shape)
    bi = np.repeat(np.arange(n_b), kk)
    bj, bv, br = top.ravel(), top_vals.ravel(), top_ranks.ravel()
    ei, ej = [], []
    for paper in (p for p in extra if start <= p < start + n_b):
        i = paper - start
        chosen = set(top[i].tolist())
        for j in extra[paper]:
            if j not in chosen:
                ei.append(i)
                ej.append(j)
    if ei:
        ei_arr, ej_arr = np.asarray(ei), np.asarray(ej)
        ev = block[ei_arr, ej_arr]
        er = 1 + (block[ei_arr] > ev[:, None]).sum(axis=1)
        bi, bj = np.r_[bi, ei_arr], np.r_[bj, ej_arr]
        bv, br = np.r_[bv, ev], np.r_[br, er]
    allowed = bv >= 0
    rows.append(bi[allowed] + start)
    cols.append(bj[allowed])
    vals.append(bv[allowed])
    ranks.append(br[allowed])


def _with_reviewer_tops(tops: ColumnTops, k: int, n_r: int, rows, cols, vals, ranks):
    """Add each reviewer's best papers that are not among those papers' best reviewers.

    Their rank is counted past the paper's `k` best, in order of score: a lower bound of
    the rank in the paper's full row, which is not kept.
    """
    t_rows, t_cols, t_vals = tops.pairs(minimum=0.0)
    new = ~np.isin(t_rows * n_r + t_cols, rows.astype(np.int64) * n_r + cols)
    t_rows, t_cols, t_vals = t_rows[new], t_cols[new], t_vals[new]
    order = np.lexsort((-t_vals, t_rows))
    t_rows, t_cols, t_vals = t_rows[order], t_cols[order], t_vals[order]
    first = np.searchsorted(t_rows, t_rows, side="left")
    t_ranks = k + 1 + np.arange(len(t_rows)) - first
    return (
        np.r_[rows, t_rows].astype(np.int64),
        np.r_[cols, t_cols].astype(np.int64),
        np.r_[vals, t_vals],
        np.r_[ranks, t_ranks],
    )


def _fit_save(venue, model, *, method, stats, k, k_reviewer, thresholds) -> None:
    """Keep what the computation learnt, replacing the venue's previous fit."""
    terms, idf = model_state(model)
    AffinityFit.objects.update_or_create(
        venue=venue,
        defaults={
            "terms": zlib.compress("\n".join(terms).encode("utf-8")),
            "idf": idf.astype("<f4").tobytes(),
            "method": method["method"],
            "model_sha256": method["model_sha256"],
            "standardisation": asdict(stats) if stats is not None else None,
            "candidates_per_paper": k,
            "candidates_per_reviewer": k_reviewer,
            # None: the reviewer kept fewer than k_reviewer papers, so any new one is kept.
            "reviewer_thresholds": {
                str(r): (t if math.isfinite(t) else None) for r, t in thresholds.items()
            },
            "fitted_at": timezone.now(),
        },
    )


def _store(
    venue: Venue,
    submission_ids: np.ndarray,
    reviewer_ids: np.ndarray,
    scores: np.ndarray,
    ranks: np.ndarray,
) -> int:
    """Replace the venue's stored scores with the given ones in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        AffinityScore.objects.filter(venue=venue).delete()
        if connection.vendor == "postgresql":
            _copy(venue, submission_ids, reviewer_ids, scores, ranks, now)
        else:
            AffinityScore.objects.bulk_create(
                (
                    AffinityScore(
                        venue=venue,
                        submission_id=int(s),
                        reviewer_id=int(r),
                        score=float(v),
                        rank=int(k),
                        computed_at=now,
                    )
                    for s, r, v, k in zip(submission_ids, reviewer_ids, scores, ranks, strict=True)
                ),
                batch_size=2000,
            )
    return len(scores)


def _copy(venue, submission_ids, reviewer_ids, scores, ranks, now, chunk: int = 50_000) -> None:
    """Write rows with PostgreSQL COPY in text chunks (much faster than INSERTs)."""
    table = AffinityScore._meta.db_table
    sql = f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN"
    prefix, suffix = f"{venue.pk}\t", f"\t{now.isoformat()}\n"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for start in range(0, len(scores), chunk):
            stop = start + chunk
            lines = [
                f"{prefix}{s}\t{r}\t{v!r}\t{k}{suffix}"
                for s, r, v, k in zip(
                    submission_ids[start:stop].tolist(),
                    reviewer_ids[start:stop].tolist(),
                    scores[start:stop].tolist(),
                    ranks[start:stop].tolist(),
                    strict=True,
                )
            ]
            copy.write("".join(lines))
