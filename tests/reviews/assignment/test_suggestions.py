"""Ranked reviewer suggestions for one paper, with the engine's explanation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal.enums import RoleKind, VenueKind
from journal.models import VenueRole
from reviews.models import Bid, BidValue, ReviewerConflict
from reviews.selectors.suggestions import submission_reviewer_suggestions
from reviews.services.affinity import affinities_compute
from reviews.services.invitations import invitation_create
from tests.reviews.assignment.venue import add_reviewer, small_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal():
    return small_venue(
        paper_topics=["graphs", "bandits"],
        reviewer_topics=["privacy", "graphs", "diffusion", "bandits", "graphs"],
        kind=VenueKind.JOURNAL,
    )


def test_suggestions_rank_on_topic_reviewers_first_and_explain_why(journal):
    paper = journal.papers[0]
    Bid.objects.create(submission=paper, reviewer=journal.reviewers[1], value=BidValue.HIGH)
    suggestions = submission_reviewer_suggestions(submission=paper, limit=3)
    assert {s.reviewer for s in suggestions[:2]} == {journal.reviewers[1], journal.reviewers[4]}
    first = suggestions[0]
    assert first.affinity > suggestions[2].affinity >= 0.0
    assert "graph neural networks" in first.closest_publication
    assert 0.0 < first.closest_similarity <= 1.0
    assert any("graph" in term for term in first.shared_terms)
    assert (first.load, first.quota) == (0, None)
    assert {s.bid for s in suggestions[:2]} == {BidValue.HIGH, None}


def test_suggestions_leave_out_conflicted_unavailable_full_and_asked_reviewers(journal):
    paper = journal.papers[0]
    extra = add_reviewer(journal, "graphs")
    ReviewerConflict.objects.create(reviewer=journal.reviewers[1], submission=paper)
    roles = VenueRole.objects.filter(venue=journal.venue, role=RoleKind.REVIEWER)
    roles.filter(user=journal.reviewers[4]).update(
        unavailable_until=timezone.localdate() + datetime.timedelta(days=3)
    )
    roles.filter(user=journal.reviewers[0]).update(load_quota=1)
    invitation_create(submission=journal.papers[1], reviewer=journal.reviewers[0], invited_by=None)
    invitation_create(submission=paper, reviewer=extra, invited_by=journal.chief)
    listed = [s.reviewer for s in submission_reviewer_suggestions(submission=paper)]
    assert listed and set(listed) == {journal.reviewers[2], journal.reviewers[3]}


def test_suggestions_use_the_stored_affinities_when_computed(journal):
    paper = journal.papers[1]
    fresh = submission_reviewer_suggestions(submission=paper, limit=5)
    affinities_compute(venue=journal.venue)
    stored = submission_reviewer_suggestions(submission=paper, limit=5)
    assert stored[0].reviewer == fresh[0].reviewer == journal.reviewers[3]
    affinities = [s.affinity for s in stored]
    assert affinities == sorted(affinities, reverse=True)


def test_suggestions_cost_the_same_queries_for_few_and_many_reviewers(journal):
    paper = journal.papers[0]
    with CaptureQueriesContext(connection) as few:
        submission_reviewer_suggestions(submission=paper)
    for topic in ["graphs", "privacy", "bandits", "diffusion"]:
        add_reviewer(journal, topic)
    with CaptureQueriesContext(connection) as many:
        assert len(submission_reviewer_suggestions(submission=paper)) == 9
    assert len(many) == len(few)
