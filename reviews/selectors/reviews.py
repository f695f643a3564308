"""Read reviews for a viewer: only what they may see, with names as they may see them."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from journal.enums import Anonymity, SubmissionState
from journal.models import Submission
from reviews.enums import FieldKind, FieldVisibility, ReviewState
from reviews.models import (
    MetaReview,
    Review,
    ReviewerRecommendation,
    ReviewFlag,
    ReviewFormField,
    ReviewRound,
)
from reviews.selectors.anonymity import Namer, namer_for, public_namer
from reviews.selectors.scoring import ScoreSummary, overall_score, score_summary


@dataclass(frozen=True)
class MetaReviewShown:
    """A meta-review with the parts a viewer may read: its recommendation only where the
    rules allow (for authors: with the decision), signed by role, by name only at open
    venues or for the paper's editors."""

    meta: MetaReview
    text: str
    recommendation: str
    recommendation_label: str
    signed_by: str
    released: bool

    @property
    def updated_at(self):
        return self.meta.updated_at

    def get_recommendation_display(self) -> str:
        return self.recommendation_label


def meta_review_shown(
    *, meta: MetaReview | None, viewer, submission: Submission, public: bool = False
) -> MetaReviewShown | None:
    """Return what `viewer` reads of a meta-review (None when nothing). With `public`, the
    paper's public forum (the caller checked `reviews.read_public_reviews`)."""
    if meta is None:
        return None
    meta.round.submission = submission
    if not public and not viewer.has_perm("reviews.read_meta_review", meta):
        return None
    full = public or viewer.has_perm("reviews.read_meta_review_recommendation", meta)
    venue = submission.venue
    role = venue.role_label("action_editor", title=True)
    named = not public and viewer.has_perm("reviews.view_reviewer_identity", submission)
    if named or venue.anonymity == Anonymity.OPEN:
        signed = f"{role} {meta.editor.display_name or meta.editor.email}"
    else:
        signed = role
    return MetaReviewShown(
        meta=meta,
        text=meta.text,
        recommendation=meta.recommendation if full else "",
        recommendation_label=meta.get_recommendation_display() if full else "",
        signed_by=signed,
        released=meta.released_at is not None,
    )


def visible_fields(
    *,
    fields: list[ReviewFormField],
    capacity: str | None,
    own: bool,
    decided: bool,
    chief: bool = False,
) -> list[ReviewFormField]:
    """Return the fields of a review that a viewer in `capacity` may read (`chief`: a chair
    of the venue, who alone reads the answers kept for the chairs)."""
    if own or (capacity == "editor" and chief):
        return fields
    if capacity == "editor":
        return [f for f in fields if f.visibility != FieldVisibility.CHAIRS]
    allowed = {FieldVisibility.AUTHORS}
    if capacity == "public":
        allowed.add(FieldVisibility.AFTER_DECISION)
    elif capacity == "reviewer":
        allowed |= {FieldVisibility.REVIEWERS, FieldVisibility.AFTER_DECISION}
    elif decided:
        allowed.add(FieldVisibility.AFTER_DECISION)
    return [f for f in fields if f.visibility in allowed]


@dataclass(frozen=True)
class Answer:
    field: ReviewFormField
    value: Any

    @property
    def display(self) -> str:
        if self.field.kind == FieldKind.YES_NO:
            return "Yes" if self.value else "No"
        if self.field.kind == FieldKind.MULTIPLE_CHOICE:
            return ", ".join(self.field.option_label(v) for v in self.value)
        if self.field.kind == FieldKind.TEXT:
            return str(self.value)
        return self.field.option_label(self.value)

    @property
    def is_text(self) -> bool:
        return self.field.kind == FieldKind.TEXT


@dataclass
class ReviewView:
    review: Review
    label: str
    answers: list[Answer]
    overall: float | None = None
    flags: list[ReviewFlag] = field(default_factory=list)
    own: bool = False


@dataclass
class RoundView:
    round: ReviewRound
    reviews: list[ReviewView]
    released: bool
    scores: ScoreSummary | None = None
    recommendations: list[tuple[str, ReviewerRecommendation]] = field(default_factory=list)
    meta_review: MetaReviewShown | None = None


