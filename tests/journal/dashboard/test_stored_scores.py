"""The stored paper score (`Submission.score_mean`) always equals the score's SQL expression."""

import pytest

from journal.enums import SubmissionState
from journal.models import Submission
from journal.selectors.dashboard import reviews_submitted, submissions_table
from journal.selectors.scores import confidence_key, paper_score, with_paper_score
from journal.services.scores import scores_refresh_all
from journal.services.venues import venue_update
from reviews.models import Review
from reviews.services.forms import review_form_latest
from reviews.services.reviews import review_submit
from reviews.services.rounds import round_open
from tests.factories import review_answers
from tests.journal.dashboard.conftest import add_review

S = SubmissionState


def _stored_and_computed(paper) -> tuple[float | None, float | None]:
    row = (
        Submission.objects.filter(pk=paper.pk)
        .annotate(computed=paper_score(venue=paper.venue))
        .values_list("score_mean", "computed")
        .get()
    )
    return row


def test_stored_score_follows_each_submitted_and_edited_review(world):
    paper = world.paper(S.UNDER_REVIEW, title="Scored")
    assert _stored_and_computed(paper) == (None, None)
    add_review(world, paper, submit=False)  # still pending: the reviews stay unreleased
    first = add_review(world, paper, score=1)
    stored, computed = _stored_and_computed(paper)
    assert stored == pytest.approx(computed) and stored is not None
    review = Review.objects.get(invitation=first)
    review_submit(review=review, actor=review.reviewer, raw=review_answers(review, 4))
    edited = _stored_and_computed(paper)
    assert edited[0] == pytest.approx(edited[1]) and edited[0] > stored
    add_review(world, paper, score=1)
    two = _stored_and_computed(paper)
    assert two[0] == pytest.approx(two[1]) and two[0] < edited[0]


def test_venue_changing_its_form_rescores_every_paper(world):
    paper = world.paper(S.UNDER_REVIEW, title="Scored")
    add_review(world, paper, score=3)
    before = _stored_and_computed(paper)[0]
    other = review_form_latest(slug="neurips-style")
    venue_update(venue=world.venue, actor=world.chief, review_form=other)
    paper.venue.refresh_from_db()
    stored, computed = _stored_and_computed(paper)
    # The review answered the old form's questions; the new form shares none of its scores.
    assert before is not None
    assert stored == computed


def test_tables_sort_on_the_column_not_a_subquery(world):
    rows = with_paper_score(Submission.objects.filter(venue=world.venue), venue=world.venue)
    sql = str(rows.order_by("-score").query)
    assert "reviews_review" not in sql and "score_mean" in sql


def test_each_review_stores_its_overall_score_and_the_nightly_pass_repairs_drift(world):
    from reviews.models import ReviewFormField
    from reviews.selectors.scoring import overall_score

    paper = world.paper(S.UNDER_REVIEW, title="Scored")
    invitation = add_review(world, paper, score=2)
    review = Review.objects.get(invitation=invitation)
    fields = list(ReviewFormField.objects.filter(form_id=review.form_id))
    assert review.overall == pytest.approx(
        overall_score(fields=fields, answers=review.submitted_answers)
    )
    Review.objects.update(overall=None)
    Submission.objects.update(score_mean=None)
    assert scores_refresh_all() >= 1
    review.refresh_from_db()
    paper.refresh_from_db()
    assert review.overall is not None and paper.score_mean == pytest.approx(review.overall)


def test_stored_confidence_is_the_answer_to_the_forms_confidence_question(world):
    paper = world.paper(S.UNDER_REVIEW, title="Scored")
    invitation = add_review(world, paper, score=3)
    review = Review.objects.get(invitation=invitation)
    key = confidence_key(list(review.form.fields.all()))
    assert key is not None
    assert review.confidence == float(review.submitted_answers[key])
    answers = review_answers(review, 2)
    review_submit(review=review, actor=review.reviewer, raw=answers)
    review.refresh_from_db()
    assert review.confidence == float(review.submitted_answers[key])


def _reviews_in(paper) -> tuple[int, int]:
    """The stored count of reviews in and the count from the reviews themselves."""
    return (
        Submission.objects.filter(pk=paper.pk)
        .annotate(counted=reviews_submitted())
        .values_list("reviews_in", "counted")
        .get()
    )


def test_reviews_in_counts_the_current_round_as_reviews_arrive_and_rounds_open(world):
    paper = world.paper(S.UNDER_REVIEW, title="Counted")
    assert _reviews_in(paper) == (0, 0)
    add_review(world, paper, submit=False)  # a draft is not in
    add_review(world, paper, score=2)
    add_review(world, paper, score=3)
    assert _reviews_in(paper) == (2, 2)
    round_open(submission=paper, actor=world.chief)  # a revision's round starts from none
    assert _reviews_in(paper) == (0, 0)
    Submission.objects.filter(pk=paper.pk).update(reviews_in=7)
    scores_refresh_all()  # the nightly pass repairs drift
    assert _reviews_in(paper) == (0, 0)


def test_the_reviews_in_sort_reads_the_column(world):
    rows = submissions_table(Submission.objects.filter(venue=world.venue))
    sql = str(rows.order_by("-n_reviews").query)
    assert '"journal_submission"."reviews_in" AS "n_reviews"' in sql
    assert '"reviews_reviewround"' not in sql.split('AS "n_reviewers"', 1)[1]


def test_the_stored_spread_is_the_highest_minus_the_lowest_overall(world):
    paper = world.paper(S.UNDER_REVIEW, title="Spread")
    add_review(world, paper, score=1)
    paper.refresh_from_db()
    assert paper.score_spread == 0
    add_review(world, paper, score=4)
    paper.refresh_from_db()
    overall = list(
        Review.objects.filter(submission=paper, state="submitted").values_list("overall", flat=True)
    )
    assert paper.score_spread == pytest.approx(max(overall) - min(overall))
    assert paper.score_spread > 0
