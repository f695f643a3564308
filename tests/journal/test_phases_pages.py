"""The chair's timeline page, phase-change confirmations and the public call for papers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from journal.enums import Phase
from journal.models import PhaseJob, Venue, VenuePhase
from tests.factories import PASSWORD, VenueFactory, VenueRoleFactory
from tests.journal.phases_world import phased_venue

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def test_timeline_page_shows_phases_in_the_chosen_zone(client):
    world = phased_venue()
    VenuePhase.objects.filter(venue=world.venue, phase=Phase.SUBMISSION).update(
        ends_at=datetime(2027, 5, 16, 11, 59, tzinfo=ZoneInfo("UTC"))
    )
    login(client, world.chief)
    url = reverse("journal:dashboard-timeline", args=[world.venue.slug])
    page = client.get(url, {"zone": "Etc/GMT+12"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sat 15 May 2027, 23:59" in text  # 11:59 UTC is 23:59 the day before, AoE
    assert "Anywhere on Earth (AoE, UTC-12)" in text
    assert "Enter submission now" in text
    dashboard = client.get(reverse("journal:venue-dashboard", args=[world.venue.slug]))
    assert url in dashboard.content.decode()


def test_timeline_form_saves_times_in_aoe(client):
    world = phased_venue(timeline=False)
    login(client, world.chief)
    url = reverse("journal:dashboard-timeline", args=[world.venue.slug])
    page = client.post(
        url,
        {
            "zone": "Etc/GMT+12",
            "submission-starts_at": "2027-04-01T00:00",
            "submission-ends_at": "2027-05-15T23:59",
            "bidding-starts_at": "2027-05-16T00:00",
            "bidding-ends_at": "2027-05-23T23:59",
        },
        follow=True,
    )
    assert "Timeline saved." in page.content.decode()
    submission = VenuePhase.objects.get(venue=world.venue, phase=Phase.SUBMISSION)
    assert submission.ends_at == datetime(2027, 5, 16, 11, 59, tzinfo=ZoneInfo("UTC"))
    assert VenuePhase.objects.filter(venue=world.venue).count() == 2


def test_timeline_form_refusal_says_why_and_saves_nothing(client):
    world = phased_venue(timeline=False)
    login(client, world.chief)
    url = reverse("journal:dashboard-timeline", args=[world.venue.slug])
    page = client.post(
        url,
        {
            "zone": "UTC",
            "submission-starts_at": "2027-04-01T00:00",
            "submission-ends_at": "2027-05-15T23:59",
            "bidding-starts_at": "2027-05-01T00:00",
            "bidding-ends_at": "2027-05-23T23:59",
        },
    )
    assert page.status_code == 400
    assert "Bidding starts before Submission ends" in page.content.decode()
    assert not VenuePhase.objects.filter(venue=world.venue).exists()


def test_phase_change_confirms_with_counts(client, django_capture_on_commit_callbacks):
    world = phased_venue(n_papers=3, screened=True)
    Venue.objects.filter(pk=world.venue.pk).update(phase=Phase.BIDDING)
    login(client, world.chief)
    url = reverse("journal:dashboard-phase-enter", args=[world.venue.slug])
    page = client.get(url, {"phase": "reviewing"})
    text = page.content.decode()
    assert "Enter reviewing?" in text
    assert "<td>Open review rounds for screened papers</td><td>3</td>" in text
    assert "skips phases" not in text
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"phase": "reviewing"}, follow=True)
    assert "is now in the reviewing phase" in page.content.decode()
    # the same form sent again is refused with a page that says why
    page = client.post(url, {"phase": "reviewing"})
    assert page.status_code == 409
    assert "already in the reviewing phase" in page.content.decode()
    assert PhaseJob.objects.filter(venue=world.venue).count() == 1


def test_a_jump_asks_for_confirmation(client):
    world = phased_venue()
    login(client, world.chief)
    url = reverse("journal:dashboard-phase-enter", args=[world.venue.slug])
    page = client.get(url, {"phase": "reviewing"})
    assert "This skips phases" in page.content.decode()
    page = client.post(url, {"phase": "reviewing"})
    assert page.status_code == 409
    assert "Confirm the jump" in page.content.decode()
    world.venue.refresh_from_db()
    assert world.venue.phase == ""


def test_going_back_is_a_refusal_page(client):
    world = phased_venue()
    Venue.objects.filter(pk=world.venue.pk).update(phase=Phase.REVIEWING)
    login(client, world.chief)
    url = reverse("journal:dashboard-phase-enter", args=[world.venue.slug])
    page = client.get(url, {"phase": "bidding"})
    assert page.status_code == 409
    assert "phases only move forward" in page.content.decode()


def test_journals_and_non_chairs_are_refused(client):
    journal = VenueFactory()
    chief = VenueRoleFactory(venue=journal, role="chief").user
    login(client, chief)
    page = client.get(reverse("journal:dashboard-timeline", args=[journal.slug]))
    assert page.status_code == 400
    assert "is a journal" in page.content.decode()
    world = phased_venue()
    login(client, world.area_chair)
    page = client.get(reverse("journal:dashboard-timeline", args=[world.venue.slug]))
    assert page.status_code == 403


def test_public_venue_page_is_a_call_for_papers(client):
    world = phased_venue(timezone="Etc/GMT+12")
    VenuePhase.objects.filter(venue=world.venue, phase=Phase.SUBMISSION).update(
        ends_at=datetime(2027, 5, 16, 11, 59, tzinfo=ZoneInfo("UTC"))
    )
    page = client.get(reverse("journal:venue-detail", args=[world.venue.slug]))
    text = page.content.decode()
    assert "Call for papers: important dates" in text
    assert "Sat 15 May 2027, 23:59" in text and "(Anywhere on Earth)" in text
    assert "Reviewer and AC discussion" in text
