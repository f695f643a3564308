"""Decisions: TMLR's rules, certifications, the editor-in-chief's approval, conference bulk."""

import pytest

from journal.enums import (
    Certification,
    DecisionOutcome,
    DecisionStatus,
    SubmissionState,
    VenueKind,
)
from journal.errors import DomainError, TransitionError
from journal.models import OutboundEmail
from journal.services.decisions import decision_draft, decision_transition
from journal.services.decisions_bulk import decisions_bulk
from tests.reviews.workflow.world import invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db
O = DecisionOutcome  # noqa: E741
D = DecisionStatus


def _draft(world, outcome, claims=True, audience=True, certs=(), editor=None):
    return decision_draft(
        submission=world.submission,
        editor=editor or world.editor,
        outcome=outcome,
        claims_supported=claims,
        audience_interested=audience,
        certifications=certs,
        comment="Thank you.",
    )


def test_both_criteria_met_refuses_reject():
    world = make_world()
    with pytest.raises(DomainError, match="cannot be rejected"):
        _draft(world, O.REJECT, True, True)


@pytest.mark.parametrize(("claims", "audience"), [(False, True), (True, False), (False, False)])
def test_a_criterion_unmet_refuses_accept_as_is(claims, audience):
    world = make_world()
    with pytest.raises(DomainError, match="cannot be accepted as is"):
        _draft(world, O.ACCEPT, claims, audience)
    assert _draft(world, O.MINOR_REVISION, claims, audience).outcome == O.MINOR_REVISION


def test_journal_decision_needs_both_answers():
    world = make_world()
    with pytest.raises(DomainError, match="both criteria"):
        _draft(world, O.MINOR_REVISION, None, True)


def test_reject_carries_no_certification():
    world = make_world()
    with pytest.raises(DomainError, match="no certification"):
        _draft(world, O.REJECT, False, True, certs=[Certification.FEATURED])


def test_outstanding_only_by_chief():
    world = make_world()
    with pytest.raises(DomainError, match="editor-in-chief"):
        _draft(world, O.ACCEPT, certs=[Certification.OUTSTANDING])
    decision = _draft(world, O.ACCEPT, certs=[Certification.FEATURED])
    decision_transition(decision=decision, to_status=D.AWAITING_APPROVAL, actor=world.editor)
    decision_transition(
        decision=decision,
        to_status=D.PUBLISHED,
        actor=world.chief,
        certifications=[Certification.FEATURED, Certification.OUTSTANDING],
    )
    assert decision.certifications == ["featured", "outstanding"]


def test_conference_outcomes_differ_from_journal():
    world = make_world()
    with pytest.raises(DomainError):
        _draft(world, O.POSTER)
    conf = make_world(kind=VenueKind.CONFERENCE)
    assert _draft(conf, O.POSTER, None, None, editor=conf.chief).outcome == O.POSTER


def test_journal_flow_needs_chief_approval_then_publishes():
    world = make_world()
    decision = _draft(world, O.ACCEPT, certs=[Certification.REPRODUCIBILITY])
    with pytest.raises(TransitionError, match="approve"):
        decision_transition(decision=decision, to_status=D.PUBLISHED, actor=world.editor)
    with pytest.raises(TransitionError, match="submit"):
        decision_transition(decision=decision, to_status=D.PUBLISHED, actor=world.chief)
    decision_transition(decision=decision, to_status=D.AWAITING_APPROVAL, actor=world.editor)
    world.submission.refresh_from_db()
    assert world.submission.state == SubmissionState.DECISION_PENDING
    assert OutboundEmail.objects.filter(
        recipient=world.chief, template="reviews/emails/decision_awaiting_approval"
    ).exists()
    decision_transition(decision=decision, to_status=D.PUBLISHED, actor=world.chief)
    world.submission.refresh_from_db()
    assert world.submission.state == SubmissionState.ACCEPTED
    assert decision.approved_by == world.chief and decision.published_at
    email = OutboundEmail.objects.get(to=world.author.email, template="journal/emails/decision")
    assert "Reproducibility" in email.body and "Thank you." in email.body


def test_chief_returns_decision_to_editor():
    world = make_world()
    decision = _draft(world, O.MINOR_REVISION, False, True)
    decision_transition(decision=decision, to_status=D.AWAITING_APPROVAL, actor=world.editor)
    with pytest.raises(TransitionError):
        decision_transition(decision=decision, to_status=D.DRAFT, actor=world.editor)
    decision_transition(decision=decision, to_status=D.DRAFT, actor=world.chief, note="Why?")
    assert OutboundEmail.objects.filter(
        recipient=world.editor, template="reviews/emails/decision_returned"
    ).exists()


@pytest.mark.parametrize(
    ("outcome", "claims", "state"),
    [
        (O.MINOR_REVISION, False, SubmissionState.REVISION_REQUESTED),
        (O.REJECT, False, SubmissionState.REJECTED),
    ],
)
def test_outcomes_map_to_states(outcome, claims, state):
    world = make_world()
    decision = _draft(world, outcome, claims, True)
    decision_transition(decision=decision, to_status=D.AWAITING_APPROVAL, actor=world.editor)
    decision_transition(decision=decision, to_status=D.PUBLISHED, actor=world.chief)
    world.submission.refresh_from_db()
    assert world.submission.state == state


def test_rewriting_keeps_one_open_decision():
    world = make_world()
    first = _draft(world, O.ACCEPT)
    second = _draft(world, O.MINOR_REVISION)
    assert first.pk == second.pk
    assert world.submission.decisions.count() == 1


def test_conference_chairs_decide_in_bulk():
    conf = make_world(kind=VenueKind.CONFERENCE, reviewers_per_paper=1)
    other = make_world(kind=VenueKind.CONFERENCE)
    with pytest.raises(TransitionError):
        decisions_bulk(venue=conf.venue, actor=conf.editor, outcomes={conf.submission.pk: O.ORAL})
    invite_all(conf)
    for reviewer in conf.reviewers:
        submit_review(conf, reviewer)
    plan = decisions_bulk(
        venue=conf.venue,
        actor=conf.chief,
        outcomes={conf.submission.pk: O.ORAL, other.submission.pk: O.POSTER},
    )
    assert [d.outcome for d in plan.decided] == [O.ORAL]
    assert [r.submission_id for r in plan.refused] == [other.submission.pk]
    # recorded, not released: the paper stays under review until the decisions phase
    assert plan.decided[0].status == D.DRAFT
    conf.submission.refresh_from_db()
    assert conf.submission.state == SubmissionState.UNDER_REVIEW
    third = make_world(kind=VenueKind.CONFERENCE)
    plan = decisions_bulk(
        venue=third.venue, actor=third.chief, outcomes={third.submission.pk: O.ACCEPT}
    )
    assert plan.decided == [] and plan.refused[0].submission_id == third.submission.pk