def submission_reviews(*, submission: Submission, viewer, public: bool = False) -> list[RoundView]:
    """Return the rounds of `submission` with the reviews `viewer` may read, newest first.

    Editors also get the score summary, ratings, flags, recommendations and meta-review;
    authors only released rounds; other reviewers what the rules allow once they have
    submitted their own. With `public`, the paper's public forum (the caller checked
    `reviews.read_public_reviews`): every submitted review with the fields its readers may
    see, the meta-review, and the recommendations where the venue publishes them, named as
    a reader who takes no part in the paper sees them, whoever asks.
    """
    from journal.rules import is_venue_chief
    from reviews.rules import capacity_on

    if public:
        capacity = "public"
        namer = public_namer(submission=submission)
    else:
        capacity = capacity_on(viewer, submission)
        namer = namer_for(viewer=viewer, submission=submission)
    decided = submission.state in SubmissionState.DECISION_OUT
    chief = capacity == "editor" and is_venue_chief(viewer, submission)
    rounds = (
        submission.review_rounds.select_related("form")
        .prefetch_related(
            Prefetch("form__fields", queryset=ReviewFormField.objects.order_by("order", "pk")),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("invitation", "reviewer", "round")
                .prefetch_related("flags")
                .order_by("invitation__reviewer_number", "pk"),
            ),
            Prefetch("recommendations", queryset=ReviewerRecommendation.objects.order_by("pk")),
        )
        .order_by("-number")
    )
    meta = {
        m.round_id: m
        for m in MetaReview.objects.filter(round__submission=submission).select_related(
            "editor", "round"
        )
    }
    views = []
    for review_round in rounds:
        released = review_round.is_released()
        fields = list(review_round.form.fields.all())
        own_submitted = not public and any(
            r.reviewer_id == getattr(viewer, "pk", None) and r.state == ReviewState.SUBMITTED
            for r in review_round.reviews.all()
        )
        items = []
        for review in review_round.reviews.all():
            own = not public and review.reviewer_id == getattr(viewer, "pk", None)
            if not _may_read(capacity, own, review, released, own_submitted):
                continue
            answers = review.answers if own else review.submitted_answers
            shown = visible_fields(
                fields=fields, capacity=capacity, own=own, decided=decided, chief=chief
            )
            items.append(
                ReviewView(
                    review=review,
                    label=namer.reviewer(review.reviewer),
                    answers=[Answer(f, answers[f.key]) for f in shown if f.key in answers],
                    overall=(
                        overall_score(fields=fields, answers=review.submitted_answers)
                        if capacity == "editor"
                        else None
                    ),
                    flags=list(review.flags.all()) if capacity == "editor" else [],
                    own=own,
                )
            )
        meta_view = meta_review_shown(
            meta=meta.get(review_round.pk), viewer=viewer, submission=submission, public=public
        )
        if capacity == "author" and not released and meta_view is None:
            continue
        view = RoundView(
            round=review_round, reviews=items, released=released, meta_review=meta_view
        )
        if capacity == "public" and submission.venue.publish_recommendations:
            view.recommendations = _recommendations(review_round, namer)
        if capacity == "editor":
            submitted = [r for r in review_round.reviews.all() if r.is_submitted]
            view.scores = score_summary(
                fields=fields, reviews=[(r.pk, r.submitted_answers) for r in submitted]
            )
            view.recommendations = _recommendations(review_round, namer)
        views.append(view)
    return views


def _may_read(capacity, own: bool, review: Review, released: bool, own_submitted: bool) -> bool:
    if own:
        return True
    if review.state != ReviewState.SUBMITTED:
        return False
    if capacity in {"editor", "public"}:
        return True
    if capacity == "reviewer":
        return released or own_submitted
    return capacity == "author" and released


def _recommendations(review_round: ReviewRound, namer: Namer):
    aliases_by_id = {r.reviewer_id: r.reviewer for r in review_round.reviews.all()}
    rows = []
    for rec in review_round.recommendations.all():
        reviewer = aliases_by_id.get(rec.reviewer_id)
        rows.append((namer.reviewer(reviewer) if reviewer else "Reviewer", rec))
    return rows
