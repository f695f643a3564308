"""The discussion: audiences, anonymised names, author response window, edit history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.enums import VenueKind
from journal.errors import DeadlineError, DomainError
from journal.models import OutboundEmail
from reviews.enums import CommentAudience
from reviews.models import Comment
from reviews.selectors.discussion import discussion_thread
from reviews.services.discussion import comment_edit, comment_post
from reviews.services.rounds import round_release, round_schedule
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


# Reviewers join the discussion after their own review


SECRET = "Table 2 omits the dense baseline; I lean towards rejecting."


def _gated_world(**venue_fields):
    """Three reviewers; the first has submitted and posted to the reviewers, the others not."""
    world = make_world(**venue_fields)
    invite_all(world)
    submit_review(world, world.reviewers[0])
    comment = comment_post(
        submission=world.submission, author=world.reviewers[0], body=SECRET, audience=A.REVIEWERS
    )
    return world, comment


def _page(client, user, submission):
    client.force_login(user)
    response = client.get(reverse("reviews:discussion", args=[submission.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_discussion_hidden_from_reviewer_before_own_review(client):
    world, _ = _gated_world()
    late = world.reviewers[1]
    comment_post(submission=world.submission, author=late, body="My own note.", audience=A.EVERYONE)
    page = _page(client, late, world.submission)
    assert SECRET not in page
    assert "My own note." in page
    assert SECRET in _page(client, world.editor, world.submission)
    submit_review(world, late)
    assert SECRET in _page(client, late, world.submission)


def test_discussion_hidden_from_reviewer_before_own_review_until_release(client):
    world, comment = _gated_world()
    late = world.reviewers[2]
    assert SECRET not in _page(client, late, world.submission)
    round_release(review_round=comment.round, actor=world.editor)
    assert SECRET in _page(client, late, world.submission)


def test_discussion_hidden_from_reviewer_before_own_review_comment_from_before_any_round():
    world, comment = _gated_world()
    Comment.objects.filter(pk=comment.pk).update(round=None)
    late = world.reviewers[1]
    assert SECRET not in _bodies(world, late)
    submit_review(world, late)
    assert SECRET in _bodies(world, late)


def _bodies(world, user):
    thread = discussion_thread(submission=world.submission, viewer=_fresh(user))
    return [item.comment.body for item in thread]


def test_discussion_gate_off_shows_comments(client):
    world, _ = _gated_world(discussion_after_own_review=False)
    assert SECRET in _page(client, world.reviewers[1], world.submission)
    to_late = OutboundEmail.objects.filter(
        template="reviews/emails/comment_posted", recipient=world.reviewers[1]
    ).get()
    assert SECRET in to_late.body


def test_comment_notification_not_sent_to_gated_reviewer():
    world = make_world()
    invite_all(world)
    submit_review(world, world.reviewers[0])
    submit_review(world, world.reviewers[2])
    comment_post(
        submission=world.submission, author=world.reviewers[0], body=SECRET, audience=A.REVIEWERS
    )
    sent = OutboundEmail.objects.filter(template="reviews/emails/comment_posted")
    assert not sent.filter(recipient=world.reviewers[1]).exists()
    assert not any(SECRET in email.body for email in sent.filter(to=world.reviewers[1].email))
    assert SECRET in sent.get(recipient=world.reviewers[2]).body
    assert SECRET in sent.get(recipient=world.editor).body


def test_reply_to_invisible_comment_refused_html(client):
    world, hidden = _gated_world()
    editors_only = comment_post(
        submission=world.submission, author=world.editor, body="AE only", audience=A.EDITORS
    )
    client.force_login(world.reviewers[1])
    url = reverse("reviews:discussion", args=[world.submission.pk])
    before = Comment.objects.count()
    for parent in (hidden, editors_only):
        response = client.post(
            url, {"body": "Replying blind", "audience": A.REVIEWERS, "parent": parent.pk}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is no such comment on this paper to reply to." in page
        assert SECRET not in page and "AE only" not in page
    assert Comment.objects.count() == before
    assert not Comment.objects.filter(body="Replying blind").exists()


def test_reply_to_invisible_comment_refused_in_the_service():
    world, hidden = _gated_world()
    with pytest.raises(DomainError, match="no such comment"):
        comment_post(
            submission=world.submission,
            author=world.reviewers[1],
            body="Replying blind",
            audience=A.REVIEWERS,
            parent=hidden,
        )
    assert not Comment.objects.filter(body="Replying blind").exists()
    submit_review(world, world.reviewers[1])
    reply = comment_post(
        submission=world.submission,
        author=_fresh(world.reviewers[1]),
        body="Agreed.",
        audience=A.EVERYONE,
        parent_id=hidden.pk,
    )
    assert reply.parent == hidden and reply.audience == A.REVIEWERS


def test_discussion_gate_constant_queries_for_reviewer(client):
    def thread_with(n):
        world, parent = _gated_world()
        for i in range(n):
            parent = comment_post(
                submission=world.submission,
                author=world.reviewers[0],
                body=f"Point {i}",
                audience=A.EVERYONE,
                parent=parent,
            )
        return world

    sizes = []
    for world in (thread_with(1), thread_with(5)):
        client.force_login(world.reviewers[1])
        url = reverse("reviews:discussion", args=[world.submission.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200 and "Point 0" not in page.content.decode()
        sizes.append(len(ctx.captured_queries))
    assert sizes[0] == sizes[1]
