"""The chair's bid coverage: the counts on a hand-made venue, and reminders sent once a day."""

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import AuditEvent, OutboundEmail
from reviews.models import BidValue, MatchingSettings
from reviews.selectors.bidding import (
    BID_REMINDER_TEMPLATE,
    coverage_papers,
    coverage_reviewers,
    coverage_summary,
)
from reviews.services.bidding import bid_set
from tests.reviews.bidding.world import bid_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = bid_world(papers=3, min_bids=2)
    p0, p1, p2 = world.papers
    world.r1 = world.add_reviewer(display_name="Ann One")
    world.r2 = world.add_reviewer(display_name="Bob Two")
    world.r3 = world.add_reviewer(display_name="Cat Three")
    for paper, reviewer, value in [
        (p0, world.r1, BidValue.HIGH),
        (p0, world.r2, BidValue.VERY_HIGH),
        (p1, world.r1, BidValue.HIGH),
        (p1, world.r2, BidValue.LOW),
        (p2, world.r3, BidValue.LOW),
    ]:
        bid_set(submission=paper, reviewer=reviewer, value=value)
    return world


def test_coverage_counts_on_a_hand_made_venue(world):
    p0, p1, p2 = world.papers
    summary = coverage_summary(venue=world.venue)
    assert (summary.n_papers, summary.n_papers_short, summary.target_positive) == (3, 2, 2)
    assert (summary.n_reviewers, summary.n_reviewers_short, summary.n_reviewers_none) == (4, 2, 1)
    assert summary.n_bids == 5 and summary.min_bids == 2
    short = [(s.number, s.n_positive, s.n_bids) for s in coverage_papers(venue=world.venue)]
    assert short == [(p2.number, 0, 1), (p1.number, 1, 2)]
    most = coverage_papers(venue=world.venue, sort="-positive", short_only=False)
    assert [s.number for s in most] == [p0.number, p1.number, p2.number]
    below = [(r.display_name, r.n_bids) for r in coverage_reviewers(venue=world.venue)]
    assert below == [("Rita Reviewer", 0), ("Cat Three", 1)]


def test_the_coverage_page_shows_the_numbers_and_is_for_chiefs_only(client, world):
    url = reverse("journal:dashboard-bids", args=[world.venue.slug])
    client.force_login(world.reviewer)
    assert client.get(url).status_code == 403
    client.force_login(world.chief)
    html = client.get(url).content.decode()
    assert "Papers short of positive bids</dt><dd>2 <span class=\"muted\">of 3</span>" in html
    assert "Reviewers below the minimum</dt><dd>2 <span class=\"muted\">of 4</span>" in html
    assert "Paper number 2" in html and "Paper number 1" in html
    assert "Paper number 0</a>" not in html
    assert "Rita Reviewer" in html and "Cat Three" in html and "Ann One" not in html
    dashboard = client.get(reverse("journal:venue-dashboard", args=[world.venue.slug]))
    assert url in dashboard.content.decode()


def test_reminders_confirm_with_counts_and_go_once_a_day(client, world):
    url = reverse("journal:dashboard-bids", args=[world.venue.slug])
    client.force_login(world.chief)
    confirm = client.get(url, {"confirm": "remind"}).content.decode()
    assert "E-mail <strong>2</strong> reviewers with fewer than 2 bids?" in confirm
    first = client.post(url, follow=True).content.decode()
    assert "Reminded 2 reviewers to bid." in first
    again = client.post(url, follow=True).content.decode()
    assert "Reminded 0 reviewers to bid. 2 reminded in the last 24 hours were left out." in again
    emails = OutboundEmail.objects.filter(template=BID_REMINDER_TEMPLATE)
    assert sorted(e.to for e in emails) == sorted([world.reviewer.email, world.r3.email])
    body = emails.get(recipient=world.r3).body
    assert "You have bid on 1 papers so far" in body and "at least 2" in body
    assert f"/venues/{world.venue.slug}/bids/" in body
    assert "Nobody to remind" in client.get(url, {"confirm": "remind"}).content.decode()
    emails.update(created_at=timezone.now() - timezone.timedelta(hours=25))
    client.post(url)
    assert emails.count() == 4
    assert AuditEvent.objects.filter(action="bidding.reminded").count() == 3


def test_no_reminders_while_bidding_is_closed(client, world):
    MatchingSettings.objects.filter(venue=world.venue).update(bidding_open=False)
    client.force_login(world.chief)
    response = client.post(reverse("journal:dashboard-bids", args=[world.venue.slug]))
    assert response.status_code == 400
    assert "Bidding is closed" in response.content.decode()
    assert not OutboundEmail.objects.filter(template=BID_REMINDER_TEMPLATE).exists()


def test_chief_changes_the_bidding_settings_and_bad_values_change_nothing(client, world):
    url = reverse("journal:dashboard-bids", args=[world.venue.slug])
    client.force_login(world.chief)
    form = {"action": "settings", "min_bids": "5", "bid_weight": "0.5", "bidding_open": ""}
    assert "Bidding settings saved." in client.post(url, form, follow=True).content.decode()
    settings = MatchingSettings.objects.get(venue=world.venue)
    assert (settings.min_bids, settings.bid_weight, settings.bidding_open) == (5, 0.5, False)
    bad = client.post(url, {**form, "min_bids": "5000", "bidding_open": "on"})
    assert bad.status_code == 400
    assert "Ensure this value is less than or equal to 500." in bad.content.decode()
    settings.refresh_from_db()
    assert (settings.min_bids, settings.bidding_open) == (5, False)
    assert AuditEvent.objects.filter(action="bidding.settings").count() == 1
