"""The public forum of a published paper: reviews, meta-review, decision and public thread.

The page showed an empty reviews section while "Publish reviews" was on; these tests look for
the texts a reader looks for, and for the identities that must not be there.
"""

import pytest
from django.test import Client
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import (
    Certification,
    DecisionOutcome,
    DecisionStatus,
    ReviewPublication,
    SubmissionState,
)
from journal.models import AuditEvent
from journal.services.decisions import decision_draft, decision_transition
from reviews.enums import CommentAudience, Recommendation
from reviews.models import Comment
from reviews.services.assessments import meta_review_save, recommendation_submit
from reviews.services.discussion import comment_hide, public_comment_post
from tests.api.support import client_for
from tests.factories import UserFactory
from tests.reviews.workflow.world import (
    AUTHOR_NAME,
    REVIEWER_NAMES,
    invite_all,
    make_world,
    submit_review,
)

pytestmark = pytest.mark.django_db
S = SubmissionState
REVIEW_TEXT = "The ablations **convincingly** isolate sparsity as the cause."
META_TEXT = "All three reviewers find the central hypothesis well tested."


def _decided(*, policy=ReviewPublication.ACCEPTED, outcome=DecisionOutcome.ACCEPT, **venue):
    """A double-blind journal paper reviewed by three, meta-reviewed and decided."""
    world = make_world(review_publication=policy, publish_recommendations=True, **venue)
    invite_all(world)
    for i, reviewer in enumerate(world.reviewers):
        submit_review(world, reviewer, strengths=f"{REVIEW_TEXT} ({i})")
    review_round = world.submission.review_rounds.get()
    for reviewer in world.reviewers:
        recommendation_submit(
            review_round=review_round,
            reviewer=reviewer,
            recommendation=Recommendation.ACCEPT,
            justification="Claims are supported.",
        )
    meta_review_save(
        review_round=review_round,
        editor=world.editor,
        text=META_TEXT,
        recommendation=Recommendation.ACCEPT,
    )
    decision = decision_draft(
        submission=world.submission,
        editor=world.editor,
        outcome=outcome,
        claims_supported=outcome == DecisionOutcome.ACCEPT,
        audience_interested=True,
        certifications=[Certification.FEATURED] if outcome == DecisionOutcome.ACCEPT else [],
        comment="Accepted as is." if outcome == DecisionOutcome.ACCEPT else "Not convincing.",
    )
    decision_transition(
        decision=decision, to_status=DecisionStatus.AWAITING_APPROVAL, actor=world.editor
    )
    decision_transition(decision=decision, to_status=DecisionStatus.PUBLISHED, actor=world.chief)
    world.submission.refresh_from_db()
    if outcome == DecisionOutcome.ACCEPT:
        drive_to_state(
            world.submission,
            S.PUBLISHED,
            author=world.author,
            editor=world.editor,
            chief=world.chief,
        )
    return world


def _page(world):
    return reverse(
        "journal:paper", kwargs={"slug": world.venue.slug, "number": world.submission.number}
    )


def _identities(world) -> list[str]:
    found = [world.editor.display_name, world.editor.email, world.chief.display_name]
    for reviewer in world.reviewers:
        found += [reviewer.display_name, reviewer.email]
    return found


