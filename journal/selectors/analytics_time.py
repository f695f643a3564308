"""Read how long papers take at a venue: time to decision, time in each stage, the action
editors' turnaround and load, and open papers by age in their stage. Scoped like the
dashboard; the stage times come from the stage clock (`journal.selectors.deadlines`), of
each paper's current cycle (its latest submission)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from journal.analytics.timing import AGE_LABELS, Spread, age_counts, spread, spreads_by
from journal.enums import RoleKind, Stage, SubmissionState
from journal.models import User, VenueRole
from journal.selectors.dashboard import Scope, scoped_submissions
from journal.selectors.deadlines import stage_clocks

DAY_SECONDS = 86400


@dataclass(frozen=True)
class TimeToDecision:
    overall: Spread
    by_month: list[Spread]


def analytics_time_to_decision(*, scope: Scope) -> TimeToDecision:
    """Return the days from first submission to the latest decision, overall and per month
    of the decision."""
    rows = (
        scoped_submissions(scope=scope)
        .exclude(submitted_at=None)
        .exclude(decided_at=None)
        .values_list("submitted_at", "decided_at")
    )
    pairs = [
        (decided.strftime("%Y-%m"), (decided - submitted).total_seconds() / DAY_SECONDS)
        for submitted, decided in rows.iterator(5000)
        if decided >= submitted
    ]
    return TimeToDecision(
        overall=spread("All decisions", [days for _, days in pairs]),
        by_month=spreads_by(pairs),
    )


@dataclass(frozen=True)
class EditorRecord:
    editor: User
    open_papers: int
    quota: int | None
    recommendations: int
    turnaround: Spread

    @property
    def at_quota(self) -> bool:
        return self.quota is not None and self.open_papers >= self.quota


@dataclass(frozen=True)
class StageTimes:
    stages: list[Spread]
    ages: dict[str, list[int]]
    age_totals: list[int]
    editors: list[EditorRecord]


def analytics_stage_times(*, scope: Scope, now: datetime | None = None) -> StageTimes:
    """Return the days papers spent in each stage (stages that ended), the open papers by
    age in their current stage, and each action editor's load and turnaround (days from
    getting a paper to sending their recommendation)."""
    now = now or timezone.now()
    papers = scoped_submissions(scope=scope)
    clocks = stage_clocks(submissions=papers, now=now)
    editor_of = dict(papers.values_list("pk", "action_editor_id"))
    done: list[tuple[str, float]] = []
    ages: dict[str, list[float]] = defaultdict(list)
    turnaround: dict[int, list[float]] = defaultdict(list)
    for pk, clock in clocks.items():
        for stage in clock.stages:
            if stage.started is not None and stage.ended is not None:
                done.append((stage.stage.label, stage.days_in(now)))
        current = clock.current
        if current is not None:
            ages[current.stage.label].append(current.days_in(now))
        assigned = clock.stage(Stage.EDITOR_ASSIGNMENT)
        sent = clock.stage(Stage.META_REVIEW)
        start = assigned.ended if assigned is not None else clock.submitted
        if editor_of.get(pk) and start is not None and sent is not None and sent.ended:
            turnaround[editor_of[pk]].append((sent.ended - start).total_seconds() / DAY_SECONDS)
    labels = [s.label for s in Stage]
    age_rows = {label: age_counts(ages[label]) for label in labels if ages.get(label)}
    totals = [sum(row[i] for row in age_rows.values()) for i in range(len(AGE_LABELS))]
    return StageTimes(
        stages=spreads_by(done, order=labels),
        ages=age_rows,
        age_totals=totals,
        editors=_editors(scope, turnaround),
    )


def _editors(scope: Scope, turnaround: dict[int, list[float]]) -> list[EditorRecord]:
    roles = VenueRole.objects.filter(venue=scope.venue, role=RoleKind.ACTION_EDITOR)
    if not scope.is_chief:
        roles = roles.filter(user=scope.user)
    papers = scoped_submissions(scope=scope).exclude(action_editor=None)
    counts = {
        row["action_editor_id"]: row
        for row in papers.values("action_editor_id")
        .annotate(open=Count("pk", filter=Q(state__in=list(SubmissionState.OPEN))))
        .order_by()
    }
    records = []
    for role in roles.select_related("user").order_by("user__display_name", "user__email"):
        row = counts.get(role.user_id, {})
        days = turnaround.get(role.user_id, [])
        records.append(
            EditorRecord(
                editor=role.user,
                open_papers=row.get("open", 0),
                quota=role.load_quota,
                recommendations=len(days),
                turnaround=spread("", days),
            )
        )
    return records
