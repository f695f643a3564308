"""Meta-reviews: written by the area chair, shown to authors only once the venue releases them."""

import pytest
from django.urls import reverse

from journal.enums import Anonymity, SubmissionState, VenueKind
from journal.models import AuditEvent, OutboundEmail
from reviews.models import MetaReview
from reviews.services.assessments import meta_review_save
from reviews.services.meta_reviews import meta_reviews_release
from reviews.services.rounds import round_current, round_release
from tests.api.support import client_for
from tests.factories import PASSWORD
from tests.reviews.workflow.world import invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db

META_TEXT = "The reviewers agree the hypothesis is tested with care; the baselines are thin."


@pytest.fixture
def world():
    world = make_world(kind=VenueKind.CONFERENCE, anonymity=Anonymity.DOUBLE_BLIND)
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    review_round = round_current(submission=world.submission)
    round_release(review_round=review_round, actor=world.chief)
    meta_review_save(
        review_round=review_round,
        editor=world.editor,
        text=META_TEXT,
        recommendation="accept",
    )
    return world


def page_of(client, user, world):
    client.login(email=user.email, password=PASSWORD)
    return client.get(reverse("reviews:submission-reviews", args=[world.submission.pk]))


def api_meta(user, world):
    return client_for(user).get(f"/api/v1/submissions/{world.submission.pk}/meta-review/")


def test_authors_do_not_see_the_meta_review_before_release(client, world):
    page = page_of(client, world.author, world)
    assert page.status_code == 200
    assert META_TEXT not in page.content.decode()
    answer = api_meta(world.author, world)
    assert answer.status_code == 404
    assert "no meta-review" in answer.json()["detail"]
    rounds = client_for(world.author).get(f"/api/v1/submissions/{world.submission.pk}/reviews/")
    assert all(r["meta_review"] is None for r in rounds.json())


def test_authors_read_it_after_release_signed_by_role_without_names(client, world):
    with_mail = OutboundEmail.objects.count()
    assert meta_reviews_release(venue=world.venue, actor=world.chief) == 1

    page = page_of(client, world.author, world).content.decode()
    assert META_TEXT in page
    assert "Meta-review by the Area chair" in page
    assert world.editor.display_name not in page
    for reviewer in world.reviewers:
        assert reviewer.display_name not in page
    # The recommendation waits for the decision.
    assert "Accept" not in page.split("Meta-review by the Area chair")[1].split("</h3>")[0]

    answer = api_meta(world.author, world)
    assert answer.status_code == 200
    body = answer.json()
    assert body["text"] == META_TEXT
    assert body["signed_by"] == "Area chair"
    assert body["recommendation"] == ""
    assert body["released"] is True
    assert world.editor.display_name not in str(body)
    rounds = client_for(world.author).get(f"/api/v1/submissions/{world.submission.pk}/reviews/")
    assert rounds.json()[0]["meta_review"]["text"] == META_TEXT
    assert "Edgar" not in str(rounds.json())

    sent = OutboundEmail.objects.filter(subject__contains="meta-review").order_by("pk")
    assert sent.count() == 2 and OutboundEmail.objects.count() == with_mail + 2
    assert {e.to for e in sent} == {a.email for a in world.submission.authors.all()}


def test_release_is_idempotent_and_audited(world):
    assert meta_reviews_release(venue=world.venue, actor=world.chief) == 1
    released_at = MetaReview.objects.get().released_at
    assert meta_reviews_release(venue=world.venue, actor=world.chief) == 0
    assert MetaReview.objects.get().released_at == released_at
    assert AuditEvent.objects.filter(action="meta_review.release").count() == 1


def test_the_recommendation_reaches_authors_with_the_decision(world):
    meta_reviews_release(venue=world.venue, actor=world.chief)
    world.submission.state = SubmissionState.ACCEPTED
    world.submission.save(update_fields=["state"])
    body = api_meta(world.author, world).json()
    assert body["recommendation"] == "accept"


def test_the_area_chair_and_reviewers(world):
    body = api_meta(world.editor, world).json()
    assert body["text"] == META_TEXT and body["recommendation"] == "accept"
    assert body["released"] is False
    # Reviewers read it once released, like the authors.
    assert api_meta(world.reviewers[0], world).status_code == 404
    meta_reviews_release(venue=world.venue, actor=world.chief)
    assert api_meta(world.reviewers[0], world).json()["text"] == META_TEXT


def test_only_the_area_chair_writes_it(world):
    url = f"/api/v1/submissions/{world.submission.pk}/meta-review/"
    refused = client_for(world.author).put(
        url, {"text": "Accept my paper.", "recommendation": "accept"}, format="json"
    )
    assert refused.status_code == 403
    assert MetaReview.objects.get().text == META_TEXT
    written = client_for(world.editor).put(
        url, {"text": "Revised: accept.", "recommendation": "leaning_accept"}, format="json"
    )
    assert written.status_code == 200, written.content
    assert MetaReview.objects.get().text == "Revised: accept."


def test_journal_meta_reviews_reach_authors_with_the_decision(client):
    world = make_world(kind=VenueKind.JOURNAL)
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    review_round = round_current(submission=world.submission)
    meta_review_save(
        review_round=review_round, editor=world.editor, text=META_TEXT, recommendation="accept"
    )
    assert api_meta(world.author, world).status_code == 404
    world.submission.state = SubmissionState.ACCEPTED
    world.submission.save(update_fields=["state"])
    body = api_meta(world.author, world).json()
    assert body["text"] == META_TEXT and body["signed_by"] == "Action editor"
