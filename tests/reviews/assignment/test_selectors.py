"""Reads about runs and proposals: current run, pairs in order, constant query counts."""

import pytest

from reviews.models import AffinityRun, AssignmentRun, JobStatus, RunStatus
from reviews.selectors.matching import (
    affinity_run_latest,
    assignment_run_current,
    assignment_runs_of,
    proposal_for_submission,
    proposal_pairs,
)
from reviews.services.affinity import affinities_compute
from reviews.services.matching import assignment_run_matching, assignment_run_parameters
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db


def proposed(small, **parameters):
    run = AssignmentRun.objects.create(
        venue=small.venue,
        parameters=assignment_run_parameters(venue=small.venue, **parameters),
        created_by=small.chief,
    )
    return assignment_run_matching(run_id=run.pk)


def test_current_run_is_the_newest_standing_proposal():
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"])
    assert assignment_run_current(venue=small.venue) is None
    affinities_compute(venue=small.venue)
    first = proposed(small)
    failed = proposed(small, per_paper=3)
    assert failed.status == RunStatus.FAILED
    assert assignment_run_current(venue=small.venue) == first
    assert list(assignment_runs_of(venue=small.venue)) == [failed, first]
    done = AffinityRun.objects.create(venue=small.venue, status=JobStatus.DONE)
    assert affinity_run_latest(venue=small.venue) == done


def test_pairs_come_by_paper_number_then_affinity():
    small = small_venue(
        paper_topics=["graphs", "bandits"], reviewer_topics=["graphs", "bandits"], per_paper=2
    )
    affinities_compute(venue=small.venue)
    run = proposed(small)
    pairs = list(proposal_pairs(run=run))
    assert [p.submission.number for p in pairs] == [1, 1, 2, 2]
    assert pairs[0].affinity >= pairs[1].affinity
    first = list(proposal_for_submission(run=run, submission=small.papers[0]))
    assert first == pairs[:2]


def test_pairs_cost_the_same_queries_for_one_and_many(django_assert_num_queries):
    one = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"])
    many = small_venue(
        paper_topics=["graphs", "bandits", "privacy"],
        reviewer_topics=["graphs", "bandits", "privacy"],
    )
    runs = []
    for small in (one, many):
        affinities_compute(venue=small.venue)
        runs.append(proposed(small))
    for run in runs:
        with django_assert_num_queries(1):
            rows = [(p.submission.title, str(p.reviewer)) for p in proposal_pairs(run=run)]
        assert rows
