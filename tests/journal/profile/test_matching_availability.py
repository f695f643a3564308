"""The matching service leaves out reviewers away during the review period and holds the
loads the reviewers set themselves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.enums import RoleKind, SubmissionState
from journal.models import VenueRole
from journal.services.availability import availability_period_add
from journal.services.role_preferences import venue_role_set_own_load
from reviews.models import RunStatus
from reviews.services.affinity import affinities_compute
from reviews.services.matching import assignment_run_create
from reviews.services.publications import publication_add
from tests.factories import VenueRoleFactory

TOPIC = "graph neural networks message passing oversmoothing"


@pytest.fixture
def venue_to_match(world):
    for i in range(3):
        world.paper(SubmissionState.SUBMITTED, title=f"Graphs {i}", abstract=f"We study {TOPIC}.")
    reviewers = [VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user for _ in range(4)]
    for j, reviewer in enumerate(reviewers):
        publication_add(user=reviewer, title=f"On graphs {j}", abstract=f"About {TOPIC}.")
    affinities_compute(venue=world.venue)
    return reviewers


def _run(world, capture, **parameters):
    with capture(execute=True):
        run = assignment_run_create(venue=world.venue, actor=world.chief, **parameters)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.message
    return run


def test_matching_never_proposes_a_reviewer_away_in_the_review_period(
    world, venue_to_match, django_capture_on_commit_callbacks
):
    away = venue_to_match[0]
    today = timezone.localdate()
    availability_period_add(
        user=away, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=5)
    )
    run = _run(world, django_capture_on_commit_callbacks, per_paper=2, max_load=3)
    proposed = set(run.pairs.values_list("reviewer_id", flat=True))
    assert away.pk not in proposed and len(proposed) >= 2


def test_matching_holds_the_load_a_reviewer_set(
    world, venue_to_match, django_capture_on_commit_callbacks
):
    modest = venue_to_match[1]
    role = VenueRole.objects.get(venue=world.venue, user=modest)
    venue_role_set_own_load(venue_role=role, actor=modest, load_quota=1)
    run = _run(world, django_capture_on_commit_callbacks, per_paper=2, max_load=3)
    assert run.pairs.filter(reviewer=modest).count() <= 1
