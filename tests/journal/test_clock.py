"""The stage clock on hand-made timelines: every start, end and deadline, to the minute."""

from datetime import UTC, datetime, timedelta

from journal.clock import CycleEvents, Durations, current_stage, cycle_stages
from journal.enums import Stage

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
TMLR = Durations(
    editor_assignment=7,
    reviewer_assignment=7,
    discussion=14,
    recommendations=14,
    meta_review=7,
    approval=None,
)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def _timeline(**overrides) -> CycleEvents:
    values = {
        "submitted": T0,
        "editor_assigned": day(2),
        "reviewers_wanted": 3,
        "accepted": [day(3), day(6), day(4)],
        # Two regular papers' reviewers (two weeks) and one who got the long period.
        "review_dues": [day(17), day(18), day(34)],
        "reviews_in": [day(15), day(20), day(18)],
        "reviews_submitted": 3,
        "recommendations": [day(40), day(44), day(41)],
        "decision_submitted": day(48),
    }
    values.update(overrides)
    return CycleEvents(**values)


def _by_stage(stages):
    return {s.stage: s for s in stages}


def test_stage_deadlines_computed_from_the_events_that_start_each_stage():
    stages = _by_stage(cycle_stages(events=_timeline(), durations=TMLR, now=day(50)))
    expected = {
        Stage.EDITOR_ASSIGNMENT: (T0, day(2), day(7)),
        Stage.REVIEWER_ASSIGNMENT: (day(2), day(6), day(9)),
        Stage.REVIEWS: (day(6), day(20), day(34)),
        Stage.DISCUSSION: (day(20), day(34), day(34)),
        Stage.RECOMMENDATIONS: (day(34), day(44), day(48)),
        Stage.META_REVIEW: (day(44), day(48), day(51)),
        Stage.APPROVAL: (day(48), None, None),
    }
    assert list(stages) == list(Stage)
    for stage, (started, ended, due) in expected.items():
        assert (stages[stage].started, stages[stage].ended, stages[stage].due) == (
            started,
            ended,
            due,
        ), stage
    assert stages[Stage.REVIEWS].days_in(day(50)) == 14
    assert current_stage(list(stages.values())).stage == Stage.APPROVAL


def test_stage_deadlines_move_with_extensions_of_that_stage_only():
    events = _timeline(extensions={Stage.DISCUSSION: 3, Stage.META_REVIEW: 2})
    stages = _by_stage(cycle_stages(events=events, durations=TMLR, now=day(50)))
    discussion = stages[Stage.DISCUSSION]
    assert (discussion.due, discussion.ended, discussion.extended_days) == (day(37), day(37), 3)
    # The next stage starts when the extended discussion ends, so its deadline moves too.
    assert stages[Stage.RECOMMENDATIONS].started == day(37)
    assert stages[Stage.RECOMMENDATIONS].due == day(51)
    assert stages[Stage.META_REVIEW].due == day(44 + 7 + 2)
    assert stages[Stage.REVIEWER_ASSIGNMENT].due == day(9)


def test_open_stage_is_late_after_its_deadline():
    events = _timeline(accepted=[day(3)], reviews_in=[], recommendations=[], review_dues=[])
    events.decision_submitted = None
    stages = _by_stage(cycle_stages(events=events, durations=TMLR, now=day(12)))
    assignment = stages[Stage.REVIEWER_ASSIGNMENT]
    assert assignment.is_open and assignment.is_late(day(12)) and not assignment.is_late(day(8))
    assert stages[Stage.REVIEWS].started is None
    assert current_stage(list(stages.values())) == assignment


def test_meta_review_clock_starts_when_recommendations_are_due_if_some_are_missing():
    events = _timeline(recommendations=[day(40)], decision_submitted=None)
    stages = _by_stage(cycle_stages(events=events, durations=TMLR, now=day(60)))
    assert stages[Stage.RECOMMENDATIONS].ended is None
    assert stages[Stage.RECOMMENDATIONS].due == day(48)
    assert stages[Stage.META_REVIEW].started == day(48)
    assert stages[Stage.META_REVIEW].due == day(55)


def test_decision_closes_every_open_stage():
    events = _timeline(decision_submitted=None, recommendations=[], decided=day(42))
    stages = _by_stage(cycle_stages(events=events, durations=TMLR, now=day(60)))
    assert stages[Stage.RECOMMENDATIONS].ended == day(42)
    assert stages[Stage.META_REVIEW].started is None
    assert current_stage(list(stages.values())) is None


def test_resubmission_keeps_its_action_editor_and_starts_with_reviewers():
    events = _timeline(number=2, editor_assigned=T0 - timedelta(days=90))
    stages = _by_stage(cycle_stages(events=events, durations=TMLR, now=day(50)))
    assert Stage.EDITOR_ASSIGNMENT not in stages
    assert stages[Stage.REVIEWER_ASSIGNMENT].started == T0
    assert stages[Stage.REVIEWER_ASSIGNMENT].due == day(7)


def test_without_days_a_typed_round_date_is_the_deadline():
    typed = day(45)
    events = _timeline(recommendations=[], decision_submitted=None, typed_decision_due=typed)
    stages = _by_stage(cycle_stages(events=events, durations=Durations(), now=day(30)))
    assert stages[Stage.EDITOR_ASSIGNMENT].due is None
    assert stages[Stage.DISCUSSION].due is None
    assert stages[Stage.META_REVIEW].due == typed
