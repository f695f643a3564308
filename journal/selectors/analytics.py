"""Read the numbers behind the analytics page and the calibrated scores (see
`journal.analytics.stats` for the models). Everything is scoped like the dashboard."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, FloatField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncMonth

from journal.analytics.stats import (
    calibrated_mean,
    criterion_influence,
    leniency_offsets,
    quantile,
)
from journal.enums import SubmissionState
from journal.models import Submission, User
from journal.selectors.dashboard import Scope, scoped_submissions
from journal.selectors.scores import ANSWERS, review_overall
from reviews.enums import (
    FlagOutcome,
    FlagState,
    InvitationState,
    Recommendation,
    ReviewRating,
    ReviewState,
)
from reviews.models import (
    Review,
    ReviewerRecommendation,
    ReviewFlag,
    ReviewFormField,
    ReviewInvitation,
)
from reviews.selectors.scoring import overall_score

S = SubmissionState
RECOMMENDATION_VALUE = {
    Recommendation.REJECT: 1,
    Recommendation.LEANING_REJECT: 2,
    Recommendation.LEANING_ACCEPT: 3,
    Recommendation.ACCEPT: 4,
}


def analytics_submissions_per_month(*, scope: Scope) -> list[tuple[str, int]]:
    """Return (YYYY-MM, papers submitted that month), oldest first."""
    rows = (
        scoped_submissions(scope=scope)
        .exclude(submitted_at=None)
        .annotate(month=TruncMonth("submitted_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return [(row["month"].strftime("%Y-%m"), row["n"]) for row in rows]


@dataclass(frozen=True)
class KeywordRate:
    keyword: str
    accepted: int
    decided: int

    @property
    def rate(self) -> float:
        return self.accepted / self.decided if self.decided else 0.0


def analytics_acceptance_by_keyword(*, scope: Scope, limit: int = 15) -> list[KeywordRate]:
    """Return the acceptance rate of decided papers per keyword, most decided first."""
    accepted: dict[str, int] = defaultdict(int)
    decided: dict[str, int] = defaultdict(int)
    rows = (
        scoped_submissions(scope=scope)
        .filter(state__in=S.WAS_ACCEPTED | S.WAS_REJECTED)
        .values_list("keywords", "state")
    )
    for keywords, state in rows.iterator(chunk_size=5000):
        for keyword in set(keywords or ()):
            decided[keyword] += 1
            accepted[keyword] += state in S.WAS_ACCEPTED
    top = sorted(decided, key=lambda k: (-decided[k], k))[:limit]
    return [KeywordRate(k, accepted[k], decided[k]) for k in top]


@dataclass
class Turnaround:
    days: list[float]

    @property
    def median(self) -> float | None:
        return quantile(self.days, 0.5)

    @property
    def p90(self) -> float | None:
        return quantile(self.days, 0.9)


def analytics_review_turnaround(*, scope: Scope) -> Turnaround:
    """Return the days from invitation to first submitted review, per review."""
    rows = (
        Review.objects.filter(
            submission__in=scoped_submissions(scope=scope),
            state=ReviewState.SUBMITTED,
            submitted_at__isnull=False,
        )
        .annotate(taken=F("submitted_at") - F("invitation__created_at"))
        .values_list("taken", flat=True)
    )
    return Turnaround([taken.total_seconds() / 86400 for taken in rows.iterator(5000)])


@dataclass
class Criterion:
    key: str
    label: str
    scale: list
    counts: dict = field(default_factory=dict)


@dataclass
class ScoreAnalytics:
    criteria: list[Criterion]
    influence: list | None
    influence_rows: int
    most_lenient: list[tuple[User, float]]
    harshest: list[tuple[User, float]]
    review_count: int


def _score_fields(form_ids) -> dict[int, list[ReviewFormField]]:
    fields: dict[int, list[ReviewFormField]] = defaultdict(list)
    for form_field in ReviewFormField.objects.filter(form_id__in=set(form_ids)).order_by(
        "order", "pk"
    ):
        if form_field.is_score:
            fields[form_field.form_id].append(form_field)
    return fields


def analytics_scores(*, scope: Scope, named: int = 10) -> ScoreAnalytics:
    """Return score distributions per criterion, criterion influence and leniency offsets.

    Scores and overall scores are read out of the answers by the database (one query per
    review form in use), so no review's text is loaded.
    """
    reviews = Review.objects.filter(
        submission__in=scoped_submissions(scope=scope), state=ReviewState.SUBMITTED
    )
    form_ids = list(reviews.order_by().values_list("form_id", flat=True).distinct())
    fields = _score_fields(form_ids)
    criteria: dict[str, Criterion] = {}
    for form_fields in fields.values():
        for f in form_fields:
            criteria.setdefault(f.key, Criterion(f.key, f.label, f.option_values()))
    recommendations = {
        (round_id, reviewer_id): RECOMMENDATION_VALUE.get(value)
        for round_id, reviewer_id, value in ReviewerRecommendation.objects.filter(
            round__submission__in=scoped_submissions(scope=scope)
        ).values_list("round_id", "reviewer_id", "recommendation")
    }
    influence_keys = [k for k in criteria if _counts(fields, k)]
    influence_rows = []
    triples = []
    count = 0
    for form_id in form_ids:
        form_fields = fields.get(form_id, [])
        columns = {f"s{i}": _score_of(f) for i, f in enumerate(form_fields)}
        rows = (
            reviews.filter(form_id=form_id)
            .annotate(overall_on_form=review_overall(form_fields), **columns)
            .values_list(
                "round_id", "reviewer_id", "submission_id", "overall_on_form", *columns
            )
        )
        keys = [f.key for f in form_fields]
        for round_id, reviewer_id, submission_id, overall, *values in rows.iterator(5000):
            count += 1
            if overall is not None:
                triples.append((reviewer_id, submission_id, overall))
            target = recommendations.get((round_id, reviewer_id))
            if target is not None:
                influence_rows.append((dict(zip(keys, values, strict=True)), target))
        for f in form_fields:
            counted = (
                reviews.filter(form_id=form_id)
                .annotate(value=_score_of(f))
                .exclude(value=None)
                .values_list("value")
                .annotate(n=Count("pk"))
                .order_by()
            )
            criterion = criteria[f.key]
            for value, n in counted:
                criterion.counts[value] = criterion.counts.get(value, 0) + n
    offsets = leniency_offsets(triples)
    ranked = sorted(offsets.items(), key=lambda item: item[1])
    harsh = [(r, o) for r, o in ranked[:named] if o < 0]
    lenient = [(r, o) for r, o in ranked[::-1][:named] if o > 0]
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in=[r for r, _ in harsh + lenient]).only(
            "display_name", "email"
        )
    }
    return ScoreAnalytics(
        criteria=list(criteria.values()),
        influence=criterion_influence(keys=influence_keys, rows=influence_rows),
        influence_rows=len(influence_rows),
        most_lenient=[(people[r], o) for r, o in lenient],
        harshest=[(people[r], o) for r, o in harsh],
        review_count=count,
    )


def _score_of(form_field: ReviewFormField):
    return Cast(KeyTextTransform(form_field.key, ANSWERS), FloatField())


def _counts(fields: dict[int, list[ReviewFormField]], key: str) -> bool:
    return any(f.key == key and f.counts_in_overall for fs in fields.values() for f in fs)


@dataclass(frozen=True)
class ReviewerRecord:
    reviewer: User
    active: int
    submitted: int
    late: int
    declined: int
    ratings: dict
    upheld_flags: int = 0  # reviews the paper's editor found judged only by the numbers

    @property
    def late_share(self) -> float:
        return self.late / self.submitted if self.submitted else 0.0


def analytics_reviewers(*, scope: Scope, limit: int = 50) -> tuple[list[int], list[ReviewerRecord]]:
    """Return every reviewer's current load, and the least reliable reviewers first."""
    papers = scoped_submissions(scope=scope)
    invitations = (
        ReviewInvitation.objects.filter(submission__in=papers)
        .values("reviewer_id")
        .annotate(
            active=Count(
                "pk",
                filter=Q(state__in=InvitationState.ACTIVE)
                & ~Q(review__state=ReviewState.SUBMITTED),
            ),
            declined=Count("pk", filter=Q(state=InvitationState.DECLINED)),
            submitted=Count("pk", filter=Q(review__state=ReviewState.SUBMITTED)),
            late=Count("pk", filter=Q(review__state=ReviewState.SUBMITTED, review__is_late=True)),
            exceeds=Count("pk", filter=Q(review__rating=ReviewRating.EXCEEDS)),
            meets=Count("pk", filter=Q(review__rating=ReviewRating.MEETS)),
            below=Count("pk", filter=Q(review__rating=ReviewRating.BELOW)),
        )
        .order_by()
    )
    rows = list(invitations)
    upheld = dict(
        ReviewFlag.objects.filter(
            review__submission__in=papers,
            state=FlagState.RESOLVED,
            outcome=FlagOutcome.UPHELD,
        )
        .values("review__reviewer_id")
        .annotate(n=Count("review", distinct=True))
        .order_by()
        .values_list("review__reviewer_id", "n")
    )
    loads = [row["active"] for row in rows]
    # Least reliable first: late reviews, then reviews that fell short (a rating below
    # expectations or an upheld "judges only the numbers" flag).
    worst = sorted(
        rows,
        key=lambda r: (
            -(r["late"] / r["submitted"] if r["submitted"] else 0),
            -(r["below"] + upheld.get(r["reviewer_id"], 0)),
        ),
    )[:limit]
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in=[r["reviewer_id"] for r in worst]).only(
            "display_name", "email"
        )
    }
    records = [
        ReviewerRecord(
            reviewer=people[r["reviewer_id"]],
            active=r["active"],
            submitted=r["submitted"],
            late=r["late"],
            declined=r["declined"],
            ratings={"exceeds": r["exceeds"], "meets": r["meets"], "below": r["below"]},
            upheld_flags=upheld.get(r["reviewer_id"], 0),
        )
        for r in worst
    ]
    return loads, records


