"""Reviewers' own statements: expertise keywords, bids and declared conflicts."""

import pytest

from journal.enums import ConflictKind, VenueKind
from journal.errors import DomainError
from reviews.models import Bid, BidValue, ExpertiseKeyword, MatchingSettings, ReviewerConflict
from reviews.selectors.conflicts import DECLARED_BY_REVIEWER, conflicts_for_pair
from reviews.services.expertise import (
    bid_set,
    expertise_keywords_set,
    reviewer_conflict_declare,
    reviewer_conflict_remove,
)
from tests.factories import UserFactory
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    return small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"], kind=VenueKind.JOURNAL)


def test_keywords_are_cleaned_and_replaced():
    user = UserFactory()
    cleaned = expertise_keywords_set(user=user, keywords=[" graph  learning", "Graph learning"])
    assert cleaned == ["graph learning"]
    expertise_keywords_set(user=user, keywords=["bandits", "privacy"])
    assert sorted(ExpertiseKeyword.objects.values_list("keyword", flat=True)) == [
        "bandits",
        "privacy",
    ]
    with pytest.raises(DomainError, match="at most"):
        expertise_keywords_set(user=user, keywords=[f"k{i}" for i in range(31)])


def test_bids_need_open_bidding_and_a_reviewer(small):
    paper, reviewer = small.papers[0], small.reviewers[0]
    with pytest.raises(DomainError, match="Bidding is closed"):
        bid_set(submission=paper, reviewer=reviewer, value=BidValue.HIGH)
    MatchingSettings.objects.create(venue=small.venue, bidding_open=True)
    with pytest.raises(DomainError, match="Only reviewers"):
        bid_set(submission=paper, reviewer=UserFactory(), value=BidValue.HIGH)
    with pytest.raises(DomainError, match="Unknown bid"):
        bid_set(submission=paper, reviewer=reviewer, value="eager")
    bid_set(submission=paper, reviewer=reviewer, value=BidValue.HIGH)
    bid_set(submission=paper, reviewer=reviewer, value=BidValue.LOW)
    assert Bid.objects.get().value == BidValue.LOW
    assert bid_set(submission=paper, reviewer=reviewer, value=BidValue.NEUTRAL) is None
    assert not Bid.objects.exists()


def test_declared_conflicts_are_recorded_once_and_count(small):
    paper, reviewer = small.papers[0], small.reviewers[0]
    first = reviewer_conflict_declare(reviewer=reviewer, submission=paper, reason="A friend's.")
    assert reviewer_conflict_declare(reviewer=reviewer, submission=paper) == first
    assert [r.rule for r in conflicts_for_pair(submission=paper, reviewer=reviewer)] == [
        DECLARED_BY_REVIEWER
    ]
    domain = reviewer_conflict_declare(
        reviewer=reviewer, kind=ConflictKind.DOMAIN, value=" @Lab.Example.ORG "
    )
    assert domain.value == "lab.example.org"
    with pytest.raises(DomainError, match="person, an institution or a domain"):
        reviewer_conflict_declare(reviewer=reviewer, kind="", value="x")
    reviewer_conflict_remove(reviewer=reviewer, conflict_id=first.pk)
    with pytest.raises(DomainError, match="No such conflict"):
        reviewer_conflict_remove(reviewer=small.chief, conflict_id=domain.pk)
    assert list(ReviewerConflict.objects.all()) == [domain]
