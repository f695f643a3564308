"""Reminders before and after each deadline, and escalation of overdue work.

Run by a periodic task. For every open piece of work (an invitation to answer, a review to
write, and the stages of the paper's clock: an action editor to assign, reviewers to find,
a recommendation to give, a decision to take, a decision to approve) it finds the latest
configured offset that has come, and queues that reminder with a dedupe key: the outbox's
unique key makes sure nobody gets the same reminder twice, however often or concurrently
the job runs. A deadline that was extended starts its reminders afresh. The stages'
deadlines come from `journal.selectors.deadlines` (the venue's days per stage, or the date
typed on the round where the venue sets none).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from journal.enums import Stage, SubmissionState
from journal.errors import DomainError, TransitionError
from journal.models import OutboundEmail, StageExtension, Submission, User
from journal.selectors.deadlines import stage_clocks
from journal.services.audit import audit_log
from journal.services.email import email_queue
from reviews.enums import InvitationState, ReminderKind, ReviewState
from reviews.models import Review, ReviewInvitation, ReviewRound
from reviews.services.notify import chiefs, handling_editors, notify

K = ReminderKind
#: Hours relative to the deadline (negative: before it) at which a reminder goes out.
DEFAULT_OFFSETS = {
    K.INVITATION: [-24],
    K.REVIEW: [-72, -24, 24, 72],
    K.RECOMMENDATION: [-24, 24],
    K.DECISION: [-24, 24],
    K.EDITOR_ASSIGNMENT: [-24, 24],
    K.REVIEWER_ASSIGNMENT: [-24, 24],
    K.APPROVAL: [-24, 24],
}
#: Hours after the deadline at which overdue work is escalated to the editors-in-chief.
DEFAULT_ESCALATION = {
    K.REVIEW: 7 * 24,
    K.RECOMMENDATION: 72,
    K.DECISION: 72,
    K.REVIEWER_ASSIGNMENT: 72,
}


def offsets() -> dict[str, list[int]]:
    """Return the configured reminder offsets in hours, by kind."""
    return {**DEFAULT_OFFSETS, **getattr(settings, "PEERLESS_REMINDER_OFFSETS", {})}


def escalations() -> dict[str, int]:
    """Return after how many hours overdue work of each kind goes to the chiefs."""
    return {**DEFAULT_ESCALATION, **getattr(settings, "PEERLESS_ESCALATE_AFTER_HOURS", {})}


@dataclass(frozen=True)
class Due:
    """One open piece of work with its deadline and the people who owe it."""

    kind: str
    key: str
    deadline: datetime
    submission: Submission
    people: list[User]
    context: dict
    #: The deadline was extended: its reminders are new ones, not the ones already sent.
    moved: bool = False


def _window(kind: str, now: datetime) -> datetime:
    """Return the latest deadline that can already have a reminder due."""
    earliest = min(offsets()[kind], default=0)
    return now + timedelta(hours=max(0, -earliest))


def _open_work(now: datetime) -> Iterator[Due]:
    invitations = ReviewInvitation.objects.filter(
        state=InvitationState.PENDING, answer_due__lte=_window(K.INVITATION, now)
    ).select_related("submission__venue", "reviewer")
    for inv in invitations:
        yield Due(
            K.INVITATION,
            str(inv.pk),
            inv.answer_due,
            inv.submission,
            [inv.reviewer],
            {"invitation": inv},
        )
    reviews = Review.objects.filter(
        state=ReviewState.DRAFT,
        invitation__state=InvitationState.ACCEPTED,
        invitation__review_due__lte=_window(K.REVIEW, now),
        submission__state__in=SubmissionState.IN_REVIEW,
    ).select_related("invitation", "submission__venue", "submission__action_editor", "reviewer")
    extended = set(
        StageExtension.objects.filter(
            stage=Stage.REVIEWS, submission__state__in=SubmissionState.IN_REVIEW
        ).values_list("submission_id", flat=True)
    )
    for review in reviews:
        yield Due(
            K.REVIEW,
            str(review.pk),
            review.invitation.review_due,
            review.submission,
            [review.reviewer],
            {"review": review},
            review.submission_id in extended,
        )
    yield from _stage_work(now)


#: The reminder kind of each stage whose deadline the stage clock computes.
STAGE_KINDS = {
    Stage.EDITOR_ASSIGNMENT: K.EDITOR_ASSIGNMENT,
    Stage.REVIEWER_ASSIGNMENT: K.REVIEWER_ASSIGNMENT,
    Stage.RECOMMENDATIONS: K.RECOMMENDATION,
    Stage.META_REVIEW: K.DECISION,
    Stage.APPROVAL: K.APPROVAL,
}


def _stage_work(now: datetime) -> Iterator[Due]:
    """Yield the open stages whose deadline (from the stage clock) has a reminder coming."""
    reviewing = Submission.objects.filter(state__in=SubmissionState.REVIEWING)
    clocks = stage_clocks(submissions=reviewing, now=now)
    due_soon = {
        pk: [
            s
            for s in clock.stages
            if s.stage in STAGE_KINDS
            and s.ended is None
            and s.due is not None
            and s.due <= _window(STAGE_KINDS[s.stage], now)
        ]
        for pk, clock in clocks.items()
    }
    wanted = [pk for pk, stages in due_soon.items() if stages]
    papers = Submission.objects.filter(pk__in=wanted).select_related("venue", "action_editor")
    for submission in papers.order_by("pk"):
        clock = clocks[submission.pk]
        for stage in due_soon[submission.pk]:
            yield from _stage_due(submission, clock.cycle, clock.round_id, stage)


def _stage_due(submission: Submission, cycle: int, round_id: int | None, stage) -> Iterator[Due]:
    kind = STAGE_KINDS[stage.stage]
    moved = stage.extended_days > 0
    context = {"stage": stage}
    key = f"{submission.pk}-{cycle}"
    if kind in {K.RECOMMENDATION, K.DECISION}:
        if submission.state not in SubmissionState.IN_REVIEW or round_id is None:
            return
        review_round = ReviewRound.objects.get(pk=round_id)
        context["round"] = review_round
        if kind == K.DECISION:
            people = handling_editors(submission=submission)
            yield Due(kind, str(round_id), stage.due, submission, people, context, moved)
            return
        given = set(review_round.recommendations.values_list("reviewer_id", flat=True))
        for review in review_round.reviews.filter(state=ReviewState.SUBMITTED).select_related(
            "reviewer"
        ):
            if review.reviewer_id not in given:
                key = f"{round_id}-{review.reviewer_id}"
                yield Due(kind, key, stage.due, submission, [review.reviewer], context, moved)
        return
    if kind == K.REVIEWER_ASSIGNMENT:
        people = handling_editors(submission=submission)
    else:
        people = chiefs(submission=submission)
    yield Due(kind, key, stage.due, submission, people, context, moved)


def reminders_send(*, now: datetime | None = None) -> int:
    """Queue the reminders and escalations that are due; return how many were queued."""
    now = now or timezone.now()
    all_offsets, escalate = offsets(), escalations()
    queued = 0
    for due in _open_work(now):
        passed = [
            o for o in all_offsets.get(due.kind, []) if due.deadline + timedelta(hours=o) <= now
        ]
        context = {
            **due.context,
            "deadline": due.deadline,
            "overdue": now > due.deadline,
            "kind": K(due.kind),
        }
        moved = f":{due.deadline:%Y%m%d%H%M}" if due.moved else ""
        if passed:
            offset = max(passed)
            queued += notify(
                people=due.people,
                template=f"reviews/emails/reminder_{due.kind}",
                submission=due.submission,
                context=context,
                dedupe_key=f"reminder:{due.kind}:{due.key}:{offset}{moved}",
            )
        after = escalate.get(due.kind)
        if after is not None and now >= due.deadline + timedelta(hours=after):
            queued += notify(
                people=chiefs(submission=due.submission),
                template="reviews/emails/escalation",
                submission=due.submission,
                context={**context, "owed_by": due.people},
                dedupe_key=f"escalation:{due.kind}:{due.key}{moved}",
            )
    return queued


#: An editor may remind the same invitation at most once in this many seconds.
MANUAL_REMINDER_EVERY = 3600


def _manual_reminder_of(invitation: ReviewInvitation, now: datetime) -> tuple[str, dict]:
    """Return the reminder template and context for an invitation, or refuse."""
    who = invitation.reviewer.display_name or invitation.reviewer.email
    if invitation.submission.state not in SubmissionState.IN_REVIEW:
        raise TransitionError("This paper is no longer under review; nobody needs reminding.")
    if invitation.state == InvitationState.PENDING:
        deadline = invitation.answer_due
        return "reviews/emails/reminder_invitation", {
            "invitation": invitation,
            "deadline": deadline,
            "overdue": now > deadline,
            "kind": K.INVITATION,
        }
    if invitation.state != InvitationState.ACCEPTED:
        raise TransitionError(
            f"{who}'s invitation is {invitation.get_state_display().lower()}: "
            "there is nothing to remind them of."
        )
    review = Review.objects.filter(invitation=invitation).first()
    if review is None or review.state != ReviewState.DRAFT:
        raise TransitionError(f"{who} has already submitted their review.")
    deadline = invitation.review_due
    return "reviews/emails/reminder_review", {
        "review": review,
        "deadline": deadline,
        "overdue": now > deadline,
        "kind": K.REVIEW,
    }


def reminder_send_manual(*, invitation: ReviewInvitation, actor: User) -> OutboundEmail:
    """Queue a reminder to the reviewer of an open invitation or an unsubmitted review.

    Refuse answered or closed invitations and submitted reviews, and a second reminder of
    the same invitation within the hour (the outbox's dedupe key makes this hold even
    for two editors clicking at once).
    """
    now = timezone.now()
    template, context = _manual_reminder_of(invitation, now)
    reviewer = invitation.reviewer
    who = reviewer.display_name or reviewer.email
    prefix = f"reminder:manual:{invitation.pk}:"
    recent = OutboundEmail.objects.filter(
        dedupe_key__startswith=prefix,
        created_at__gt=now - timedelta(seconds=MANUAL_REMINDER_EVERY),
    )
    if recent.exists():
        raise DomainError(f"{who} was reminded less than an hour ago; try again later.")
    bucket = int(now.timestamp()) // MANUAL_REMINDER_EVERY
    submission = invitation.submission
    with transaction.atomic():
        email = email_queue(
            to=reviewer.email,
            recipient=reviewer,
            template=template,
            context={"submission": submission, "name": reviewer.display_name, **context},
            venue=submission.venue,
            submission=submission,
            dedupe_key=f"{prefix}{bucket}",
        )
        if email is None:
            raise DomainError(f"{who} was reminded less than an hour ago; try again later.")
        audit_log(
            venue=submission.venue,
            actor=actor,
            action="reminder.sent",
            submission=submission,
            data={"invitation": invitation.pk, "kind": str(context["kind"]), "email": email.pk},
        )
    return email
