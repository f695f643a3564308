"""Celery tasks of the reviews app: thin wrappers that take ids and call a service.

Every task is safe to run twice: a run that already finished is left as it is, one that was
interrupted (its worker lost) starts again from its saved parameters, texts whose vector is
current are skipped, and the periodic passes only do what is due.
"""

import logging

from celery import shared_task
from celery.backends.base import DisabledBackend

logger = logging.getLogger(__name__)


@shared_task
def reviews_periodic() -> dict[str, int]:
    """Expire unanswered invitations, release rounds whose date came, send reminders."""
    from reviews.services.invitations import invitations_expire
    from reviews.services.reminders import reminders_send
    from reviews.services.rounds import rounds_release_due

    return {
        "expired": invitations_expire(),
        "released": rounds_release_due(),
        "reminders": reminders_send(),
    }


@shared_task
def editor_conflicts_nightly() -> int:
    """Rebuild the stored editor conflicts of every venue (publications age out of the rules)."""
    from reviews.services.editor_conflicts import editor_conflicts_rebuild_all

    return editor_conflicts_rebuild_all()


@shared_task(acks_late=True)
def editor_conflicts_scan_task(venue_id: int) -> int:
    """Store the conflict scans of a venue's editors who have none; return how many."""
    from journal.models import Venue
    from reviews.services.editor_conflicts import editor_conflicts_scan_editors

    venue = Venue.objects.filter(pk=venue_id).first()
    return 0 if venue is None else editor_conflicts_scan_editors(venue=venue)


@shared_task(acks_late=True)
def affinity_compute_task(run_id: int) -> str:
    """Compute a venue's affinities for an `AffinityRun`; return its final status."""
    from reviews.services.affinity import affinity_run_execute

    return affinity_run_execute(run_id=run_id).status


@shared_task(acks_late=True)
def assignment_run_task(run_id: int) -> str:
    """Run the matching of an `AssignmentRun`; return its final status."""
    from reviews.services.matching import assignment_run_matching

    return assignment_run_matching(run_id=run_id).status


@shared_task(acks_late=True)
def assignment_run_deploy_task(run_id: int, actor_id: int) -> int:
    """Deploy a ready proposal as invitations; return how many were created."""
    from journal.models import User
    from reviews.models import AssignmentRun
    from reviews.services.matching import assignment_run_deploy

    run = AssignmentRun.objects.get(pk=run_id)
    return assignment_run_deploy(run=run, actor=User.objects.get(pk=actor_id))


@shared_task(acks_late=True)
def affinity_score_papers_task(venue_id: int, submission_ids: list[int]) -> int:
    """Score newly submitted papers with the venue's stored fit; return the scores stored."""
    from journal.models import Venue
    from reviews.services.affinity_papers import affinities_score_papers

    venue = Venue.objects.filter(pk=venue_id).first()
    if venue is None:
        return 0
    return affinities_score_papers(venue=venue, submission_ids=submission_ids)


@shared_task(bind=True, acks_late=True)
def embeddings_refresh_task(self, kind: str, ids: list[int]) -> int:
    """Embed the given publications or submissions that lack a current vector (in batches).

    Progress (texts done of the total) is reported as the task's ``PROGRESS`` state where a
    result backend is configured.
    """
    from reviews.services.embeddings import embeddings_refresh

    reports = not self.request.is_eager and not isinstance(self.backend, DisabledBackend)

    def progress(done: int, total: int) -> None:
        logger.info("Embedded %d of %d %s texts", done, total, kind)
        if reports:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    return embeddings_refresh(kind=kind, ids=ids, progress=progress)


@shared_task(acks_late=True)
def publication_fetch_task(fetch_id: int) -> str:
    """Fetch and import one person's publication list (safe to run again)."""
    from reviews.services.publication_fetch import publication_fetch_run

    return publication_fetch_run(fetch_id=fetch_id)
