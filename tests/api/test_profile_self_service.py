"""The profile's self-service through the API: away periods, institutions, one's own load and
subject areas, role invitations for the person and for the chairs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.enums import RoleKind
from journal.models import AvailabilityPeriod, InstitutionAffiliation, RoleInvitation, VenueRole
from journal.services.roles import venue_role_invite
from tests.api.support import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AWAY = "/api/v1/me/availability/"
INSTITUTIONS = "/api/v1/me/institutions/"
MY_INVITATIONS = "/api/v1/me/role-invitations/"


def test_a_reviewer_adds_lists_and_withdraws_away_periods(world):
    client = client_for(world.reviewer)
    body = {
        "starts_on": str(TODAY + timedelta(days=2)),
        "ends_on": str(TODAY + timedelta(days=9)),
        "venue": world.venue.slug,
        "reason": "Parental leave",
    }
    created = client.post(AWAY, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["venue"] == world.venue.slug and created.json()["is_past"] is False
    listed = client.get(AWAY).json()
    assert [p["reason"] for p in listed] == ["Parental leave"]
    assert client_for(world.outsider).get(AWAY).json() == []
    pk = created.json()["id"]
    assert client_for(world.outsider).delete(f"{AWAY}{pk}/").status_code == 404
    assert client.delete(f"{AWAY}{pk}/").status_code == 204
    assert not AvailabilityPeriod.objects.exists()


def test_a_backwards_period_is_refused_with_a_message(world):
    client = client_for(world.reviewer)
    response = client.post(
        AWAY, {"starts_on": str(TODAY), "ends_on": str(TODAY - timedelta(days=1))}, format="json"
    )
    assert response.status_code == 400
    assert "comes before" in response.json()["detail"]
    assert not AvailabilityPeriod.objects.exists()


def test_a_venue_token_does_not_change_away_periods(world):
    client = client_for(world.reviewer, venue=world.venue)
    response = client.post(AWAY, {"starts_on": str(TODAY), "ends_on": str(TODAY)}, format="json")
    assert response.status_code == 403
    assert not AvailabilityPeriod.objects.exists()


def test_institution_history_through_the_api(world):
    client = client_for(world.reviewer)
    created = client.post(
        INSTITUTIONS, {"institution": "ETH Zurich", "start_year": 2018, "end_year": 2022}
    )
    assert created.status_code == 201, created.content
    assert client.get(INSTITUTIONS).json()[0]["institution"] == "ETH Zurich"
    bad = client.post(INSTITUTIONS, {"institution": "X", "start_year": 2022, "end_year": 2020})
    assert bad.status_code == 400 and "before the first" in bad.json()["detail"]
    assert InstitutionAffiliation.objects.count() == 1
    assert client.delete(f"{INSTITUTIONS}{created.json()['id']}/").status_code == 204


def test_a_reviewer_sets_their_load_and_areas_on_their_role(world):
    world.venue.subject_areas = ["Vision", "Theory"]
    world.venue.max_load_quota = 6
    world.venue.save()
    role = VenueRole.objects.get(venue=world.venue, user=world.reviewer, role=RoleKind.REVIEWER)
    client = client_for(world.reviewer)
    url = f"/api/v1/me/roles/{role.pk}/"
    ok = client.patch(url, {"load_quota": 4, "subject_areas": ["Theory"]}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["load_quota"] == 4 and ok.json()["subject_areas"] == ["Theory"]
    over = client.patch(url, {"load_quota": 7}, format="json")
    assert over.status_code == 400 and "from 1 to 6" in over.json()["detail"]
    role.refresh_from_db()
    assert role.load_quota == 4
    other = client_for(world.outsider).patch(url, {"load_quota": 2}, format="json")
    assert other.status_code == 404


def test_the_person_accepts_an_invitation_and_reads_the_guide(world):
    world.venue.reviewer_guide = "Read **every** claim."
    world.venue.save()
    invitation = venue_role_invite(
        venue=world.venue, actor=world.chief, email=world.outsider.email, role="reviewer"
    )
    client = client_for(world.outsider)
    listed = client.get(MY_INVITATIONS).json()
    assert [(i["id"], i["state"]) for i in listed] == [(invitation.pk, "pending")]
    assert (
        client_for(world.reviewer).post(f"{MY_INVITATIONS}{invitation.pk}/accept/").status_code
        == 404
    )
    accepted = client.post(f"{MY_INVITATIONS}{invitation.pk}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "accepted"
    assert "<strong>every</strong>" in accepted.json()["reviewer_guide_html"]
    assert VenueRole.objects.filter(venue=world.venue, user=world.outsider).exists()
    again = client.post(f"{MY_INVITATIONS}{invitation.pk}/decline/", {"reason": "x"})
    assert again.status_code == 409 and "accepted already" in again.json()["detail"]


def test_the_chairs_invite_list_counts_and_withdraw(world):
    url = f"/api/v1/venues/{world.venue.slug}/role-invitations/"
    chief = client_for(world.chief)
    created = chief.post(url, {"email": "new@lab.example.org", "role": "action_editor"})
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "pending" and created.json()["email"] == "new@lab.example.org"
    twice = chief.post(url, {"email": "new@lab.example.org", "role": "action_editor"})
    assert twice.status_code == 400 and "not answered yet" in twice.json()["detail"]
    listed = chief.get(url).json()
    assert listed["counts"] == {"pending": 1, "accepted": 0, "declined": 0, "withdrawn": 0}
    assert client_for(world.reviewer).get(url).status_code == 403
    assert (
        client_for(world.reviewer).post(url, {"email": "x@y.org", "role": "chief"}).status_code
        == 403
    )
    pk = created.json()["id"]
    withdrawn = chief.post(f"{url}{pk}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert RoleInvitation.objects.get(pk=pk).state == "withdrawn"
    assert chief.get(url + "?state=nonsense").status_code == 400


def test_the_venue_settings_carry_the_guide_and_the_load_maximum(world):
    url = f"/api/v1/venues/{world.venue.slug}/settings/"
    chief = client_for(world.chief)
    response = chief.patch(url, {"reviewer_guide": "# Welcome", "max_load_quota": 5}, format="json")
    assert response.status_code == 200, response.content
    world.venue.refresh_from_db()
    assert world.venue.reviewer_guide == "# Welcome" and world.venue.max_load_quota == 5
    bad = chief.patch(url, {"max_load_quota": 0}, format="json")
    assert bad.status_code == 400
    world.venue.refresh_from_db()
    assert world.venue.max_load_quota == 5
