"""Writing reviews: drafts, strict submission, versions, lateness, release, visibility."""

import pytest
from django.utils import timezone

from journal.enums import VenueKind
from journal.errors import DeadlineError, DomainError, TransitionError
from journal.models import OutboundEmail
from reviews.enums import ReviewState
from reviews.models import Review
from reviews.rules import review_is_editable
from reviews.selectors.reviews import submission_reviews
from reviews.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_withdraw,
)
from reviews.services.reviews import review_save_draft, review_submit
from reviews.services.rounds import round_schedule, rounds_release_due
from tests.factories import claims_assessed
from tests.reviews.workflow.world import balanced_answers, invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db


def _review(world, i=0):
    return Review.objects.get(submission=world.submission, reviewer=world.reviewers[i])


def test_draft_keeps_what_can_be_read():
    world = make_world()
    invite_all(world)
    review = review_save_draft(
        review=_review(world),
        actor=world.reviewers[0],
        raw={"summary": "Half a thought", "originality": "9", "hypothesis": "4", "bogus": "x"},
    )
    assert review.state == ReviewState.DRAFT
    assert review.answers == {"summary": "Half a thought", "hypothesis": 4}


def test_submit_requires_required_fields():
    world = make_world()
    invite_all(world)
    with pytest.raises(DomainError) as exc:
        review_submit(
            review=_review(world), actor=world.reviewers[0], raw=balanced_answers(originality="")
        )
    assert exc.value.field == "originality"


def test_submit_enforces_word_limit():
    world = make_world()
    invite_all(world)
    with pytest.raises(DomainError) as exc:
        review_submit(
            review=_review(world),
            actor=world.reviewers[0],
            raw=balanced_answers(summary="word " * 401),
        )
    assert exc.value.errors["summary"] == ["“Summary” has 401 words; the limit is 400."]


def test_submit_keeps_versions_and_allows_edits_until_release():
    world = make_world(reviewers_per_paper=3)
    invite_all(world)
    review = submit_review(world, world.reviewers[0])
    assert review.state == ReviewState.SUBMITTED and not review.is_late
    assert review.submitted_answers["hypothesis"] == 5
    review = submit_review(world, world.reviewers[0], hypothesis="3")
    assert list(review.versions.values_list("number", flat=True)) == [1, 2]
    assert review.versions.get(number=1).answers["hypothesis"] == 5
    assert review.submitted_answers["hypothesis"] == 3


def test_draft_of_a_submitted_review_is_not_what_others_read():
    world = make_world()
    invite_all(world)
    submit_review(world, world.reviewers[0])
    review = review_save_draft(
        review=_review(world), actor=world.reviewers[0], raw=balanced_answers(hypothesis="1")
    )
    assert review.state == ReviewState.SUBMITTED
    assert review.answers["hypothesis"] == 1 and review.submitted_answers["hypothesis"] == 5


def test_late_review_is_marked_and_edit_after_deadline_refused():
    world = make_world()
    invite_all(world, due=timezone.now() + timezone.timedelta(days=1))
    later = timezone.now() + timezone.timedelta(days=2)
    review = review_submit(
        review=_review(world),
        actor=world.reviewers[0],
        raw=balanced_answers(),
        now=later,
        claims=claims_assessed(_review(world)),
    )
    assert review.is_late and review.versions.get().is_late
    email = OutboundEmail.objects.get(template="reviews/emails/review_submitted")
    assert "(late)" in email.subject
    with pytest.raises(DeadlineError):
        review_submit(
            review=_review(world),
            actor=world.reviewers[0],
            raw=balanced_answers(),
            now=later,
            claims=claims_assessed(_review(world)),
        )


def test_only_the_reviewer_writes():
    world = make_world()
    invite_all(world)
    with pytest.raises(TransitionError):
        review_submit(review=_review(world), actor=world.reviewers[1], raw=balanced_answers())


