"""The SQL of the chairs' decision table: the per-paper numbers as common table expressions.

`table_ctes` gives, for the papers of a venue (or some of them), the reviews' mean overall
score, its leniency-corrected form, spread and confidence, the rounds' completeness, the
recommendations, flags, anonymity findings, claimed gains and recorded decisions; `JOINS`
and `COLUMNS` put them beside each paper. `journal.selectors.decision_table` filters, sorts
and pages them.
"""

from django.db import connection
from django.db.models import QuerySet

from journal.enums import DecisionStatus, SubmissionState
from journal.models import BenchmarkClaim, Decision, Submission, SubmissionVersion, Venue
from reviews.enums import FlagState, InvitationState, Recommendation, ReviewState
from reviews.models import (
    MetaReview,
    Review,
    ReviewerRecommendation,
    ReviewFlag,
    ReviewInvitation,
    ReviewRound,
)

S = SubmissionState
#: Pseudo-reviews that shrink a reviewer's leniency toward 0 (`journal.analytics.stats`).
SHRINKAGE = 2.0
#: Recommendations as numbers, for means and sorting (reject 1 .. accept 4).
RECOMMENDATION_VALUE = {
    Recommendation.REJECT: 1,
    Recommendation.LEANING_REJECT: 2,
    Recommendation.LEANING_ACCEPT: 3,
    Recommendation.ACCEPT: 4,
}


