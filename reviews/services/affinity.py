"""Compute and store a venue's paper-reviewer affinities through the matching engine.

Papers are described by title, abstract and keywords; reviewers by their publications plus one
document of their declared expertise keywords. The engine's TF-IDF model is fitted on the
venue's own corpus. Each paper keeps its best `candidates_per_paper` reviewers who have no
conflict with it, plus every pair a reviewer bid "willing" on and every pair already invited,
so the matching sees them whatever their rank. The previous scores are replaced in one
transaction, so readers see either the old set or the new one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from journal.errors import DomainError
from journal.models import User, Venue
from reviews.matching import AffinityModel
from reviews.models import AffinityRun, AffinityScore, BidValue, JobStatus
from reviews.selectors.expertise import (
    active_invitation_pairs,
    bids_of,
    matchable_submissions,
    matching_settings_of,
    reviewer_documents,
    submission_text,
    venue_reviewer_roles,
)
from reviews.services.conflicts import conflict_mask

Progress = Callable[[int], None]
_COLUMNS = ("venue_id", "submission_id", "reviewer_id", "score", "rank", "computed_at")


def affinity_run_create(*, venue: Venue, actor: User | None) -> AffinityRun:
    """Queue a computation of the venue's affinities; the task starts after commit."""
    from reviews.tasks_matching import affinity_compute_task

    run = AffinityRun.objects.create(venue=venue, created_by=actor)
    transaction.on_commit(lambda: affinity_compute_task.delay(run.pk))
    return run


def affinity_run_execute(*, run_id: int) -> AffinityRun:
    """Carry out a queued (or interrupted) computation; a finished one is left as it is."""
    with transaction.atomic():
        run = AffinityRun.objects.select_for_update().select_related("venue").get(pk=run_id)
        if run.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
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
    _finish(run, status=JobStatus.DONE, **counts)
    return run


def _finish(run: AffinityRun, *, status: str, message: str = "", **counts: float) -> None:
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


def affinities_compute(*, venue: Venue, progress: Progress | None = None) -> dict[str, float]:
    """Compute and store the venue's affinities; return what was done.

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
    extra = _extra_pairs(submissions, reviewers)
    report(15)
    model = AffinityModel()
    vectors = model.fit_transform([*paper_texts, *(d for docs in reviewer_texts for d in docs)])
    counts = np.array([len(docs) for docs in reviewer_texts], dtype=np.int64)
    papers = vectors[: len(paper_texts)]
    index = model.index_vectors(vectors[len(paper_texts) :], counts)
    report(25)
    k = min(matching_settings_of(venue=venue).candidates_per_paper, len(reviewers))
    rows, cols, vals, ranks = [], [], [], []
    for start, stop, block in model.blocks(papers, index):
        block = np.array(block, dtype=np.float64)
        sub = conflicts[start:stop]
        block[np.repeat(np.arange(stop - start), np.diff(sub.indptr)), sub.indices] = -1.0
        _top_k(block, start, k, extra, rows, cols, vals, ranks)
        report(25 + int(60 * stop / len(submissions)))
    paper_ids = np.array([s.pk for s in submissions], dtype=np.int64)
    reviewer_ids = np.array([r.pk for r in reviewers], dtype=np.int64)
    n_scores = _store(
        venue,
        paper_ids[np.concatenate(rows)],
        reviewer_ids[np.concatenate(cols)],
        np.concatenate(vals),
        np.concatenate(ranks),
    )
    report(100)
    return {
        "n_papers": len(submissions),
        "n_reviewers": len(reviewers),
        "n_scores": n_scores,
        "seconds": time.perf_counter() - started,
    }


def _extra_pairs(submissions, reviewers) -> dict[int, list[int]]:
    """Return {paper index: [reviewer index]} of pairs to keep whatever their rank."""
    paper_at = {s.pk: i for i, s in enumerate(submissions)}
    reviewer_at = {r.pk: j for j, r in enumerate(reviewers)}
    ids = list(paper_at)
    keep = {
        pair for pair, value in bids_of(submission_ids=ids).items() if value == BidValue.WILLING
    }
    keep.update(active_invitation_pairs(submission_ids=ids))
    extra: dict[int, list[int]] = {}
    for sid, rid in keep:
        if rid in reviewer_at:
            extra.setdefault(paper_at[sid], []).append(reviewer_at[rid])
    return extra


def _top_k(block, start, k, extra, rows, cols, vals, ranks) -> None:
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
