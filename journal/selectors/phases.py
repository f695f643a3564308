"""Reads of a conference's timeline, its current phase and its screening.

A conference "runs on phases" once it has a timeline or a current phase. Such a venue screens
its papers before review: only papers that passed screening and are still in a reviewable
state are matched, invited or bid on (`screened_submissions`, `submission_is_screened`).
Journals, and conferences without a timeline, keep reviewing every submitted paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from journal.enums import Phase, PhaseJobStatus, SubmissionState
from journal.models import PhaseJob, Submission, Venue, VenuePhase

S = SubmissionState


def venue_timeline(*, venue: Venue) -> list[VenuePhase]:
    """The venue's phases in timeline order (by start)."""
    return list(venue.phases.order_by("starts_at", "pk"))


def phase_is_open(*, venue: Venue, phase: Phase | str) -> bool:
    """Whether the venue is currently in `phase` (the phase service sets `Venue.phase`)."""
    return bool(venue.phase) and venue.phase == phase


def runs_on_phases(*, venue: Venue) -> bool:
    """Whether `venue` is a conference run by its phase timeline (one query at most)."""
    if not venue.is_conference:
        return False
    if venue.phase:
        return True
    if "_peerless_has_timeline" not in venue.__dict__:
        venue.__dict__["_peerless_has_timeline"] = venue.phases.exists()
    return venue.__dict__["_peerless_has_timeline"]


def screening_required(*, venue: Venue) -> bool:
    """Whether papers of `venue` must pass screening before they are matched or invited."""
    return runs_on_phases(venue=venue)


def screened_submissions(*, venue: Venue) -> QuerySet[Submission]:
    """The venue's papers that may be matched, invited or bid on, in number order.

    That is the papers in a reviewable state (submitted or under review) and, where the venue
    screens, that passed screening.
    """
    papers = venue.submissions.filter(state__in=S.REVIEWABLE)
    if screening_required(venue=venue):
        papers = papers.filter(screened_at__isnull=False)
    return papers.order_by("number")


def submission_is_screened(*, submission: Submission) -> bool:
    """Whether `submission` may be matched, invited or bid on (see `screened_submissions`)."""
    if submission.state not in S.REVIEWABLE:
        return False
    return submission.screened_at is not None or not screening_required(venue=submission.venue)


def screening_queue(*, venue: Venue, exclude_ids=()) -> QuerySet[Submission]:
    """Submitted papers of `venue` not yet screened, oldest first, with their latest version."""
    return (
        venue.submissions.filter(state__in=S.REVIEWABLE, screened_at__isnull=True)
        .exclude(pk__in=exclude_ids)
        .order_by("submitted_at", "number")
    )


def phase_position(phase: str) -> int:
    """The position of `phase` on the timeline; -1 for a venue not started (blank)."""
    return Phase(phase).position if phase else -1


def abstracts_due_of(*, venue: Venue) -> datetime | None:
    """The conference's abstract deadline (when new papers stop being registered), if its
    submission phase has one; None otherwise (one query at most)."""
    if not venue.is_conference:
        return None
    row = venue.phases.filter(phase=Phase.SUBMISSION).only("abstracts_due").first()
    return row.abstracts_due if row else None


def decisions_held(*, venue: Venue) -> bool:
    """Whether decisions on `venue`'s papers are recorded but not yet shown to authors.

    A conference run on phases releases every decision at once when it enters its decisions
    phase (`journal.services.phase_steps.PublishDecisions`); until then a decision is
    recorded as a draft. Afterwards a late decision is published on its own.
    """
    return runs_on_phases(venue=venue) and phase_position(venue.phase) < Phase.DECISIONS.position


#: The phases in which a conference's area chairs write and revise meta-reviews.
META_REVIEW_PHASES = frozenset(
    {Phase.REVIEWING, Phase.AUTHOR_RESPONSE, Phase.DISCUSSION, Phase.META_REVIEW}
)


def meta_review_closed_reason(*, venue: Venue) -> str:
    """Why meta-reviews of `venue` cannot be written now, or "" when they can.

    Conferences run on phases take meta-reviews from the reviewing phase until decisions are
    released; journals and conferences without a timeline take them at any time.
    """
    if not runs_on_phases(venue=venue) or venue.phase in META_REVIEW_PHASES:
        return ""
    if phase_position(venue.phase) < Phase.REVIEWING.position:
        return (
            f"{venue.name} takes meta-reviews once its reviewing phase opens; "
            "there are no reviews to sum up yet."
        )
    return (
        f"{venue.name} has released its decisions; meta-reviews can no longer be written "
        "or changed."
    )


