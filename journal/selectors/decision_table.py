"""Read the chairs' decision table: every paper of a venue with the numbers a decision needs.

One SQL statement computes, for all papers of the venue at once, the mean overall score of
the submitted reviews (on [0, 1], the same number as `journal.selectors.scores`), the same
mean corrected for reviewer leniency (the model of `journal.analytics.stats`), the spread
(highest minus lowest overall), the mean confidence, the reviews of the current round
against those required (the venue's reviewers per paper, or more when more reviewers are
assigned), the reviewers' recommendations and the meta-review's, open review flags,
anonymity findings in the submitted files, the best claimed benchmark gain and the
recorded decision. The same statement filters, sorts, pages and counts the distribution of
scores of the filtered papers, so a page costs a fixed number of queries whatever the size
of the venue. Papers the reader is an author of or conflicted with never appear.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower

from journal.enums import DecisionStatus, SubmissionState
from journal.models import (
    Submission,
    User,
    Venue,
)
from journal.rules import recused_ids
from journal.selectors.dashboard import submissions_search, submissions_with_keyword
from journal.selectors.decision_table_sql import (
    COLUMNS,
    JOINS,
    queryset_sql,
    table_ctes,
    table_name,
)
from reviews.enums import Recommendation

S = SubmissionState
HISTOGRAM_BINS = 10
PAGE_SIZE = 50
#: States a decision table lists by default: papers still to decide and decided ones.
TABLE_STATES = tuple(s for s in S if s != S.DRAFT)

COMPLETE, INCOMPLETE, NO_REVIEWS = "complete", "incomplete", "none"
NO_META = "none"
UNDECIDED, RECORDED, RELEASED = "undecided", "recorded", "released"

#: Sort keys and the SQL each orders by (ties broken by paper number).
SORTS = {
    "number": "s.number",
    "title": "LOWER(s.title)",
    "state": "s.state",
    "score": "sc.mean",
    "calibrated": "sc.calibrated",
    "spread": "(sc.high - sc.low)",
    "confidence": "sc.confidence",
    "completeness": "(COALESCE(dn.n, 0) * 1.0 / rq.required)",
    "recommendation": "rc.mean",
    "meta": "mr.value",
    "flags": "(COALESCE(fl.n, 0) + COALESCE(an.n, 0))",
    "gain": "gn.gain",
    "decision": "dc.outcome",
}
SORT_LABELS = {
    "number": "Number",
    "title": "Title",
    "state": "State",
    "score": "Score",
    "calibrated": "Calibrated score",
    "spread": "Spread",
    "confidence": "Confidence",
    "completeness": "Reviews in",
    "recommendation": "Reviewers' recommendation",
    "meta": "Meta-review",
    "flags": "Flags",
    "gain": "Claimed gain",
    "decision": "Decision",
}


@dataclass(frozen=True)
class TableQuery:
    """What the reader asked for: filters, one sort key (`-` for descending), a page."""

    states: tuple[str, ...] = ()
    completeness: str = ""
    recommendation: str = ""
    decision: str = ""
    score_min: float | None = None
    score_max: float | None = None
    keyword: str = ""
    area: str = ""
    q: str = ""
    sort: str = "-score"
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class TableRow:
    pk: int
    number: int
    title: str
    state: str
    keywords: list[str]
    n_reviews: int
    mean: float | None
    calibrated: float | None
    low: float | None
    high: float | None
    confidence: float | None
    submitted: int
    required: int
    recommendations: dict[str, int]
    recommendation_mean: float | None
    meta_recommendation: str
    open_flags: int
    anonymity_findings: int
    gain: float | None
    decision_outcome: str
    decision_status: str

    @property
    def spread(self) -> float | None:
        return None if self.low is None else self.high - self.low

    @property
    def complete(self) -> bool:
        return self.submitted >= self.required

    @property
    def state_label(self) -> str:
        return S(self.state).label

    @property
    def meta_label(self) -> str:
        return Recommendation(self.meta_recommendation).label if self.meta_recommendation else ""

    @property
    def recommendation_cells(self) -> list[tuple[str, str, int]]:
        """Return (slug, label, count) of each recommendation given, strongest first."""
        return [
            (r.value, r.label, self.recommendations[r.value])
            for r in Recommendation
            if self.recommendations.get(r.value)
        ]

    @property
    def decision_label(self) -> str:
        if not self.decision_outcome:
            return ""
        from journal.enums import DecisionOutcome

        outcome = DecisionOutcome(self.decision_outcome).label
        released = self.decision_status == DecisionStatus.PUBLISHED
        return f"{outcome} ({'released' if released else 'recorded'})"


@dataclass(frozen=True)
class TablePage:
    rows: list[TableRow]
    total: int
    page: int
    page_size: int
    histogram: list[int] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def histogram_bins(self) -> list[tuple[str, int]]:
        """Return (label, count) per score bin, e.g. ("0.3-0.4", 12)."""
        width = 1 / HISTOGRAM_BINS
        return [(f"{i * width:.1f}-{(i + 1) * width:.1f}", n) for i, n in enumerate(self.histogram)]


def decision_table_base(*, venue: Venue, user: User) -> QuerySet[Submission]:
    """Return the venue's submitted papers that `user` is not recused from."""
    return venue.submissions.exclude(state=S.DRAFT).exclude(pk__in=recused_ids(user, venue))


