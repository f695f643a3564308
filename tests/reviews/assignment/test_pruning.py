"""Stored affinities are pruned; a run short of candidates widens them or names the pruning."""

import pytest

from reviews.matching import InfeasibleError, assign
from reviews.models import AffinityFit, AffinityScore, MatchingSettings, RunStatus
from reviews.services.affinity import affinities_compute
from reviews.services.matching import matching_input
from tests.reviews.assignment.test_matching import proposal, run_matching
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded():
    """Six papers on one topic, two reviewers on it and four elsewhere; each paper keeps only
    its best two reviewers and each reviewer one paper, so four papers see only the two."""
    small = small_venue(
        paper_topics=["graphs"] * 6,
        reviewer_topics=["graphs", "graphs", "diffusion", "bandits", "privacy", "privacy"],
    )
    MatchingSettings.objects.create(
        venue=small.venue, candidates_per_paper=2, candidates_per_reviewer=1
    )
    affinities_compute(venue=small.venue)
    return small


def stored_reviewers(small) -> dict[int, int]:
    return {p.pk: AffinityScore.objects.filter(submission=p).count() for p in small.papers}


def test_a_run_short_of_stored_candidates_widens_them_and_succeeds(
    crowded, django_capture_on_commit_callbacks
):
    small = crowded
    before = stored_reviewers(small)
    data = matching_input(venue=small.venue, parameters={"per_paper": 1, "max_load": 1})
    with pytest.raises(InfeasibleError) as stored_only:
        assign(data.affinity, per_paper=data.per_paper, max_load=data.max_load,
               conflicts=data.conflicts)
    assert stored_only.value.constraint == "coverage"
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    assert run.status == RunStatus.PROPOSED, run.message
    pairs = proposal(run)
    assert len(pairs) == 6 and len({r for _, r in pairs}) == 6
    # The short papers now keep every reviewer as a candidate; the others are untouched.
    after = stored_reviewers(small)
    short = stored_only.value.papers
    assert all(after[small.papers[i].pk] == 6 for i in short)
    assert all(after[p] == n for p, n in before.items() if p not in
               {small.papers[i].pk for i in short})


def test_pruning_is_named_when_the_candidates_cannot_be_widened(
    crowded, django_capture_on_commit_callbacks
):
    small = crowded
    AffinityFit.objects.filter(venue=small.venue).delete()  # as computed before fits were kept
    before = stored_reviewers(small)
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    assert run.status == RunStatus.FAILED
    message = run.message
    assert "the affinities kept only each paper's best 2 reviewers" in message
    assert "the pruning of the stored affinities is the cause, not the loads or conflicts" in (
        message
    )
    assert "Raise the candidates per paper" in message
    assert "#" in message and "need" in message
    assert not run.pairs.exists()
    assert stored_reviewers(small) == before


def test_a_real_shortage_still_blames_the_loads(crowded, django_capture_on_commit_callbacks):
    small = crowded
    run = run_matching(small, django_capture_on_commit_callbacks, per_paper=2, max_load=1)
    assert run.status == RunStatus.FAILED
    assert run.message.startswith("No assignment satisfies every constraint:")
    assert "pruning" not in run.message
    assert "max_load" in run.message
