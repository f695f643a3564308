"""The schedule on a real worker, and two runs of it at once."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from journal.enums import Phase, PhaseJobStatus
from journal.models import PhaseJob, Venue
from journal.services.phases import venues_advance_due
from journal.tasks import phases_advance
from reviews.models import ReviewRound
from tests.journal.phases_world import phased_venue


def wait_for_job(venue, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = PhaseJob.objects.filter(venue=venue).first()
        if job is not None and job.status in (PhaseJobStatus.DONE, PhaseJobStatus.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError("the phase job did not finish")


@pytest.mark.django_db(transaction=True)
def test_a_run_skips_a_venue_another_run_holds():
    world = phased_venue()
    now = timezone.now() + timedelta(days=1)
    holding, release = threading.Event(), threading.Event()

    def other_run():
        with transaction.atomic():
            Venue.objects.select_for_update().get(pk=world.venue.pk)
            holding.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    assert holding.wait(10)
    try:
        assert venues_advance_due(now=now) == 0
    finally:
        release.set()
        thread.join()
    world.venue.refresh_from_db()
    assert world.venue.phase == ""
    assert venues_advance_due(now=now) == 1
    assert venues_advance_due(now=now) == 0
    assert PhaseJob.objects.filter(venue=world.venue).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_periodic_task_enters_reviewing_on_the_worker(celery_worker):
    world = phased_venue(n_papers=4, screened=True)
    # reviewing started a day ago: the timeline says so, the venue is still in bidding
    Venue.objects.filter(pk=world.venue.pk).update(phase=Phase.BIDDING)
    reviewing = world.venue.phases.get(phase=Phase.REVIEWING)
    shift = reviewing.starts_at - (timezone.now() - timedelta(days=1))
    for row in world.venue.phases.all():
        row.starts_at -= shift
        row.ends_at -= shift
        row.save(update_fields=["starts_at", "ends_at"])
    phases_advance.delay()
    job = wait_for_job(world.venue)
    assert job.status == PhaseJobStatus.DONE, job.message
    assert job.phase == Phase.REVIEWING and job.counts["rounds_opened"] == 4
    phases_advance.delay()
    assert venues_advance_due() == 0
    time.sleep(1)
    assert PhaseJob.objects.filter(venue=world.venue).count() == 1
    assert ReviewRound.objects.filter(submission__venue=world.venue).count() == 4
