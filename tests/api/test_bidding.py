"""Bidding through the API: my biddable papers and bids, setting a bid, the chair's coverage."""

import pytest

from journal.models import OutboundEmail
from reviews.models import Bid, BidValue, MatchingSettings, ReviewerConflict
from reviews.services.bidding import bid_set
from tests.api.support import client_for
from tests.factories import UserFactory
from tests.reviews.bidding.world import bid_world

pytestmark = pytest.mark.django_db


def bids_url(world) -> str:
    return f"/api/v1/venues/{world.venue.slug}/bids/"


def test_reviewer_lists_biddable_papers_with_their_bids(django_assert_max_num_queries):
    world = bid_world(papers=3)
    bid_set(submission=world.papers[1], reviewer=world.reviewer, value=BidValue.VERY_HIGH)
    client = client_for(world.reviewer)
    with django_assert_max_num_queries(20):
        body = client.get(bids_url(world)).json()
    assert body["is_open"] is True and body["count"] == 3
    assert (body["bids_made"], body["min_bids"]) == (1, 2)
    assert [(p["title"], p["bid"]) for p in body["results"]] == [
        ("Paper number 2", "neutral"),
        ("Paper number 1", "very_high"),
        ("Paper number 0", "neutral"),
    ]
    assert body["results"][0]["affinity"] == pytest.approx(0.12)
    assert all(p["authors"] is None for p in body["results"])
    assert "Author of" not in str(body)
    found = client.get(bids_url(world), {"q": "number 1"}).json()
    assert "Paper number 1" in [p["title"] for p in found["results"]]


def test_reviewer_sets_a_bid_and_declares_a_conflict():
    world = bid_world(papers=2)
    client = client_for(world.reviewer)
    first, second = world.papers
    body = {"number": first.number, "value": "high"}
    response = client.post(bids_url(world), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {**body, "bids_made": 1, "min_bids": 2}
    conflict = client.post(
        bids_url(world), {"number": second.number, "value": "conflict"}, format="json"
    )
    assert conflict.json()["value"] == "conflict"
    assert ReviewerConflict.objects.filter(submission=second, reviewer=world.reviewer).exists()
    bad = client.post(bids_url(world), {"number": first.number, "value": "eager"}, format="json")
    assert bad.status_code == 400 and "value" in bad.json()["errors"]
    missing = client.post(bids_url(world), {"number": 999, "value": "high"}, format="json")
    assert missing.status_code == 404


def test_bids_are_refused_when_closed_or_not_a_reviewer_and_nothing_changes():
    world = bid_world(papers=1, open_bidding=False)
    paper = world.papers[0]
    Bid.objects.create(submission=paper, reviewer=world.reviewer, value=BidValue.LOW)
    closed = client_for(world.reviewer).post(
        bids_url(world), {"number": paper.number, "value": "very_high"}, format="json"
    )
    assert closed.status_code == 400 and "Bidding is closed" in closed.json()["detail"]
    assert client_for(world.reviewer).get(bids_url(world)).json()["is_open"] is False
    stranger = client_for(UserFactory())
    assert stranger.get(bids_url(world)).status_code == 403
    body = {"number": paper.number, "value": "high"}
    assert stranger.post(bids_url(world), body, format="json").status_code == 403
    assert list(Bid.objects.values_list("value", flat=True)) == ["low"]
    other = bid_world(papers=0)
    bound = client_for(world.reviewer, venue=other.venue)
    assert bound.get(bids_url(world)).status_code == 404


def test_chief_reads_coverage_and_reminds_once():
    world = bid_world(papers=2, min_bids=1)
    helper = world.add_reviewer(display_name="Hal Helper")
    bid_set(submission=world.papers[0], reviewer=helper, value=BidValue.HIGH)
    url = f"/api/v1/venues/{world.venue.slug}/bid-coverage/"
    assert client_for(world.reviewer).get(url).status_code == 403
    body = client_for(world.chief).get(url).json()
    assert (body["papers"], body["papers_short"], body["bids"]) == (2, 2, 1)
    assert (body["reviewers"], body["reviewers_short"], body["reviewers_without_bids"]) == (2, 1, 1)
    assert [r["name"] for r in body["short_reviewers"]] == ["Rita Reviewer"]
    assert [p["positive_bids"] for p in body["short_papers"]] == [0, 1]
    remind = f"/api/v1/venues/{world.venue.slug}/bid-reminders/"
    assert client_for(world.reviewer).post(remind).status_code == 403
    chief = client_for(world.chief)
    assert chief.post(remind).json() == {"sent": 1, "skipped_recent": 0}
    assert chief.post(remind).json() == {"sent": 0, "skipped_recent": 1}
    assert OutboundEmail.objects.filter(recipient=world.reviewer).count() == 1
    MatchingSettings.objects.filter(venue=world.venue).update(bidding_open=False)
    assert chief.post(remind).status_code == 400


def test_chief_reads_and_changes_the_bidding_settings():
    world = bid_world(papers=0)
    url = f"/api/v1/venues/{world.venue.slug}/bidding-settings/"
    assert client_for(world.reviewer).get(url).status_code == 403
    chief = client_for(world.chief)
    assert chief.get(url).json() == {
        "min_bids": 2, "bid_weight": 0.2, "bidding_open": True, "is_open": True
    }
    changed = chief.patch(url, {"min_bids": 12, "bidding_open": False}, format="json")
    assert changed.json() == {
        "min_bids": 12, "bid_weight": 0.2, "bidding_open": False, "is_open": False
    }
    bad = chief.patch(url, {"bid_weight": 99}, format="json")
    assert bad.status_code == 400 and "bid_weight" in bad.json()["errors"]
    assert MatchingSettings.objects.get(venue=world.venue).bid_weight == 0.2
