"""The phase service: every legal and illegal move, the timeline, the schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.enums import Phase, PhaseJobStatus
from journal.errors import DomainError, TransitionError
from journal.models import AuditEvent, OutboundEmail, PhaseJob, Venue, VenuePhase
from journal.selectors.phases import phase_due, phase_next
from journal.services.phases import (
    PhaseJumpError,
    PlannedPhase,
    venue_phase_enter,
    venue_timeline_set,
    venues_advance_due,
)
from tests.factories import VenueFactory, VenueRoleFactory
from tests.journal.phases_world import phased_venue, week_plan

pytestmark = pytest.mark.django_db
PHASES = list(Phase)


def state_of(venue):
    venue.refresh_from_db()
    return venue.phase, PhaseJob.objects.filter(venue=venue).count()


def test_each_next_phase_is_entered_in_turn(django_capture_on_commit_callbacks):
    world = phased_venue()
    for phase in PHASES:
        with django_capture_on_commit_callbacks(execute=True):
            job = venue_phase_enter(venue=world.venue, phase=phase, actor=world.chief)
        world.venue.refresh_from_db()
        assert world.venue.phase == phase
        job.refresh_from_db()
        assert job.status == PhaseJobStatus.DONE and job.progress == 100
    events = AuditEvent.objects.filter(venue=world.venue, action="venue.phase")
    assert [e.to_state for e in events.order_by("created_at", "pk")] == [p.value for p in PHASES]
    assert all(e.actor == world.chief for e in events)
    mails = OutboundEmail.objects.filter(
        recipient=world.chief, template="journal/emails/phase_entered"
    )
    assert mails.count() == len(PHASES)
    assert "Camera-ready phase" in mails.order_by("pk").last().subject


@pytest.mark.parametrize("position", range(len(PHASES)))
def test_the_same_phase_again_is_refused(position):
    world = phased_venue()
    Venue.objects.filter(pk=world.venue.pk).update(phase=PHASES[position])
    world.venue.refresh_from_db()
    with pytest.raises(TransitionError, match="already in the"):
        venue_phase_enter(venue=world.venue, phase=PHASES[position], actor=world.chief)
    assert state_of(world.venue) == (PHASES[position], 0)


@pytest.mark.parametrize("position", range(1, len(PHASES)))
def test_going_back_is_refused(position):
    world = phased_venue()
    Venue.objects.filter(pk=world.venue.pk).update(phase=PHASES[position])
    world.venue.refresh_from_db()
    for earlier in PHASES[:position]:
        with pytest.raises(TransitionError, match="only move forward"):
            venue_phase_enter(venue=world.venue, phase=earlier, actor=world.chief)
    assert state_of(world.venue) == (PHASES[position], 0)


@pytest.mark.parametrize("position", range(len(PHASES) - 2))
def test_a_jump_needs_confirmation(position, django_capture_on_commit_callbacks):
    world = phased_venue()
    Venue.objects.filter(pk=world.venue.pk).update(phase=PHASES[position])
    world.venue.refresh_from_db()
    target = PHASES[position + 2]
    with pytest.raises(PhaseJumpError, match="Confirm the jump"):
        venue_phase_enter(venue=world.venue, phase=target, actor=world.chief)
    assert state_of(world.venue) == (PHASES[position], 0)
    with django_capture_on_commit_callbacks(execute=True):
        venue_phase_enter(venue=world.venue, phase=target, actor=world.chief, confirm=True)
    assert state_of(world.venue) == (target, 1)


def test_the_next_phase_follows_the_timeline_not_the_list():
    world = phased_venue(timeline=False)
    venue_timeline_set(
        venue=world.venue,
        actor=world.chief,
        phases=week_plan(skip={Phase.BIDDING, Phase.AUTHOR_RESPONSE}),
    )
    Venue.objects.filter(pk=world.venue.pk).update(phase=Phase.SUBMISSION)
    world.venue.refresh_from_db()
    assert phase_next(venue=world.venue) == Phase.REVIEWING
    venue_phase_enter(venue=world.venue, phase=Phase.REVIEWING, actor=world.chief)
    assert phase_next(venue=world.venue) == Phase.DISCUSSION


def test_a_journal_has_no_phases():
    journal = VenueFactory()
    chief = VenueRoleFactory(venue=journal, role="chief").user
    with pytest.raises(TransitionError, match="is a journal"):
        venue_phase_enter(venue=journal, phase=Phase.SUBMISSION, actor=chief)
    assert state_of(journal) == ("", 0)
    with pytest.raises(DomainError, match="is a journal"):
        venue_timeline_set(venue=journal, actor=chief, phases=week_plan())
    assert not VenuePhase.objects.filter(venue=journal).exists()


def test_unknown_phase_is_refused():
    world = phased_venue()
    with pytest.raises(DomainError, match="'lunch' is not a phase"):
        venue_phase_enter(venue=world.venue, phase="lunch", actor=world.chief)
    assert state_of(world.venue) == ("", 0)


def test_no_new_phase_while_the_last_ones_work_runs():
    world = phased_venue()
    venue_phase_enter(venue=world.venue, phase=Phase.SUBMISSION, actor=world.chief)
    # the job's task runs only after commit, so here it is still queued
    with pytest.raises(TransitionError, match="still running"):
        venue_phase_enter(venue=world.venue, phase=Phase.BIDDING, actor=world.chief)
    assert state_of(world.venue) == (Phase.SUBMISSION, 1)


# The timeline


def test_timeline_saved_in_order_with_the_deadlines():
    world = phased_venue(timeline=False)
    plan = week_plan()
    rows = venue_timeline_set(venue=world.venue, actor=world.chief, phases=reversed(plan))
    assert [r.phase for r in rows] == [p.value for p in PHASES]
    world.venue.refresh_from_db()
    assert world.venue.submission_deadline == plan[0].ends_at
    assert world.venue.camera_ready_deadline == plan[-1].ends_at
    assert AuditEvent.objects.filter(venue=world.venue, action="venue.timeline").count() == 1
    rows = venue_timeline_set(venue=world.venue, actor=world.chief, phases=plan[:3])
    assert [r.phase for r in rows] == [Phase.SUBMISSION, Phase.BIDDING, Phase.REVIEWING]


def _refused_timeline(world, phases, message):
    before = list(VenuePhase.objects.filter(venue=world.venue).values_list())
    with pytest.raises(DomainError, match=message):
        venue_timeline_set(venue=world.venue, actor=world.chief, phases=phases)
    assert list(VenuePhase.objects.filter(venue=world.venue).values_list()) == before


def test_timeline_refuses_overlaps_order_and_naive_times():
    world = phased_venue()
    plan = week_plan()
    late = PlannedPhase(Phase.BIDDING, plan[0].starts_at + timedelta(days=1), plan[0].ends_at)
    _refused_timeline(world, [plan[0], late], "Bidding starts before Submission ends")
    backwards = PlannedPhase(Phase.REVIEWING, plan[0].ends_at, plan[0].starts_at)
    _refused_timeline(world, [backwards], "Reviewing must end after it starts")
    naive = PlannedPhase(
        Phase.REVIEWING, timezone.make_naive(plan[2].starts_at), plan[2].ends_at
    )
    _refused_timeline(world, [naive], "with their time zone")
    _refused_timeline(world, [plan[0], plan[0]], "listed twice")


def test_only_chairs_edit_the_timeline():
    world = phased_venue()
    for person in (world.area_chair, world.reviewers[0]):
        _before = list(VenuePhase.objects.filter(venue=world.venue).values_list())
        with pytest.raises(TransitionError, match="Only a program chair"):
            venue_timeline_set(venue=world.venue, actor=person, phases=week_plan()[:1])
        assert list(VenuePhase.objects.filter(venue=world.venue).values_list()) == _before


# The schedule


def test_the_schedule_enters_the_due_phase_once(django_capture_on_commit_callbacks):
    world = phased_venue()
    now = timezone.now() + timedelta(days=1)  # bidding started yesterday
    assert phase_due(venue=world.venue, now=now) == Phase.BIDDING
    with django_capture_on_commit_callbacks(execute=True):
        assert venues_advance_due(now=now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert venues_advance_due(now=now) == 0
    assert state_of(world.venue) == (Phase.BIDDING, 1)
    event = AuditEvent.objects.get(venue=world.venue, action="venue.phase")
    assert event.actor is None and event.data["scheduled"] is True
    assert OutboundEmail.objects.filter(template="journal/emails/phase_entered").count() == 1


def test_the_schedule_leaves_venues_without_a_due_phase_alone():
    world = phased_venue()
    assert venues_advance_due(now=timezone.now() - timedelta(days=30)) == 0
    assert state_of(world.venue) == ("", 0)
