"""Area chair matching from the matching pages: start, inspect, deploy."""

import pytest
from django.urls import reverse

from journal.enums import RoleKind
from reviews.models import AssignmentRun, MatchingTarget, RunStatus
from tests.reviews.assignment.test_area_chair_matching import add_chair
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db


def test_a_chair_runs_and_deploys_area_chair_matching(client, django_capture_on_commit_callbacks):
    small = small_venue(paper_topics=["graphs", "privacy"], reviewer_topics=["graphs"])
    graphs = add_chair(small, "graphs")
    privacy = add_chair(small, "privacy")
    add_chair(small, "graphs", role=RoleKind.SENIOR_AREA_CHAIR)
    client.force_login(small.chief)
    page = client.get(reverse("journal:dashboard-matching", args=[small.venue.slug]))
    html = page.content.decode()
    assert "Area chairs to papers" in html and "Senior area chairs to area chairs" in html

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("journal:dashboard-matching", args=[small.venue.slug]),
            {"action": "run", "target": "area_chairs", "min_load": 0},
        )
    assert started.status_code == 302
    run = AssignmentRun.objects.get(venue=small.venue)
    assert run.target == MatchingTarget.AREA_CHAIRS and run.status == RunStatus.PROPOSED
    run_url = reverse("journal:dashboard-matching-run", args=[small.venue.slug, run.pk])
    html = client.get(run_url).content.decode()
    assert "one area chair per paper" in html
    assert "Deploy: assign the area chairs" in html
    assert "Edit the proposal by hand" not in html

    done = client.post(run_url, follow=True)
    assert "Deployed: 2 assignment(s) made." in done.content.decode()
    editors = {p.pk: p.action_editor_id for p in small.venue.submissions.all()}
    assert editors == {small.papers[0].pk: graphs.pk, small.papers[1].pk: privacy.pk}
    # A second click changes nothing and says so without an error.
    again = client.post(run_url, follow=True)
    assert again.status_code == 200
    assert "Deployed: 0 assignment(s) made." in again.content.decode()


def test_a_journal_speaks_of_action_editors(client):
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"], kind="journal")
    client.force_login(small.chief)
    html = client.get(
        reverse("journal:dashboard-matching", args=[small.venue.slug])
    ).content.decode()
    assert "Action editors to papers" in html and "Senior" not in html
