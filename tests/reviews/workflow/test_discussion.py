"""The discussion: audiences, anonymised names, author response window, edit history."""

import pytest
from django.utils import timezone

from journal.enums import VenueKind
from journal.errors import DeadlineError, DomainError
from journal.models import OutboundEmail
from reviews.enums import CommentAudience
from reviews.selectors.discussion import discussion_thread
from reviews.services.discussion import comment_edit, comment_post
from reviews.services.rounds import round_schedule
from tests.factories import UserFactory
from tests.reviews.workflow.world import invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db
A = CommentAudience


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _released_world(**kwargs):
    world = make_world(**kwargs)
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    return world


def test_audiences_decide_who_reads():
    world = _released_world()
    r1 = world.reviewers[0]
    comment_post(submission=world.submission, author=r1, body="To all", audience=A.EVERYONE)
    comment_post(submission=world.submission, author=r1, body="Reviewers", audience=A.REVIEWERS)
    comment_post(submission=world.submission, author=r1, body="Editors", audience=A.EDITORS)

    def bodies(user):
        return [
            c.comment.body
            for c in discussion_thread(submission=world.submission, viewer=_fresh(user))
        ]

    assert bodies(world.editor) == ["To all", "Reviewers", "Editors"]
    assert bodies(r1) == ["To all", "Reviewers", "Editors"]
    assert bodies(world.reviewers[1]) == ["To all", "Reviewers"]
    assert bodies(world.author) == ["To all"]


def test_names_are_anonymised_per_viewer_and_in_emails():
    world = _released_world()
    r1 = world.reviewers[0]
    comment = comment_post(
        submission=world.submission, author=r1, body="Why this baseline?", audience=A.EVERYONE
    )
    reply = comment_post(
        submission=world.submission,
        author=world.author,
        body="Budget.",
        audience=A.EVERYONE,
        parent=comment,
    )
    author_thread = discussion_thread(submission=world.submission, viewer=_fresh(world.author))
    assert [c.label for c in author_thread] == ["Reviewer 1", "You (author)"]
    assert author_thread[1].depth == 1
    peer_thread = discussion_thread(submission=world.submission, viewer=_fresh(world.reviewers[1]))
    assert [c.label for c in peer_thread] == ["Reviewer 1", "Authors"]
    editor_thread = discussion_thread(submission=world.submission, viewer=world.editor)
    assert r1.display_name in editor_thread[0].label
    to_author = OutboundEmail.objects.filter(
        template="reviews/emails/comment_posted", to=world.author.email
    ).get()
    assert r1.display_name not in to_author.body + to_author.subject
    to_peer = OutboundEmail.objects.filter(
        template="reviews/emails/comment_posted", recipient=world.reviewers[1]
    )
    for email in to_peer:
        assert "Quillfeather" not in email.body + email.subject
    assert reply.audience == A.EVERYONE


def test_reply_never_widens_the_audience():
    world = _released_world()
    private = comment_post(
        submission=world.submission, author=world.editor, body="AE note", audience=A.REVIEWERS
    )
    reply = comment_post(
        submission=world.submission,
        author=world.reviewers[0],
        body="Agreed",
        audience=A.EVERYONE,
        parent=private,
    )
    assert reply.audience == A.REVIEWERS


def test_authors_join_only_after_release_and_strangers_never():
    world = make_world()
    with pytest.raises(DomainError):
        comment_post(submission=world.submission, author=world.author, body="Hi", audience="x")
    with pytest.raises(DomainError):
        comment_post(
            submission=world.submission, author=UserFactory(), body="Hi", audience=A.EVERYONE
        )


def test_conference_author_response_window_and_word_limit():
    world = _released_world(kind=VenueKind.CONFERENCE)
    review_round = world.invitations[0].round
    now = timezone.now()
    round_schedule(review_round=review_round, actor=world.chief, release_at=now)
    author = _fresh(world.author)
    with pytest.raises(DeadlineError):
        comment_post(submission=world.submission, author=author, body="Thanks", audience=A.EVERYONE)
    round_schedule(
        review_round=review_round,
        actor=world.chief,
        response_opens_at=now - timezone.timedelta(hours=1),
        response_closes_at=now + timezone.timedelta(days=1),
        response_word_limit=5,
    )
    with pytest.raises(DomainError, match="limit is 5"):
        comment_post(
            submission=world.submission,
            author=author,
            body="one two three four five six",
            audience=A.EVERYONE,
        )
    response = comment_post(
        submission=world.submission, author=author, body="We added it.", audience=A.REVIEWERS
    )
    assert response.is_author_response and response.audience == A.EVERYONE


def test_edit_keeps_history():
    world = _released_world()
    comment = comment_post(
        submission=world.submission, author=world.reviewers[0], body="First", audience=A.EVERYONE
    )
    with pytest.raises(DomainError):
        comment_edit(comment=comment, actor=world.reviewers[1], body="Hijack")
    comment_edit(comment=comment, actor=world.reviewers[0], body="Second")
    comment_edit(comment=comment, actor=world.reviewers[0], body="Third")
    assert comment.body == "Third" and comment.edited_at is not None
    assert list(comment.revisions.values_list("body", flat=True)) == ["First", "Second"]
