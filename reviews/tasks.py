"""Celery tasks of the reviews app: thin wrappers that call a service. Safe to run twice."""

from celery import shared_task

from reviews.services.editor_conflicts import editor_conflicts_rebuild_all
from reviews.services.invitations import invitations_expire
from reviews.services.reminders import reminders_send
from reviews.services.rounds import rounds_release_due
from reviews.tasks_embeddings import embeddings_refresh_task  # noqa: F401
from reviews.tasks_matching import affinity_compute_task, assignment_run_task  # noqa: F401


@shared_task
def reviews_periodic() -> dict[str, int]:
    """Expire unanswered invitations, release rounds whose date came, send reminders."""
    return {
        "expired": invitations_expire(),
        "released": rounds_release_due(),
        "reminders": reminders_send(),
    }


@shared_task
def editor_conflicts_nightly() -> int:
    """Rebuild the stored editor conflicts of every venue (publications age out of the rules)."""
    return editor_conflicts_rebuild_all()
