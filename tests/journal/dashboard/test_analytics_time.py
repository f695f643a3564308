"""Time to decision, time in each stage, action editors' turnaround: exact figures on a
hand-made timeline, and a page that costs the same queries for one paper or many."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from journal.analytics.timing import age_counts, spread, spreads_by
from journal.enums import Stage, SubmissionState
from journal.selectors.analytics_time import analytics_stage_times, analytics_time_to_decision
from journal.selectors.dashboard import dashboard_scope
from journal.services.action_editors import submission_assign_action_editor
from journal.services.workflow import submission_transition
from tests.journal.dashboard.conftest import count_queries

S = SubmissionState


def at(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 12, 0, tzinfo=UTC)


def test_spreads_on_plain_numbers():
    figure = spread("All", [56, 4, 70, 42])
    assert (figure.n, figure.median, figure.p90) == (4, 49, pytest.approx(65.8))
    by_month = spreads_by([("2025-03", 56), ("2025-01", 4), ("2025-03", 70)])
    assert [(m.label, m.n, m.median) for m in by_month] == [("2025-01", 1, 4), ("2025-03", 2, 63)]
    assert age_counts([0, 6.9, 7, 20, 60]) == [2, 1, 1, 0, 1]


def _decided(world, submitted: datetime, decided: datetime, outcome: str):
    """A paper submitted and decided at the given moments, through the workflow."""
    paper = world.paper(S.DRAFT)
    submission_transition(submission=paper, to_state=S.SUBMITTED, actor=world.author, now=submitted)
    if outcome == S.DESK_REJECTED:
        submission_transition(
            submission=paper, to_state=outcome, actor=world.chief, note="Out of scope.", now=decided
        )
        return paper
    submission_assign_action_editor(submission=paper, editor=world.editor, actor=world.chief)
    for state, moment in ((S.UNDER_REVIEW, submitted), (S.DECISION_PENDING, decided)):
        submission_transition(submission=paper, to_state=state, actor=world.editor, now=moment)
    submission_transition(submission=paper, to_state=outcome, actor=world.chief, now=decided)
    return paper


@pytest.fixture
def timeline(world):
    _decided(world, at(1, 6), at(1, 10), S.DESK_REJECTED)  # 4 days, decided in January
    _decided(world, at(1, 2), at(2, 13), S.REJECTED)  # 42 days, February
    _decided(world, at(1, 20), at(3, 17), S.ACCEPTED)  # 56 days, March
    _decided(world, at(2, 3), at(4, 14), S.ACCEPTED)  # 70 days, April
    world.paper(S.SUBMITTED)  # not decided: not counted
    return world


def test_time_to_decision_figures_on_a_hand_made_timeline(timeline):
    scope = dashboard_scope(user=timeline.chief, venue=timeline.venue)
    figures = analytics_time_to_decision(scope=scope)
    assert (figures.overall.n, figures.overall.median) == (4, 49)
    assert figures.overall.p90 == pytest.approx(65.8)
    assert [(m.label, m.n, m.median) for m in figures.by_month] == [
        ("2025-01", 1, 4),
        ("2025-02", 1, 42),
        ("2025-03", 1, 56),
        ("2025-04", 1, 70),
    ]


def test_analytics_page_shows_time_to_decision(client, timeline):
    client.force_login(timeline.chief)
    page = client.get(reverse("journal:dashboard-analytics", args=[timeline.venue.slug]))
    text = page.content.decode()
    assert "Median <strong>49.0 days</strong>" in text
    assert "90% within <strong>65.8 days</strong>" in text
    assert "<td>2025-04</td><td>1</td><td>70.0</td>" in text
    assert "Open papers by age in their current stage" in text


def test_time_in_stage_and_editor_turnaround(world):
    paper = world.paper(S.UNDER_REVIEW)
    now = paper.submitted_at + timedelta(days=10)
    scope = dashboard_scope(user=world.chief, venue=world.venue)
    times = analytics_stage_times(scope=scope, now=now)
    stages = {s.label: s for s in times.stages}
    assert stages[Stage.EDITOR_ASSIGNMENT.label].n == 1
    # Its reviewers are not found yet: 10 days (less the minutes to assign) in that stage.
    assert times.ages == {Stage.REVIEWER_ASSIGNMENT.label: [0, 1, 0, 0, 0]}
    (editor,) = [e for e in times.editors if e.editor == world.editor]
    assert (editor.open_papers, editor.recommendations) == (1, 0)


def test_analytics_page_query_count_constant(client, world):
    client.force_login(world.chief)
    url = reverse("journal:dashboard-analytics", args=[world.venue.slug])
    world.paper(S.UNDER_REVIEW)
    world.paper(S.REJECTED)
    one = count_queries(client, url)
    for state in (S.UNDER_REVIEW, S.REJECTED, S.SUBMITTED, S.ACCEPTED):
        world.paper(state)
    assert count_queries(client, url) == one
