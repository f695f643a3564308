"""What needs an editor now: the dashboard's work queues, with age and deadline.

The facts behind every queue (reviewers asked, reviews in, unanswered invitations, overdue
reviews, decisions awaiting approval, when each paper entered its state) are read with a
few set-wise queries over the venue, and the queues are formed in Python. The deadlines shown
are the stage clock's (`journal.selectors.deadlines`, read for the papers shown only) where
the venue sets days for the stage, else the dates typed on the round. The page costs the
same queries whether the venue has ten papers or ten thousand, and none of them runs a
subquery per paper.
"""

import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.db.models import BigIntegerField, Count, F, Max, Min, Q
from django.db.models.functions import Cast, Coalesce, Extract
from django.utils import timezone

from journal.enums import DecisionStatus, Stage, SubmissionState
from journal.models import AuditEvent, Submission
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


Moment = datetime | int | None


def _moment(expression):
    """Read a timestamp as whole epoch seconds on PostgreSQL: thousands of rows load much
    faster as integers than as aware datetimes. Other databases read it as it is."""
    if isinstance(expression, str):
        expression = F(expression)
    if connection.vendor == "postgresql":
        return Cast(Extract(expression, "epoch"), BigIntegerField())
    return expression


def _when(value: Moment) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromtimestamp(value, tz=UTC)


@dataclass
class _Paper:
    pk: int
    state: str
    editor_id: int | None
    started: Moment
    since: Moment = None
    round_id: int | None = None
    round_number: int = 0
    review_due: Moment = None
    decision_due: Moment = None
    reviewers: int = 0
    reviews: int = 0
    answer_late: Moment = None
    review_late: Moment = None
    awaiting_approval: bool = False

    @property
    def age_key(self) -> Moment:
        return self.since if self.since is not None else self.started


def _papers(scope: Scope) -> dict[int, _Paper]:
    rows = (
        scoped_submissions(scope=scope)
        .filter(state__in=QUEUE_STATES)
        .annotate(started=_moment(Coalesce("submitted_at", "updated_at")))
        .values_list("pk", "state", "action_editor_id", "started")
        .order_by()  # no ordering: no join to the venue, no sort of thousands of rows
    )
    return {row[0]: _Paper(*row) for row in rows}


def _related(scope: Scope, prefix: str = "submission__") -> dict:
    """Filter related rows to the scope's venue (and the action editor's own papers)."""
    where = {f"{prefix}venue_id": scope.venue.pk}
    if not scope.is_chief:
        where[f"{prefix}action_editor_id"] = scope.user.pk
    return where


def _read_facts(scope: Scope, papers: dict[int, _Paper], now: datetime) -> None:
    """Fill in each paper's facts with one set-wise query per kind of fact."""
    reviewing = S.IN_REVIEW
    where = {**_related(scope), "submission__state__in": list(reviewing)}
    rounds = (
        ReviewRound.objects.filter(**where)
        .annotate(review_at=_moment("review_due"), decision_at=_moment("decision_due"))
        .values_list("submission_id", "pk", "number", "review_at", "decision_at")
        .order_by()
    )
    for pk, round_id, number, review_due, decision_due in rounds:
        paper = papers.get(pk)
        if paper is not None and number > paper.round_number:
            paper.round_id, paper.round_number = round_id, number
            paper.review_due, paper.decision_due = review_due, decision_due
    # Every invitation of the papers under review, in one pass: who is asked, which reviews
    # are in (current round), and the earliest unanswered or overdue date (any round).
    P, A = InvitationState.PENDING, InvitationState.ACCEPTED
    submitted = Q(review__state=ReviewState.SUBMITTED)
    invitations = (
        ReviewInvitation.objects.filter(**_related(scope), submission__state=S.UNDER_REVIEW)
        .values_list("submission_id", "round_id")
        .annotate(
            asked=Count("pk", filter=Q(state__in=[P, A])),
            done=Count("pk", filter=submitted),
            answer_late=_moment(Min("answer_due", filter=Q(state=P, answer_due__lt=now))),
            review_late=_moment(
                Min("review_due", filter=Q(state=A, review_due__lt=now) & ~submitted)
            ),
        )
        .order_by()
    )
    for pk, round_id, asked, done, answer_late, review_late in invitations:
        paper = papers.get(pk)
        if paper is None:
            continue
        if round_id == paper.round_id:
            paper.reviewers, paper.reviews = asked, done
        paper.answer_late = _earliest(paper.answer_late, answer_late)
        paper.review_late = _earliest(paper.review_late, review_late)
    for pk in Decision.objects.filter(
        **_related(scope), status=DecisionStatus.AWAITING_APPROVAL
    ).values_list("submission_id", flat=True):
        if pk in papers:
            papers[pk].awaiting_approval = True
    entered = (
        AuditEvent.objects.filter(
            **_related(scope),
            action="submission.transition",
            submission__state__in=QUEUE_STATES,
            to_state=F("submission__state"),
        )
        .values_list("submission_id")
        .annotate(at=_moment(Max("created_at")))
        .order_by()
    )
    for pk, at in entered:
        if pk in papers:
            papers[pk].since = at


