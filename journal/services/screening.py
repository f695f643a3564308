"""Screening before review: a chair or area chair passes a submitted paper, or desk-rejects it.

Passing stamps the paper (`screened_at`, `screened_by`); only passed papers are matched,
invited or bid on at a conference that runs on phases (`journal.selectors.phases`). A desk
rejection is the workflow's own transition. Passing is idempotent: a paper passed twice (a
double click, two chairs at once) keeps its first stamp, and "pass all remaining" passes
only what is still waiting.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from journal.enums import SubmissionState
from journal.errors import DomainError, TransitionError
from journal.models import AuditEvent, Submission, User, Venue
from journal.selectors.phases import screening_queue
from journal.services.audit import audit_log
from journal.services.workflow import submission_transition


def _refuse_unless_screener(actor: User, submission: Submission) -> None:
    if not actor.has_perm("journal.screen_submission", submission):
        raise TransitionError(
            f"Paper #{submission.number} is not yours to screen: you are not its chair or "
            "area chair, or you are an author of it or conflicted with it."
        )


def submission_screen_pass(
    *, submission: Submission, actor: User, now: datetime | None = None
) -> bool:
    """Pass `submission` through screening; return False if it had passed already."""
    _refuse_unless_screener(actor, submission)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("venue").get(
            pk=submission.pk
        )
        if locked.screened_at is not None:
            return False
        if locked.state not in SubmissionState.REVIEWABLE:
            raise TransitionError(
                f"Paper #{locked.number} is {locked.get_state_display().lower()}; only "
                "submitted papers are screened."
            )
        locked.screened_at, locked.screened_by = now, actor
        locked.save(update_fields=["screened_at", "screened_by"])
        audit_log(
            venue=locked.venue, submission=locked, actor=actor, action="submission.screened", at=now
        )
    submission.screened_at, submission.screened_by = now, actor
    return True


def submission_screen_reject(*, submission: Submission, actor: User, reason: str) -> Submission:
    """Desk-reject `submission` from the screening queue, with the reason the authors read."""
    _refuse_unless_screener(actor, submission)
    if not actor.has_perm("journal.desk_reject_submission", submission):
        raise TransitionError(f"You may not desk-reject paper #{submission.number}.")
    return submission_transition(
        submission=submission, to_state=SubmissionState.DESK_REJECTED, actor=actor, note=reason
    )


def submissions_screen_pass_all(
    *,
    venue: Venue,
    actor: User,
    expected: int | None = None,
    exclude_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> int:
    """Pass every paper still waiting in `actor`'s screening queue; return how many.

    `expected` is the count the person confirmed: when more papers wait than that (new ones
    arrived since the page was shown) nothing is passed and the refusal says so. A second
    submission of the same confirmation finds nothing left and passes nothing.
    """
    if not actor.has_perm("journal.manage_venue", venue):
        raise TransitionError(f"Only a program chair of {venue.name} passes papers in bulk.")
    now = now or timezone.now()
    with transaction.atomic():
        waiting = list(
            screening_queue(venue=venue, exclude_ids=set(exclude_ids))
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if expected is not None and len(waiting) > expected:
            raise DomainError(
                f"{len(waiting)} papers are waiting now, more than the {expected} you "
                "confirmed; look at the queue again and confirm the new count."
            )
        if not waiting:
            return 0
        Submission.objects.filter(pk__in=waiting, screened_at=None).update(
            screened_at=now, screened_by=actor
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    venue=venue,
                    submission_id=pk,
                    actor=actor,
                    action="submission.screened",
                    data={"bulk": True},
                    created_at=now,
                )
                for pk in waiting
            ],
            batch_size=1000,
        )
        audit_log(
            venue=venue,
            actor=actor,
            action="screening.pass_all",
            data={"passed": len(waiting)},
            at=now,
        )
    return len(waiting)