def _base_queryset(venue: Venue, user: User, query: TableQuery) -> QuerySet[Submission]:
    """The papers the filters on the paper itself keep (state, keyword, search)."""
    base = decision_table_base(venue=venue, user=user)
    if query.states:
        base = base.filter(state__in=query.states)
    if query.keyword:
        base = submissions_with_keyword(base, query.keyword)
    if query.area:
        base = base.filter(subject_area=query.area)
    if query.q:
        base = submissions_search(base, query.q)
    return base


def _filtered(venue: Venue, user: User, query: TableQuery) -> tuple[str, list]:
    """Return the SQL (after the WITH clause) from FROM to WHERE, and its parameters."""
    base_sql, params = queryset_sql(_base_queryset(venue, user, query))
    where = [f"s.id IN ({base_sql})"]
    if query.completeness == COMPLETE:
        where.append("COALESCE(dn.n, 0) >= rq.required")
    elif query.completeness == INCOMPLETE:
        where.append("COALESCE(dn.n, 0) < rq.required")
    elif query.completeness == NO_REVIEWS:
        where.append("COALESCE(dn.n, 0) = 0")
    if query.recommendation == NO_META:
        where.append("mr.recommendation IS NULL")
    elif query.recommendation:
        where.append("mr.recommendation = %s")
        params.append(query.recommendation)
    if query.decision == UNDECIDED:
        where.append("dc.outcome IS NULL")
    elif query.decision == RECORDED:
        where.append("dc.status IS NOT NULL AND dc.status <> %s")
        params.append(DecisionStatus.PUBLISHED)
    elif query.decision == RELEASED:
        where.append("dc.status = %s")
        params.append(DecisionStatus.PUBLISHED)
    if query.score_min is not None:
        where.append("sc.mean >= %s")
        params.append(query.score_min)
    if query.score_max is not None:
        where.append("sc.mean <= %s")
        params.append(query.score_max)
    return JOINS.format(sub=table_name(Submission)) + " WHERE " + " AND ".join(where), params


def _order(sort: str) -> str:
    key = sort.lstrip("-")
    direction = "DESC" if sort.startswith("-") else "ASC"
    expression = SORTS.get(key, SORTS["score"])
    return f"{expression} {direction} NULLS LAST, s.number ASC"


def _histogram_columns() -> str:
    cells = []
    for i in range(HISTOGRAM_BINS):
        low, high = i / HISTOGRAM_BINS, (i + 1) / HISTOGRAM_BINS
        upper = "<=" if i == HISTOGRAM_BINS - 1 else "<"
        cells.append(
            f"SUM(CASE WHEN sc.mean >= {low} AND sc.mean {upper} {high} THEN 1 ELSE 0 END) OVER ()"
        )
    return ", ".join(cells)


def _row(values) -> TableRow:
    (pk, number, title, state, keywords, n_reviews, mean, calibrated, low, high, confidence,
     submitted, required, *rest) = values  # fmt: skip
    n = len(Recommendation)
    counts = {r.value: int(c) for r, c in zip(Recommendation, rest[:n], strict=True)}
    rec_mean, meta, flags, findings, gain, outcome, status = rest[n:]
    if isinstance(keywords, str):
        keywords = json.loads(keywords)
    return TableRow(
        pk=pk,
        number=number,
        title=title,
        state=state,
        keywords=list(keywords or ()),
        n_reviews=int(n_reviews),
        mean=_float(mean),
        calibrated=_float(calibrated),
        low=_float(low),
        high=_float(high),
        confidence=_float(confidence),
        submitted=int(submitted),
        required=int(required),
        recommendations=counts,
        recommendation_mean=_float(rec_mean),
        meta_recommendation=meta or "",
        open_flags=int(flags),
        anonymity_findings=int(findings or 0),
        gain=_float(gain),
        decision_outcome=outcome or "",
        decision_status=status or "",
    )


def _float(value) -> float | None:
    return None if value is None else float(value)


#: Sorts on a paper's own columns (its score and spread are stored by
#: `journal.services.scores`). With these, and no filter on the computed numbers, the page is
#: chosen from the papers table and only its rows' numbers are computed, so a page costs the
#: same at 100 papers or 10,000.
STORED_SORTS = {
    "number": F("number"),
    "title": Lower("title"),
    "state": F("state"),
    "score": F("score_mean"),
    "spread": F("score_spread"),
}


def _on_stored_columns(query: TableQuery) -> bool:
    computed_filters = query.completeness or query.recommendation or query.decision
    return query.sort.lstrip("-") in STORED_SORTS and not computed_filters


