"""Submitting a review with several problems names all of them at once: in the service, on
the review page (listed at the top with links, and beside each field, with every answer kept)
and in the API (one 400 with every field's error). Nothing of the attempt is kept."""

import pytest
from django.urls import reverse

from journal.errors import FieldErrors
from reviews.enums import ReviewState
from reviews.models import ClaimAssessment, Review, ReviewVersion
from reviews.services.reviews import review_save_draft, review_submit
from tests.api.support import client_for
from tests.reviews.workflow.world import balanced_answers, invite_all, make_world

pytestmark = pytest.mark.django_db

CLAIM_MESSAGE = "Assess the claim “SCAN · accuracy” before submitting"


def _review(world) -> Review:
    invite_all(world)
    return Review.objects.get(submission=world.submission, reviewer=world.reviewers[0])


def _unchanged(review: Review) -> None:
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT and review.submitted_at is None
    assert not ReviewVersion.objects.filter(review=review).exists()
    assert not ClaimAssessment.objects.filter(review=review).exists()


def test_the_service_names_every_missing_and_invalid_answer_in_form_order():
    world = make_world()
    review = _review(world)
    review_save_draft(review=review, actor=world.reviewers[0], raw={"summary": "Kept draft"})
    raw = balanced_answers(
        originality="", clarity="11", weaknesses="", recommendation="", summary="word " * 401
    )
    with pytest.raises(FieldErrors) as exc:
        review_submit(review=review, actor=world.reviewers[0], raw=raw)
    errors = exc.value.errors
    assert list(errors) == [
        "summary",
        "originality",
        "clarity",
        "weaknesses",
        "recommendation",
        "claim_assessments",
    ]
    assert errors["originality"] == ["Answer “Originality”."]
    assert errors["summary"] == ["“Summary” has 401 words; the limit is 400."]
    assert errors["clarity"] == ["Choose from the options of “Clarity”."]
    assert errors["claim_assessments"][0].startswith(CLAIM_MESSAGE)
    assert exc.value.message == (
        "The review has 6 problems; each is listed below and beside its field."
    )
    _unchanged(review)
    assert Review.objects.get(pk=review.pk).answers == {"summary": "Kept draft"}


def test_a_single_problem_reads_as_itself():
    world = make_world()
    review = _review(world)
    from tests.factories import claims_assessed

    with pytest.raises(FieldErrors) as exc:
        review_submit(
            review=review,
            actor=world.reviewers[0],
            raw=balanced_answers(originality=""),
            claims=claims_assessed(review),
        )
    assert exc.value.message == "Answer “Originality”."
    assert exc.value.field == "originality"


def test_the_review_page_lists_every_problem_and_keeps_what_was_typed(client):
    world = make_world()
    review = _review(world)
    client.force_login(world.reviewers[0])
    posted = balanced_answers(originality="", weaknesses="", recommendation="")
    posted["summary"] = "A summary I typed and want to keep."
    posted["submit"] = "1"
    response = client.post(reverse("reviews:review-edit", args=[review.pk]), posted)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The review has 4 problems; each is listed below and beside its field." in html
    for anchor, message in [
        ("field-originality", "Answer “Originality”."),
        ("field-weaknesses", "Answer “Weaknesses”."),
        ("field-recommendation", "Answer “Recommendation”."),
    ]:
        assert f'<li><a href="#{anchor}">{message}</a></li>' in html
        key = anchor.removeprefix("field-")
        assert f'<ul class="errorlist" id="id_{key}_error"><li>{message}</li></ul>' in html
    assert '<li><a href="#claim-assessments">' + CLAIM_MESSAGE in html
    # every answer typed is still there
    assert "A summary I typed and want to keep.</textarea>" in html
    hypothesis = html.split('id="field-hypothesis"')[1].split("</fieldset>")[0]
    assert 'value="5" id="id_hypothesis_4" checked' in hypothesis
    _unchanged(review)


def test_the_api_answers_every_field_error_in_one_400():
    world = make_world()
    review = _review(world)
    client = client_for(world.reviewers[0])
    answers = balanced_answers(originality="", strengths="", confidence="9")
    response = client.post(
        f"/api/v1/reviews/{review.pk}/submit/", {"answers": answers}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {
        "originality": ["Answer “Originality”."],
        "confidence": ["Choose from the options of “Confidence”."],
        "strengths": ["Answer “Strengths”."],
        "claim_assessments": [body["errors"]["claim_assessments"][0]],
    }
    assert body["errors"]["claim_assessments"][0].startswith(CLAIM_MESSAGE)
    assert body["detail"] == "The review has 4 problems; each is listed below and beside its field."
    _unchanged(review)
