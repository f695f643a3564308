"""The phases and screening API: public timeline, chair-only writes, screening by editors."""

import pytest
from rest_framework.test import APIClient

from journal.enums import Phase, PhaseJobStatus
from journal.models import PhaseJob, VenuePhase
from tests.api.support import client_for
from tests.journal.phases_world import phased_venue, week_plan

pytestmark = pytest.mark.django_db


def timeline_url(world):
    return f"/api/v1/venues/{world.venue.slug}/phases/"


def plan_json(plan):
    return {
        "phases": [
            {
                "phase": r.phase,
                "starts_at": r.starts_at.isoformat(),
                "ends_at": r.ends_at.isoformat(),
            }
            for r in plan
        ]
    }


def test_anyone_reads_the_timeline():
    world = phased_venue()
    answer = APIClient().get(timeline_url(world))
    assert answer.status_code == 200
    data = answer.json()
    assert data["current_phase"] == "" and data["next_phase"] == "submission"
    assert [p["label"] for p in data["phases"]][:3] == ["Submission", "Bidding", "Reviewing"]


def test_only_chairs_write_the_timeline():
    world = phased_venue()
    before = list(VenuePhase.objects.filter(venue=world.venue).values_list())
    body = plan_json(week_plan()[:2])
    for client in (APIClient(), client_for(world.area_chair), client_for(world.reviewers[0])):
        answer = client.put(timeline_url(world), body, format="json")
        assert answer.status_code in (401, 403)
    assert list(VenuePhase.objects.filter(venue=world.venue).values_list()) == before
    answer = client_for(world.chief).put(timeline_url(world), body, format="json")
    assert answer.status_code == 200
    assert [p["phase"] for p in answer.json()["phases"]] == ["submission", "bidding"]


def test_a_bad_timeline_is_a_400_that_says_why():
    world = phased_venue()
    plan = week_plan()
    body = plan_json([plan[1], plan[0]])
    body["phases"][0]["starts_at"] = body["phases"][1]["starts_at"]  # bidding within submission
    answer = client_for(world.chief).put(timeline_url(world), body, format="json")
    assert answer.status_code == 400
    assert "Bidding starts before Submission ends" in answer.json()["detail"]


def test_entering_a_phase_by_api(django_capture_on_commit_callbacks):
    world = phased_venue()
    url = f"/api/v1/venues/{world.venue.slug}/phases/enter/"
    chief = client_for(world.chief)
    answer = chief.post(url, {"phase": Phase.BIDDING}, format="json")
    assert answer.status_code == 409
    assert "Confirm the jump" in answer.json()["detail"]
    assert client_for(world.area_chair).post(url, {"phase": "submission"}).status_code == 403
    assert not PhaseJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer = chief.post(url, {"phase": Phase.SUBMISSION}, format="json")
    assert answer.status_code == 202
    job_id = answer.json()["id"]
    job = chief.get(f"/api/v1/venues/{world.venue.slug}/phase-jobs/{job_id}/").json()
    assert job["status"] == PhaseJobStatus.DONE and job["progress"] == 100
    answer = chief.post(url, {"phase": Phase.SUBMISSION}, format="json")
    assert answer.status_code == 409
    assert "already in the submission phase" in answer.json()["detail"]


def test_screening_by_api():
    world = phased_venue(n_papers=3)
    first, second, third = world.papers
    chief = client_for(world.chief)
    queue = chief.get(f"/api/v1/venues/{world.venue.slug}/screening/").json()
    assert queue["required"] is True and queue["waiting"] == 3
    assert [r["number"] for r in queue["results"]] == [1, 2, 3]
    answer = chief.post(f"/api/v1/submissions/{first.pk}/screening/", {"action": "pass"})
    assert answer.status_code == 200 and answer.json()["changed"] is True
    answer = chief.post(f"/api/v1/submissions/{first.pk}/screening/", {"action": "pass"})
    assert answer.json()["changed"] is False
    answer = chief.post(
        f"/api/v1/submissions/{second.pk}/screening/", {"action": "reject", "reason": "Off topic."}
    )
    assert answer.json()["state"] == "desk_rejected"
    url = f"/api/v1/venues/{world.venue.slug}/screening/pass-all/"
    assert client_for(world.reviewers[0]).post(url, {"expected": 1}).status_code == 403
    assert chief.post(url, {"expected": 0}).status_code == 400
    assert chief.post(url, {"expected": 1}).json() == {"passed": 1}
    assert chief.post(url, {"expected": 1}).json() == {"passed": 0}
    third.refresh_from_db()
    assert third.screened_at is not None
