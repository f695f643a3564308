"""Papers submitted after the affinity run are scored alone, with the stored fit."""

import pytest

from journal.demo.workflow import drive_to_state
from journal.enums import SubmissionState
from reviews.models import AffinityFit, AffinityRun, AffinityScore, MatchingSettings
from reviews.services.affinity import affinities_compute
from reviews.services.affinity_papers import affinities_score_papers
from tests.reviews.assignment.venue import add_paper, person, small_venue

pytestmark = pytest.mark.django_db

TOPICS = ["graphs", "diffusion", "bandits", "privacy"]


def pairs(submission):
    return {
        s.reviewer_id: (s.score, s.rank)
        for s in AffinityScore.objects.filter(submission=submission)
    }


def test_a_paper_submitted_after_the_run_is_scored_without_a_recompute(
    django_capture_on_commit_callbacks,
):
    small = small_venue(paper_topics=TOPICS, reviewer_topics=TOPICS * 2)
    affinities_compute(venue=small.venue)
    fit = AffinityFit.objects.get(venue=small.venue)
    before = {s.pk: (s.submission_id, s.score, s.computed_at) for s in AffinityScore.objects.all()}
    with django_capture_on_commit_callbacks(execute=True):
        late = add_paper(small, "bandits")
    scored = pairs(late)
    assert scored, "the late paper has no scores"
    best = max(scored, key=lambda r: scored[r][0])
    assert small.reviewer_topics[[r.pk for r in small.reviewers].index(best)] == "bandits"
    assert scored[best][1] == 1
    # Nothing else was recomputed: the other papers' rows are the same rows, no new run.
    after = {s.pk: (s.submission_id, s.score, s.computed_at) for s in AffinityScore.objects.all()}
    assert {pk: v for pk, v in after.items() if v[0] != late.pk} == before
    assert AffinityRun.objects.count() == 0
    assert AffinityFit.objects.get(venue=small.venue).fitted_at == fit.fitted_at


def test_a_late_paper_scores_as_the_full_computation_would():
    small = small_venue(paper_topics=TOPICS, reviewer_topics=TOPICS * 2)
    affinities_compute(venue=small.venue)
    late = add_paper(small, "graphs")
    AffinityScore.objects.filter(submission=late).delete()
    affinities_score_papers(venue=small.venue, submission_ids=[late.pk])
    alone = pairs(late)
    # The recompute refits on a corpus with the new paper in it: close, not identical.
    affinities_compute(venue=small.venue)
    full = pairs(late)
    assert set(alone) == set(full)
    assert max(abs(alone[r][0] - full[r][0]) for r in full) < 0.15
    ranked = lambda found: sorted(found, key=lambda r: -found[r][0])[:2]  # noqa: E731
    assert ranked(alone) == ranked(full)


def test_a_late_paper_keeps_its_best_reviewers_and_those_it_is_a_best_paper_of():
    small = small_venue(paper_topics=TOPICS * 3, reviewer_topics=TOPICS * 2)
    MatchingSettings.objects.create(
        venue=small.venue, candidates_per_paper=2, candidates_per_reviewer=3
    )
    affinities_compute(venue=small.venue)
    late = add_paper(small, "privacy")
    stored = affinities_score_papers(venue=small.venue, submission_ids=[late.pk])
    found = pairs(late)
    assert stored == len(found) >= 2
    privacy = {r.pk for r, t in zip(small.reviewers, small.reviewer_topics, strict=True)
               if t == "privacy"}
    assert privacy <= set(found)
    assert len(found) < len(small.reviewers)


def test_without_a_full_run_nothing_is_scored(django_capture_on_commit_callbacks):
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"])
    with django_capture_on_commit_callbacks(execute=True):
        late = add_paper(small, "graphs")
    assert not AffinityScore.objects.filter(submission=late).exists()
    assert affinities_score_papers(venue=small.venue, submission_ids=[late.pk]) == 0


def test_a_draft_is_not_scored():
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs", "bandits"])
    affinities_compute(venue=small.venue)
    draft = small.papers[0]
    drive_to_state(draft, SubmissionState.WITHDRAWN, author=person("x", 1), editor=small.chief,
                   chief=small.chief)
    assert affinities_score_papers(venue=small.venue, submission_ids=[draft.pk]) == 0
