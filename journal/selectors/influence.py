"""Feed "does this venue reward ideas or numbers?" (`journal.analytics.influence`) from the
database: the papers of a dashboard scope that have a submitted review, with their criterion
means, meta-review, outcome and benchmark claims. A fixed number of queries, whatever the
number of papers, reviews or forms."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models.fields.json import KeyTextTransform

from journal.analytics.influence import ClaimFacts, PaperFacts, VenueInfluence, venue_influence
from journal.enums import SubmissionState
from journal.models import BenchmarkClaim
from journal.selectors.analytics import RECOMMENDATION_VALUE
from journal.selectors.dashboard import Scope, scoped_submissions
from reviews.enums import CriterionAspect, ReviewState
from reviews.models import MetaReview, Review, ReviewerRecommendation, ReviewFormField

S = SubmissionState


@dataclass(frozen=True)
class InfluenceReport:
    result: VenueInfluence
    labels: dict[str, str]  # criterion key -> label
    aspects: dict[str, str]  # criterion key -> CriterionAspect
    papers: int  # reviewed papers in the scope

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def rows(self) -> list["InfluenceRow"]:
        """Return one row per criterion with its three coefficients (None without a fit)."""

        def of(fit) -> dict[str, float]:
            return {i.key: i.coefficient for i in fit.influence or []}

        rec, meta, outcome = (
            of(self.result.on_recommendation),
            of(self.result.on_meta_review),
            of(self.result.on_outcome),
        )
        return [
            InfluenceRow(
                key=key,
                label=self.label(key),
                aspect=CriterionAspect(self.aspects[key]).label,
                on_recommendation=rec.get(key),
                on_meta_review=meta.get(key),
                on_outcome=outcome.get(key),
            )
            for key in self.result.keys
        ]


@dataclass(frozen=True)
class InfluenceRow:
    key: str
    label: str
    aspect: str
    on_recommendation: float | None
    on_meta_review: float | None
    on_outcome: float | None


def _number(raw) -> float | None:
    try:
        return float(raw)
    except (TypeError, ValueError):
        return None


def venue_influence_report(*, scope: Scope) -> InfluenceReport:
    """Return the "ideas or numbers" figures of the papers `scope` covers (six queries)."""
    papers = scoped_submissions(scope=scope)
    reviews = Review.objects.filter(submission__in=papers, state=ReviewState.SUBMITTED)
    fields = list(
        ReviewFormField.objects.filter(
            form_id__in=reviews.order_by().values("form_id"), kind="score"
        ).order_by("order", "pk")
    )
    scored: dict[int, set[str]] = defaultdict(set)  # form -> keys of its scores
    labels: dict[str, str] = {}
    aspects: dict[str, str] = {}
    keys: list[str] = []
    for f in fields:
        scored[f.form_id].add(f.key)
        if f.counts_in_overall and f.key not in labels:
            keys.append(f.key)
            labels[f.key], aspects[f.key] = f.label, f.aspect
    ideas = {k for k, a in aspects.items() if a == CriterionAspect.IDEAS}

    columns = {f"c{i}": KeyTextTransform(key, "submitted_answers") for i, key in enumerate(keys)}
    rows = reviews.annotate(**columns).values_list(
        "submission_id", "round_id", "reviewer_id", "form_id", *columns
    )
    recommendations = {
        (round_id, reviewer_id): RECOMMENDATION_VALUE.get(value)
        for round_id, reviewer_id, value in ReviewerRecommendation.objects.filter(
            round__submission__in=papers
        ).values_list("round_id", "reviewer_id", "recommendation")
    }
    review_rows: list[tuple[dict[str, float], float]] = []
    sums: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for submission_id, round_id, reviewer_id, form_id, *raw in rows.iterator(5000):
        paper = sums[submission_id]  # a reviewed paper, with scores or without
        scores = {
            key: value
            for key, value in zip(keys, map(_number, raw), strict=True)
            if value is not None and key in scored[form_id]
        }
        for key, value in scores.items():
            paper[key].append(value)
        target = recommendations.get((round_id, reviewer_id))
        if target is not None:
            review_rows.append((scores, float(target)))

    meta: dict[int, tuple[int, float]] = {}
    for submission_id, number, value in MetaReview.objects.filter(
        round__submission__in=papers
    ).values_list("round__submission_id", "round__number", "recommendation"):
        if submission_id not in meta or number > meta[submission_id][0]:
            meta[submission_id] = (number, float(RECOMMENDATION_VALUE[value]))
    claims: dict[int, list[ClaimFacts]] = defaultdict(list)
    for submission_id, *facts in BenchmarkClaim.objects.filter(
        submission__in=papers
    ).values_list("submission_id", "value", "best_prior_value", "higher_is_better", "spread"):
        claims[submission_id].append(ClaimFacts(*facts))
    states = dict(papers.filter(pk__in=list(sums)).values_list("pk", "state"))

    facts = []
    for submission_id, per_key in sums.items():
        means = {k: sum(v) / len(v) for k, v in per_key.items()}
        idea_scores = [means[k] for k in ideas if k in means]
        state = states.get(submission_id)
        facts.append(
            PaperFacts(
                criteria=means,
                ideas_score=sum(idea_scores) / len(idea_scores) if idea_scores else None,
                meta_recommendation=meta.get(submission_id, (0, None))[1],
                accepted=(
                    True if state in S.WAS_ACCEPTED else False if state == S.REJECTED else None
                ),
                claims=claims.get(submission_id, []),
            )
        )
    result = venue_influence(keys=keys, reviews=review_rows, papers=facts)
    return InfluenceReport(result=result, labels=labels, aspects=aspects, papers=len(facts))


CAVEAT = (
    "Descriptive, not causal: these figures describe how this venue's reviewers and editors "
    "scored and decided; they do not show that a criterion caused a decision."
)


@dataclass(frozen=True)
class VenueReport:
    submitted: int  # papers submitted in the scope (drafts left out)
    influence: InfluenceReport

    @property
    def result(self) -> VenueInfluence:
        return self.influence.result


def venue_report(*, scope: Scope) -> VenueReport:
    """Return the end-of-cycle report of the papers `scope` covers (seven queries)."""
    return VenueReport(
        submitted=scoped_submissions(scope=scope).count(),
        influence=venue_influence_report(scope=scope),
    )


def _rate_rows(section: str, bins) -> list[tuple[str, str, str, float | int | None]]:
    rows = []
    for b in bins:
        rows += [
            (section, b.label, "accepted", b.accepted),
            (section, b.label, "decided", b.decided),
            (section, b.label, "acceptance rate", b.rate),
        ]
    return rows


def venue_report_rows(*, report: VenueReport) -> list[tuple[str, str, str, float | int | None]]:
    """Return the report as (section, item, measure, value) rows: the CSV download."""
    r = report.result
    c = r.ideas_vs_numbers
    rows: list[tuple[str, str, str, float | int | None]] = [
        ("counts", "papers", "submitted", report.submitted),
        ("counts", "papers", "reviewed", report.influence.papers),
        ("counts", "papers", "decided", r.decided),
        ("counts", "papers", "accepted", r.accepted),
    ]
    for row in report.influence.rows():
        rows += [
            ("influence", row.label, "on the recommendation", row.on_recommendation),
            ("influence", row.label, "on the meta-review", row.on_meta_review),
            ("influence", row.label, "on the decision", row.on_outcome),
        ]
    rows += _rate_rows("claimed gain", r.gain_bins)
    rows += _rate_rows("noise", r.noise)
    rows += _rate_rows("gain over spread", r.ratio_bins)
    compared = [c.high_ideas_modest_gain, c.modest_ideas_high_gain]
    rows += _rate_rows("ideas against numbers", compared)
    rows += [
        ("ideas against numbers", "ideas score", "median", c.ideas_median),
        ("ideas against numbers", "relative gain (%)", "median", c.gain_median),
    ]
    return rows
