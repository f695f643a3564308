"""Chairs put area chairs under senior area chairs from the roles page."""

import pytest
from django.urls import reverse

from journal.enums import RoleKind
from journal.models import AuditEvent, VenueRole
from tests.factories import PASSWORD, ConferenceFactory, VenueFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db


def setup(venue):
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    chair = VenueRoleFactory(venue=venue, role=RoleKind.ACTION_EDITOR)
    senior = VenueRoleFactory(venue=venue, role=RoleKind.SENIOR_AREA_CHAIR).user
    return chief, chair, senior


def post(client, chief, venue, **data):
    client.login(email=chief.email, password=PASSWORD)
    return client.post(
        reverse("journal:dashboard-roles", args=[venue.slug]), {"action": "senior", **data}
    )


def test_a_chair_sets_and_clears_the_senior_area_chair(client):
    venue = ConferenceFactory()
    chief, chair, senior = setup(venue)
    page = client.get(reverse("journal:dashboard-roles", args=[venue.slug]))
    assert page.status_code == 302  # not signed in yet
    done = post(client, chief, venue, role_id=chair.pk, senior=senior.pk)
    assert done.status_code == 302
    chair.refresh_from_db()
    assert chair.senior_id == senior.pk
    assert AuditEvent.objects.filter(action="role.senior", data__to=senior.pk).exists()
    html = client.get(reverse("journal:dashboard-roles", args=[venue.slug])).content.decode()
    assert "Senior area chair" in html and f'value="{senior.pk}" selected' in html
    post(client, chief, venue, role_id=chair.pk, senior="")
    chair.refresh_from_db()
    assert chair.senior_id is None


def test_only_senior_area_chairs_oversee_and_only_at_conferences(client):
    venue = ConferenceFactory()
    chief, chair, _ = setup(venue)
    reviewer = VenueRoleFactory(venue=venue, role=RoleKind.REVIEWER).user
    refused = post(client, chief, venue, role_id=chair.pk, senior=reviewer.pk)
    assert refused.status_code == 400
    assert "is not a senior area chair of" in refused.content.decode()
    assert VenueRole.objects.get(pk=chair.pk).senior_id is None

    journal = VenueFactory()
    chief, editor, senior = setup(journal)
    refused = post(client, chief, journal, role_id=editor.pk, senior=senior.pk)
    assert refused.status_code == 400
    assert "Only the action editors of a conference" in refused.content.decode()
    assert VenueRole.objects.get(pk=editor.pk).senior_id is None
