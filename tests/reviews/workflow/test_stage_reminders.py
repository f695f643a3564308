"""Reminders and escalations driven by the stage clock's deadlines, and by their extensions."""

from datetime import timedelta

import pytest

from journal.enums import Stage, SubmissionState
from journal.models import AuditEvent, OutboundEmail
from journal.services.action_editors import submission_assign_action_editor
from journal.services.deadlines import stage_extend
from reviews.models import Review
from reviews.services.reminders import reminders_send
from tests.reviews.workflow.world import invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
TMLR_DAYS = {
    "editor_assignment_days": 7,
    "reviewer_assignment_days": 7,
    "discussion_days": 14,
    "recommendation_days": 14,
    "meta_review_days": 7,
}


def _sent(template):
    return OutboundEmail.objects.filter(template=f"reviews/emails/{template}").order_by("pk")


def test_reminders_driven_by_stage_deadlines_and_their_extensions():
    world = make_world(state=SubmissionState.SUBMITTED, reviewers_per_paper=2, **TMLR_DAYS)
    paper = world.submission
    due = paper.submitted_at + 7 * DAY
    assert reminders_send(now=due - 25 * HOUR) == 0
    assert reminders_send(now=due - 23 * HOUR) == 1
    reminder = _sent("reminder_editor_assignment").get()
    assert reminder.recipient == world.chief
    assert f"#{paper.number}" in reminder.subject and "action editor" in reminder.subject

    stage_extend(
        submission=paper,
        stage=Stage.EDITOR_ASSIGNMENT,
        days=2,
        reason="Two editors in the area are away.",
        actor=world.chief,
    )
    assert reminders_send(now=due + HOUR) == 0  # the new deadline is two days off
    assert reminders_send(now=due + 2 * DAY - 23 * HOUR) == 1
    assert _sent("reminder_editor_assignment").count() == 2

    submission_assign_action_editor(submission=paper, editor=world.editor, actor=world.chief)
    assigned = AuditEvent.objects.get(action="submission.action_editor_assigned").created_at
    finding_due = assigned + 7 * DAY
    assert reminders_send(now=finding_due - 23 * HOUR) == 1
    assert _sent("reminder_reviewer_assignment").get().recipient == world.editor
    # Three days late, the chiefs hear of it; once.
    reminders_send(now=finding_due + 73 * HOUR)
    reminders_send(now=finding_due + 80 * HOUR)
    escalation = _sent("escalation").get()
    assert escalation.recipient == world.chief and "reviewer assignment" in escalation.body
    assert _sent("reminder_editor_assignment").count() == 2


def test_recommendation_and_meta_review_reminders_follow_the_clock():
    world = make_world(n_reviewers=2, reviewers_per_paper=2, **TMLR_DAYS)
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    reviews_in = max(Review.objects.values_list("submitted_at", flat=True))
    recommendations_due = reviews_in + (14 + 14) * DAY
    assert reminders_send(now=recommendations_due - 25 * HOUR) == 0
    reminders_send(now=recommendations_due - 23 * HOUR)
    assert {e.recipient for e in _sent("reminder_recommendation")} == set(world.reviewers)
    assert not _sent("reminder_decision").exists()
    # Recommendations missing: the action editor's week starts when they were due.
    reminders_send(now=recommendations_due + 7 * DAY - 23 * HOUR)
    assert _sent("reminder_decision").get().recipient == world.editor


def test_extended_reviews_get_their_reminders_afresh(settings):
    settings.PEERLESS_REMINDER_OFFSETS = {"review": [-24]}
    world = make_world(n_reviewers=1, reviewers_per_paper=1)
    (invitation,) = invite_all(world)
    due = invitation.review_due
    assert reminders_send(now=due - 23 * HOUR) == 1
    stage_extend(
        submission=world.submission,
        stage=Stage.REVIEWS,
        days=5,
        reason="The reviewer asked for more time.",
        actor=world.editor,
    )
    assert reminders_send(now=due - 23 * HOUR) == 0
    assert reminders_send(now=due + 5 * DAY - 23 * HOUR) == 1
    assert _sent("reminder_review").count() == 2