def decision_table_page(*, venue: Venue, user: User, query: TableQuery) -> TablePage:
    """Return one page of the table, the number of filtered papers and their score histogram."""
    page = max(1, query.page)
    size = max(1, query.page_size)
    if _on_stored_columns(query):
        return _page_from_stored(venue, user, query, page, size)
    ctes, params = table_ctes(venue)
    body, body_params = _filtered(venue, user, query)
    sql = (
        f"{ctes} SELECT {', '.join(COLUMNS)}, COUNT(*) OVER (), {_histogram_columns()} "
        f"{body} ORDER BY {_order(query.sort)} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *body_params, size, (page - 1) * size])
        fetched = cursor.fetchall()
    if not fetched and page > 1:
        return _empty_page(venue, user, query, page, size)
    width = len(COLUMNS)
    rows = [_row(values[:width]) for values in fetched]
    total = int(fetched[0][width]) if fetched else 0
    histogram = [int(n or 0) for n in fetched[0][width + 1 :]] if fetched else []
    return TablePage(rows=rows, total=total, page=page, page_size=size, histogram=histogram)


def _page_from_stored(venue, user, query: TableQuery, page: int, size: int) -> TablePage:
    """The page by stored columns: count and histogram, the page's ids, then its numbers."""
    base = _base_queryset(venue, user, query)
    if query.score_min is not None:
        base = base.filter(score_mean__gte=query.score_min)
    if query.score_max is not None:
        base = base.filter(score_mean__lte=query.score_max)
    bins = {}
    for i in range(HISTOGRAM_BINS):
        low, high = i / HISTOGRAM_BINS, (i + 1) / HISTOGRAM_BINS
        upper = Q(score_mean__lte=high) if i == HISTOGRAM_BINS - 1 else Q(score_mean__lt=high)
        bins[f"bin{i}"] = Count("pk", filter=Q(score_mean__gte=low) & upper)
    counts = base.order_by().aggregate(total=Count("pk"), **bins)
    total = counts["total"]
    key = query.sort.lstrip("-")
    expression = STORED_SORTS[key]
    ordering = expression.desc(nulls_last=True) if query.sort.startswith("-") else (
        expression.asc(nulls_last=True)
    )
    ids = list(
        base.order_by(ordering, "number").values_list("pk", flat=True)[
            (page - 1) * size : page * size
        ]
    )
    histogram = [int(counts[f"bin{i}"]) for i in range(HISTOGRAM_BINS)] if total else []
    if not ids:
        return TablePage(rows=[], total=total, page=page, page_size=size, histogram=histogram)
    ctes, params = table_ctes(venue, ids)
    sql = (
        f"{ctes} SELECT {', '.join(COLUMNS)} {JOINS.format(sub=table_name(Submission))} "
        f"WHERE s.id IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])
        by_id = {values[0]: _row(values) for values in cursor.fetchall()}
    rows = [by_id[pk] for pk in ids if pk in by_id]
    return TablePage(rows=rows, total=total, page=page, page_size=size, histogram=histogram)


def _empty_page(venue, user, query, page, size) -> TablePage:
    """A page past the end: count the filtered rows so the pager can point back."""
    ctes, params = table_ctes(venue)
    body, body_params = _filtered(venue, user, query)
    with connection.cursor() as cursor:
        cursor.execute(f"{ctes} SELECT COUNT(*) {body}", [*params, *body_params])
        total = int(cursor.fetchone()[0])
    return TablePage(rows=[], total=total, page=page, page_size=size, histogram=[])


def decision_table_ids(*, venue: Venue, user: User, query: TableQuery) -> list[int]:
    """Return the ids of every filtered paper, in the table's order (for "all filtered")."""
    ctes, params = table_ctes(venue)
    body, body_params = _filtered(venue, user, query)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{ctes} SELECT s.id {body} ORDER BY {_order(query.sort)}", [*params, *body_params]
        )
        return [row[0] for row in cursor.fetchall()]


def decision_table_rows(
    *, venue: Venue, user: User, query: TableQuery, chunk: int = 2000
) -> Iterator[TableRow]:
    """Yield every filtered row in the table's order (the CSV export), a chunk at a time."""
    ctes, params = table_ctes(venue)
    body, body_params = _filtered(venue, user, query)
    sql = f"{ctes} SELECT {', '.join(COLUMNS)} {body} ORDER BY {_order(query.sort)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *body_params])
        while batch := cursor.fetchmany(chunk):
            yield from (_row(values) for values in batch)


def review_completeness(*, venue: Venue, submission_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Return (submitted, required) reviews of the current round for each of the papers."""
    if not submission_ids:
        return {}
    ctes, params = table_ctes(venue)
    placeholders = ", ".join(["%s"] * len(submission_ids))
    sql = (
        f"{ctes} SELECT rq.submission_id, COALESCE(dn.n, 0), rq.required FROM rq "
        f"LEFT JOIN dn ON dn.submission_id = rq.submission_id "
        f"WHERE rq.submission_id IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *submission_ids])
        return {pk: (int(done), int(required)) for pk, done, required in cursor.fetchall()}
