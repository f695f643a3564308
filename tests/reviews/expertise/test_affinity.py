"""Computing and storing a venue's affinities through the engine."""

import pytest
from django.core.management import CommandError, call_command

from journal.enums import RoleKind
from reviews.models import (
    AffinityRun,
    AffinityScore,
    Bid,
    BidValue,
    ExpertiseKeyword,
    JobStatus,
    MatchingSettings,
    Publication,
    ReviewerConflict,
)
from reviews.selectors.expertise import MAX_PUBLICATIONS, reviewer_documents
from reviews.services.affinity import (
    affinities_compute,
    affinity_run_create,
    affinity_run_execute,
)
from tests.factories import ConferenceFactory, VenueRoleFactory
from tests.reviews.assignment.venue import add_reviewer, person, small_venue

pytestmark = pytest.mark.django_db


def scores(venue):
    return {
        (s.submission_id, s.reviewer_id): (s.score, s.rank)
        for s in AffinityScore.objects.filter(venue=venue)
    }


def test_compute_ranks_the_on_topic_reviewer_first():
    small = small_venue(
        paper_topics=["graphs", "diffusion", "bandits"],
        reviewer_topics=["bandits", "graphs", "diffusion", "privacy"],
    )
    counts = affinities_compute(venue=small.venue)
    assert counts["n_papers"] == 3 and counts["n_reviewers"] == 4
    stored = scores(small.venue)
    assert len(stored) == counts["n_scores"] == 12
    for paper, topic in zip(small.papers, small.paper_topics, strict=True):
        best = AffinityScore.objects.get(submission=paper, rank=1).reviewer
        assert small.reviewer_topics[small.reviewers.index(best)] == topic
        assert all(0.0 <= stored[(paper.pk, r.pk)][0] <= 1.0 for r in small.reviewers)


def test_compute_keeps_only_the_best_candidates_plus_willing_bids():
    small = small_venue(
        paper_topics=["graphs", "privacy"],
        reviewer_topics=["graphs", "diffusion", "bandits", "privacy"],
    )
    MatchingSettings.objects.create(
        venue=small.venue, candidates_per_paper=1, candidates_per_reviewer=1
    )
    affinities_compute(venue=small.venue)
    first = scores(small.venue)
    # Each paper's best reviewer, and each reviewer's best paper: 4 pairs at most, 2 at least.
    assert {r for (_, r) in first} == {r.pk for r in small.reviewers}
    assert len({p for (p, _) in first}) == 2 and len(first) < 8
    paper, left_out = next(
        (p, r) for p in small.papers for r in small.reviewers if (p.pk, r.pk) not in first
    )
    Bid.objects.create(submission=paper, reviewer=left_out, value=BidValue.HIGH)
    affinities_compute(venue=small.venue)
    stored = scores(small.venue)
    assert (paper.pk, left_out.pk) in stored
    assert set(stored) == set(first) | {(paper.pk, left_out.pk)}
    assert sorted(rank for (p, _), (_, rank) in stored.items() if p == paper.pk)[0] == 1


def test_compute_never_stores_a_conflicted_pair():
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs", "graphs"])
    ReviewerConflict.objects.create(reviewer=small.reviewers[0], submission=small.papers[0])
    affinities_compute(venue=small.venue)
    assert {r for (_, r) in scores(small.venue)} == {small.reviewers[1].pk}


def test_expertise_keywords_add_terms_to_a_reviewer_profile():
    small = small_venue(paper_topics=["diffusion", "graphs"], reviewer_topics=["graphs"])
    newcomer = person("new", 1)
    VenueRoleFactory(venue=small.venue, user=newcomer, role=RoleKind.REVIEWER)
    ExpertiseKeyword.objects.create(user=newcomer, keyword="diffusion models")
    ExpertiseKeyword.objects.create(user=newcomer, keyword="image synthesis")
    affinities_compute(venue=small.venue)
    stored = scores(small.venue)
    assert stored[(small.papers[0].pk, newcomer.pk)][0] > 0.0
    assert stored[(small.papers[0].pk, newcomer.pk)][1] == 1


def test_recompute_replaces_the_previous_scores():
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs", "bandits"])
    affinities_compute(venue=small.venue)
    first = scores(small.venue)
    add_reviewer(small, "graphs")
    affinities_compute(venue=small.venue)
    second = scores(small.venue)
    assert len(first) == 2 and len(second) == 3


def test_run_through_the_task_reports_progress(django_capture_on_commit_callbacks):
    small = small_venue(paper_topics=["graphs", "bandits"], reviewer_topics=["graphs", "bandits"])
    with django_capture_on_commit_callbacks(execute=True):
        run = affinity_run_create(venue=small.venue, actor=small.chief)
    run.refresh_from_db()
    assert run.status == JobStatus.DONE and run.progress == 100
    assert (run.n_papers, run.n_reviewers, run.n_scores) == (2, 2, 4)
    assert run.finished_at is not None and run.created_by == small.chief


def test_run_without_papers_fails_with_a_message(django_capture_on_commit_callbacks):
    venue = ConferenceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        run = affinity_run_create(venue=venue, actor=None)
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert run.message == f"{venue.name} has no submitted papers to match."
    assert not AffinityScore.objects.exists()


def test_run_already_done_is_not_repeated():
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"])
    run = AffinityRun.objects.create(venue=small.venue, status=JobStatus.DONE, progress=100)
    assert affinity_run_execute(run_id=run.pk).status == JobStatus.DONE
    assert not AffinityScore.objects.exists()


def test_command_computes_a_venue(capsys):
    small = small_venue(paper_topics=["graphs", "privacy"], reviewer_topics=["graphs", "privacy"])
    call_command("compute_affinities", venue=small.venue.slug)
    assert "4 affinities for 2 papers and 2 reviewers" in capsys.readouterr().out
    assert AffinityScore.objects.filter(venue=small.venue).count() == 4


def test_command_refuses_an_unknown_venue():
    with pytest.raises(CommandError, match="No venue"):
        call_command("compute_affinities", venue="nowhere")
    small = small_venue(paper_topics=[], reviewer_topics=["graphs"])
    with pytest.raises(CommandError, match="no submitted papers"):
        call_command("compute_affinities", venue=small.venue.slug)


def test_only_the_most_recent_publications_describe_a_reviewer():
    user = person("prolific", 1)
    Publication.objects.bulk_create(
        Publication(user=user, title=f"Paper {i}", year=1950 + i)
        for i in range(MAX_PUBLICATIONS + 5)
    )
    Publication.objects.create(user=user, title="Undated")
    ExpertiseKeyword.objects.create(user=user, keyword="topology")
    docs = reviewer_documents(user_ids=[user.pk])[user.pk]
    assert len(docs) == MAX_PUBLICATIONS + 1
    assert docs[0][0] == f"Paper {MAX_PUBLICATIONS + 4}"
    assert docs[-2][0] == "Paper 5" and docs[-1] == ("Declared expertise: topology", "topology")
