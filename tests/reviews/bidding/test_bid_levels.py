"""Bid levels in the matching: a weight per level, conflicts as hard conflicts, old bids."""

import importlib

import pytest
from django.apps import apps

from journal.errors import DomainError
from reviews.models import Bid, BidValue, MatchingSettings, ProposedAssignment, ReviewerConflict
from reviews.services.affinity import affinities_compute
from reviews.services.bidding import bid_set
from reviews.services.expertise import reviewer_conflict_declare, reviewer_conflict_remove
from reviews.services.matching import assignment_run_create, matching_input
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    small = small_venue(
        paper_topics=["graphs", "diffusion"],
        reviewer_topics=["graphs", "diffusion", "bandits", "privacy", "graphs"],
    )
    MatchingSettings.objects.create(venue=small.venue, bidding_open=True, bid_weight=0.5)
    affinities_compute(venue=small.venue)
    return small


def value_of(data, paper, reviewer) -> float:
    i = [s.pk for s in data.submissions].index(paper.pk)
    j = [slot.user.pk for slot in data.slots].index(reviewer.pk)
    return float(data.affinity[i, j]), bool(data.conflicts[i, j])


def test_each_level_adds_its_multiple_of_the_bid_weight(small):
    paper = small.papers[0]
    plain = matching_input(venue=small.venue, parameters={"use_bids": True})
    levels = {
        small.reviewers[0]: (BidValue.VERY_HIGH, 1.0),
        small.reviewers[1]: (BidValue.HIGH, 0.5),
        small.reviewers[2]: (BidValue.LOW, -0.5),
        small.reviewers[3]: (BidValue.VERY_LOW, -1.0),
    }
    before = {r: value_of(plain, paper, r)[0] for r in levels}
    for reviewer, (level, _) in levels.items():
        bid_set(submission=paper, reviewer=reviewer, value=level)
    with_bids = matching_input(venue=small.venue, parameters={"use_bids": True})
    without = matching_input(venue=small.venue, parameters={"use_bids": False})
    for reviewer, (_, added) in levels.items():
        if before[reviewer] == 0.0 and added < 0:
            # a low bid never creates a candidate
            assert value_of(with_bids, paper, reviewer)[0] == 0.0
            continue
        assert value_of(with_bids, paper, reviewer)[0] == pytest.approx(before[reviewer] + added)
        assert value_of(without, paper, reviewer)[0] == pytest.approx(before[reviewer])


def test_a_conflict_bid_removes_the_pair_from_the_matching(
    small, django_capture_on_commit_callbacks
):
    paper, best = small.papers[0], small.reviewers[0]
    bid_set(submission=paper, reviewer=best, value=BidValue.CONFLICT)
    assert ReviewerConflict.objects.filter(submission=paper, reviewer=best).exists()
    for use_bids in (True, False):
        data = matching_input(venue=small.venue, parameters={"use_bids": use_bids})
        assert value_of(data, paper, best)[1] is True
        with django_capture_on_commit_callbacks(execute=True):
            run = assignment_run_create(
                venue=small.venue, actor=small.chief, use_bids=use_bids, per_paper=1
            )
        pairs = set(ProposedAssignment.objects.filter(run=run).values_list(
            "submission_id", "reviewer_id"
        ))
        assert pairs and (paper.pk, best.pk) not in pairs


def test_taking_a_conflict_bid_back_withdraws_the_declaration(small):
    paper, reviewer = small.papers[0], small.reviewers[0]
    bid_set(submission=paper, reviewer=reviewer, value=BidValue.CONFLICT)
    bid_set(submission=paper, reviewer=reviewer, value=BidValue.HIGH)
    assert not ReviewerConflict.objects.exists()
    assert Bid.objects.get().value == BidValue.HIGH


def test_a_conflict_bid_stays_when_another_rule_holds_and_says_no_names(small):
    paper, reviewer = small.papers[0], small.reviewers[0]
    bid_set(submission=paper, reviewer=reviewer, value=BidValue.CONFLICT)
    author = paper.authors.get()
    reviewer.affiliation = author.affiliation
    reviewer.save(update_fields=["affiliation"])
    with pytest.raises(DomainError, match="also find a conflict of interest") as refused:
        bid_set(submission=paper, reviewer=reviewer, value=BidValue.HIGH)
    assert author.name not in refused.value.message
    assert author.affiliation not in refused.value.message
    assert Bid.objects.get().value == BidValue.CONFLICT
    assert ReviewerConflict.objects.filter(submission=paper, reviewer=reviewer).exists()


def test_a_paper_conflict_declared_elsewhere_is_the_conflict_bid(small):
    paper, reviewer = small.papers[1], small.reviewers[1]
    conflict = reviewer_conflict_declare(reviewer=reviewer, submission=paper, reason="Friend.")
    assert Bid.objects.get(submission=paper, reviewer=reviewer).value == BidValue.CONFLICT
    reviewer_conflict_remove(reviewer=reviewer, conflict_id=conflict.pk)
    assert not Bid.objects.exists() and not ReviewerConflict.objects.exists()


def test_old_bids_become_high_and_low():
    migration = importlib.import_module("reviews.migrations.0009_bid_levels")
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs", "diffusion"])
    paper = small.papers[0]
    Bid.objects.create(submission=paper, reviewer=small.reviewers[0], value="willing")
    Bid.objects.create(submission=paper, reviewer=small.reviewers[1], value="not_willing")
    migration._relabel(migration._FORWARD)(apps, None)
    assert dict(Bid.objects.values_list("reviewer_id", "value")) == {
        small.reviewers[0].pk: "high",
        small.reviewers[1].pk: "low",
    }
