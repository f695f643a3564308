"""Venues: public to read, with the caller's roles and the review form."""

import pytest

from journal.enums import RoleKind
from journal.models import Venue
from tests.api.support import client_for
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db


def test_anyone_lists_venues():
    venue = VenueFactory(name="Transactions")
    response = client_for().get("/api/v1/venues/")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["slug"] == venue.slug and row["my_roles"] == []


def test_venue_shows_callers_roles(world):
    body = client_for(world.chief).get(f"/api/v1/venues/{world.venue.slug}/").json()
    assert body["my_roles"] == ["chief"]
    assert body["anonymity"] == "double_blind"
    assert "review_form" in body


def test_venue_filter_and_unknown_slug():
    VenueFactory(kind="conference")
    VenueFactory(kind="journal")
    client = client_for()
    rows = client.get("/api/v1/venues/", {"kind": "conference"}).json()["results"]
    assert [r["kind"] for r in rows] == ["conference"]
    assert client.get("/api/v1/venues/nope/").status_code == 404


def test_venue_list_query_count_does_not_grow(django_assert_max_num_queries):
    user = UserFactory()
    VenueRoleFactory(user=user, role=RoleKind.CHIEF)
    client = client_for(user)
    client.get("/api/v1/venues/")
    with django_assert_max_num_queries(8) as one:
        client.get("/api/v1/venues/")
    baseline = len(one.captured_queries)
    for _ in range(5):
        VenueRoleFactory(user=user, role=RoleKind.REVIEWER)
    with django_assert_max_num_queries(baseline):
        assert len(client.get("/api/v1/venues/").json()["results"]) == 6


def test_only_staff_create_venues(world):
    before = Venue.objects.count()
    response = client_for(world.chief).post("/api/v1/venues/", {"slug": "x", "name": "X"})
    assert response.status_code == 403
    assert "staff" in response.json()["detail"]
    assert Venue.objects.count() == before
