"""Reviewers assess each benchmark claim and the hypothesis; who reads the verdicts, and when.

The world's paper has two claims: SCAN accuracy 0.91 against 0.90, and COGS accuracy (runs and
spread given, the gain within noise).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.errors import DomainError
from journal.models import BenchmarkClaim
from reviews.enums import ReviewState
from reviews.models import ClaimAssessment, HypothesisAssessment, Review
from reviews.services.claim_assessments import ClaimAssessmentInput, HypothesisInput
from reviews.services.reviews import review_save_draft, review_submit
from reviews.services.rounds import round_release
from tests.api.support import client_for
from tests.factories import claims_assessed, claims_posted
from tests.reviews.workflow.world import (
    REVIEWER_NAMES,
    balanced_answers,
    invite_all,
    make_world,
    submit_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world(n_reviewers=2)
    BenchmarkClaim.objects.create(
        submission=world.submission,
        order=1,
        dataset="COGS",
        metric="exact match",
        value=0.82,
        best_prior_value=0.81,
        runs=5,
        spread=0.02,
        code_url="https://code.example.org/cogs",
    )
    invite_all(world)
    return world


def review_of(world, n=0) -> Review:
    return Review.objects.get(submission=world.submission, reviewer=world.reviewers[n])


def claims(world):
    return list(world.submission.benchmark_claims.order_by("order"))


def dashboard_url(world) -> str:
    return reverse(
        "journal:dashboard-paper",
        kwargs={"slug": world.venue.slug, "number": world.submission.number},
    )


def api_url(world, review) -> str:
    return f"/api/v1/submissions/{world.submission.pk}/reviews/{review.pk}/claim-assessments/"


# Writing, through the service and the page


def test_submitting_needs_every_claim_assessed_and_names_the_missing_one(world):
    review = review_of(world)
    scan, _cogs = claims(world)
    partial = [ClaimAssessmentInput(claim_id=scan.pk, verdict="supported")]
    with pytest.raises(DomainError, match="Assess the claim “COGS · exact match”"):
        review_submit(
            review=review, actor=world.reviewers[0], raw=balanced_answers(), claims=partial
        )
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT and not review.versions.exists()
    assert not ClaimAssessment.objects.exists()


def test_a_draft_keeps_verdicts_so_far_and_a_later_submit_counts_them(world):
    review = review_of(world)
    scan, cogs = claims(world)
    review_save_draft(
        review=review,
        actor=world.reviewers[0],
        raw={},
        claims=[ClaimAssessmentInput(claim_id=scan.pk, verdict="partly", reason="One seed.")],
    )
    review_submit(
        review=review,
        actor=world.reviewers[0],
        raw=balanced_answers(),
        claims=[ClaimAssessmentInput(claim_id=cogs.pk, verdict="cannot_tell")],
        hypothesis=HypothesisInput(stated_clearly="yes", falsifiable="partly", tested="no"),
    )
    assert dict(review.claim_assessments.values_list("claim__dataset", "verdict")) == {
        "SCAN": "partly",
        "COGS": "cannot_tell",
    }
    assert review.hypothesis_assessment.tested == "no"


def test_a_claim_of_another_paper_or_an_unknown_verdict_is_refused(world):
    review = review_of(world)
    with pytest.raises(DomainError, match="not a claim of this paper"):
        review_save_draft(
            review=review,
            actor=world.reviewers[0],
            raw={},
            claims=[ClaimAssessmentInput(claim_id=10**9, verdict="supported")],
        )
    with pytest.raises(DomainError, match="choose supported, partly supported"):
        review_save_draft(
            review=review,
            actor=world.reviewers[0],
            raw={},
            claims=[ClaimAssessmentInput(claim_id=claims(world)[0].pk, verdict="great")],
        )
    assert not ClaimAssessment.objects.exists()


def test_review_page_shows_the_claims_open_and_takes_the_verdicts(client, world):
    review = review_of(world)
    client.force_login(world.reviewers[0])
    url = reverse("reviews:review-edit", args=[review.pk])
    page = client.get(url).content.decode()
    table = page.split('id="claims-title"', 1)[1].split("</section>", 1)[0]
    assert "COGS" in table and "0.82 ± 0.02" in table and "(5 runs)" in table
    assert "within noise" in table and "https://code.example.org/cogs" in table
    assert "Your verdict on each claim" in page and "Is it falsifiable?" in page
    scan, cogs = claims(world)
    missing = client.post(
        url,
        {**balanced_answers(), f"claim-{scan.pk}-verdict": "supported", "submit": "1"},
    )
    assert missing.status_code == 400
    assert "Assess the claim “COGS · exact match” before submitting" in missing.content.decode()
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT
    ok = client.post(
        url,
        {
            **balanced_answers(),
            **claims_posted(world.submission),
            f"claim-{cogs.pk}-verdict": "partly",
            f"claim-{cogs.pk}-reason": "Inside one standard deviation.",
            "hypothesis-stated_clearly": "yes",
            "hypothesis-falsifiable": "yes",
            "hypothesis-tested": "partly",
            "hypothesis-note": "Only one architecture.",
            "submit": "1",
        },
    )
    assert ok.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    stored = review.claim_assessments.get(claim=cogs)
    assert (stored.verdict, stored.reason) == ("partly", "Inside one standard deviation.")
    assert HypothesisAssessment.objects.get(review=review).note == "Only one architecture."
    again = client.get(url).content.decode()
    assert 'value="partly" checked' in again and "Inside one standard deviation." in again


# Reading: editors, other reviewers, authors


def _submitted_with_reasons(world, n=0):
    review = review_of(world, n)
    scan, cogs = claims(world)
    review_submit(
        review=review,
        actor=world.reviewers[n],
        raw=balanced_answers(),
        claims=[
            ClaimAssessmentInput(claim_id=scan.pk, verdict="supported", reason="Clear margin."),
            ClaimAssessmentInput(claim_id=cogs.pk, verdict="not_supported", reason="Noise."),
        ],
        hypothesis=HypothesisInput(stated_clearly="yes", falsifiable="yes", tested="partly"),
    )
    return review


def test_editor_sees_the_verdicts_beside_the_claims(client, world):
    _submitted_with_reasons(world)
    client.force_login(world.editor)
    page = client.get(dashboard_url(world)).content.decode()
    shown = page.split("Reviewers' verdicts on the claims", 1)[1].split("</section>", 1)[0]
    assert "COGS · exact match" in shown and "Not supported" in shown and "Noise." in shown
    assert "Supported" in shown and "Clear margin." in shown
    assert "Tested by the experiments?" in shown and "Partly" in shown
    assert REVIEWER_NAMES[0] in shown  # editors know who reviewed


def test_authors_read_verdicts_only_after_release_and_never_the_reviewer(client, world):
    review = _submitted_with_reasons(world)
    url = reverse("reviews:submission-reviews", args=[world.submission.pk])
    client.force_login(world.author)
    api = client_for(world.author)
    assert api.get(api_url(world, review)).status_code == 404
    submit_review(world, world.reviewers[1])
    round_release(review_round=review.round, actor=world.editor)
    page = client.get(url).content.decode()
    shown = page.split("Reviewers' verdicts on the claims", 1)[1].split("</section>", 1)[0]
    assert "Not supported" in shown and "Noise." in shown and "Reviewer 1" in shown
    assert REVIEWER_NAMES[0] not in page
    body = api.get(api_url(world, review)).json()
    assert body["reviewer"] == "Reviewer 1"
    assert {c["dataset"]: c["verdict"] for c in body["claims"]} == {
        "SCAN": "supported",
        "COGS": "not_supported",
    }


def test_other_reviewer_reads_verdicts_once_they_submitted_their_own(world):
    review = _submitted_with_reasons(world)
    other = client_for(world.reviewers[1])
    assert other.get(api_url(world, review)).status_code == 404
    review_submit(
        review=review_of(world, 1),
        actor=world.reviewers[1],
        raw=balanced_answers(),
        claims=claims_assessed(review_of(world, 1)),
    )
    assert other.get(api_url(world, review)).json()["claims"][1]["reason"] == "Noise."


# The API


def test_reviewer_puts_verdicts_and_reads_them_back(world):
    review = review_of(world)
    _scan, cogs = claims(world)
    api = client_for(world.reviewers[0])
    response = api.put(
        api_url(world, review),
        {
            "claims": [{"claim": cogs.pk, "verdict": "partly", "reason": "Within noise."}],
            "hypothesis": {"stated_clearly": "yes", "falsifiable": "no"},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(c["dataset"], c["verdict"]) for c in body["claims"]] == [
        ("SCAN", ""),
        ("COGS", "partly"),
    ]
    assert body["hypothesis"]["falsifiable"] == "no"
    assert api.get(api_url(world, review)).json() == body


@pytest.mark.parametrize(
    ("payload", "where", "message"),
    [
        ({"claims": [{"claim": 1, "verdict": "great"}]}, "claims.0.verdict", "not a valid"),
        ({"claims": [{"claim": 10**9, "verdict": "partly"}]}, "claim_assessments", "not a claim"),
        ({"claims": [], "hypothesis": {"tested": "maybe"}}, "hypothesis.tested", "not a valid"),
    ],
)
def test_bad_verdicts_are_400s_that_change_nothing(world, payload, where, message):
    review = review_of(world)
    response = client_for(world.reviewers[0]).put(api_url(world, review), payload, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert message in " ".join(errors.get(where, [])) + response.json()["detail"]
    assert not ClaimAssessment.objects.exists() and not HypothesisAssessment.objects.exists()


def test_only_the_reviewer_writes_and_a_submitted_review_keeps_its_verdicts(world):
    review = _submitted_with_reasons(world)
    scan, _ = claims(world)
    editor = client_for(world.editor)
    refused = editor.put(
        api_url(world, review), {"claims": [{"claim": scan.pk, "verdict": "partly"}]}, format="json"
    )
    assert refused.status_code == 403
    assert "Only the review's author" in refused.json()["detail"]
    taken_back = client_for(world.reviewers[0]).put(
        api_url(world, review), {"claims": [{"claim": scan.pk, "verdict": ""}]}, format="json"
    )
    assert taken_back.status_code == 400
    assert "Assess the claim “SCAN · accuracy”" in taken_back.json()["detail"]
    assert review.claim_assessments.get(claim=scan).verdict == "supported"


def test_verdicts_freeze_once_the_reviews_are_released(world):
    review = _submitted_with_reasons(world)
    submit_review(world, world.reviewers[1])
    round_release(review_round=review.round, actor=world.editor)
    scan, _ = claims(world)
    response = client_for(world.reviewers[0]).put(
        api_url(world, review), {"claims": [{"claim": scan.pk, "verdict": "partly"}]}, format="json"
    )
    assert response.status_code == 403
    assert review.claim_assessments.get(claim=scan).verdict == "supported"


def test_api_submit_takes_the_verdicts_with_the_answers(world):
    review = review_of(world)
    scan, cogs = claims(world)
    api = client_for(world.reviewers[0])
    url = f"/api/v1/reviews/{review.pk}/submit/"
    missing = api.post(url, {"answers": balanced_answers()}, format="json")
    assert missing.status_code == 400
    assessments = missing.json()["errors"]["claim_assessments"]
    assert "Assess the claim “SCAN · accuracy”" in assessments[0]
    assert "Assess the claim “COGS · exact match”" in assessments[1]
    ok = api.post(
        url,
        {
            "answers": balanced_answers(),
            "claim_assessments": [
                {"claim": scan.pk, "verdict": "supported"},
                {"claim": cogs.pk, "verdict": "cannot_tell"},
            ],
        },
        format="json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["state"] == "submitted"


def test_reviews_page_queries_do_not_grow_with_the_assessed_reviews(client, world):
    url = reverse("reviews:submission-reviews", args=[world.submission.pk])
    client.force_login(world.editor)
    _submitted_with_reasons(world, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _submitted_with_reasons(world, 1)
    with CaptureQueriesContext(connection) as two:
        page = client.get(url).content.decode()
    assert page.count("Clear margin.") == 2
    assert len(two) == len(one), [q["sql"][:120] for q in two.captured_queries]
