"""Extend a stage deadline of one paper, with a reason, recorded in the audit log.

Who may extend which stage is decided by `journal.rules.EXTEND_PERMISSIONS`; callers check
it first. An extension counts for the paper's current cycle only: a resubmission starts a new
clock. Extending the reviews moves the deadline of every review not yet in (the reviewers
read it and the reminders follow it).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from journal.enums import AuditVisibility, Stage, SubmissionState
from journal.errors import DomainError, TransitionError
from journal.limits import text_limits_check
from journal.models import StageExtension, Submission, User
from journal.selectors.deadlines import submission_clock
from journal.services.audit import audit_log
from reviews.enums import InvitationState, ReviewState
from reviews.models import ReviewInvitation
from reviews.services.notify import notify

MAX_EXTENSION_DAYS = 90


def stage_extend(
    *,
    submission: Submission,
    stage: str,
    days: int,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> StageExtension:
    """Give `submission` `days` more for `stage` in its current cycle, or refuse saying why.

    Refused: an unknown stage, days outside 1-90, no reason, a paper that is not open or not
    submitted, a stage that is over, and reviews that nobody has accepted to write yet.
    """
    now = now or timezone.now()
    try:
        target = Stage(stage)
    except ValueError:
        raise DomainError(f"'{stage}' is not a stage of the paper.", field="stage") from None
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise DomainError(
            f"An extension is 1 to {MAX_EXTENSION_DAYS} whole days.", field="days"
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give a reason for the extension; it is recorded.", field="reason")
    text_limits_check(limit=1000, labels={"reason": "The reason"}, reason=reason)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("venue").get(
            pk=submission.pk
        )
        if locked.state not in SubmissionState.OPEN:
            raise TransitionError("The paper is closed; its deadlines can no longer move.")
        clock = submission_clock(submission=locked, now=now)
        if clock is None:
            raise TransitionError("The paper has not been submitted; it has no deadlines yet.")
        current = clock.stage(target)
        if current is None or current.ended is not None:
            raise TransitionError(f"The {target.label.lower()} stage is over; nothing to extend.")
        moved = 0
        if target == Stage.REVIEWS:
            owing = (
                ReviewInvitation.objects.filter(
                    round_id=clock.round_id, state=InvitationState.ACCEPTED
                ).exclude(review__state=ReviewState.SUBMITTED)
                if clock.round_id
                else ReviewInvitation.objects.none()
            )
            owing_ids = list(owing.values_list("pk", flat=True))
            moved = ReviewInvitation.objects.filter(pk__in=owing_ids).update(
                review_due=F("review_due") + timedelta(days=days), updated_at=now
            )
            if not moved:
                raise TransitionError("No review is being written yet; nothing to extend.")
            _tell_reviewers(locked, owing_ids, days=days)
        extension = StageExtension.objects.create(
            submission=locked,
            stage=target,
            cycle=clock.cycle,
            days=days,
            reason=reason,
            granted_by=actor,
            created_at=now,
        )
        due = current.due + timedelta(days=days) if current.due else None
        audit_log(
            venue=locked.venue,
            submission=locked,
            actor=actor,
            action="stage.extended",
            note=reason,
            data={
                "stage": str(target),
                "days": days,
                "cycle": clock.cycle,
                "due": due.isoformat() if due else None,
                "reviews_moved": moved,
            },
            at=now,
            visibility=AuditVisibility.EDITORS,
        )
    return extension


def _tell_reviewers(submission: Submission, invitation_ids: list[int], *, days: int) -> None:
    """E-mail each reviewer whose review deadline moved, with the new date (queued in the
    outbox with the extension: sent once it is committed)."""
    for invitation in ReviewInvitation.objects.filter(pk__in=invitation_ids).select_related(
        "reviewer"
    ):
        notify(
            people=[invitation.reviewer],
            template="reviews/emails/review_extended",
            submission=submission,
            context={"invitation": invitation, "days": days},
        )