def test_public_page_shows_reviews_meta_review_and_decision_anonymously():
    world = _decided()
    response = Client().get(_page(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The ablations <strong>convincingly</strong> isolate sparsity" in page  # Markdown
    assert page.count("isolate sparsity as the cause") == 3
    assert META_TEXT in page
    assert "Reviewer 1" in page and "Reviewer 3" in page
    assert "Decision: Accept" in page and "Featured" in page
    assert "Claims are supported." in page  # the venue publishes recommendations
    assert AUTHOR_NAME in page  # a published paper names its authors
    for name in _identities(world):
        assert name not in page
    assert set(REVIEWER_NAMES[:3]).isdisjoint(page.split())


def test_public_reviews_in_the_api_without_a_token():
    world = _decided()
    response = client_for(None).get(f"/api/v1/submissions/{world.submission.pk}/reviews/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "isolate sparsity as the cause" in text
    assert META_TEXT in text
    rounds = response.json()
    assert [r["label"] for r in rounds[0]["reviews"]] == ["Reviewer 1", "Reviewer 2", "Reviewer 3"]
    assert all(not r["own"] for r in rounds[0]["reviews"])
    for name in _identities(world):
        assert name not in text


def test_public_reviews_hidden_when_the_venue_publishes_none():
    world = _decided(policy=ReviewPublication.NONE)
    page = Client().get(_page(world)).content.decode()
    assert world.submission.title in page
    assert "isolate sparsity" not in page and META_TEXT not in page
    response = client_for(None).get(f"/api/v1/submissions/{world.submission.pk}/reviews/")
    assert response.status_code in {401, 403}
    assert "isolate sparsity" not in response.content.decode()


@pytest.mark.parametrize("opted_in", [False, True])
def test_rejected_paper_public_only_when_authors_opt_in(opted_in):
    world = _decided(policy=ReviewPublication.ACCEPTED_AND_OPTED_IN, outcome=DecisionOutcome.REJECT)
    submission = world.submission
    assert submission.state == S.REJECTED
    submission.reviews_public_if_rejected = opted_in
    submission.save(update_fields=["reviews_public_if_rejected"])
    response = Client().get(_page(world))
    if not opted_in:
        assert response.status_code == 404
        assert "isolate sparsity" not in response.content.decode()
        return
    page = response.content.decode()
    assert "Rejected; published with its reviews" in page
    assert "isolate sparsity as the cause" in page and "Decision: Reject" in page
    for name in _identities(world):
        assert name not in page


def test_public_comment_posted_by_a_reader_and_hidden_by_an_editor(client):
    world = _decided()
    reader = UserFactory(display_name="Rosa Reader")
    client.force_login(reader)
    response = client.post(
        reverse("reviews:public-comment", args=[world.submission.pk]),
        {"body": "Does the result hold for $n > 10^6$?"},
    )
    assert response.status_code == 302
    comment = Comment.objects.get(audience=CommentAudience.PUBLIC)
    page = Client().get(_page(world)).content.decode()
    assert "Rosa Reader" in page and 'class="math"' in page and "Does the result hold" in page
    # a reader may not moderate: refused, nothing changed
    refused = client.post(
        reverse("reviews:comment-hide", args=[world.submission.pk, comment.pk]),
        {"reason": "Off topic"},
    )
    assert refused.status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is None
    comment_hide(comment=comment, actor=world.editor, reason="Off topic for this paper.")
    page = Client().get(_page(world)).content.decode()
    assert "Hidden by the editors: Off topic for this paper." in page
    assert "Does the result hold" not in page
    assert AuditEvent.objects.filter(action="comment.hidden", actor=world.editor).exists()


def test_public_comments_need_a_public_paper_and_a_signed_in_reader():
    world = make_world(review_publication=ReviewPublication.ACCEPTED)
    reader = UserFactory()
    with pytest.raises(Exception, match="no public discussion"):
        public_comment_post(submission=world.submission, author=reader, body="Hello")
    assert not Comment.objects.exists()
    published = _decided()
    response = client_for(None).post(
        f"/api/v1/submissions/{published.submission.pk}/public-comments/",
        {"body": "Anonymous?"},
        format="json",
    )
    assert response.status_code in {401, 403}
    assert not Comment.objects.exists()
    posted = client_for(reader).post(
        f"/api/v1/submissions/{published.submission.pk}/public-comments/",
        {"body": "A fine paper."},
        format="json",
    )
    assert posted.status_code == 201
    listed = (
        client_for(None)
        .get(f"/api/v1/submissions/{published.submission.pk}/public-comments/")
        .json()
    )
    assert [c["body"] for c in listed] == ["A fine paper."]


def test_authors_opt_in_through_the_api_and_the_form(client):
    world = make_world(review_publication=ReviewPublication.ACCEPTED_AND_OPTED_IN)
    api = client_for(world.author)
    response = api.post(
        "/api/v1/submissions/",
        {
            "venue": world.venue.slug,
            "title": "Opting in",
            "abstract": "A.",
            "hypothesis_claim": "H.",
            "reviews_public_if_rejected": True,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["reviews_public_if_rejected"] is True
    client.force_login(world.author)
    page = client.get(reverse("journal:submit", kwargs={"slug": world.venue.slug}))
    assert "If the paper is rejected, publish it with its reviews" in page.content.decode()
    other = make_world(review_publication=ReviewPublication.ACCEPTED)
    client.force_login(other.author)
    page = client.get(reverse("journal:submit", kwargs={"slug": other.venue.slug}))
    assert "If the paper is rejected, publish it" not in page.content.decode()