def _earliest(a: Moment, b: Moment) -> Moment:
    return b if a is None else a if b is None else min(a, b)


Rule = Callable[[_Paper], bool]
Due = Callable[[_Paper], Moment]


def _rules(wanted: int) -> dict[str, tuple[tuple[str, ...], Rule, Due]]:
    """Return, per queue: the states its papers are in, who belongs, and the deadline."""

    def none(p: _Paper) -> None:
        return None

    def anything(p: _Paper) -> bool:
        return True

    reviewing = (S.UNDER_REVIEW,)
    return {
        "unassigned": (S.IN_PROGRESS, lambda p: p.editor_id is None, none),
        "first_action": ((S.SUBMITTED,), anything, none),
        "short_of_reviewers": (reviewing, lambda p: p.reviewers < wanted, lambda p: p.review_due),
        "unanswered": (reviewing, lambda p: p.answer_late is not None, lambda p: p.answer_late),
        "reviews_overdue": (
            reviewing,
            lambda p: p.review_late is not None,
            lambda p: p.review_late,
        ),
        "reviews_complete": (reviewing, lambda p: p.reviews >= wanted, lambda p: p.review_due),
        "ready_for_decision": (
            (S.DECISION_PENDING,),
            lambda p: not p.awaiting_approval,
            lambda p: p.decision_due,
        ),
        "awaiting_approval": (
            QUEUE_STATES,
            lambda p: p.awaiting_approval,
            lambda p: p.decision_due,
        ),
        "camera_ready": ((S.CAMERA_READY,), anything, none),
    }


def dashboard_queues(*, scope: Scope, limit: int = 8, now: datetime | None = None) -> list[Queue]:
    """Return the queues of work waiting for `scope`'s person, oldest first."""
    now = now or timezone.now()
    return _queues(scope, limit, now)


def _queues(scope: Scope, limit: int, now: datetime) -> list[Queue]:
    specs = [q for q in QUEUES if scope.is_chief or not q.chiefs_only]
    papers = _papers(scope)
    _read_facts(scope, papers, now)
    rules = _rules(scope.venue.reviewers_per_paper)
    chosen: dict[str, list[_Paper]] = defaultdict(list)
    counts: dict[str, int] = {}
    by_state: dict[str, list[_Paper]] = defaultdict(list)
    for paper in papers.values():
        by_state[paper.state].append(paper)
    for spec in specs:
        states, rule, _ = rules[spec.key]
        members = [p for state in states for p in by_state.get(state, ()) if rule(p)]
        counts[spec.key] = len(members)
        chosen[spec.key] = heapq.nsmallest(limit, members, key=lambda p: (p.age_key, p.pk))
    wanted = {p.pk for members in chosen.values() for p in members}
    rows = {
        s.pk: s
        for s in Submission.objects.filter(pk__in=wanted)
        .select_related("action_editor")
        .only(*QUEUE_FIELDS)
    }
    clocks = stage_clocks(submissions=Submission.objects.filter(pk__in=wanted), now=now)
    queues = []
    for spec in specs:
        _, _, due_of = rules[spec.key]
        items = []
        for paper in chosen[spec.key]:
            # One Submission per queue entry: a paper may sit in two queues with two deadlines.
            item = _copy(rows[paper.pk])
            item.state_since = _when(paper.age_key)
            item.due = _stage_due(clocks.get(paper.pk), spec.key) or _when(due_of(paper))
            item.late = item.due is not None and item.due < now
            items.append(item)
        queues.append(Queue(spec=spec, count=counts[spec.key], items=items))
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
