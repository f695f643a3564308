"""The matching pages: compute affinities, run, follow the progress, judge and deploy."""

import pytest
from django.urls import reverse

from journal.enums import RoleKind, SubmissionState
from reviews.enums import InvitationSource
from reviews.models import AssignmentRun, ReviewInvitation, RunStatus
from reviews.services.publications import publication_add
from tests.factories import UserFactory, VenueRoleFactory

S = SubmissionState
TOPICS = [
    ("Sparse attention for long documents", "attention transformers sparse long context"),
    ("Graph neural networks oversmooth", "graph neural networks message passing"),
    ("Diffusion models sample faster", "diffusion models sampling steps"),
]


def url(world, name, *args):
    return reverse(f"journal:{name}", args=[world.venue.slug, *args])


@pytest.fixture
def matchable(world):
    for title, words in TOPICS:
        world.paper(S.SUBMITTED, title=title, abstract=f"We study {words}.")
        for j in range(2):
            reviewer = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
            publication_add(user=reviewer, title=f"{title} {j}", abstract=f"On {words}.")
    return world


def test_matching_pages_are_for_chiefs(client, world):
    for who, status in [("editor", 403), ("reviewer", 403), ("chief", 200)]:
        client.force_login(getattr(world, who))
        assert client.get(url(world, "dashboard-matching")).status_code == status
    client.logout()
    assert client.get(url(world, "dashboard-matching")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url(world, "dashboard-matching")).status_code == 403


def test_run_the_matching_and_deploy(client, matchable, django_capture_on_commit_callbacks):
    world = matchable
    client.force_login(world.chief)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(url(world, "dashboard-matching"), {"action": "affinities"}).status_code
            == 302
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(world, "dashboard-matching"),
            {"action": "run", "per_paper": "2", "max_load": "2", "min_load": "0"},
        )
    run = AssignmentRun.objects.get(venue=world.venue)
    assert response["Location"] == url(world, "dashboard-matching-run", run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.message
    status = client.get(url(world, "dashboard-job-status", "runs", run.pk)).json()
    assert status["done"] and status["progress"] == 100
    page = client.get(url(world, "dashboard-matching-run", run.pk))
    quality = page.context["quality"]
    assert quality.pairs == 6 and quality.short == 0
    assert "Papers at risk" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(world, "dashboard-matching-run", run.pk)).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.DEPLOYED
    assert ReviewInvitation.objects.filter(source=InvitationSource.MATCHING).count() == 6
    again = client.post(url(world, "dashboard-matching-run", run.pk))
    assert again.status_code == 302


def test_running_while_queued_shows_the_progress_bar(client, matchable):
    world = matchable
    client.force_login(world.chief)
    client.post(url(world, "dashboard-matching"), {"action": "run", "min_load": "0"})
    run = AssignmentRun.objects.get(venue=world.venue)
    assert run.status == RunStatus.QUEUED  # the job starts only after commit
    page = client.get(url(world, "dashboard-matching-run", run.pk)).content.decode()
    assert "<progress" in page and "dashboard-progress.js" in page
    status = client.get(url(world, "dashboard-job-status", "runs", run.pk)).json()
    assert status == {
        "status": "queued",
        "progress": 0,
        "label": "Queued · 0%",
        "done": False,
        "message": "",
    }


def test_bad_parameters_are_400(client, matchable):
    world = matchable
    client.force_login(world.chief)
    response = client.post(
        url(world, "dashboard-matching"),
        {"action": "run", "max_load": "2", "min_load": "5"},
    )
    assert response.status_code == 400
    assert not AssignmentRun.objects.exists()


def test_unknown_job_kind_is_404(client, world):
    client.force_login(world.chief)
    assert client.get(url(world, "dashboard-job-status", "nope", 1)).status_code == 404
