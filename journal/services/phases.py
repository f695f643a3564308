"""A conference's phases: the one place where `Venue.phase` changes, and its timeline.

`venue_phase_enter` locks the venue, checks the move (forward only: to the next phase, or to
a later one when the caller confirms the jump), saves the phase, records a `PhaseJob`,
audits with the actor and, once the transaction commits, e-mails the chairs and starts the
job that does the venue-wide work (see `journal.services.phase_steps`). `venues_advance_due`
is what the periodic task calls: it enters every phase whose start has come.

`venue_timeline_set` replaces the venue's timeline after checking it (known phases, in order,
not overlapping, time-zone aware); only the venue's chairs edit it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from journal.enums import Phase, RoleKind, VenueKind
from journal.errors import DomainError, TransitionError
from journal.models import PhaseJob, User, Venue, VenuePhase
from journal.selectors.people import venue_people
from journal.selectors.phases import (
    phase_due,
    phase_job_active,
    phase_next,
    phase_position,
    venue_timeline,
)
from journal.services.audit import audit_log
from journal.services.email import email_queue


class PhaseJumpError(TransitionError):
    """A move past the next phase that the caller has not confirmed."""


def _refuse_move(venue: Venue, target: Phase, confirm: bool, timeline: list[VenuePhase]) -> None:
    if venue.kind != VenueKind.CONFERENCE:
        raise TransitionError(
            f"{venue.name} is a journal: it reviews papers as they come and has no phases."
        )
    here = phase_position(venue.phase)
    current = Phase(venue.phase).label.lower() if venue.phase else "not started"
    if target.position == here:
        raise TransitionError(f"{venue.name} is already in the {target.label.lower()} phase.")
    if target.position < here:
        raise TransitionError(
            f"{venue.name} is in the {current} phase; phases only move forward, so it cannot "
            f"go back to {target.label.lower()}. Give single papers more time instead "
            "(an extension on the paper's page)."
        )
    following = phase_next(venue=venue, timeline=timeline)
    if following is not None and target != following and not confirm:
        raise PhaseJumpError(
            f"The phase after {current} is {following.label.lower()}; going straight to "
            f"{target.label.lower()} skips phases. Confirm the jump to do it."
        )
    running = phase_job_active(venue=venue)
    if running is not None:
        raise TransitionError(
            f"The work of entering {Phase(running.phase).label.lower()} is still running "
            f"({running.progress}%); wait until it has finished."
        )


def phase_move_check(*, venue: Venue, phase: Phase | str, confirm: bool = False) -> None:
    """Raise TransitionError if `venue` may not move to `phase` now (see `venue_phase_enter`)."""
    _refuse_move(venue, Phase(phase), confirm, venue_timeline(venue=venue))


def venue_phase_enter(
    *,
    venue: Venue,
    phase: Phase | str,
    actor: User | None,
    confirm: bool = False,
    now: datetime | None = None,
) -> PhaseJob:
    """Move `venue` into `phase` and queue the venue-wide work; return the job.

    Refused (TransitionError) for journals, for the current or an earlier phase, while the
    work of the previous change still runs, and (PhaseJumpError) for a phase beyond the next
    one unless `confirm`. `actor` None is the schedule (the periodic task).
    """
    from journal.tasks import phase_job_task

    now = now or timezone.now()
    try:
        target = Phase(phase)
    except ValueError:
        raise DomainError(f"'{phase}' is not a phase.", field="phase") from None
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        timeline = venue_timeline(venue=locked)
        _refuse_move(locked, target, confirm, timeline)
        source = locked.phase
        locked.phase = target
        locked.save(update_fields=["phase"])
        job = PhaseJob.objects.create(
            venue=locked, from_phase=source, phase=target, created_by=actor, created_at=now
        )
        audit_log(
            venue=locked,
            actor=actor,
            action="venue.phase",
            from_state=source,
            to_state=target,
            data={"job": job.pk, "scheduled": actor is None},
            at=now,
        )
        _notify_chairs(locked, source, target, job)
        transaction.on_commit(lambda: phase_job_task.delay(job.pk))
    venue.phase = target
    return job


def _notify_chairs(venue: Venue, source: str, target: Phase, job: PhaseJob) -> None:
    for chair in venue_people(venue=venue, role=RoleKind.CHIEF):
        email_queue(
            to=chair.email,
            recipient=chair,
            template="journal/emails/phase_entered",
            context={
                "name": chair.display_name,
                "phase": target.label,
                "from_phase": Phase(source).label if source else "",
                "job": job,
                "scheduled": job.created_by_id is None,
            },
            venue=venue,
            dedupe_key=f"phase:{job.pk}:{chair.pk}",
        )


def venues_advance_due(*, now: datetime | None = None) -> int:
    """Enter the due phase of every conference whose next phase has started; return how many.

    Safe to run twice at once: a venue locked by another run is skipped, and a venue already
    in its due phase has nothing due.
    """
    now = now or timezone.now()
    ids = list(
        Venue.objects.filter(kind=VenueKind.CONFERENCE, phases__starts_at__lte=now)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    entered = 0
    for venue_id in ids:
        with transaction.atomic():
            venue = (
                Venue.objects.select_for_update(skip_locked=True).filter(pk=venue_id).first()
            )
            if venue is None:
                continue
            due = phase_due(venue=venue, now=now)
            if due is None or phase_job_active(venue=venue) is not None:
                continue
            venue_phase_enter(venue=venue, phase=due, actor=None, confirm=True, now=now)
            entered += 1
    return entered


@dataclass(frozen=True)
class PlannedPhase:
    """One row of a timeline to save: a phase with its (time-zone aware) start and end."""

    phase: str
    starts_at: datetime
    ends_at: datetime
    #: The submission phase's abstract deadline (registration of new papers), if it has one.
    abstracts_due: datetime | None = None


def timeline_check(*, venue: Venue, phases: Iterable[PlannedPhase]) -> list[PlannedPhase]:
    """Return the rows in timeline order, or raise DomainError saying what is wrong."""
    if venue.kind != VenueKind.CONFERENCE:
        raise DomainError(f"{venue.name} is a journal; only conferences have a timeline.")
    rows: list[PlannedPhase] = []
    seen: set[str] = set()
    for row in phases:
        try:
            phase = Phase(row.phase)
        except ValueError:
            raise DomainError(f"'{row.phase}' is not a phase.", field="phase") from None
        if phase in seen:
            raise DomainError(f"{phase.label} is listed twice.", field=phase.value)
        seen.add(phase)
        for moment in (row.starts_at, row.ends_at):
            if moment is None:
                raise DomainError(f"Give {phase.label} a start and an end.", field=phase.value)
            if timezone.is_naive(moment):
                raise DomainError(
                    f"Give the times of {phase.label} with their time zone.", field=phase.value
                )
        if row.ends_at <= row.starts_at:
            raise DomainError(f"{phase.label} must end after it starts.", field=phase.value)
        abstracts = getattr(row, "abstracts_due", None)
        if abstracts is not None:
            if phase != Phase.SUBMISSION:
                raise DomainError(
                    "Only the submission phase has an abstract deadline.", field=phase.value
                )
            if timezone.is_naive(abstracts) or not row.starts_at < abstracts <= row.ends_at:
                raise DomainError(
                    "The abstract deadline falls within the submission phase, at the latest "
                    "with the full-paper deadline (its end).",
                    field=phase.value,
                )
        rows.append(
            PlannedPhase(
                phase=phase, starts_at=row.starts_at, ends_at=row.ends_at, abstracts_due=abstracts
            )
        )
    rows.sort(key=lambda r: Phase(r.phase).position)
    for before, after in pairwise(rows):
        first, second = Phase(before.phase).label, Phase(after.phase).label
        if after.starts_at < before.ends_at:
            raise DomainError(
                f"{second} starts before {first} ends; phases follow one another without "
                "overlapping.",
                field=after.phase,
            )
    return rows


def venue_timeline_set(
    *, venue: Venue, actor: User, phases: Iterable[PlannedPhase]
) -> list[VenuePhase]:
    """Replace the timeline of `venue` (chairs only); return it in order.

    Phases left out are taken off the timeline. The submission phase's end becomes the
    submission deadline, the camera-ready phase's end the camera-ready deadline. The current
    phase is not changed here: the schedule (or a chair) enters phases.
    """
    if not actor.has_perm("journal.manage_venue", venue):
        raise TransitionError(f"Only a program chair of {venue.name} edits its timeline.")
    rows = timeline_check(venue=venue, phases=phases)
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        keep = [r.phase for r in rows]
        locked.phases.exclude(phase__in=keep).delete()
        existing = {p.phase: p for p in locked.phases.all()}
        for row in rows:
            current = existing.get(row.phase)
            planned_times = (row.starts_at, row.ends_at, row.abstracts_due)
            if current is None:
                VenuePhase.objects.create(
                    venue=locked,
                    phase=row.phase,
                    starts_at=row.starts_at,
                    ends_at=row.ends_at,
                    abstracts_due=row.abstracts_due,
                )
            elif (current.starts_at, current.ends_at, current.abstracts_due) != planned_times:
                current.starts_at, current.ends_at, current.abstracts_due = planned_times
                current.save(update_fields=["starts_at", "ends_at", "abstracts_due"])
        planned = {r.phase: r for r in rows}
        fields = []
        for phase, field in (
            (Phase.SUBMISSION, "submission_deadline"),
            (Phase.CAMERA_READY, "camera_ready_deadline"),
        ):
            if phase in planned and getattr(locked, field) != planned[phase].ends_at:
                setattr(locked, field, planned[phase].ends_at)
                fields.append(field)
        if fields:
            locked.save(update_fields=fields)
            for field in fields:
                setattr(venue, field, getattr(locked, field))
        audit_log(
            venue=locked,
            actor=actor,
            action="venue.timeline",
            data={
                r.phase: [r.starts_at.isoformat(), r.ends_at.isoformat()]
                + ([r.abstracts_due.isoformat()] if r.abstracts_due else [])
                for r in rows
            },
        )
    venue.__dict__.pop("_peerless_has_timeline", None)
    return venue_timeline(venue=venue)
