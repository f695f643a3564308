"""Scores: the one place that computes overall scores, criterion means and their spread.

Each score field that counts (not independent, weight above zero) is normalised to [0, 1]
over its scale; a review's overall score is the weighted mean of the fields it answered.
Independent fields (confidence) are summarised on their own and never enter the overall.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reviews.models import ReviewFormField


def normalised(*, form_field: ReviewFormField, value: Any) -> float | None:
    """Return `value` placed on [0, 1] over the field's scale, or None if not a score."""
    values = [v for v in form_field.option_values() if isinstance(v, int | float)]
    if not values or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    low, high = min(values), max(values)
    if high == low:
        return 1.0
    return (value - low) / (high - low)


def overall_score(*, fields: Iterable[ReviewFormField], answers: dict[str, Any]) -> float | None:
    """Return the weighted overall score of one review on [0, 1], or None without scores."""
    total = weights = 0.0
    for form_field in fields:
        if not form_field.counts_in_overall:
            continue
        value = normalised(form_field=form_field, value=answers.get(form_field.key))
        if value is None:
            continue
        total += form_field.weight * value
        weights += form_field.weight
    return total / weights if weights else None


def weight_shares(*, fields: Iterable[ReviewFormField]) -> dict[str, float]:
    """Return each counting field's share of the overall score (shares sum to 1)."""
    counting = [f for f in fields if f.counts_in_overall]
    total = sum(f.weight for f in counting)
    return {f.key: f.weight / total for f in counting} if total else {}


@dataclass(frozen=True)
class Spread:
    """How a set of numbers is spread: n, mean, min, max and population std."""

    n: int
    mean: float | None
    low: float | None
    high: float | None
    std: float | None

    @classmethod
    def of(cls, numbers: list[float]) -> "Spread":
        if not numbers:
            return cls(0, None, None, None, None)
        return cls(
            len(numbers),
            statistics.fmean(numbers),
            min(numbers),
            max(numbers),
            statistics.pstdev(numbers),
        )


@dataclass(frozen=True)
class CriterionSummary:
    key: str
    label: str
    independent: bool
    weight: float
    share: float
    scale_min: float
    scale_max: float
    spread: Spread


@dataclass(frozen=True)
class ReviewScore:
    review_id: int
    overall: float | None
    scores: dict[str, Any]


@dataclass(frozen=True)
class ScoreSummary:
    """What editors see: each review's overall, each criterion's mean and spread."""

    criteria: list[CriterionSummary] = field(default_factory=list)
    reviews: list[ReviewScore] = field(default_factory=list)
    overall: Spread = field(default_factory=lambda: Spread.of([]))

    @property
    def has_scores(self) -> bool:
        return bool(self.criteria)


def score_summary(
    *, fields: list[ReviewFormField], reviews: Iterable[tuple[int, dict[str, Any]]]
) -> ScoreSummary:
    """Summarise the submitted answers `reviews` (pairs of review id and answers)."""
    score_fields = [f for f in fields if f.is_score]
    shares = weight_shares(fields=fields)
    rows = [
        ReviewScore(
            review_id=review_id,
            overall=overall_score(fields=score_fields, answers=answers),
            scores={f.key: answers.get(f.key) for f in score_fields},
        )
        for review_id, answers in reviews
    ]
    criteria = []
    for form_field in score_fields:
        values = [
            r.scores[form_field.key]
            for r in rows
            if isinstance(r.scores[form_field.key], int | float)
        ]
        scale = [v for v in form_field.option_values() if isinstance(v, int | float)]
        criteria.append(
            CriterionSummary(
                key=form_field.key,
                label=form_field.label,
                independent=form_field.independent,
                weight=form_field.weight,
                share=shares.get(form_field.key, 0.0),
                scale_min=min(scale),
                scale_max=max(scale),
                spread=Spread.of(values),
            )
        )
    overall = Spread.of([r.overall for r in rows if r.overall is not None])
    return ScoreSummary(criteria=criteria, reviews=rows, overall=overall)
