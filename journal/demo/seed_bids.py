"""Bids of the demo conference: bidding open, and some reviewers' bids on its papers.

The demo reviewer bids on a few papers, fewer than the venue's minimum, so the bidding page
shows the counter with work left; other reviewers bid more, so that the chair's coverage
has both covered and short papers. Pairs with a conflict of interest are never bid on (one
bulk conflict mask for the venue). Idempotent: a venue that already has bids is left alone.
"""

from __future__ import annotations

import random

from journal.enums import RoleKind, VenueKind
from journal.models import Venue
from reviews.models import Bid, BidValue, MatchingSettings
from reviews.selectors.bidding import biddable_submissions
from reviews.selectors.conflicts import conflict_mask

MIN_BIDS = 10
DEMO_REVIEWER = "reviewer@demo.example.edu"
#: Levels a demo bid is drawn from, most often a positive one.
LEVELS = [BidValue.VERY_HIGH, BidValue.HIGH, BidValue.HIGH, BidValue.LOW, BidValue.VERY_LOW]


def seed_bids(*, venues: dict[str, Venue], seed: int = 2025) -> int:
    """Open bidding at the demo conferences and add bids; return how many were made."""
    made = 0
    for venue in venues.values():
        if venue.kind != VenueKind.CONFERENCE:
            continue
        MatchingSettings.objects.update_or_create(
            venue=venue, defaults={"bidding_open": True, "min_bids": MIN_BIDS}
        )
        if Bid.objects.filter(submission__venue=venue).exists():
            continue
        made += _bids_at(venue, random.Random(f"{seed}:{venue.slug}"))
    return made


def _bids_at(venue: Venue, rng: random.Random) -> int:
    papers = list(biddable_submissions(venue=venue).order_by("number"))
    roles = venue.roles.filter(role=RoleKind.REVIEWER).select_related("user").order_by("user_id")
    reviewers = [role.user for role in roles]
    if not papers or not reviewers:
        return 0
    mask = conflict_mask(venue=venue, submissions=papers, reviewers=reviewers).tocsr()
    rows = []
    for j, reviewer in enumerate(reviewers):
        is_demo = reviewer.email == DEMO_REVIEWER
        if not is_demo and rng.random() < 0.3:
            continue  # some reviewers have not bid yet
        want = 4 if is_demo else rng.randint(MIN_BIDS // 2, MIN_BIDS + 5)
        allowed = [i for i in range(len(papers)) if not mask[i, j]]
        for i in rng.sample(allowed, min(want, len(allowed))):
            rows.append(Bid(submission=papers[i], reviewer=reviewer, value=rng.choice(LEVELS)))
    Bid.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
