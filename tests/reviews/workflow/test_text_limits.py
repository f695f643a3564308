"""Unbounded text: the review workflow's texts hold one limit on every path (page, API, service).

The audit stored an 8 MB abstract through a form that had no limit while the API capped at
20,000 characters. Every text here is checked by the service that stores it, with the limit
from `journal.limits`, so pages, scripts and tasks refuse the same input the same way.
"""

import pytest
from django.urls import reverse

from journal.errors import DomainError
from journal.limits import TEXT_MAX_CHARS
from reviews.enums import CommentAudience
from reviews.models import Comment, Review
from reviews.services.discussion import comment_post
from reviews.services.reviews import review_save_draft
from tests.api.support import client_for
from tests.reviews.workflow.world import balanced_answers, invite_all, make_world

pytestmark = pytest.mark.django_db
OVERLONG = "x" * (TEXT_MAX_CHARS + 1)


@pytest.fixture
def world():
    world = make_world()
    invite_all(world)
    return world


def test_unbounded_text_comment_refused_by_the_service(world):
    with pytest.raises(DomainError, match="The comment has 20,001 characters; at most 20,000"):
        comment_post(
            submission=world.submission,
            author=world.editor,
            body=OVERLONG,
            audience=CommentAudience.REVIEWERS,
        )
    assert not Comment.objects.exists()


def test_unbounded_text_comment_refused_on_the_page(client, world):
    client.force_login(world.editor)
    response = client.post(
        reverse("reviews:discussion", args=[world.submission.pk]),
        {"body": OVERLONG, "audience": CommentAudience.REVIEWERS},
    )
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode().replace(",", "")
    assert not Comment.objects.exists()


def test_unbounded_text_comment_refused_by_the_api(world):
    response = client_for(world.editor).post(
        f"/api/v1/submissions/{world.submission.pk}/comments/",
        {"body": OVERLONG, "audience": CommentAudience.REVIEWERS},
        format="json",
    )
    assert response.status_code == 400
    assert "20000" in str(response.json()).replace(",", "")
    assert not Comment.objects.exists()


def test_unbounded_text_review_answer_refused_even_in_a_draft(world):
    reviewer = world.reviewers[0]
    review = Review.objects.get(submission=world.submission, reviewer=reviewer)
    before = dict(review.answers)
    with pytest.raises(DomainError, match="“Strengths” has 20,001 characters") as caught:
        review_save_draft(review=review, actor=reviewer, raw=balanced_answers(strengths=OVERLONG))
    assert caught.value.field == "strengths"
    review.refresh_from_db()
    assert review.answers == before


def test_text_at_the_limit_is_kept(world):
    comment = comment_post(
        submission=world.submission,
        author=world.editor,
        body="y" * TEXT_MAX_CHARS,
        audience=CommentAudience.REVIEWERS,
    )
    assert len(comment.body) == TEXT_MAX_CHARS
