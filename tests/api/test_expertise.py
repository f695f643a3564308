"""A reviewer's own expertise keywords, bids and declared conflicts through the API."""

import json

import pytest

from journal.enums import RoleKind
from reviews.models import Bid, ExpertiseKeyword, MatchingSettings, ReviewerConflict
from reviews.services.expertise import bid_set
from tests.api.support import client_for, paper
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db

KEYWORDS = "/api/v1/me/expertise-keywords/"
BIDS = "/api/v1/me/bids/"
CONFLICTS = "/api/v1/me/conflicts/"


def open_bidding(world) -> None:
    MatchingSettings.objects.create(venue=world.venue, bidding_open=True)


def test_reviewer_replaces_their_keywords(world):
    client = client_for(world.reviewer)
    response = client.put(
        KEYWORDS, {"keywords": ["bandits", " Bandits ", "privacy"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"keywords": ["bandits", "privacy"]}
    assert client.get(KEYWORDS).json() == {"keywords": ["bandits", "privacy"]}
    assert client_for(world.outsider).get(KEYWORDS).json() == {"keywords": []}
    too_many = client.put(KEYWORDS, {"keywords": [f"k{i}" for i in range(31)]}, format="json")
    assert too_many.status_code == 400 and "keywords" in too_many.json()["errors"]


def test_a_venue_token_does_not_change_the_profile(world):
    client = client_for(world.reviewer, venue=world.venue)
    response = client.put(KEYWORDS, {"keywords": ["x"]}, format="json")
    assert response.status_code == 403
    assert not ExpertiseKeyword.objects.exists()


def test_reviewer_bids_and_withdraws_a_bid(world):
    open_bidding(world)
    fresh = world.drive(paper(world.venue, UserFactory(), title="Fresh"), "submitted")
    client = client_for(world.reviewer)
    response = client.post(BIDS, {"submission": fresh.pk, "value": "high"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"submission": fresh.pk, "value": "high"}
    listed = client.get(BIDS).json()
    assert [(b["submission"], b["value"]) for b in listed] == [(fresh.pk, "high")]
    assert "Author" not in json.dumps(listed)
    neutral = client.post(BIDS, {"submission": fresh.pk, "value": "neutral"}, format="json")
    assert neutral.json()["value"] == "neutral" and not Bid.objects.exists()


def test_bids_are_refused_where_the_rules_say_no(world):
    fresh = world.drive(paper(world.venue, UserFactory(), title="Fresh"), "submitted")
    body = {"submission": fresh.pk, "value": "high"}
    closed = client_for(world.reviewer).post(BIDS, body, format="json")
    assert closed.status_code == 400 and "closed" in closed.json()["detail"]
    open_bidding(world)
    for person in (world.outsider, world.author):
        assert client_for(person).post(BIDS, body, format="json").status_code == 404
    own = {"submission": world.submission.pk, "value": "high"}
    reviewer_author = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    mine = paper(world.venue, reviewer_author, title="Mine")
    world.drive(mine, "submitted")
    refused = client_for(reviewer_author).post(
        BIDS, {"submission": mine.pk, "value": "high"}, format="json"
    )
    assert refused.status_code == 400 and "author" in refused.json()["detail"]
    assert client_for(world.reviewer).post(BIDS, own, format="json").status_code == 200
    bad = client_for(world.reviewer).post(BIDS, {**own, "value": "eager"}, format="json")
    assert bad.status_code == 400 and "value" in bad.json()["errors"]


def test_bids_stay_within_a_venue_token(world):
    open_bidding(world)
    other = VenueFactory()
    MatchingSettings.objects.create(venue=other, bidding_open=True)
    VenueRoleFactory(venue=other, role=RoleKind.REVIEWER, user=world.reviewer)
    elsewhere = paper(other, UserFactory(), title="Elsewhere")
    world.drive(elsewhere, "submitted")
    bid_set(submission=elsewhere, reviewer=world.reviewer, value="high")
    bound = client_for(world.reviewer, venue=world.venue)
    assert bound.get(BIDS).json() == []
    body = {"submission": elsewhere.pk, "value": "low"}
    assert bound.post(BIDS, body, format="json").status_code == 404
    assert len(client_for(world.reviewer).get(BIDS).json()) == 1


def test_bid_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    open_bidding(world)
    client = client_for(world.reviewer)
    bid_set(submission=world.submission, reviewer=world.reviewer, value="high")
    with django_assert_max_num_queries(12) as one:
        assert len(client.get(BIDS).json()) == 1
    baseline = len(one.captured_queries)
    for n in range(4):
        other = world.drive(paper(world.venue, UserFactory(), title=f"P{n}"), "submitted")
        bid_set(submission=other, reviewer=world.reviewer, value="high")
    with django_assert_max_num_queries(baseline):
        assert len(client.get(BIDS).json()) == 5


def test_reviewer_declares_and_removes_conflicts(world):
    client = client_for(world.reviewer)
    paper_conflict = client.post(
        CONFLICTS, {"submission": world.submission.pk, "reason": "A friend's."}, format="json"
    )
    assert paper_conflict.status_code == 201, paper_conflict.content
    domain = client.post(CONFLICTS, {"kind": "domain", "value": "@Lab.Example.org"}, format="json")
    assert domain.json()["value"] == "lab.example.org"
    listed = client.get(CONFLICTS).json()
    assert [c["id"] for c in listed] == [paper_conflict.json()["id"], domain.json()["id"]]
    assert client_for(world.outsider).get(CONFLICTS).json() == []
    stranger = client_for(world.outsider).delete(f"{CONFLICTS}{domain.json()['id']}/")
    assert stranger.status_code == 404
    assert client.delete(f"{CONFLICTS}{domain.json()['id']}/").status_code == 204
    assert list(ReviewerConflict.objects.values_list("submission", flat=True)) == [
        world.submission.pk
    ]


def test_conflict_needs_a_paper_or_a_kind(world):
    client = client_for(world.reviewer)
    empty = client.post(CONFLICTS, {"value": "x"}, format="json")
    assert empty.status_code == 400 and "kind" in empty.json()["errors"]
    nameless = client.post(CONFLICTS, {"kind": "person"}, format="json")
    assert nameless.status_code == 400 and nameless.json()["detail"]
    hidden = client_for(world.outsider).post(
        CONFLICTS, {"submission": world.submission.pk}, format="json"
    )
    assert hidden.status_code == 404
