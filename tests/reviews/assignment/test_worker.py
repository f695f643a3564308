"""The matching job end to end on a real Celery worker."""

import time

import pytest

from reviews.models import AffinityRun, AssignmentRun, JobStatus, RunStatus
from reviews.services.affinity import affinity_run_create
from reviews.services.matching import assignment_run_create
from tests.reviews.assignment.venue import small_venue


def wait_for(model, pk, *, statuses, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = model.objects.get(pk=pk)
        if row.status in statuses:
            return row
        time.sleep(0.2)
    raise AssertionError(f"{model.__name__} {pk} still {row.status} after {seconds} s")


@pytest.mark.django_db(transaction=True)
def test_worker_computes_affinities_and_matches_a_venue(celery_worker):
    small = small_venue(
        paper_topics=["graphs", "diffusion", "bandits"],
        reviewer_topics=["bandits", "graphs", "diffusion"],
    )
    computed = affinity_run_create(venue=small.venue, actor=small.chief)
    computed = wait_for(AffinityRun, computed.pk, statuses={JobStatus.DONE, JobStatus.FAILED})
    assert (computed.status, computed.progress, computed.n_scores) == (JobStatus.DONE, 100, 9)

    run = assignment_run_create(venue=small.venue, actor=small.chief, max_load=1)
    run = wait_for(AssignmentRun, run.pk, statuses={RunStatus.PROPOSED, RunStatus.FAILED})
    assert run.status == RunStatus.PROPOSED, run.message
    assert run.progress == 100 and run.n_pairs == 3
    assert run.objective == pytest.approx(run.upper_bound)
    assert sorted(run.pairs.values_list("submission_id", flat=True)) == sorted(
        p.pk for p in small.papers
    )
