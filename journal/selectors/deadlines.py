"""Read the events behind the stage clock (see `journal.clock`) for many papers at once.

`stage_clocks` costs the same seven queries for one paper or ten thousand: the papers, their
stage-starting audit events, their review rounds, invitations, recommendations, decisions
and deadline extensions, each read set-wise.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from journal.clock import CycleEvents, Durations, StageClock, current_stage, cycle_stages
from journal.enums import DecisionStatus, Stage, SubmissionState
from journal.models import AuditEvent, Decision, StageExtension, Submission, Venue
from reviews.enums import InvitationState, ReviewState
from reviews.models import ReviewerRecommendation, ReviewInvitation, ReviewRound

S = SubmissionState
ASSIGNED = "submission.action_editor_assigned"
TRANSITION = "submission.transition"
DECIDED = (S.DESK_REJECTED, S.ACCEPTED, S.REVISION_REQUESTED, S.REJECTED)


def venue_durations(venue: Venue) -> Durations:
    """Return the venue's days per stage."""
    return Durations(
        editor_assignment=venue.editor_assignment_days,
        reviewer_assignment=venue.reviewer_assignment_days,
        discussion=venue.discussion_days,
        recommendations=venue.recommendation_days,
        meta_review=venue.meta_review_days,
        approval=venue.approval_days,
    )


@dataclass
class PaperClock:
    """A paper's current cycle (its latest submission) and the stages of it."""

    submission_id: int
    cycle: int
    submitted: datetime
    stages: list[StageClock] = field(default_factory=list)
    round_id: int | None = None

    @property
    def current(self) -> StageClock | None:
        return current_stage(self.stages)

    def stage(self, key: str) -> StageClock | None:
        return next((s for s in self.stages if s.stage == key), None)


def stage_clocks(
    *, submissions: QuerySet[Submission], now: datetime | None = None
) -> dict[int, PaperClock]:
    """Return the clock of every submitted paper among `submissions`, by id."""
    now = now or timezone.now()
    ids = submissions.order_by().values("pk")
    rows = list(
        Submission.objects.filter(pk__in=ids)
        .exclude(submitted_at=None)
        .select_related("venue")
        .only("pk", "state", "action_editor_id", "submitted_at", "decided_at", "venue")
    )
    cycles = _cycles(ids, rows)
    rounds = _rounds(ids, cycles)
    _invitations(ids, rounds)
    _recommendations(ids, rounds)
    _decisions(ids, cycles)
    extensions: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for pk, stage, cycle, days in (
        StageExtension.objects.filter(submission__in=ids)
        .values_list("submission_id", "stage", "cycle")
        .annotate(days=Sum("days"))
        .order_by()
    ):
        extensions[(pk, cycle)][stage] = days
    clocks = {}
    for row in rows:
        events = cycles[row.pk]
        events.extensions = extensions.get((row.pk, events.number), {})
        events.reviewers_wanted = row.venue.reviewers_per_paper
        clock = PaperClock(row.pk, events.number, events.submitted)
        clock.round_id = events.round_id
        clock.stages = cycle_stages(events=events, durations=venue_durations(row.venue), now=now)
        clocks[row.pk] = clock
    return clocks


def submission_clock(*, submission: Submission, now: datetime | None = None) -> PaperClock | None:
    """Return one paper's clock (None before it is submitted)."""
    return stage_clocks(submissions=Submission.objects.filter(pk=submission.pk), now=now).get(
        submission.pk
    )


def _cycles(ids, rows: list[Submission]) -> dict[int, CycleEvents]:
    """Return each paper's current cycle with its submission, assignment and decision moments."""
    submitted: dict[int, list[datetime]] = defaultdict(list)
    closed: dict[int, list[datetime]] = defaultdict(list)
    assigned: dict[int, list[tuple[datetime, object]]] = defaultdict(list)
    events = AuditEvent.objects.filter(
        Q(action=TRANSITION, to_state__in=[S.SUBMITTED, S.DECISION_PENDING]) | Q(action=ASSIGNED),
        submission__in=ids,
    ).values_list("submission_id", "action", "to_state", "data__to", "created_at")
    for pk, action, to_state, to, at in events.order_by():
        if action == ASSIGNED:
            assigned[pk].append((at, to))
        elif to_state == S.SUBMITTED:
            submitted[pk].append(at)
        else:
            closed[pk].append(at)
    cycles = {}
    for row in rows:
        starts = sorted(submitted[row.pk]) or [row.submitted_at]
        start = starts[-1]
        events = CycleEvents(submitted=start, number=len(starts))
        if row.decided_at is not None and row.decided_at >= start:
            events.decided = row.decided_at
        events.closed_for_decision = max((t for t in closed[row.pk] if t >= start), default=None)
        if row.action_editor_id is not None:
            mine = [at for at, to in assigned[row.pk] if to == row.action_editor_id]
            events.editor_assigned = max(mine) if mine else start
        cycles[row.pk] = events
    return cycles


