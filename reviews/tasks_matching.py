"""Celery tasks of the matching: thin wrappers that take a run id and call its service.

Both are safe to run twice: a run that already finished is left as it is, and one that was
interrupted (its worker lost) starts again from its saved parameters.
"""

from celery import shared_task


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
