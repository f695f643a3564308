"""The weighted overall score as a database expression, for filtering and sorting tables.

It is the same number as `reviews.selectors.scoring.overall_score` (a test holds them
equal): each counting score field (not independent, weight above zero) of the venue's
review form is placed on [0, 1] over its scale, and a review's overall score is the
weighted mean of the fields it answered. A paper's score is the mean overall score of its
submitted reviews; a review written on another form with other questions counts only
through the questions it shares with the venue's form.
"""

from functools import reduce
from operator import add

from django.db.models import (
    Avg,
    Case,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, NullIf

from journal.models import Submission, Venue
from reviews.enums import ReviewState
from reviews.models import Review, ReviewFormField
from reviews.selectors.forms import review_form_fields_for_venue

ANSWERS = "submitted_answers"


def _scale(form_field: ReviewFormField) -> tuple[float, float] | None:
    values = [
        v
        for v in form_field.option_values()
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    return (float(min(values)), float(max(values))) if values else None


def review_overall(fields: list[ReviewFormField]):
    """Return the expression of a review's overall score on [0, 1] (NULL without scores)."""
    numerators, weights = [], []
    for form_field in fields:
        scale = form_field.counts_in_overall and _scale(form_field)
        if not scale:
            continue
        low, high = scale
        raw = Cast(KeyTextTransform(form_field.key, ANSWERS), FloatField())
        placed = (raw - Value(low)) / Value(high - low) if high > low else Value(1.0)
        weight = Value(float(form_field.weight))
        numerators.append(Coalesce(placed * weight, Value(0.0)))
        weights.append(
            Case(
                When(Q(**{f"{ANSWERS}__{form_field.key}__isnull": False}), then=weight),
                default=Value(0.0),
            )
        )
    if not numerators:
        return Cast(Value(None), FloatField())  # typed: AVG(NULL) alone has no type
    return reduce(add, numerators) / NullIf(reduce(add, weights), Value(0.0))


def confidence_key(fields: list[ReviewFormField]) -> str | None:
    """Return the key of the form's confidence: its independent score named "confidence",
    else its first independent score; None when the form asks for none."""
    independent = [f for f in fields if f.is_score and f.independent]
    named = [f for f in independent if f.key == "confidence"]
    chosen = (named or independent)[:1]
    return chosen[0].key if chosen else None


def review_confidence(fields: list[ReviewFormField]):
    """Return the expression of a review's stated confidence (NULL when not asked)."""
    key = confidence_key(fields)
    if key is None:
        return Cast(Value(None), FloatField())
    return Cast(KeyTextTransform(key, ANSWERS), FloatField())


def paper_score(*, venue: Venue):
    """Return the expression of a paper's mean overall score over its submitted reviews."""
    fields = review_form_fields_for_venue(venue=venue)
    reviews = (
        Review.objects.filter(submission_id=OuterRef("pk"), state=ReviewState.SUBMITTED)
        .order_by()
        .values("submission_id")
        .annotate(mean=Avg(review_overall(fields), output_field=FloatField()))
        .values("mean")
    )
    return Subquery(reviews[:1], output_field=FloatField())


def with_paper_score(qs: QuerySet[Submission], *, venue: Venue) -> QuerySet[Submission]:
    """Annotate `score`: the stored `score_mean` (an indexed column the tables sort on),
    kept equal to `paper_score` by `journal.services.scores.paper_scores_refresh`."""
    return qs.annotate(score=F("score_mean"))


def submissions_score_between(
    qs: QuerySet[Submission], *, low: float | None, high: float | None
) -> QuerySet[Submission]:
    """Filter a queryset annotated by `with_paper_score` to scores within [low, high]."""
    if low is not None:
        qs = qs.filter(score__gte=low)
    if high is not None:
        qs = qs.filter(score__lte=high)
    return qs
