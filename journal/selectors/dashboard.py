"""Read what editors see on their dashboard: their papers, the pipeline, the work queues.

Chiefs see every submitted paper of the venue; action editors see the papers they handle.
Nobody sees a paper they are an author of. Every list here costs a fixed number of queries,
whatever the number of papers: counts come from one aggregate, per-row facts from
correlated subqueries on the page's rows only.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from journal.enums import RoleKind, SubmissionState
from journal.models import Submission, User, Venue
from journal.models.submission import SEARCH_VECTOR
from journal.rules import is_venue_chief, recused_ids, recused_ids_everywhere
from reviews.enums import FlagState, InvitationState, ReviewState
from reviews.models import Review, ReviewFlag, ReviewInvitation, ReviewRound

S = SubmissionState
KEYWORDS_TTL = 300

#: The pipeline, in workflow order. Drafts belong to their authors and are never shown.
PIPELINE_STATES: tuple[SubmissionState, ...] = (
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.DECISION_PENDING,
    S.REVISION_REQUESTED,
    S.ACCEPTED,
    S.CAMERA_READY,
    S.PUBLISHED,
    S.DESK_REJECTED,
    S.REJECTED,
    S.WITHDRAWN,
    S.RETRACTED,
)
#: States some work queue covers.
QUEUE_STATES = (*S.IN_PROGRESS, S.CAMERA_READY)


@dataclass(frozen=True)
class Scope:
    """Whose dashboard at which venue, and what that person may see."""

    venue: Venue
    user: User
    is_chief: bool


def dashboard_scope(*, user: User, venue: Venue) -> Scope:
    """Return the scope of `user`'s dashboard at `venue` (the caller checked permission)."""
    return Scope(venue=venue, user=user, is_chief=is_venue_chief.test(user, venue))


def dashboard_venues(*, user: User) -> list[dict]:
    """Return the venues `user` edits, each with its role and its pipeline counts.

    Two queries, whatever the number of venues.
    """
    roles: dict[int, set[str]] = {}
    for venue_id, role in user.venue_roles.filter(
        role__in=[RoleKind.CHIEF, RoleKind.ACTION_EDITOR]
    ).values_list("venue_id", "role"):
        roles.setdefault(venue_id, set()).add(role)
    if not roles:
        return []
    venues = {v.pk: v for v in Venue.objects.filter(pk__in=roles).order_by("name")}
    chief_of = [pk for pk, held in roles.items() if RoleKind.CHIEF in held]
    editor_of = [pk for pk in roles if pk not in chief_of]
    visible = (
        Submission.objects.filter(
            Q(venue_id__in=chief_of) | Q(venue_id__in=editor_of, action_editor=user)
        )
        .exclude(state=S.DRAFT)
        .exclude(pk__in=recused_ids_everywhere(user))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in visible.values("venue_id", "state").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["venue_id"], {})[row["state"]] = row["n"]
    result = []
    for venue in venues.values():
        per_state = counts.get(venue.pk, {})
        result.append(
            {
                "venue": venue,
                "is_chief": venue.pk in chief_of,
                "total": sum(per_state.values()),
                "active": sum(per_state.get(s, 0) for s in S.IN_PROGRESS),
                "pipeline": [(s, per_state.get(s, 0)) for s in PIPELINE_STATES],
            }
        )
    return result


def scoped_submissions(*, scope: Scope) -> QuerySet[Submission]:
    """Return the papers `scope` covers: submitted ones, the person's own excluded."""
    qs = Submission.objects.filter(venue=scope.venue).exclude(state=S.DRAFT)
    if not scope.is_chief:
        qs = qs.filter(action_editor=scope.user)
    return qs.exclude(pk__in=recused_ids(scope.user, scope.venue))


def dashboard_submissions(*, scope: Scope) -> QuerySet[Submission]:
    """Return the papers `scope` covers, with the moment each entered its state."""
    return scoped_submissions(scope=scope).annotate(state_since=_state_since())


def _state_since():
    """The moment the paper entered its state (stored by the workflow; papers the workflow
    never moved fall back to their submission, then their last change)."""
    return Coalesce(F("state_changed_at"), F("submitted_at"), F("updated_at"))


def dashboard_pipeline(*, scope: Scope) -> list[tuple[SubmissionState, int]]:
    """Return (state, count) for every pipeline state, in workflow order (one query)."""
    rows = (
        scoped_submissions(scope=scope)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    counts = dict(rows)
    return [(state, counts.get(state, 0)) for state in PIPELINE_STATES]


# Per-paper facts for the table ----------------------------------------------------------


def _latest_round_id():
    return Subquery(
        ReviewRound.objects.filter(submission_id=OuterRef(OuterRef("pk")))
        .order_by("-number")
        .values("pk")[:1]
    )


def _count(qs: QuerySet) -> Coalesce:
    """Return a correlated `COUNT(*)` of `qs` (no GROUP BY, one row)."""
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def reviewers_counted():
    """Reviewers of the current round who accepted or have not answered yet."""
    return _count(
        ReviewInvitation.objects.filter(
            submission_id=OuterRef("pk"),
            round_id=_latest_round_id(),
            state__in=InvitationState.ACTIVE,
        )
    )


def reviews_submitted():
    """Submitted reviews of the current round (read from `Submission.reviews_in`, which
    `journal.services.scores.paper_scores_refresh` keeps equal to this)."""
    return _count(
        Review.objects.filter(
            submission_id=OuterRef("pk"), round_id=_latest_round_id(), state=ReviewState.SUBMITTED
        )
    )


def open_flags():
    """Open flags on the paper's reviews."""
    return _count(
        ReviewFlag.objects.filter(review__submission_id=OuterRef("pk"), state=FlagState.OPEN)
    )


def _unanswered(now: datetime) -> QuerySet:
    return ReviewInvitation.objects.filter(
        submission_id=OuterRef("pk"), state=InvitationState.PENDING, answer_due__lt=now
    )


def _overdue(now: datetime) -> QuerySet:
    return ReviewInvitation.objects.filter(
        submission_id=OuterRef("pk"), state=InvitationState.ACCEPTED, review_due__lt=now
    ).exclude(review__state=ReviewState.SUBMITTED)


# The submissions table ---------------------------------------------------------------------


def submissions_search(qs: QuerySet[Submission], text: str) -> QuerySet[Submission]:
    """Filter `qs` by a search on title, abstract and number.

    PostgreSQL uses its full-text search (the GIN index `submission_search`); other
    databases fall back to a case-insensitive substring match.
    """
    text = " ".join(text.split())
    if not text:
        return qs
    number = text.lstrip("#")
    by_number = Q(number=int(number)) if number.isdigit() and len(number) < 9 else Q(pk__in=[])
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="english", search_type="websearch")
        return qs.alias(document=SEARCH_VECTOR).filter(Q(document=query) | by_number)
    return qs.filter(Q(title__icontains=text) | Q(abstract__icontains=text) | by_number)


