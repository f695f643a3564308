"""The stage clock through the API: the same deadlines, extensions and refusals as the pages."""

from datetime import timedelta

import pytest

from journal.enums import Stage, SubmissionState
from journal.models import AuditEvent, StageExtension, Venue
from journal.services.action_editors import submission_assign_action_editor
from tests.api.support import client_for
from tests.reviews.workflow.world import make_world

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
REASON = "The area's reviewers are at a conference this week."


@pytest.fixture
def world():
    return make_world(
        state=SubmissionState.SUBMITTED,
        n_reviewers=2,
        reviewers_per_paper=2,
        editor_assignment_days=7,
        reviewer_assignment_days=7,
    )


def _url(world) -> str:
    return f"/api/v1/submissions/{world.submission.pk}/deadlines/"


def _stage(body, key):
    return next(s for s in body["stages"] if s["stage"] == key)


def test_editors_read_the_deadlines_computed_from_events(world):
    body = client_for(world.chief).get(_url(world)).json()
    assignment = _stage(body, Stage.EDITOR_ASSIGNMENT)
    due = world.submission.submitted_at + 7 * DAY
    assert assignment["due"].startswith(due.strftime("%Y-%m-%dT%H:%M"))
    assert body["current_stage"] == "editor_assignment"
    assert assignment["owed_by"] == "chiefs" and assignment["may_extend"] is True
    assert body["cycle"] == 1 and body["extensions"] == []


def test_chief_extends_a_stage_with_a_reason_audited(world):
    submission_assign_action_editor(
        submission=world.submission, editor=world.editor, actor=world.chief
    )
    before = _stage(client_for(world.chief).get(_url(world)).json(), "reviewer_assignment")
    response = client_for(world.chief).post(
        _url(world), {"stage": "reviewer_assignment", "days": 3, "reason": REASON}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    after = _stage(body, "reviewer_assignment")
    assert after["extended_days"] == 3 and after["due"] != before["due"]
    assert body["extensions"][0]["reason"] == REASON
    assert body["extensions"][0]["granted_by"] == world.chief.display_name
    event = AuditEvent.objects.get(submission=world.submission, action="stage.extended")
    assert event.actor == world.chief and event.note == REASON


def test_handling_editor_may_not_extend_what_editors_owe(world):
    submission_assign_action_editor(
        submission=world.submission, editor=world.editor, actor=world.chief
    )
    client = client_for(world.editor)
    stage = _stage(client.get(_url(world)).json(), "reviewer_assignment")
    assert stage["may_extend"] is False
    response = client.post(
        _url(world), {"stage": "reviewer_assignment", "days": 3, "reason": REASON}, format="json"
    )
    assert response.status_code == 403
    assert "reviewer assignment" in response.json()["detail"]
    assert not StageExtension.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"stage": "reviewer_assignment", "days": 0, "reason": REASON}, "days"),
        ({"stage": "reviewer_assignment", "days": 91, "reason": REASON}, "days"),
        ({"stage": "reviewer_assignment", "days": 3, "reason": ""}, "reason"),
        ({"stage": "lunch", "days": 3, "reason": REASON}, "stage"),
    ],
)
def test_bad_extensions_are_refused_with_the_field_named(world, payload, field):
    response = client_for(world.chief).post(_url(world), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not StageExtension.objects.exists()


def test_finished_stage_is_refused_with_a_reason(world):
    submission_assign_action_editor(
        submission=world.submission, editor=world.editor, actor=world.chief
    )
    response = client_for(world.chief).post(
        _url(world), {"stage": "editor_assignment", "days": 3, "reason": REASON}, format="json"
    )
    assert response.status_code in (400, 409)
    assert "over" in response.json()["detail"]
    assert not StageExtension.objects.exists()


def test_reviewers_and_strangers_do_not_see_the_deadlines(world):
    assert client_for(world.reviewers[0]).get(_url(world)).status_code in (403, 404)
    assert client_for(world.author).get(_url(world)).status_code == 403


def test_venue_settings_carry_the_stage_durations_chief_only(world):
    url = f"/api/v1/venues/{world.venue.slug}/settings/"
    chief = client_for(world.chief)
    assert chief.get(url).json()["editor_assignment_days"] == 7
    response = chief.patch(url, {"meta_review_days": 7, "discussion_days": None}, format="json")
    assert response.status_code == 200, response.content
    venue = Venue.objects.get(pk=world.venue.pk)
    assert (venue.meta_review_days, venue.discussion_days) == (7, None)
    assert AuditEvent.objects.filter(venue=venue, action="venue.updated").exists()
    public = client_for().get(f"/api/v1/venues/{venue.slug}/").json()
    assert public["meta_review_days"] == 7

    refused = client_for(world.editor).patch(url, {"meta_review_days": 1}, format="json")
    assert refused.status_code == 403
    bad = chief.patch(url, {"meta_review_days": 0}, format="json")
    assert bad.status_code == 400 and "meta_review_days" in bad.json()["errors"]
    assert Venue.objects.get(pk=venue.pk).meta_review_days == 7
