"""What the demo's reviewers write: answers to any review form, texts that fit the paper,
recommendations, meta-review kinds, decisions and verdicts on the claims, all drawn from a
paper's quality (and the seeder's random stream, so the demo is the same on every run)."""

import json
import random
from typing import Any

from journal.demo.corpus import SEEDS_DIR
from journal.enums import DecisionOutcome, SubmissionState
from journal.models import Submission, Venue
from reviews.enums import FieldKind
from reviews.models import Review, ReviewFormField
from reviews.services.claim_assessments import ClaimAssessmentInput, HypothesisInput

S = SubmissionState


def review_texts() -> dict[str, Any]:
    """Return the review text templates of `seeds/reviews.json`."""
    return json.loads((SEEDS_DIR / "reviews.json").read_text(encoding="utf-8"))


class ReviewWriter:
    """Answers and texts for one seeding run; a text is not given twice to the same paper."""

    def __init__(self, texts: dict[str, Any]) -> None:
        self.texts = texts
        self.fields: dict[int, list[ReviewFormField]] = {}
        self.used: set[str] = set()  # texts already given to the current paper

    def new_paper(self) -> None:
        """Start on another paper: every text may be used again."""
        self.used = set()

    def form_fields(self, review: Review) -> list[ReviewFormField]:
        if review.form_id not in self.fields:
            self.fields[review.form_id] = list(review.form.fields.order_by("order", "pk"))
        return self.fields[review.form_id]

    def answers(self, review: Review, submission, quality: float, rng) -> dict[str, Any]:
        """Return answers to the review's form that fit the paper and the reviewer's view."""
        tone = "positive" if quality >= 0.6 else "mixed" if quality >= 0.4 else "negative"
        answers: dict[str, Any] = {}
        for field in self.form_fields(review):
            values = field.option_values()
            if field.kind == FieldKind.TEXT:
                answers[field.key] = self._text(field, tone, submission, rng)
            elif field.kind == FieldKind.SCORE and field.key == "confidence":
                answers[field.key] = rng.choice(values[1:] or values)
            elif field.kind == FieldKind.SCORE:
                position = clamp(quality + rng.gauss(0, 0.08))
                answers[field.key] = values[round(position * (len(values) - 1))]
            elif field.kind == FieldKind.YES_NO:
                answers[field.key] = quality >= (0.3 if "audience" in field.key else 0.5)
            elif field.kind == FieldKind.SINGLE_CHOICE:
                wanted = recommendation_of(quality)
                answers[field.key] = wanted if wanted in values else rng.choice(values)
            elif field.kind == FieldKind.MULTIPLE_CHOICE and values:
                answers[field.key] = [values[0]]
        return answers

    def _text(self, field: ReviewFormField, tone: str, submission, rng) -> str:
        texts = self.texts
        if field.key == "strengths_weaknesses":
            parts = [self._pick(texts["strengths"][tone], rng)]
            parts.append(self._pick(texts["weaknesses"][tone], rng))
            text = "Strengths: " + parts[0] + "\n\nWeaknesses: " + parts[1]
        elif field.key in {"strengths", "weaknesses", "requested_changes"}:
            text = self._pick(texts[field.key][tone], rng)
        elif field.key in {"questions", "broader_impact", "confidential"}:
            text = rng.choice(texts[field.key])
        else:
            text = self._pick(texts["summary"], rng)
        return self.fill(text, submission)

    def _pick(self, options: list[str], rng: random.Random) -> str:
        """Choose a text not yet used on the current paper when there is one."""
        fresh = [text for text in options if text not in self.used] or options
        text = rng.choice(fresh)
        self.used.add(text)
        return text

    def fill(self, template: str, submission: Submission) -> str:
        claim = submission.benchmark_claims.order_by("order").first()
        hypothesis = submission.hypothesis_claim.strip().rstrip(".") or "the method helps"
        slots = {
            "keyword": submission.keywords[0] if submission.keywords else "this area",
            "dataset": claim.dataset if claim else "the main benchmark",
            "metric": claim.metric if claim else "the main metric",
            "claim": hypothesis
            if hypothesis[1:2].isupper()
            else hypothesis[:1].lower() + hypothesis[1:],
        }
        return template.format(**slots)


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def recommendation_of(quality: float) -> str:
    if quality >= 0.68:
        return "accept"
    if quality >= 0.5:
        return "leaning_accept"
    if quality >= 0.35:
        return "leaning_reject"
    return "reject"


def kind_of(state: str, quality: float) -> str:
    if state in S.WAS_ACCEPTED:
        return "accept"
    if state == S.REJECTED:
        return "reject"
    if state == S.REVISION_REQUESTED:
        return "revision"
    return "accept" if quality >= 0.55 else "reject"


def outcome_of(venue: Venue, state: str, rng: random.Random) -> str | None:
    if state == S.REJECTED:
        return DecisionOutcome.REJECT
    if state == S.REVISION_REQUESTED:
        return None if venue.is_conference else DecisionOutcome.MINOR_REVISION
    if not venue.is_conference:
        return DecisionOutcome.ACCEPT
    return rng.choices(
        [DecisionOutcome.ORAL, DecisionOutcome.SPOTLIGHT, DecisionOutcome.POSTER], [1, 2, 5]
    )[0]


_REASONS = {
    "supported": "The runs and the baseline back the number.",
    "partly": "The gain is small next to the spread across runs.",
    "not_supported": "The baseline is not comparable (different budget).",
    "cannot_tell": "No best prior value to compare with.",
}


def assessments_of(submission, quality: float):
    """Return a reviewer's verdicts on the paper's claims, drawn from its quality (no randomness,
    so the rest of the demo stays as it was)."""
    claims = []
    for claim in submission.benchmark_claims.all():
        if claim.best_prior_value is None:
            verdict = "cannot_tell"
        elif claim.within_noise or 0.35 <= quality < 0.6:
            verdict = "partly"
        else:
            verdict = "supported" if quality >= 0.6 else "not_supported"
        claims.append(
            ClaimAssessmentInput(claim_id=claim.pk, verdict=verdict, reason=_REASONS[verdict])
        )
    answer = "yes" if quality >= 0.6 else "partly" if quality >= 0.35 else "no"
    hypothesis = HypothesisInput(stated_clearly="yes", falsifiable="yes", tested=answer)
    return claims, hypothesis