def table_name(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def submitted_reviews_sql(venue: Venue, ids: list[int] | None = None) -> tuple[str, list]:
    """Return the SQL of the venue's submitted reviews with their stored overall score and
    confidence (`journal.services.scores`), read from one covering index.

    With `ids`, only what those papers' numbers need: every review of every paper that one
    of their reviewers reviewed (a reviewer's leniency is measured over all their reviews,
    against each of those papers' means).
    """
    qs = Review.objects.filter(submission__venue_id=venue.pk, state=ReviewState.SUBMITTED)
    if ids is not None:
        reviewers = Review.objects.filter(
            submission_id__in=ids, state=ReviewState.SUBMITTED
        ).values("reviewer_id")
        papers = Review.objects.filter(
            reviewer_id__in=reviewers, state=ReviewState.SUBMITTED
        ).values("submission_id")
        qs = qs.filter(submission_id__in=papers)
    qs = qs.order_by().values("submission_id", "reviewer_id", "round_id", "overall", "confidence")
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def queryset_sql(qs: QuerySet[Submission]) -> tuple[str, list]:
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    return sql, list(params)


def json_length(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"jsonb_array_length({column})"
    return f"json_array_length({column})"


def table_ctes(venue: Venue, ids: list[int] | None = None) -> tuple[str, list]:
    """Return the WITH clause computing every per-paper number of the venue (of the papers
    `ids` only, when given: the same numbers, from a fraction of the rows)."""
    reviews_sql, params = submitted_reviews_sql(venue, ids)
    only = f" AND id IN ({', '.join(['%s'] * len(ids))})" if ids else ""
    sub, rnd = table_name(Submission), table_name(ReviewRound)
    rev, inv = table_name(Review), table_name(ReviewInvitation)
    rec, meta = table_name(ReviewerRecommendation), table_name(MetaReview)
    flag, claim = table_name(ReviewFlag), table_name(BenchmarkClaim)
    version, decision = table_name(SubmissionVersion), table_name(Decision)
    rec_value = " ".join(
        f"WHEN '{slug}' THEN {value}" for slug, value in RECOMMENDATION_VALUE.items()
    )
    rec_counts = ", ".join(
        f"SUM(CASE WHEN x.recommendation = '{r.value}' THEN 1 ELSE 0 END) AS n_{r.value}"
        for r in Recommendation
    )
    sql = f"""
    WITH vs AS (
        SELECT id, venue_id FROM {sub} WHERE venue_id = %s AND state <> %s{only}
    ),
    rv AS ({reviews_sql}),
    pm AS (
        SELECT submission_id, AVG(overall) AS m, COUNT(overall) AS n
        FROM rv WHERE overall IS NOT NULL GROUP BY submission_id
    ),
    lo AS (
        SELECT rv.reviewer_id,
            SUM(CASE WHEN pm.n > 1 THEN rv.overall - pm.m ELSE 0 END)
            / (SUM(CASE WHEN pm.n > 1 THEN 1 ELSE 0 END) + {SHRINKAGE}) AS offset_
        FROM rv JOIN pm ON pm.submission_id = rv.submission_id
        WHERE rv.overall IS NOT NULL GROUP BY rv.reviewer_id
    ),
    sc AS (
        SELECT rv.submission_id, COUNT(*) AS n, AVG(rv.overall) AS mean,
            MIN(rv.overall) AS low, MAX(rv.overall) AS high,
            AVG(rv.overall - COALESCE(lo.offset_, 0)) AS calibrated,
            AVG(rv.confidence) AS confidence
        FROM rv LEFT JOIN lo ON lo.reviewer_id = rv.reviewer_id GROUP BY rv.submission_id
    ),
    cr AS (
        SELECT r.id, r.submission_id FROM {rnd} r JOIN vs ON vs.id = r.submission_id
        WHERE NOT EXISTS (
            SELECT 1 FROM {rnd} r2 WHERE r2.submission_id = r.submission_id AND r2.number > r.number
        )
    ),
    ai AS (
        SELECT cr.submission_id, COUNT(*) AS n FROM {inv} i JOIN cr ON cr.id = i.round_id
        WHERE i.state IN (%s, %s) GROUP BY cr.submission_id
    ),
    dn AS (
        SELECT cr.submission_id, COUNT(*) AS n FROM rv JOIN cr ON cr.id = rv.round_id
        GROUP BY cr.submission_id
    ),
    rq AS (
        SELECT vs.id AS submission_id,
            CASE WHEN COALESCE(ai.n, 0) > %s THEN ai.n ELSE %s END AS required
        FROM vs LEFT JOIN ai ON ai.submission_id = vs.id
    ),
    rc AS (
        SELECT cr.submission_id, COUNT(*) AS n,
            AVG(CASE x.recommendation {rec_value} END * 1.0) AS mean, {rec_counts}
        FROM {rec} x JOIN cr ON cr.id = x.round_id GROUP BY cr.submission_id
    ),
    mr AS (
        SELECT cr.submission_id, m.recommendation, CASE m.recommendation {rec_value} END AS value
        FROM {meta} m JOIN cr ON cr.id = m.round_id
    ),
    fl AS (
        SELECT r.submission_id, COUNT(*) AS n FROM {flag} f
        JOIN {rev} r ON r.id = f.review_id JOIN vs ON vs.id = r.submission_id
        WHERE f.state = %s GROUP BY r.submission_id
    ),
    an AS (
        SELECT v.submission_id, {json_length("v.anonymity_findings")} AS n FROM {version} v
        JOIN (
            SELECT v2.submission_id, MAX(v2.number) AS number FROM {version} v2
            JOIN vs ON vs.id = v2.submission_id
            WHERE v2.submitted_at IS NOT NULL AND v2.kind = %s GROUP BY v2.submission_id
        ) last ON last.submission_id = v.submission_id AND last.number = v.number
        WHERE v.anonymity_findings IS NOT NULL
    ),
    gn AS (
        SELECT c.submission_id, MAX(CASE WHEN c.best_prior_value IS NULL THEN NULL
            WHEN c.higher_is_better THEN c.value - c.best_prior_value
            ELSE c.best_prior_value - c.value END) AS gain
        FROM {claim} c JOIN vs ON vs.id = c.submission_id GROUP BY c.submission_id
    ),
    dc AS (
        SELECT d.submission_id, d.outcome, d.status FROM {decision} d
        JOIN vs ON vs.id = d.submission_id
        WHERE d.id = (
            SELECT d2.id FROM {decision} d2 WHERE d2.submission_id = d.submission_id
            ORDER BY CASE WHEN d2.status = %s THEN 1 ELSE 0 END, d2.created_at DESC, d2.id DESC
            LIMIT 1
        )
    )
    """
    per_paper = venue.reviewers_per_paper
    params = [
        venue.pk,
        S.DRAFT,
        *(ids or ()),
        *params,
        InvitationState.PENDING,
        InvitationState.ACCEPTED,
        per_paper,
        per_paper,
        FlagState.OPEN,
        "submission",
        DecisionStatus.PUBLISHED,
    ]
    return sql, params


JOINS = """
    FROM {sub} s
    JOIN rq ON rq.submission_id = s.id
    LEFT JOIN sc ON sc.submission_id = s.id
    LEFT JOIN dn ON dn.submission_id = s.id
    LEFT JOIN rc ON rc.submission_id = s.id
    LEFT JOIN mr ON mr.submission_id = s.id
    LEFT JOIN fl ON fl.submission_id = s.id
    LEFT JOIN an ON an.submission_id = s.id
    LEFT JOIN gn ON gn.submission_id = s.id
    LEFT JOIN dc ON dc.submission_id = s.id
"""
COLUMNS = [
    "s.id",
    "s.number",
    "s.title",
    "s.state",
    "s.keywords",
    "COALESCE(sc.n, 0)",
    "sc.mean",
    "sc.calibrated",
    "sc.low",
    "sc.high",
    "sc.confidence",
    "COALESCE(dn.n, 0)",
    "rq.required",
    *(f"COALESCE(rc.n_{r.value}, 0)" for r in Recommendation),
    "rc.mean",
    "mr.recommendation",
    "COALESCE(fl.n, 0)",
    "COALESCE(an.n, 0)",
    "gn.gain",
    "dc.outcome",
    "dc.status",
]