@dataclass(frozen=True)
class PaperCalibration:
    raw: float | None
    calibrated: float | None
    offsets: dict[int, float]


def paper_calibration(*, submission: Submission) -> PaperCalibration:
    """Return the paper's mean overall score, raw and corrected for reviewer leniency.

    Only the reviews that the offsets of this paper's reviewers depend on are read: every
    submitted review of those reviewers at the venue, and the other reviews of those papers.
    """
    submitted = Review.objects.filter(
        submission__venue_id=submission.venue_id, state=ReviewState.SUBMITTED
    )
    reviewers = list(submitted.filter(submission=submission).values_list("reviewer_id", flat=True))
    if not reviewers:
        return PaperCalibration(None, None, {})
    papers = submitted.filter(reviewer_id__in=reviewers).values("submission_id")
    rows = list(
        submitted.filter(submission_id__in=papers).values_list(
            "reviewer_id", "submission_id", "form_id", "submitted_answers"
        )
    )
    fields = _score_fields(r[2] for r in rows)
    triples = []
    for reviewer_id, submission_id, form_id, answers in rows:
        overall = overall_score(fields=fields.get(form_id, []), answers=answers)
        if overall is not None:
            triples.append((reviewer_id, submission_id, overall))
    offsets = leniency_offsets(triples)
    own = [(r, score) for r, p, score in triples if p == submission.pk]
    raw = calibrated_mean(own, {})
    return PaperCalibration(raw, calibrated_mean(own, offsets), {r: offsets[r] for r, _ in own})