def test_journal_releases_when_all_assigned_reviews_are_in():
    world = make_world(reviewers_per_paper=3)
    invite_all(world)
    submit_review(world, world.reviewers[0])
    submit_review(world, world.reviewers[1])
    review_round = world.invitations[0].round
    review_round.refresh_from_db()
    assert review_round.released_at is None
    submit_review(world, world.reviewers[2])
    review_round.refresh_from_db()
    assert review_round.released_at is not None
    released = OutboundEmail.objects.filter(template="reviews/emails/reviews_released")
    assert {e.to for e in released} >= {world.author.email}
    with pytest.raises(TransitionError, match="released"):
        submit_review(world, world.reviewers[0])
    assert not review_is_editable(review=_review(world))


def test_journal_waits_for_the_full_complement():
    world = make_world(reviewers_per_paper=3, n_reviewers=3)
    invitation = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    invitation_accept(invitation=invitation, actor=world.reviewers[0])
    submit_review(world, world.reviewers[0])
    invitation.round.refresh_from_db()
    assert invitation.round.released_at is None


def test_conference_releases_on_configured_date_on_read_and_by_the_job():
    world = make_world(kind=VenueKind.CONFERENCE)
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    review_round = world.invitations[0].round
    review_round.refresh_from_db()
    assert review_round.released_at is None
    assert submission_reviews(submission=world.submission, viewer=world.author) == []
    round_schedule(
        review_round=review_round,
        actor=world.chief,
        release_at=timezone.now() - timezone.timedelta(seconds=1),
    )
    author = type(world.author).objects.get(pk=world.author.pk)
    rounds = submission_reviews(submission=world.submission, viewer=author)
    assert len(rounds) == 1 and len(rounds[0].reviews) == 3
    assert rounds_release_due() == 1
    assert rounds_release_due() == 0
    assert OutboundEmail.objects.filter(template="reviews/emails/reviews_released").count() == 2


def test_visibility_of_fields_and_names():
    world = make_world()
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer, confidential="Between us: weak.")
    author = type(world.author).objects.get(pk=world.author.pk)
    rounds = submission_reviews(submission=world.submission, viewer=author)
    labels = [item.label for item in rounds[0].reviews]
    assert labels == ["Reviewer 1", "Reviewer 2", "Reviewer 3"]
    keys = {a.field.key for a in rounds[0].reviews[0].answers}
    assert "confidential" not in keys and "recommendation" not in keys
    assert "originality" in keys and rounds[0].scores is None
    editor_view = submission_reviews(submission=world.submission, viewer=world.editor)
    first = editor_view[0].reviews[0]
    assert world.reviewers[0].display_name in first.label
    assert "confidential" in {a.field.key for a in first.answers}
    assert editor_view[0].scores.overall.n == 3
    peer = type(world.reviewers[1]).objects.get(pk=world.reviewers[1].pk)
    peer_view = submission_reviews(submission=world.submission, viewer=peer)
    peer_labels = [item.label for item in peer_view[0].reviews]
    assert peer_labels == ["Reviewer 1", "You (Reviewer 2)", "Reviewer 3"]
    assert "recommendation" in {a.field.key for a in peer_view[0].reviews[0].answers}


def test_reviewer_sees_others_only_after_submitting_own():
    world = make_world(reviewers_per_paper=5)
    invite_all(world)
    submit_review(world, world.reviewers[0])
    second = type(world.reviewers[1]).objects.get(pk=world.reviewers[1].pk)
    items = submission_reviews(submission=world.submission, viewer=second)[0].reviews
    assert [i.own for i in items] == [True]
    submit_review(world, world.reviewers[1])
    second = type(world.reviewers[1]).objects.get(pk=world.reviewers[1].pk)
    items = submission_reviews(submission=world.submission, viewer=second)[0].reviews
    assert len(items) == 2


def test_journal_releases_when_the_last_open_invitation_is_withdrawn():
    world = make_world(n_reviewers=4, reviewers_per_paper=3)
    invitations = invite_all(world, accept=False)
    for invitation, reviewer in zip(invitations[:3], world.reviewers[:3], strict=True):
        invitation_accept(invitation=invitation, actor=reviewer)
        submit_review(world, reviewer)
    review_round = invitations[0].round
    review_round.refresh_from_db()
    assert review_round.released_at is None  # the fourth has not answered
    invitation_withdraw(invitation=invitations[3], actor=world.editor)
    review_round.refresh_from_db()
    assert review_round.released_at is not None
