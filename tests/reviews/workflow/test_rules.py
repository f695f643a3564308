"""Who may do what on reviews, for every participant of a paper under review."""

import pytest
from django.contrib.auth.models import AnonymousUser

from journal.enums import Anonymity
from reviews.models import Review
from tests.factories import UserFactory
from tests.reviews.workflow.world import invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "stranger", "author", "reviewer", "other_reviewer", "editor", "chief"]

# permission on the submission -> who holds it once the reviews are released (double-blind)
EXPECTED = {
    "journal.view_submission": {"author", "reviewer", "other_reviewer", "editor", "chief"},
    "journal.view_submission_authors": {"author", "editor", "chief"},
    "reviews.view_reviews": {"author", "reviewer", "other_reviewer", "editor", "chief"},
    "reviews.view_reviewer_identity": {"editor", "chief"},
    "reviews.view_scores": {"editor", "chief"},
    "reviews.discuss": {"author", "reviewer", "other_reviewer", "editor", "chief"},
    "reviews.recommend": {"reviewer", "other_reviewer"},
    "reviews.invite_reviewer": {"editor", "chief"},
    "reviews.decide": {"editor", "chief"},
    "reviews.approve_decision": {"chief"},
}
# permission on the first reviewer's review
EXPECTED_REVIEW = {
    "reviews.write_review": {"reviewer"},
    "reviews.read_review": {"author", "reviewer", "other_reviewer", "editor", "chief"},
    "reviews.rate_review": {"editor", "chief"},
    "reviews.flag_review": {"author"},
}


@pytest.fixture
def released():
    world = make_world(n_reviewers=2, reviewers_per_paper=2)
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    people = {
        "anonymous": AnonymousUser(),
        "stranger": UserFactory(),
        "author": world.author,
        "reviewer": world.reviewers[0],
        "other_reviewer": world.reviewers[1],
        "editor": world.editor,
        "chief": world.chief,
    }
    return world, people


def _fresh(user):
    return type(user).objects.get(pk=user.pk) if user.is_authenticated else user


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("who", PEOPLE)
def test_submission_permissions(released, perm, who):
    world, people = released
    assert _fresh(people[who]).has_perm(perm, world.submission) is (who in EXPECTED[perm])


@pytest.mark.parametrize("perm", sorted(EXPECTED_REVIEW))
@pytest.mark.parametrize("who", PEOPLE)
def test_review_permissions(released, perm, who):
    world, people = released
    review = Review.objects.get(reviewer=world.reviewers[0])
    assert _fresh(people[who]).has_perm(perm, review) is (who in EXPECTED_REVIEW[perm])


def test_authors_lose_reviews_before_release():
    world = make_world(n_reviewers=2, reviewers_per_paper=2)
    invite_all(world)
    submit_review(world, world.reviewers[0])
    review = Review.objects.get(reviewer=world.reviewers[0])
    author = _fresh(world.author)
    assert not author.has_perm("reviews.view_reviews", world.submission)
    assert not author.has_perm("reviews.read_review", review)
    assert not author.has_perm("reviews.discuss", world.submission)
    other = _fresh(world.reviewers[1])
    assert not other.has_perm("reviews.read_review", review)


def test_open_venue_shows_reviewer_identity():
    world = make_world(anonymity=Anonymity.OPEN)
    assert _fresh(world.author).has_perm("reviews.view_reviewer_identity", world.submission)
