"""Reads of bidding: the papers a reviewer may bid on, their bids, and the chair's coverage.

Every list here costs a fixed number of queries whatever the number of papers: the
reviewer's affinity and bid are joined to each paper (one row per pair at most, by the
unique constraints), counts are annotated, and the authors (shown only at venues that are
not double-blind) come in one prefetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from journal.enums import RoleKind
from journal.models import (
    Authorship,
    OutboundEmail,
    Submission,
    User,
    Venue,
    VenuePhase,
    VenueRole,
)
from journal.models.submission import SEARCH_VECTOR
from journal.rules import recused_ids
from journal.selectors.phases import screened_submissions
from reviews.models import Bid, BidValue, ReviewerConflict
from reviews.rules import bid_hidden_ids, bidding_is_open
from reviews.selectors.expertise import matching_settings_of

#: The e-mail that reminds reviewers to bid (a rewordable venue e-mail).
BID_REMINDER_TEMPLATE = "reviews/emails/reminder_bids"
#: A reviewer reminded to bid is not reminded again within this time.
BID_REMINDER_EVERY = timedelta(hours=24)
#: Bids that say "I want this paper".
POSITIVE_BIDS = (BidValue.VERY_HIGH, BidValue.HIGH)
#: How the bidding page may be sorted, with the label shown for each.
BID_SORTS = {
    "affinity": "Best match for you",
    "number": "Paper number",
    "title": "Title",
}
COVERAGE_SORTS = {
    "positive": "Fewest positive bids first",
    "-positive": "Most positive bids first",
    "number": "Paper number",
}


def _biddable_submissions(venue: Venue) -> QuerySet[Submission]:
    """Return the venue's papers that take bids: submitted and still needing reviewers.

    The one place that says which papers are biddable (the page, the API, the service and
    the chair's coverage all read it). At a conference that runs on phases only papers that
    passed screening take bids (`journal.selectors.phases.screened_submissions`).
    """
    return screened_submissions(venue=venue).order_by()


def biddable_submissions(*, venue: Venue) -> QuerySet[Submission]:
    return _biddable_submissions(venue)


def _search(qs: QuerySet[Submission], text: str, *, venue_id: int) -> QuerySet[Submission]:
    """Filter by words of the title or abstract, a keyword, or the paper's number."""
    text = " ".join(text.split())
    if not text:
        return qs
    number = text.lstrip("#")
    match = Q(keywords__icontains=text)
    if number.isdigit() and len(number) < 9:
        match |= Q(number=int(number))
    if connection.vendor == "postgresql":
        # The words through the GIN index (a subquery, so that the OR with the keywords does
        # not compute every paper's document), the keywords as text.
        query = SearchQuery(text, config="english", search_type="websearch")
        words = (
            Submission.objects.filter(venue_id=venue_id)
            .alias(document=SEARCH_VECTOR)
            .filter(document=query)
            .values("pk")
        )
        return qs.filter(Q(pk__in=words) | match)
    return qs.filter(Q(title__icontains=text) | Q(abstract__icontains=text) | match)


def bidding_ids(
    *,
    venue: Venue,
    reviewer: User,
    query: str = "",
    keyword: str = "",
    area: str = "",
    sort: str = "affinity",
) -> QuerySet:
    """Return the ids of the papers `reviewer` may bid on, in the page's order.

    Papers they wrote or are conflicted with are left out (`reviews.rules.bid_hidden_ids`);
    a paper on which they bid "conflict" stays, so that the bid can be taken back. The
    default order is the reviewer's stored affinity, best first (papers without one last).
    Only ids are sorted (from the venue-and-state index); `bidding_papers` reads one page.
    """
    qs = _biddable_submissions(venue).exclude(pk__in=bid_hidden_ids(reviewer, venue))
    qs = _search(qs, query, venue_id=venue.pk)
    keyword = keyword.strip()
    if keyword:
        qs = qs.filter(keywords__contains=[keyword])
    area = area.strip()
    if area:
        qs = qs.filter(subject_area=area)
    if sort == "number":
        qs = qs.order_by("number")
    elif sort == "title":
        qs = qs.order_by("title", "number")
    else:
        qs = qs.annotate(
            mine=FilteredRelation(
                "affinity_scores", condition=Q(affinity_scores__reviewer=reviewer)
            ),
        ).order_by(F("mine__score").desc(nulls_last=True), "number")
    return qs.values_list("pk", flat=True)


def bidding_papers(*, venue: Venue, reviewer: User, ids: list[int]) -> list[Submission]:
    """Return the papers of `ids` in that order, each with `my_affinity` and `my_bid`.

    Their authors come along (one prefetch) only where the venue is not double-blind.
    """
    qs = (
        Submission.objects.filter(pk__in=ids)
        .annotate(
            mine=FilteredRelation(
                "affinity_scores", condition=Q(affinity_scores__reviewer=reviewer)
            ),
            my_bid_row=FilteredRelation("bids", condition=Q(bids__reviewer=reviewer)),
        )
        .annotate(
            my_affinity=F("mine__score"),
            my_bid=Coalesce(F("my_bid_row__value"), Value(BidValue.NEUTRAL.value)),
        )
        .only(
            "pk", "venue_id", "number", "title", "abstract", "keywords", "subject_area", "state"
        )
    )
    if not venue.is_double_blind:
        qs = qs.prefetch_related(
            Prefetch(
                "authors",
                queryset=Authorship.objects.order_by("order").only(
                    "pk", "submission_id", "order", "name", "affiliation"
                ),
            )
        )
    by_id = {paper.pk: paper for paper in qs}
    return [by_id[pk] for pk in ids if pk in by_id]


def bidding_venues_for(*, user: User) -> list[Venue]:
    """Return the venues where `user` reviews and bidding is open now, by name."""
    venues = (
        Venue.objects.filter(
            pk__in=VenueRole.objects.filter(user=user, role=RoleKind.REVIEWER).values("venue_id")
        )
        .select_related("matching_settings")
        .annotate(has_timeline=Exists(VenuePhase.objects.filter(venue_id=OuterRef("pk"))))
        .order_by("name")
    )
    return [venue for venue in venues if bidding_is_open(venue)]


def bids_made_count(*, venue: Venue, reviewer: User) -> int:
    """Return how many papers of `venue` the reviewer bid on (any level but neutral)."""
    return Bid.objects.filter(reviewer=reviewer, submission__venue=venue).count()


def bid_of(*, submission: Submission, reviewer: User) -> str:
    """Return the reviewer's bid on one paper ("neutral" when there is none)."""
    value = (
        Bid.objects.filter(submission=submission, reviewer=reviewer)
        .values_list("value", flat=True)
        .first()
    )
    return value or BidValue.NEUTRAL


def declared_paper_conflict(*, submission: Submission, reviewer: User) -> ReviewerConflict | None:
    return ReviewerConflict.objects.filter(submission=submission, reviewer=reviewer).first()


# The chair's coverage ----------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageSummary:
    """The venue's bidding at a glance."""

    min_bids: int
    target_positive: int
    n_papers: int
    n_papers_short: int
    n_reviewers: int
    n_reviewers_short: int
    n_reviewers_none: int
    n_bids: int


def coverage_papers(
    *, venue: Venue, viewer: User | None = None, sort: str = "positive", short_only: bool = True
):
    """Return the biddable papers with `n_positive` and `n_bids` annotated.

    With `short_only`, only those with fewer positive bids than the venue's reviewers per
    paper. A `viewer` never sees papers they are a stranger to (`journal.rules.recused_ids`).
    """
    papers = _biddable_submissions(venue)
    if viewer is not None:
        papers = papers.exclude(pk__in=recused_ids(viewer, venue))
    qs = papers.annotate(
        n_positive=Count("bids", filter=Q(bids__value__in=POSITIVE_BIDS)),
        n_bids=Count("bids"),
    ).only("pk", "venue_id", "number", "title", "subject_area", "state")
    if short_only:
        qs = qs.filter(n_positive__lt=venue.reviewers_per_paper)
    if sort == "-positive":
        return qs.order_by("-n_positive", "number")
    if sort == "number":
        return qs.order_by("number")
    return qs.order_by("n_positive", "number")


@dataclass(frozen=True)
class AreaCoverage:
    """One subject area's biddable papers and how many are short of positive bids."""

    area: str
    n_papers: int
    n_short: int


def _with_positive_bids(venue: Venue, viewer: User | None) -> QuerySet[Submission]:
    """The biddable papers (without those `viewer` is a stranger to), each with
    `n_positive`: its very high and high bids, counted by a subquery for aggregates on top."""
    papers = _biddable_submissions(venue)
    if viewer is not None:
        papers = papers.exclude(pk__in=recused_ids(viewer, venue))
    positive = (
        Bid.objects.filter(submission_id=OuterRef("pk"), value__in=POSITIVE_BIDS)
        .order_by()
        .values("submission_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return papers.annotate(
        n_positive=Coalesce(Subquery(positive, output_field=IntegerField()), Value(0))
    )


def coverage_by_area(*, venue: Venue, viewer: User | None = None) -> list[AreaCoverage]:
    """Return, per subject area of the venue (in its order), the biddable papers and those
    with fewer positive bids than the venue's reviewers per paper; one query.

    Papers whose area is no longer listed (or empty) come last under "" (no area). A venue
    without areas gets an empty list.
    """
    if not venue.subject_areas:
        return []
    rows = (
        _with_positive_bids(venue, viewer)
        .values("subject_area")
        .annotate(
            n=Count("pk"),
            short=Count("pk", filter=Q(n_positive__lt=venue.reviewers_per_paper)),
        )
        .order_by()
    )
    found = {row["subject_area"]: (row["n"], row["short"]) for row in rows}
    result = [AreaCoverage(area, *found.pop(area, (0, 0))) for area in venue.subject_areas]
    if found:
        n = sum(count for count, _ in found.values())
        short = sum(count for _, count in found.values())
        result.append(AreaCoverage("", n, short))
    return result


def _reviewer_ids(venue: Venue) -> QuerySet:
    """The ids of the venue's active reviewers (one role row each: no DISTINCT needed)."""
    return (
        VenueRole.objects.filter(venue=venue, role=RoleKind.REVIEWER, user__is_active=True)
        .order_by()
        .values("user_id")
    )


def coverage_reviewers(
    *, venue: Venue, short_only: bool = True, with_reminders: bool = True
) -> QuerySet[User]:
    """Return the venue's reviewers with `n_bids`, `last_reminded` (and its e-mail's id).

    With `short_only`, only those with fewer bids than the venue's minimum; fewest first.
    Without `with_reminders`, the reminder columns are left out: a page of the list reads
    them for its own rows (`bid_reminders_of`) instead of for every reviewer.
    """
    minimum = matching_settings_of(venue=venue).min_bids
    qs = (
        User.objects.filter(pk__in=_reviewer_ids(venue))
        # One join and GROUP BY: a counting subquery per reviewer costs 5x more at 15,000.
        .annotate(n_bids=Count("bids", filter=Q(bids__submission__venue=venue)))
        .only("pk", "email", "display_name")
    )
    if with_reminders:
        reminders = OutboundEmail.objects.filter(
            recipient=OuterRef("pk"), venue=venue, template=BID_REMINDER_TEMPLATE
        ).order_by("-created_at", "-pk")
        qs = qs.annotate(
            last_reminded=Subquery(reminders.values("created_at")[:1]),
            last_reminder_id=Subquery(reminders.values("pk")[:1]),
        )
    if short_only:
        qs = qs.filter(n_bids__lt=minimum)
    return qs.order_by("n_bids", "display_name", "pk")


def bid_reminders_of(*, venue: Venue, reviewers: list[User]) -> None:
    """Set `last_reminded` and `last_reminder_id` on each of `reviewers` (one query)."""
    latest: dict[int, tuple] = {}
    rows = (
        OutboundEmail.objects.filter(
            venue=venue, template=BID_REMINDER_TEMPLATE, recipient__in=[r.pk for r in reviewers]
        )
        .order_by("recipient_id", "created_at", "pk")
        .values_list("recipient_id", "created_at", "pk")
    )
    for recipient_id, created_at, pk in rows:
        latest[recipient_id] = (created_at, pk)
    for reviewer in reviewers:
        reviewer.last_reminded, reviewer.last_reminder_id = latest.get(reviewer.pk, (None, None))


def coverage_summary(*, venue: Venue, viewer: User | None = None) -> CoverageSummary:
    """Return the counts at the head of the coverage page (five queries, whatever the size
    of the venue: the papers and their positive bids grouped once, the reviewers and their
    bids grouped once)."""
    settings = matching_settings_of(venue=venue)
    papers = _biddable_submissions(venue)
    if viewer is not None:
        papers = papers.exclude(pk__in=recused_ids(viewer, venue))
    positive = (
        Bid.objects.filter(submission__in=papers.values("pk"), value__in=POSITIVE_BIDS)
        .order_by()
        .values("submission_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    n_papers = papers.count()
    covered = sum(1 for n in positive if n >= venue.reviewers_per_paper)
    reviewers = set(_reviewer_ids(venue).values_list("user_id", flat=True))
    per_reviewer = dict(
        Bid.objects.filter(submission__venue=venue)
        .order_by()
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    made = [per_reviewer.get(pk, 0) for pk in reviewers]
    return CoverageSummary(
        min_bids=settings.min_bids,
        target_positive=venue.reviewers_per_paper,
        n_papers=n_papers,
        n_papers_short=n_papers - covered,
        n_reviewers=len(reviewers),
        n_reviewers_short=sum(1 for n in made if n < settings.min_bids),
        n_reviewers_none=sum(1 for n in made if n == 0),
        n_bids=sum(per_reviewer.values()),
    )


def reviewers_to_remind(*, venue: Venue, now=None) -> tuple[list[User], int]:
    """Return the reviewers below the minimum not reminded within a day, and how many were.

    The second number counts those left out because they were reminded recently.
    """
    now = now or timezone.now()
    short = list(coverage_reviewers(venue=venue))
    since = now - BID_REMINDER_EVERY
    due = [r for r in short if r.last_reminded is None or r.last_reminded <= since]
    return due, len(short) - len(due)