def _rounds(ids, cycles: dict[int, CycleEvents]) -> dict[int, CycleEvents]:
    """Attach each cycle's review round (opened in the cycle); return the cycles by round id."""
    latest: dict[int, tuple] = {}
    for pk, round_id, number, created, released, rec_due, dec_due in (
        ReviewRound.objects.filter(submission__in=ids)
        .values_list(
            "submission_id",
            "pk",
            "number",
            "created_at",
            "released_at",
            "recommendation_due",
            "decision_due",
        )
        .order_by()
    ):
        events = cycles.get(pk)
        if events is None or created < events.submitted:
            continue
        if pk not in latest or number > latest[pk][1]:
            latest[pk] = (round_id, number, released, rec_due, dec_due)
    by_round = {}
    for pk, (round_id, _, released, rec_due, dec_due) in latest.items():
        events = cycles[pk]
        events.round_id = round_id
        events.released = released
        events.typed_recommendation_due, events.typed_decision_due = rec_due, dec_due
        by_round[round_id] = events
    return by_round


def _invitations(ids, rounds: dict[int, CycleEvents]) -> None:
    accepted, dues, reviews_in = defaultdict(list), defaultdict(list), defaultdict(list)
    for round_id, responded, due, review_state, review_at in (
        ReviewInvitation.objects.filter(submission__in=ids, state=InvitationState.ACCEPTED)
        .values_list(
            "round_id", "responded_at", "review_due", "review__state", "review__submitted_at"
        )
        .order_by()
    ):
        if responded is not None:
            accepted[round_id].append(responded)
        dues[round_id].append(due)
        if review_state == ReviewState.SUBMITTED and review_at is not None:
            reviews_in[round_id].append(review_at)
    for round_id, events in rounds.items():
        events.accepted = accepted[round_id]
        events.review_dues = dues[round_id]
        events.reviews_in = reviews_in[round_id]
        events.reviews_submitted = len(reviews_in[round_id])


def _recommendations(ids, rounds: dict[int, CycleEvents]) -> None:
    given = defaultdict(list)
    for round_id, at in (
        ReviewerRecommendation.objects.filter(round__submission__in=ids)
        .values_list("round_id", "created_at")
        .order_by()
    ):
        given[round_id].append(at)
    for round_id, events in rounds.items():
        events.recommendations = given[round_id]


def _decisions(ids, cycles: dict[int, CycleEvents]) -> None:
    for pk, status, submitted, published, created in (
        Decision.objects.filter(submission__in=ids)
        .values_list("submission_id", "status", "submitted_at", "published_at", "created_at")
        .order_by("created_at", "pk")
    ):
        events = cycles.get(pk)
        if events is None or created < events.submitted:
            continue
        sent = status in {DecisionStatus.AWAITING_APPROVAL, DecisionStatus.PUBLISHED}
        events.decision_submitted = submitted if sent else None
        events.decision_published = published if status == DecisionStatus.PUBLISHED else None


#: Who owes each stage's work, as the reminders and the paper page name them.
OWED_BY = {
    Stage.EDITOR_ASSIGNMENT: "chiefs",
    Stage.REVIEWER_ASSIGNMENT: "action editor",
    Stage.REVIEWS: "reviewers",
    Stage.DISCUSSION: "everyone",
    Stage.RECOMMENDATIONS: "reviewers",
    Stage.META_REVIEW: "action editor",
    Stage.APPROVAL: "chiefs",
}


@dataclass
class DeadlineRow:
    clock: StageClock
    owed_by: str
    late: bool
    current: bool
    can_extend: bool


@dataclass
class PaperDeadlines:
    """A paper's current cycle as its editors see it: each stage, whether `user` may extend it."""

    clock: PaperClock
    rows: list[DeadlineRow]
    extensions: list[StageExtension]


def paper_deadlines(
    *, submission: Submission, user, now: datetime | None = None
) -> PaperDeadlines | None:
    """Return the paper's deadlines for `user` (None before it is submitted)."""
    from journal.rules import EXTEND_PERMISSIONS

    now = now or timezone.now()
    clock = submission_clock(submission=submission, now=now)
    if clock is None:
        return None
    current = clock.current
    rows = [
        DeadlineRow(
            clock=stage,
            owed_by=OWED_BY[stage.stage],
            late=stage.is_late(now),
            current=current is not None and current.stage == stage.stage,
            can_extend=stage.ended is None
            and submission.is_open
            and user.has_perm(EXTEND_PERMISSIONS[stage.stage], submission),
        )
        for stage in clock.stages
    ]
    extensions = list(
        submission.stage_extensions.filter(cycle=clock.cycle).select_related("granted_by")
    )
    return PaperDeadlines(clock=clock, rows=rows, extensions=extensions)
