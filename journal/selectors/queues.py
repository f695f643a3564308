"""What needs an editor now: the dashboard's work queues, with age and deadline.

The facts behind every queue (reviewers asked, reviews in, unanswered invitations, overdue
reviews, decisions awaiting approval, and when each paper entered its state, which the
workflow stores) are set-wise queries over the venue, and one SQL statement joins them,
sorts each queue's papers by age and returns its size and its oldest few: no record per
paper is built in Python. The deadlines shown are the stage clock's
(`journal.selectors.deadlines`, read for the papers shown only) where the venue sets days
for the stage, else the dates typed on the round. The page costs the same queries whether
the venue has ten papers or ten thousand, and none of them runs a subquery per paper.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from journal.enums import DecisionStatus, Stage, SubmissionState
from journal.models import Submission
from journal.models.decision import Decision
from journal.selectors.dashboard import QUEUE_STATES, Scope, scoped_submissions
from journal.selectors.deadlines import PaperClock, stage_clocks
from reviews.enums import InvitationState, ReviewState
from reviews.models import ReviewInvitation, ReviewRound

S = SubmissionState


@dataclass(frozen=True)
class QueueSpec:
    key: str
    title: str
    help: str
    chiefs_only: bool = False


QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec(
        "unassigned",
        "Without an action editor",
        "Submitted papers nobody handles yet.",
        chiefs_only=True,
    ),
    QueueSpec("first_action", "Awaiting a first action", "Send to review or desk reject."),
    QueueSpec(
        "short_of_reviewers",
        "Short of reviewers",
        "Under review with fewer reviewers (accepted or asked) than the venue wants.",
    ),
    QueueSpec(
        "unanswered",
        "Invitations unanswered",
        "A reviewer has not answered an invitation by its answer date.",
    ),
    QueueSpec(
        "reviews_overdue",
        "Reviews overdue",
        "A reviewer accepted but has not submitted by the review date.",
    ),
    QueueSpec(
        "reviews_complete",
        "Reviews complete",
        "Enough reviews are in: open the discussion or move to a decision.",
    ),
    QueueSpec("ready_for_decision", "Ready for a decision", "The discussion is over; decide."),
    QueueSpec(
        "awaiting_approval",
        "Decisions awaiting approval",
        "Drafted decisions that the editor-in-chief approves before the authors see them.",
    ),
    QueueSpec(
        "camera_ready",
        "Camera-ready to publish",
        "Final versions are in; publish them.",
        chiefs_only=True,
    ),
)

QUEUE_FIELDS = (
    "pk",
    "venue_id",
    "number",
    "title",
    "state",
    "submitted_at",
    "updated_at",
    "action_editor__display_name",
    "action_editor__email",
)


@dataclass
class Queue:
    spec: QueueSpec
    count: int
    items: list[Submission] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def _sql(qs) -> tuple[str, list]:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _related(scope: Scope, prefix: str = "submission__") -> dict:
    """Filter related rows to the scope's venue (and the action editor's own papers)."""
    where = {f"{prefix}venue_id": scope.venue.pk}
    if not scope.is_chief:
        where[f"{prefix}action_editor_id"] = scope.user.pk
    return where


def _facts_sql(scope: Scope, now: datetime) -> tuple[str, list]:
    """Return the SQL of one row of facts per paper of the scope in a queue's state.

    Its columns: id, state, editor_id, since (the moment the paper entered its state),
    review_due and decision_due (its current round's dates), asked and done (reviewers
    accepted or asked, reviews in, current round), answer_late and review_late (the
    earliest unanswered or overdue date, any round) and awaiting (a decision awaits
    approval). Each part is a set-wise query over the venue, written by the ORM.
    """
    papers = _sql(
        scoped_submissions(scope=scope)
        .filter(state__in=QUEUE_STATES)
        .annotate(since=Coalesce("state_changed_at", "submitted_at", "updated_at"))
        .values_list("pk", "state", "action_editor_id", "since")
        .order_by()
    )
    latest = _sql(
        ReviewRound.objects.filter(**_related(scope), submission__state__in=list(S.IN_REVIEW))
        .values("submission_id")
        .annotate(n=Max("number"))
        .values_list("submission_id", "n")
        .order_by()
    )
    P, A = InvitationState.PENDING, InvitationState.ACCEPTED
    submitted = Q(review__state=ReviewState.SUBMITTED)
    invitations = _sql(
        ReviewInvitation.objects.filter(**_related(scope), submission__state=S.UNDER_REVIEW)
        .values("submission_id", "round_id")
        .annotate(
            asked=Count("pk", filter=Q(state__in=[P, A])),
            done=Count("pk", filter=submitted),
            answer_late=Min("answer_due", filter=Q(state=P, answer_due__lt=now)),
            review_late=Min("review_due", filter=Q(state=A, review_due__lt=now) & ~submitted),
        )
        .values_list("submission_id", "round_id", "asked", "done", "answer_late", "review_late")
        .order_by()
    )
    awaiting = _sql(
        Decision.objects.filter(**_related(scope), status=DecisionStatus.AWAITING_APPROVAL)
        .values_list("submission_id")
        .distinct()
        .order_by()
    )
    rounds = connection.ops.quote_name(ReviewRound._meta.db_table)
    sql = f"""
        WITH papers (id, state, editor_id, since) AS ({papers[0]}),
        latest (submission_id, number) AS ({latest[0]}),
        current_round (submission_id, id, review_due, decision_due) AS (
            SELECT r.submission_id, r.id, r.review_due, r.decision_due
            FROM {rounds} r JOIN latest l
            ON l.submission_id = r.submission_id AND l.number = r.number
        ),
        asked (submission_id, round_id, asked, done, answer_late, review_late)
            AS ({invitations[0]}),
        awaiting (submission_id) AS ({awaiting[0]})
        SELECT p.id, p.state, p.editor_id, p.since, c.review_due, c.decision_due,
            COALESCE(SUM(CASE WHEN i.round_id = c.id THEN i.asked END), 0) AS asked,
            COALESCE(SUM(CASE WHEN i.round_id = c.id THEN i.done END), 0) AS done,
            MIN(i.answer_late) AS answer_late, MIN(i.review_late) AS review_late,
            CASE WHEN a.submission_id IS NULL THEN 0 ELSE 1 END AS awaiting
        FROM papers p
        LEFT JOIN current_round c ON c.submission_id = p.id
        LEFT JOIN asked i ON i.submission_id = p.id
        LEFT JOIN awaiting a ON a.submission_id = p.id
        GROUP BY p.id, p.state, p.editor_id, p.since, c.review_due, c.decision_due,
            a.submission_id
    """
    return sql, papers[1] + latest[1] + invitations[1] + awaiting[1]


def _members_sql(keys: list[str], wanted: int, limit: int) -> tuple[str, list]:
    """Return the SQL of (queue, paper, since, due, size) for the `limit` oldest papers of
    each queue of `keys`, over the rows of `facts`: who belongs to each queue, the deadline
    it shows, and how many papers it holds. The database finds each queue's oldest with a
    bounded sort and counts the rest; an empty queue has no row."""
    reviewing = [S.UNDER_REVIEW]
    none = "CASE WHEN 1 = 0 THEN since END"  # no deadline, typed as a moment
    rules = {
        "unassigned": (S.IN_PROGRESS, "editor_id IS NULL", [], none),
        "first_action": ([S.SUBMITTED], "1 = 1", [], none),
        "short_of_reviewers": (reviewing, "asked < %s", [wanted], "review_due"),
        "unanswered": (reviewing, "answer_late IS NOT NULL", [], "answer_late"),
        "reviews_overdue": (reviewing, "review_late IS NOT NULL", [], "review_late"),
        "reviews_complete": (reviewing, "done >= %s", [wanted], "review_due"),
        "ready_for_decision": ([S.DECISION_PENDING], "awaiting = 0", [], "decision_due"),
        "awaiting_approval": (QUEUE_STATES, "awaiting = 1", [], "decision_due"),
        "camera_ready": ([S.CAMERA_READY], "1 = 1", [], none),
    }
    parts, params = [], []
    for n, key in enumerate(keys):
        states, rule, extra, due = rules[key]
        where = f"state IN ({', '.join(['%s'] * len(states))}) AND {rule}"
        where_params = [*[str(state) for state in states], *extra]
        parts.append(
            f"SELECT * FROM (SELECT %s AS queue, id, since, {due} AS due, "
            f"(SELECT COUNT(*) FROM facts WHERE {where}) AS size "
            f"FROM facts WHERE {where} ORDER BY since, id LIMIT %s) AS queue_{n}"
        )
        params += [key, *where_params, *where_params, limit]
    return " UNION ALL ".join(parts), params


def _queue_rows(scope: Scope, keys: list[str], limit: int, now: datetime) -> list[tuple]:
    """Return (queue, paper id, since, due, queue size) for the `limit` oldest papers of
    each queue: the database counts and ranks; nothing per paper comes back."""
    facts, facts_params = _facts_sql(scope, now)
    members, members_params = _members_sql(keys, scope.venue.reviewers_per_paper, limit)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH facts AS ({facts}) {members}", [*facts_params, *members_params])
        return cursor.fetchall()


def _when(value) -> datetime | None:
    """Read a moment from a raw row (SQLite returns text, in UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    moment = parse_datetime(str(value))
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


def dashboard_queues(*, scope: Scope, limit: int = 8, now: datetime | None = None) -> list[Queue]:
    """Return the queues of work waiting for `scope`'s person, oldest first."""
    now = now or timezone.now()
    return _queues(scope, limit, now)


def _queues(scope: Scope, limit: int, now: datetime) -> list[Queue]:
    specs = [q for q in QUEUES if scope.is_chief or not q.chiefs_only]
    rows = _queue_rows(scope, [spec.key for spec in specs], limit, now)
    counts: dict[str, int] = {}
    chosen: dict[str, list[tuple]] = defaultdict(list)
    for queue, pk, since, due, size in sorted(rows, key=lambda r: (r[0], _when(r[2]), r[1])):
        counts[queue] = size
        chosen[queue].append((pk, _when(since), _when(due)))
    wanted = {pk for members in chosen.values() for pk, _, _ in members}
    papers = {
        s.pk: s
        for s in Submission.objects.filter(pk__in=wanted)
        .select_related("action_editor")
        .only(*QUEUE_FIELDS)
    }
    clocks = stage_clocks(submissions=Submission.objects.filter(pk__in=wanted), now=now)
    queues = []
    for spec in specs:
        items = []
        for pk, since, due in chosen[spec.key]:
            # One Submission per queue entry: a paper may sit in two queues with two deadlines.
            item = _copy(papers[pk])
            item.state_since = since
            item.due = _stage_due(clocks.get(pk), spec.key) or due
            item.late = item.due is not None and item.due < now
            items.append(item)
        queues.append(Queue(spec=spec, count=counts.get(spec.key, 0), items=items))
    return queues


#: The stage of the paper's clock whose deadline each queue shows (see `journal.clock`).
QUEUE_STAGES = {
    "unassigned": Stage.EDITOR_ASSIGNMENT,
    "first_action": Stage.REVIEWER_ASSIGNMENT,
    "short_of_reviewers": Stage.REVIEWER_ASSIGNMENT,
    "reviews_complete": Stage.DISCUSSION,
    "ready_for_decision": Stage.META_REVIEW,
    "awaiting_approval": Stage.APPROVAL,
}


def _stage_due(clock: PaperClock | None, queue: str) -> datetime | None:
    stage = clock.stage(QUEUE_STAGES[queue]) if clock and queue in QUEUE_STAGES else None
    return stage.due if stage is not None and stage.ended is None else None


def _copy(submission: Submission) -> Submission:
    clone = Submission.__new__(Submission)
    clone.__dict__.update(submission.__dict__)
    return clone
