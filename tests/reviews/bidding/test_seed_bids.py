"""The demo conference's bids: bidding opened, bids made without conflicts, once."""

import pytest

from journal.demo.seed_bids import DEMO_REVIEWER, MIN_BIDS, seed_bids
from reviews.models import Bid, MatchingSettings
from reviews.selectors.conflicts import conflicts_for_pair
from tests.factories import UserFactory
from tests.reviews.bidding.world import bid_world

pytestmark = pytest.mark.django_db


def test_seed_bids_opens_bidding_and_bids_without_conflicts_once():
    world = bid_world(papers=8, open_bidding=False)
    demo = world.add_reviewer(email=DEMO_REVIEWER)
    colleague = UserFactory(affiliation=demo.affiliation)
    conflicted = world.add_paper("A colleague's paper", author=colleague)
    for _ in range(4):
        world.add_reviewer()
    made = seed_bids(venues={world.venue.slug: world.venue})
    settings = MatchingSettings.objects.get(venue=world.venue)
    assert settings.bidding_open and settings.min_bids == MIN_BIDS
    bids = list(Bid.objects.select_related("submission", "reviewer"))
    assert made == len(bids) > 0
    assert not any(conflicts_for_pair(submission=b.submission, reviewer=b.reviewer) for b in bids)
    assert not Bid.objects.filter(reviewer=demo, submission=conflicted).exists()
    assert 1 <= Bid.objects.filter(reviewer=demo).count() < MIN_BIDS
    assert seed_bids(venues={world.venue.slug: world.venue}) == 0
