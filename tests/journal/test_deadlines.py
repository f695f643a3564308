"""Stage deadlines computed from a paper's real events, extended with a reason, and refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.enums import Stage, SubmissionState
from journal.errors import DomainError
from journal.models import AuditEvent, StageExtension
from journal.rules import EXTEND_PERMISSIONS
from journal.selectors.deadlines import submission_clock
from journal.services.action_editors import submission_assign_action_editor
from journal.services.deadlines import stage_extend
from journal.services.workflow import submission_transition
from reviews.models import ReviewInvitation
from tests.factories import UserFactory, VenueRoleFactory
from tests.reviews.workflow.world import invite_all, make_world

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
TMLR_DAYS = {
    "editor_assignment_days": 7,
    "reviewer_assignment_days": 7,
    "discussion_days": 14,
    "recommendation_days": 14,
    "meta_review_days": 7,
}
REASON = "The area's reviewers are at a conference this week."


def _submitted_world(**kwargs):
    return make_world(
        state=SubmissionState.SUBMITTED,
        n_reviewers=2,
        reviewers_per_paper=2,
        **{**TMLR_DAYS, **kwargs},
    )


def _assigned_at(world):
    return (
        AuditEvent.objects.filter(
            submission=world.submission, action="submission.action_editor_assigned"
        )
        .latest("created_at")
        .created_at
    )


def test_stage_deadlines_computed_from_events_with_extensions():
    world = _submitted_world()
    paper = world.submission
    clock = submission_clock(submission=paper)
    assignment = clock.stage(Stage.EDITOR_ASSIGNMENT)
    assert assignment.is_open and assignment.due == paper.submitted_at + 7 * DAY
    assert clock.current.stage == Stage.EDITOR_ASSIGNMENT

    submission_assign_action_editor(submission=paper, editor=world.editor, actor=world.chief)
    assigned_at = _assigned_at(world)
    clock = submission_clock(submission=paper)
    assert clock.stage(Stage.EDITOR_ASSIGNMENT).ended == assigned_at
    assert clock.stage(Stage.REVIEWER_ASSIGNMENT).due == assigned_at + 7 * DAY

    stage_extend(
        submission=paper,
        stage=Stage.REVIEWER_ASSIGNMENT,
        days=3,
        reason=REASON,
        actor=world.chief,
    )
    finding = submission_clock(submission=paper).stage(Stage.REVIEWER_ASSIGNMENT)
    assert (finding.due, finding.extended_days) == (assigned_at + 10 * DAY, 3)
    event = AuditEvent.objects.get(submission=paper, action="stage.extended")
    assert (event.actor, event.note) == (world.chief, REASON)
    assert event.data["stage"] == "reviewer_assignment" and event.data["days"] == 3

    invite_all(world)
    clock = submission_clock(submission=paper)
    accepted = sorted(
        ReviewInvitation.objects.filter(submission=paper).values_list("responded_at", flat=True)
    )
    assert clock.stage(Stage.REVIEWER_ASSIGNMENT).ended == accepted[-1]
    before = dict(ReviewInvitation.objects.values_list("pk", "review_due"))
    assert clock.stage(Stage.REVIEWS).due == max(before.values())

    stage_extend(
        submission=paper, stage=Stage.REVIEWS, days=7, reason=REASON, actor=world.editor
    )
    after = dict(ReviewInvitation.objects.values_list("pk", "review_due"))
    assert after == {pk: due + 7 * DAY for pk, due in before.items()}
    reviews = submission_clock(submission=paper).stage(Stage.REVIEWS)
    assert (reviews.due, reviews.extended_days) == (max(before.values()) + 7 * DAY, 7)


@pytest.mark.parametrize(
    ("stage", "days", "reason", "message"),
    [
        (Stage.REVIEWER_ASSIGNMENT, 0, REASON, "1 to 90 whole days"),
        (Stage.REVIEWER_ASSIGNMENT, 91, REASON, "1 to 90 whole days"),
        (Stage.REVIEWER_ASSIGNMENT, 3, "   ", "Give a reason"),
        ("holidays", 3, REASON, "not a stage"),
        (Stage.EDITOR_ASSIGNMENT, 3, REASON, "action editor assignment stage is over"),
        (Stage.REVIEWS, 3, REASON, "No review is being written yet"),
    ],
)
def test_stage_extension_refusals_change_nothing(stage, days, reason, message):
    world = _submitted_world()
    paper = world.submission
    submission_assign_action_editor(submission=paper, editor=world.editor, actor=world.chief)
    before = submission_clock(submission=paper).stages
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=message):
        stage_extend(submission=paper, stage=stage, days=days, reason=reason, actor=world.chief)
    assert not StageExtension.objects.exists()
    assert AuditEvent.objects.count() == events
    assert submission_clock(submission=paper).stages == before


def test_stage_extension_of_a_closed_paper_refused_and_changes_nothing():
    world = _submitted_world()
    paper = world.submission
    submission_transition(
        submission=paper, to_state=SubmissionState.WITHDRAWN, actor=world.author
    )
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="closed"):
        stage_extend(
            submission=paper,
            stage=Stage.EDITOR_ASSIGNMENT,
            days=3,
            reason=REASON,
            actor=world.chief,
        )
    assert not StageExtension.objects.exists() and AuditEvent.objects.count() == events


def test_stage_extension_rules_per_role():
    world = make_world(**TMLR_DAYS)
    paper = world.submission
    other_editor = VenueRoleFactory(venue=world.venue, role="action_editor").user
    reviewer_stages = {Stage.REVIEWS, Stage.DISCUSSION, Stage.RECOMMENDATIONS}
    for stage, permission in EXTEND_PERMISSIONS.items():
        assert world.chief.has_perm(permission, paper), stage
        assert world.editor.has_perm(permission, paper) == (stage in reviewer_stages), stage
        for stranger in (other_editor, world.reviewers[0], world.author, UserFactory()):
            assert not stranger.has_perm(permission, paper), (stage, stranger)


def test_new_cycle_ignores_the_extensions_of_the_last_one():
    world = _submitted_world()
    paper = world.submission
    stage_extend(
        submission=paper,
        stage=Stage.EDITOR_ASSIGNMENT,
        days=5,
        reason=REASON,
        actor=world.chief,
    )
    clock = submission_clock(submission=paper)
    assert clock.cycle == 1
    assert clock.stage(Stage.EDITOR_ASSIGNMENT).due == paper.submitted_at + 12 * DAY
    later = timezone.now() + 30 * DAY
    assert submission_clock(submission=paper, now=later).stage(
        Stage.EDITOR_ASSIGNMENT
    ).is_late(later)


def test_reviewers_told_their_new_review_deadline():
    from journal.models import OutboundEmail

    world = _submitted_world()
    paper = world.submission
    submission_assign_action_editor(submission=paper, editor=world.editor, actor=world.chief)
    invite_all(world)
    OutboundEmail.objects.all().delete()
    stage_extend(
        submission=paper, stage=Stage.REVIEWS, days=5, reason=REASON, actor=world.editor
    )
    mails = OutboundEmail.objects.filter(subject__contains="More time for your review")
    assert sorted(m.to for m in mails) == sorted(r.email for r in world.reviewers)
    invitation = ReviewInvitation.objects.get(submission=paper, reviewer=world.reviewers[0])
    mail = mails.get(to=world.reviewers[0].email)
    assert "extended by 5 days" in mail.body
    assert invitation.review_due.strftime("%Y-%m-%d") in mail.body
    assert REASON not in mail.body  # the reason is the editors' record, not the reviewers'
