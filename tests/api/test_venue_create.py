"""A new venue, from the service and the API, reviews with Peerless balanced."""

import pytest

from journal.enums import RoleKind
from journal.errors import DomainError
from journal.models import AuditEvent, Venue, VenueRole
from journal.services.venues import venue_create
from tests.api.support import client_for
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_new_venue_gets_balanced_form_and_its_creator_as_chief():
    staff = UserFactory(is_staff=True)
    venue = venue_create(actor=staff, slug="New-Conf", name=" New conference ", kind="conference")
    assert venue.slug == "new-conf" and venue.name == "New conference"
    assert venue.review_form.slug == "peerless-balanced"
    assert not venue.accepting_submissions  # no deadline yet
    assert VenueRole.objects.filter(venue=venue, user=staff, role=RoleKind.CHIEF).exists()
    event = AuditEvent.objects.get(venue=venue, action="venue.created")
    assert event.actor == staff and event.data["review_form"] == "peerless-balanced v1"


def test_new_venue_may_name_another_form():
    venue = venue_create(actor=UserFactory(), slug="j", name="J", review_form_slug="tmlr")
    assert venue.review_form.slug == "tmlr"


def test_taken_slug_and_unknown_form_are_refused_and_nothing_is_made():
    VenueFactory(slug="taken")
    before = Venue.objects.count()
    with pytest.raises(DomainError, match="already a venue"):
        venue_create(actor=UserFactory(), slug="taken", name="Again")
    with pytest.raises(DomainError, match="no review form called"):
        venue_create(actor=UserFactory(), slug="fresh", name="F", review_form_slug="nope")
    assert Venue.objects.count() == before


def test_staff_create_a_venue_through_the_api():
    staff = UserFactory(is_staff=True)
    response = client_for(staff).post(
        "/api/v1/venues/", {"slug": "tsml", "name": "Transactions"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["review_form"]["slug"] == "peerless-balanced"
    assert body["my_roles"] == ["chief"]


def test_api_refuses_a_taken_slug_with_a_message():
    VenueFactory(slug="taken")
    response = client_for(UserFactory(is_staff=True)).post(
        "/api/v1/venues/", {"slug": "taken", "name": "Again"}, format="json"
    )
    assert response.status_code == 400
    assert "already a venue" in response.json()["detail"]
    assert Venue.objects.filter(slug="taken").count() == 1


def test_read_only_and_venue_bound_tokens_create_nothing():
    staff = UserFactory(is_staff=True)
    body = {"slug": "fresh", "name": "Fresh"}
    read_only = client_for(staff, scope="read").post("/api/v1/venues/", body, format="json")
    assert read_only.status_code == 403 and "read-only" in read_only.json()["detail"]
    bound = client_for(staff, venue=VenueFactory()).post("/api/v1/venues/", body, format="json")
    assert bound.status_code == 403 and "limited to one venue" in bound.json()["detail"]
    assert not Venue.objects.filter(slug="fresh").exists()