def phase_next(*, venue: Venue, timeline: list[VenuePhase] | None = None) -> Phase | None:
    """The phase that follows the current one: the next on the venue's timeline (the next
    in the enum's order for a venue without a timeline), or None after the last."""
    here = phase_position(venue.phase)
    planned = timeline if timeline is not None else venue_timeline(venue=venue)
    later = sorted(
        {Phase(row.phase) for row in planned if Phase(row.phase).position > here},
        key=lambda p: p.position,
    )
    if planned:
        return later[0] if later else None
    following = [p for p in Phase if p.position > here]
    return following[0] if following else None


def phase_due(*, venue: Venue, now: datetime, timeline: list[VenuePhase] | None = None):
    """The latest phase of the timeline that has started by `now`, if it lies ahead of the
    venue's current phase; else None."""
    planned = timeline if timeline is not None else venue_timeline(venue=venue)
    started = [Phase(row.phase) for row in planned if row.starts_at <= now]
    if not started:
        return None
    latest = max(started, key=lambda p: p.position)
    return latest if latest.position > phase_position(venue.phase) else None


def phase_job_active(*, venue: Venue) -> PhaseJob | None:
    """The phase job of `venue` still queued or running, if any."""
    return (
        venue.phase_jobs.filter(status__in=[PhaseJobStatus.QUEUED, PhaseJobStatus.RUNNING])
        .order_by("-created_at", "-pk")
        .first()
    )


def phase_jobs_of(*, venue: Venue) -> QuerySet[PhaseJob]:
    """The venue's phase jobs, newest first, with who started them."""
    return venue.phase_jobs.select_related("created_by").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class TimelineRow:
    """One phase for display: its plan (if any) and where the venue stands."""

    phase: Phase
    starts_at: datetime | None
    ends_at: datetime | None
    is_current: bool
    is_past: bool
    abstracts_due: datetime | None = None


def timeline_rows(*, venue: Venue, timeline: list[VenuePhase] | None = None) -> list[TimelineRow]:
    """Every phase in order, with the venue's planned dates where it has them."""
    rows_of = timeline if timeline is not None else venue_timeline(venue=venue)
    planned = {row.phase: row for row in rows_of}
    here = phase_position(venue.phase)
    rows = []
    for phase in Phase:
        row = planned.get(phase)
        rows.append(
            TimelineRow(
                phase=phase,
                starts_at=row.starts_at if row else None,
                ends_at=row.ends_at if row else None,
                abstracts_due=row.abstracts_due if row else None,
                is_current=phase.position == here,
                is_past=phase.position < here,
            )
        )
    return rows


@dataclass(frozen=True)
class ScreeningRow:
    """A paper waiting in the screening queue, with what the checks found in its files."""

    submission: Submission
    page_count: int | None
    over_page_limit: bool
    anonymity_findings: list[str]
    anonymity_acknowledged: bool
    keywords_missing: bool

    @property
    def flags(self) -> list[str]:
        found = []
        if self.over_page_limit:
            found.append(f"{self.page_count} pages, over the limit")
        if self.anonymity_findings:
            found.append("may identify its authors")
        if self.keywords_missing:
            found.append("no keywords")
        return found


def screening_rows(
    *, venue: Venue, exclude_ids=(), action_editor=None, limit: int | None = None
) -> list[ScreeningRow]:
    """The screening queue of `venue` with each paper's latest submitted version's checks.

    Two queries whatever the number of papers. `action_editor` limits the queue to one area
    chair's papers; `exclude_ids` are papers the viewer may not see (recused).
    """
    from django.db.models import Prefetch

    from journal.enums import VersionKind
    from journal.models import SubmissionVersion

    papers = screening_queue(venue=venue, exclude_ids=exclude_ids)
    if action_editor is not None:
        papers = papers.filter(action_editor=action_editor)
    latest = SubmissionVersion.objects.filter(kind=VersionKind.SUBMISSION).order_by("-number")
    papers = papers.select_related("action_editor").prefetch_related(
        Prefetch("versions", queryset=latest, to_attr="submission_versions")
    )
    if limit is not None:
        papers = papers[:limit]
    rows = []
    for paper in papers:
        version = paper.submission_versions[0] if paper.submission_versions else None
        pages = version.page_count if version else None
        rows.append(
            ScreeningRow(
                submission=paper,
                page_count=pages,
                over_page_limit=bool(venue.page_limit and pages and pages > venue.page_limit),
                anonymity_findings=list((version.anonymity_findings or []) if version else []),
                anonymity_acknowledged=bool(version and version.anonymity_acknowledged),
                keywords_missing=not paper.keywords,
            )
        )
    return rows
