"""Availability periods: the selector's windows, the service's refusals, and every caller
(matching, suggestions, invitations, action-editor assignment) asking the same question."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.enums import RoleKind, SubmissionState
from journal.errors import DomainError
from journal.models import AuditEvent, AvailabilityPeriod, VenueRole
from journal.selectors.availability import (
    person_away,
    person_is_available,
    review_window,
    roles_away,
)
from journal.services.action_editors import submission_assign_action_editor
from journal.services.availability import availability_period_add, availability_period_remove
from reviews.selectors.expertise import reviewer_slots
from reviews.services.invitations import invitation_create
from tests.factories import VenueFactory, VenueRoleFactory

TODAY = timezone.localdate()


def days(n: int):
    return TODAY + timedelta(days=n)


def test_a_period_makes_the_person_away_on_its_days_only(world):
    availability_period_add(
        user=world.reviewer, starts_on=days(5), ends_on=days(9), venue=world.venue, reason="Leave"
    )
    assert person_is_available(user=world.reviewer, venue=world.venue, on=days(4))
    assert not person_is_available(user=world.reviewer, venue=world.venue, on=days(5))
    assert not person_is_available(user=world.reviewer, venue=world.venue, on=days(9))
    assert person_is_available(user=world.reviewer, venue=world.venue, on=days(10))
    away = person_away(user=world.reviewer, venue=world.venue, start=TODAY, end=days(6))
    assert away is not None and away.reason == "Leave" and str(away).startswith("away from")


def test_a_period_for_every_venue_counts_everywhere_one_for_a_venue_only_there(world):
    other = VenueFactory()
    VenueRoleFactory(venue=other, user=world.reviewer)
    availability_period_add(user=world.reviewer, starts_on=TODAY, ends_on=days(3), venue=other)
    assert person_is_available(user=world.reviewer, venue=world.venue)
    assert not person_is_available(user=world.reviewer, venue=other)
    availability_period_add(user=world.reviewer, starts_on=days(1), ends_on=days(2))
    assert not person_is_available(user=world.reviewer, venue=world.venue, on=days(1))


def test_the_older_away_until_date_still_counts(world):
    role = VenueRole.objects.get(venue=world.venue, user=world.reviewer)
    role.unavailable_until = days(3)
    role.save()
    assert roles_away(roles=[role], start=TODAY)[world.reviewer.pk].ends_on == days(3)
    assert roles_away(roles=[role], start=days(4)) == {}


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (5, 2, "comes before"),
        (-9, -2, "over already"),
    ],
)
def test_bad_periods_are_refused_and_nothing_is_stored(world, start, end, message):
    with pytest.raises(DomainError, match=message):
        availability_period_add(user=world.reviewer, starts_on=days(start), ends_on=days(end))
    assert not AvailabilityPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="availability.").exists()


def test_a_period_at_a_venue_without_a_role_is_refused(world):
    with pytest.raises(DomainError, match="no role"):
        availability_period_add(
            user=world.author, starts_on=TODAY, ends_on=days(1), venue=world.venue
        )
    assert not AvailabilityPeriod.objects.exists()


def test_a_repeated_period_is_refused(world):
    availability_period_add(user=world.reviewer, starts_on=TODAY, ends_on=days(1))
    with pytest.raises(DomainError, match="listed already"):
        availability_period_add(user=world.reviewer, starts_on=TODAY, ends_on=days(1))
    assert AvailabilityPeriod.objects.count() == 1


def test_removing_a_period_deletes_a_future_one_ends_a_current_one_keeps_a_past_one(world):
    future = availability_period_add(user=world.reviewer, starts_on=days(3), ends_on=days(4))
    assert availability_period_remove(user=world.reviewer, period_id=future.pk) is None
    assert not AvailabilityPeriod.objects.filter(pk=future.pk).exists()
    current = AvailabilityPeriod.objects.create(
        user=world.reviewer, starts_on=days(-3), ends_on=days(3)
    )
    ended = availability_period_remove(user=world.reviewer, period_id=current.pk)
    assert ended.ends_on == days(-1)
    assert person_is_available(user=world.reviewer, venue=world.venue)
    with pytest.raises(DomainError, match="stays on record"):
        availability_period_remove(user=world.reviewer, period_id=current.pk)
    current.refresh_from_db()
    assert current.ends_on == days(-1)
    assert AuditEvent.objects.filter(action="availability.ended", actor=world.reviewer).exists()


def test_nobody_removes_another_persons_period(world):
    period = availability_period_add(user=world.reviewer, starts_on=days(3), ends_on=days(4))
    with pytest.raises(DomainError, match="No such period"):
        availability_period_remove(user=world.editor, period_id=period.pk)
    assert AvailabilityPeriod.objects.filter(pk=period.pk).exists()


def test_a_reviewer_away_during_the_review_period_has_no_slot(world):
    start, end = review_window(venue=world.venue)
    assert (end - start).days == world.venue.review_period_days - 1
    availability_period_add(user=world.reviewer, starts_on=days(5), ends_on=days(6))
    slot = next(s for s in reviewer_slots(venue=world.venue) if s.user == world.reviewer)
    assert not slot.available and slot.away.starts_on == days(5)
    later = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    availability_period_add(user=later, starts_on=days(30), ends_on=days(40))
    assert next(s for s in reviewer_slots(venue=world.venue) if s.user == later).available


def test_inviting_an_away_reviewer_is_refused_with_the_dates(world):
    paper = world.paper(SubmissionState.UNDER_REVIEW)
    availability_period_add(user=world.reviewer, starts_on=days(2), ends_on=days(8))
    with pytest.raises(DomainError, match=f"away from {days(2):%d %b %Y}"):
        invitation_create(submission=paper, reviewer=world.reviewer, invited_by=world.editor)
    assert not paper.review_invitations.exists()


def test_assigning_an_away_action_editor_is_refused(world):
    paper = world.paper(SubmissionState.SUBMITTED)
    before = paper.action_editor_id
    availability_period_add(user=world.other_editor, starts_on=TODAY, ends_on=days(8))
    with pytest.raises(DomainError, match=f"until {days(8):%d %b %Y}"):
        submission_assign_action_editor(
            submission=paper, editor=world.other_editor, actor=world.chief
        )
    paper.refresh_from_db()
    assert paper.action_editor_id == before