def submissions_with_keyword(qs: QuerySet[Submission], keyword: str) -> QuerySet[Submission]:
    """Filter `qs` to papers listing `keyword` (exactly, as the venue's keyword list has it)."""
    keyword = keyword.strip()
    if not keyword:
        return qs
    if connection.vendor == "postgresql":
        return qs.filter(keywords__contains=[keyword])
    import json

    return qs.filter(keywords__icontains=json.dumps(keyword))


def submissions_overdue(qs: QuerySet[Submission], *, now: datetime | None = None):
    """Filter `qs` to papers with an unanswered invitation or a review past its date."""
    now = now or timezone.now()
    return qs.filter(Q(Exists(_unanswered(now))) | Q(Exists(_overdue(now))))


def submissions_flagged(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    """Filter `qs` to papers with an open flag on one of their reviews."""
    return qs.filter(
        Exists(
            ReviewFlag.objects.filter(review__submission_id=OuterRef("pk"), state=FlagState.OPEN)
        )
    )


def venue_keywords(*, venue: Venue, limit: int = 200) -> list[tuple[str, int]]:
    """Return the venue's most used keywords with their paper counts.

    Counted with one query at most every few minutes per venue (kept in the cache): the list
    only helps people type a keyword, so a slightly old count does no harm.
    """
    key = f"peerless:venue-keywords:{venue.pk}:{limit}"
    found = cache.get(key)
    if found is None:
        found = _count_keywords(venue, limit)
        cache.set(key, found, KEYWORDS_TTL)
    return found


def _count_keywords(venue: Venue, limit: int) -> list[tuple[str, int]]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kw, COUNT(*) FROM journal_submission s, "
                "jsonb_array_elements_text(s.keywords) kw "
                "WHERE s.venue_id = %s AND s.state <> %s "
                "GROUP BY kw ORDER BY COUNT(*) DESC, kw LIMIT %s",
                [venue.pk, S.DRAFT, limit],
            )
            return [(kw, n) for kw, n in cursor.fetchall()]
    counts: dict[str, int] = {}
    for keywords in venue.submissions.exclude(state=S.DRAFT).values_list("keywords", flat=True):
        for keyword in keywords or ():
            counts[keyword] = counts.get(keyword, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def submission_areas(*, venue: Venue) -> dict[int, str]:
    """Return the subject area of each of the venue's papers that has one, by submission id
    (one query; for exports whose rows do not carry it)."""
    if not venue.subject_areas:
        return {}
    return dict(
        venue.submissions.exclude(subject_area="").values_list("pk", "subject_area").order_by()
    )


def submissions_with_area(qs: QuerySet[Submission], area: str) -> QuerySet[Submission]:
    """Filter `qs` to papers of the subject area `area` (exactly as the venue lists it)."""
    area = area.strip()
    return qs.filter(subject_area=area) if area else qs


def venue_editors(*, venue: Venue) -> QuerySet[User]:
    """Return the venue's chiefs and action editors, by name."""
    return (
        User.objects.filter(
            venue_roles__venue=venue,
            venue_roles__role__in=[RoleKind.CHIEF, RoleKind.ACTION_EDITOR],
        )
        .distinct()
        .order_by("display_name", "email")
    )


TABLE_FIELDS = (
    "pk",
    "venue_id",
    "number",
    "title",
    "state",
    "keywords",
    "subject_area",
    "submitted_at",
    "updated_at",
    "action_editor_id",
    "action_editor__display_name",
    "action_editor__email",
)


def submissions_table(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    """Return `qs` ready for a table row: only the shown columns and per-row counts."""
    return (
        qs.select_related("action_editor")
        .only(*TABLE_FIELDS)
        .annotate(
            n_reviewers=reviewers_counted(),
            n_reviews=F("reviews_in"),
            n_flags=open_flags(),
        )
    )


def venue_reviewers(*, venue: Venue) -> QuerySet[User]:
    """Return the venue's reviewers."""
    return User.objects.filter(
        venue_roles__venue=venue, venue_roles__role=RoleKind.REVIEWER
    ).distinct()


def console_venues(*, user: User) -> list[Venue]:
    """Return the venues where `user` is an area chair (action editor) or a senior one."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Venue.objects.filter(
            roles__user=user,
            roles__role__in=[RoleKind.ACTION_EDITOR, RoleKind.SENIOR_AREA_CHAIR],
        )
        .distinct()
        .order_by("name")
    )
