"""Celery tasks of the journal app: thin wrappers that take ids and call a service."""

from celery import shared_task

from journal.services.email import email_deliver
from journal.services.email import email_flush_queue as _email_flush_queue
from journal.services.idempotency import idempotency_keys_purge as _idempotency_keys_purge
from journal.services.roles import away_editor_reminders_send
from journal.services.scores import scores_refresh_all
from journal.services.webhooks import webhook_deliver
from journal.services.webhooks import webhook_flush_due as _webhook_flush_due


@shared_task(bind=True, max_retries=5, acks_late=True)
def email_send(self, email_id: int) -> None:
    """Deliver one outbox message; retry with back-off while the transport fails."""
    if not email_deliver(email_id=email_id):
        raise self.retry(countdown=min(60 * 2**self.request.retries, 3600))


@shared_task
def email_flush_queue(older_than_seconds: int = 120) -> int:
    """Re-enqueue messages whose delivery task was lost (queued more than that long ago)."""
    return _email_flush_queue(older_than_seconds=older_than_seconds)


@shared_task(acks_late=True)
def email_digests() -> int:
    """Build today's digest for everyone with held messages (safe to run twice)."""
    from journal.services.email_digest import email_digests_send

    return email_digests_send()


@shared_task
def away_editor_reminders() -> int:
    """Weekly reminders to action editors marked away (idempotent within the week)."""
    return away_editor_reminders_send()


@shared_task(bind=True, max_retries=10, acks_late=True)
def webhook_send(self, delivery_id: int) -> None:
    """Send one webhook delivery; retry with exponential back-off while it fails."""
    retry_in = webhook_deliver(delivery_id=delivery_id)
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in)


@shared_task
def webhook_flush_due() -> int:
    """Re-enqueue webhook deliveries that are due for another try."""
    return _webhook_flush_due()


@shared_task
def idempotency_keys_purge() -> int:
    """Delete the API's expired idempotency keys."""
    return _idempotency_keys_purge()


@shared_task
def scores_nightly() -> int:
    """Recompute the stored review and paper scores of every venue."""
    return scores_refresh_all()


@shared_task(acks_late=True)
def phase_job_task(job_id: int) -> str:
    """Do the venue-wide work of a phase change; return the job's final status."""
    from journal.services.phase_jobs import phase_job_execute

    return phase_job_execute(job_id=job_id).status


@shared_task
def phases_advance() -> int:
    """Enter every conference phase whose start has come (safe to run twice, even at once),
    and queue again phase jobs whose task was lost."""
    from journal.services.phase_jobs import phase_jobs_requeue_stale
    from journal.services.phases import venues_advance_due

    phase_jobs_requeue_stale()
    return venues_advance_due()
