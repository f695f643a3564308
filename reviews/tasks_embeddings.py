"""Celery task that embeds new or changed publication and submission texts in batches.

Safe to run twice: texts whose vector is current are skipped. Progress (texts done of the
total) is reported as the task's ``PROGRESS`` state where a result backend is configured.
"""

import logging

from celery import shared_task
from celery.backends.base import DisabledBackend

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True)
def embeddings_refresh_task(self, kind: str, ids: list[int]) -> int:
    """Embed the given publications or submissions that lack a current vector."""
    from reviews.services.embeddings import embeddings_refresh

    reports = not self.request.is_eager and not isinstance(self.backend, DisabledBackend)

    def progress(done: int, total: int) -> None:
        logger.info("Embedded %d of %d %s texts", done, total, kind)
        if reports:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    return embeddings_refresh(kind=kind, ids=ids, progress=progress)
