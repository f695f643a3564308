"""A person's own load and subject areas on their roles: the bounds, and the editors' view."""

import pytest

from journal.errors import DomainError
from journal.models import AuditEvent, VenueRole
from journal.services.role_preferences import (
    venue_role_preferences_set,
    venue_role_set_own_load,
    venue_role_set_subject_areas,
)
from journal.services.roles import venue_role_update


@pytest.fixture
def role(world):
    world.venue.subject_areas = ["Vision", "Theory", "Graphs"]
    world.venue.save()
    return VenueRole.objects.select_related("venue").get(venue=world.venue, user=world.reviewer)


def test_a_reviewer_sets_their_load_and_it_is_audited(world, role):
    venue_role_set_own_load(venue_role=role, actor=world.reviewer, load_quota=4)
    role.refresh_from_db()
    assert role.load_quota == 4
    event = AuditEvent.objects.get(action="role.load_offered")
    assert event.actor == world.reviewer and event.data["load_quota"] == [None, 4]


@pytest.mark.parametrize(
    ("maximum", "load", "message"),
    [
        (None, 0, "from 1 to 1000"),
        (None, 1001, "from 1 to 1000"),
        (5, 6, "from 1 to 5"),
        (5, None, "asks for a number"),
    ],
)
def test_loads_out_of_bounds_are_refused_and_nothing_changes(world, role, maximum, load, message):
    role.load_quota = 2
    role.save()
    world.venue.max_load_quota = maximum
    world.venue.save()
    role.refresh_from_db()
    with pytest.raises(DomainError, match=message):
        venue_role_set_own_load(venue_role=role, actor=world.reviewer, load_quota=load)
    role.refresh_from_db()
    assert role.load_quota == 2
    assert not AuditEvent.objects.filter(action="role.load_offered").exists()


def test_only_the_holder_sets_their_load(world, role):
    with pytest.raises(DomainError, match="Only the person"):
        venue_role_set_own_load(venue_role=role, actor=world.chief, load_quota=3)
    role.refresh_from_db()
    assert role.load_quota is None


def test_the_editors_may_override_a_load_above_the_venue_maximum(world, role):
    world.venue.max_load_quota = 3
    world.venue.save()
    venue_role_update(venue=world.venue, actor=world.chief, role_id=role.pk, load_quota=8)
    role.refresh_from_db()
    assert role.load_quota == 8
    assert AuditEvent.objects.filter(action="role.updated", actor=world.chief).exists()


def test_subject_areas_come_from_the_venue_in_its_order(world, role):
    venue_role_set_subject_areas(
        venue_role=role, actor=world.reviewer, subject_areas=["graphs", "Vision", "Vision"]
    )
    role.refresh_from_db()
    assert role.subject_areas == ["Vision", "Graphs"]


def test_an_unknown_subject_area_is_refused_and_the_load_stays(world, role):
    with pytest.raises(DomainError, match="“Robotics” is not a subject area"):
        venue_role_preferences_set(
            venue_role=role, actor=world.reviewer, load_quota=3, subject_areas=["Robotics"]
        )
    role.refresh_from_db()
    assert role.load_quota is None and role.subject_areas == []


def test_renaming_an_area_moves_the_reviewers_choice(world, role):
    from journal.services.venues import venue_subject_area_rename

    venue_role_set_subject_areas(venue_role=role, actor=world.reviewer, subject_areas=["Graphs"])
    venue_subject_area_rename(
        venue=world.venue, old="Graphs", new="Graph learning", actor=world.chief
    )
    role.refresh_from_db()
    assert role.subject_areas == ["Graph learning"]
