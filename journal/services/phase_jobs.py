"""The background job that enters a phase: preview its steps, run them in batches, retry.

The steps themselves (what each phase does to the venue's papers) are
`journal.services.phase_steps`; a job runs `steps_for` its jump, each step in batches of
`BATCH` papers, each batch in its own transaction, reporting its progress as it goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from journal.enums import PhaseJobStatus
from journal.models import PhaseJob, User, Venue
from journal.services.phase_steps import BATCH, steps_for

logger = logging.getLogger(__name__)


def phase_job_preview(*, venue: Venue, to_phase: str, now: datetime | None = None) -> list[dict]:
    """What entering `to_phase` now would do: each step with how many it would touch."""
    job = PhaseJob(venue=venue, from_phase=venue.phase, phase=to_phase)
    now = now or timezone.now()
    return [
        {"name": cls.name, "label": cls.label, "count": len(cls(job, now).pending_ids())}
        for cls in steps_for(from_phase=venue.phase, to_phase=to_phase)
    ]


def _progress(job: PhaseJob, done: int, total: int) -> None:
    job.progress = min(99, 1 + int(98 * done / total)) if total else 99
    PhaseJob.objects.filter(pk=job.pk).update(progress=job.progress, counts=job.counts)


def phase_job_execute(*, job_id: int, batch: int = BATCH, on_batch: Callable | None = None):
    """Carry out a queued (or interrupted) phase job; a finished one is returned unchanged."""
    with transaction.atomic():
        job = PhaseJob.objects.select_for_update().select_related("venue").get(pk=job_id)
        if job.status not in (PhaseJobStatus.QUEUED, PhaseJobStatus.RUNNING):
            return job
        job.status, job.progress, job.message = PhaseJobStatus.RUNNING, 1, ""
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "progress", "message", "started_at"])
    now = timezone.now()
    try:
        steps = [
            cls(job, now) for cls in steps_for(from_phase=job.from_phase, to_phase=job.phase)
        ]
        plans = [(step, step.pending_ids()) for step in steps]
        total, done = sum(len(ids) for _, ids in plans), 0
        for step, ids in plans:
            count = 0
            for at in range(0, len(ids), batch):
                chunk = ids[at : at + batch]
                with transaction.atomic():
                    count += step.run(chunk)
                done += len(chunk)
                _progress(job, done, total)
                if on_batch is not None:
                    on_batch(step, chunk)
            job.counts[step.name] = job.counts.get(step.name, 0) + count
    except Exception as exc:
        logger.exception("Phase job %s failed", job.pk)
        job.status, job.message = PhaseJobStatus.FAILED, f"The work stopped unexpectedly: {exc}"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at", "counts"])
        raise
    job.status, job.progress, job.finished_at = PhaseJobStatus.DONE, 100, timezone.now()
    job.save(update_fields=["status", "progress", "finished_at", "counts"])
    return job


def phase_job_retry(*, job: PhaseJob, actor: User) -> PhaseJob:
    """Queue a failed job again (its steps skip what was done)."""
    from journal.tasks import phase_job_task

    with transaction.atomic():
        locked = PhaseJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != PhaseJobStatus.FAILED:
            return locked
        locked.status, locked.message = PhaseJobStatus.QUEUED, ""
        locked.save(update_fields=["status", "message"])
        transaction.on_commit(lambda: phase_job_task.delay(locked.pk))
    return locked


def phase_jobs_requeue_stale(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the jobs still waiting long after they were created (their task was lost,
    say while the broker was down); return how many."""
    from journal.tasks import phase_job_task

    cutoff = timezone.now() - older_than
    ids = list(
        PhaseJob.objects.filter(status=PhaseJobStatus.QUEUED, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for job_id in ids:
        phase_job_task.delay(job_id)
    return len(ids)
