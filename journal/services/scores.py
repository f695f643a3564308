"""Keep the scores as data: each submitted review's overall score (`Review.overall`) and
stated confidence (`Review.confidence`), each paper's mean over its submitted reviews
(`Submission.score_mean`) and their spread (`Submission.score_spread`), and how many
reviews of its current round are in (`Submission.reviews_in`).

Two UPDATEs with the score's SQL expression (`journal.selectors.scores.review_overall`): for
one paper when a review of it is submitted or edited or a round of it opens, for a whole
venue when the scoring of its review form changes. Tables then sort and filter on stored,
indexed numbers.
"""

from collections.abc import Iterable

from django.db.models import Avg, FloatField, Max, Min, OuterRef, Subquery

from journal.models import Submission, Venue
from journal.selectors.dashboard import reviews_submitted
from journal.selectors.scores import review_confidence, review_overall
from reviews.enums import ReviewState
from reviews.models import Review, ReviewFormField
from reviews.services.forms import review_form_for_venue


def paper_scores_refresh(*, venue: Venue, submission_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored scores of `venue`'s papers (all, or `submission_ids`) and of
    their submitted reviews, and the papers' count of reviews in; return how many papers
    were updated."""
    papers = Submission.objects.filter(venue=venue)
    reviews = Review.objects.filter(submission__venue=venue, state=ReviewState.SUBMITTED)
    if submission_ids is not None:
        ids = list(submission_ids)
        papers, reviews = papers.filter(pk__in=ids), reviews.filter(submission_id__in=ids)
    fields = list(ReviewFormField.objects.filter(form=review_form_for_venue(venue=venue)))
    reviews.update(overall=review_overall(fields), confidence=review_confidence(fields))
    return papers.update(
        score_mean=_per_paper(Avg("overall")),
        score_spread=_per_paper(Max("overall") - Min("overall")),
        reviews_in=reviews_submitted(),
    )


def _per_paper(aggregate) -> Subquery:
    """`aggregate` over each paper's submitted reviews, as a correlated subquery."""
    rows = (
        Review.objects.filter(submission_id=OuterRef("pk"), state=ReviewState.SUBMITTED)
        .order_by()
        .values("submission_id")
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(rows[:1], output_field=FloatField())


def scores_refresh_all() -> int:
    """Recompute every venue's stored scores (the nightly pass; also fills them in after an
    upgrade). Return how many papers were updated."""
    return sum(paper_scores_refresh(venue=venue) for venue in Venue.objects.all())
