"""Stage deadlines on the paper page and in the queues; extending one from the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.enums import Stage, SubmissionState
from journal.models import AuditEvent, StageExtension
from journal.services.venues import venue_update
from journal.time_zones import format_moment
from tests.journal.dashboard.conftest import count_queries

S = SubmissionState
DAY = timedelta(days=1)
REASON = "The editors of this area meet next week."


@pytest.fixture
def tmlr(world):
    venue_update(
        venue=world.venue,
        actor=world.chief,
        editor_assignment_days=7,
        reviewer_assignment_days=7,
        discussion_days=14,
        recommendation_days=14,
        meta_review_days=7,
    )
    world.venue.refresh_from_db()
    return world


def _paper_url(world, paper):
    return reverse("journal:dashboard-paper", args=[world.venue.slug, paper.number])


def _extend_url(world, paper):
    return reverse("journal:dashboard-paper-extend", args=[world.venue.slug, paper.number])


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _shown(moment):
    """A moment as pages write it (in the reader's zone, named; UTC here)."""
    return format_moment(moment, timezone.get_current_timezone())


def test_paper_page_shows_stage_deadlines_and_the_chief_extends_one(client, tmlr):
    paper = tmlr.paper(S.SUBMITTED)
    paper.refresh_from_db()
    client.force_login(tmlr.chief)
    page = client.get(_paper_url(tmlr, paper)).content.decode()
    assert "Action editor assignment" in page and "Editor-in-chief&#x27;s approval" in page
    assert _shown(paper.submitted_at + 7 * DAY) in page
    assert "Extend action editor assignment" in page

    answer = client.post(
        _extend_url(tmlr, paper),
        {"stage": Stage.EDITOR_ASSIGNMENT, "days": "3", "reason": REASON},
    )
    assert answer.status_code == 302 and answer.url.endswith("#deadlines")
    page = client.get(_paper_url(tmlr, paper)).content.decode()
    assert _shown(paper.submitted_at + 10 * DAY) in page
    assert "extended by 3 days" in page and REASON in page
    assert AuditEvent.objects.filter(action="stage.extended", actor=tmlr.chief).exists()


def test_action_editor_may_not_extend_their_own_stage_and_nothing_changes(client, tmlr):
    paper = tmlr.paper(S.UNDER_REVIEW)
    client.force_login(tmlr.editor)
    page = client.get(_paper_url(tmlr, paper)).content.decode()
    assert "Reviewer assignment" in page
    assert "Extend reviewer assignment" not in page
    answer = client.post(
        _extend_url(tmlr, paper),
        {"stage": Stage.REVIEWER_ASSIGNMENT, "days": "3", "reason": REASON},
    )
    assert answer.status_code == 403
    assert not StageExtension.objects.exists()
    assert not AuditEvent.objects.filter(action="stage.extended").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stage": Stage.EDITOR_ASSIGNMENT, "days": "many", "reason": REASON}, "whole number"),
        ({"stage": Stage.EDITOR_ASSIGNMENT, "days": "200", "reason": REASON}, "less than or"),
        ({"stage": Stage.EDITOR_ASSIGNMENT, "days": "3", "reason": ""}, "required"),
        ({"stage": "holidays", "days": "3", "reason": REASON}, "valid choice"),
    ],
)
def test_bad_extension_input_answers_400_and_changes_nothing(client, tmlr, data, message):
    paper = tmlr.paper(S.SUBMITTED)
    client.force_login(tmlr.chief)
    answer = client.post(_extend_url(tmlr, paper), data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not StageExtension.objects.exists()


def test_queues_show_the_stage_deadline(client, tmlr):
    paper = tmlr.paper(S.SUBMITTED)
    client.force_login(tmlr.chief)
    url = reverse("journal:venue-dashboard", args=[tmlr.venue.slug])
    page = client.get(url).content.decode()
    paper.refresh_from_db()
    unassigned = page[page.index('id="queue-unassigned"') : page.index('id="queue-first_action"')]
    assert f'title="{_local(paper.submitted_at + 7 * DAY)} UTC"' in unassigned
    assert "in 6\xa0days" in unassigned or "in 1\xa0week" in unassigned


def test_queues_page_query_count_constant_with_stage_deadlines(client, tmlr):
    client.force_login(tmlr.chief)
    url = reverse("journal:venue-dashboard", args=[tmlr.venue.slug])
    tmlr.paper(S.SUBMITTED)
    tmlr.paper(S.UNDER_REVIEW)
    one = count_queries(client, url)
    for state in (S.SUBMITTED, S.UNDER_REVIEW, S.SUBMITTED, S.UNDER_REVIEW):
        tmlr.paper(state)
    assert count_queries(client, url) == one
