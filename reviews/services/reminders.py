"""Reminders before and after each deadline, and escalation of overdue work.

Run by a periodic task. For every open piece of work (an invitation to answer, a review to
write, a recommendation to give, a decision to take) it finds the latest configured offset
that has come, and queues that reminder with a dedupe key: the outbox's unique key makes
sure nobody gets the same reminder twice, however often or concurrently the job runs.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from journal.enums import SubmissionState
from journal.errors import DomainError, TransitionError
from journal.models import OutboundEmail, Submission, User
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
}
#: Hours after the deadline at which overdue work is escalated to the editors-in-chief.
DEFAULT_ESCALATION = {K.REVIEW: 7 * 24, K.RECOMMENDATION: 72, K.DECISION: 72}
OPEN_REVIEW_STATES = (SubmissionState.UNDER_REVIEW, SubmissionState.DECISION_PENDING)


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
        submission__state__in=OPEN_REVIEW_STATES,
    ).select_related("invitation", "submission__venue", "submission__action_editor", "reviewer")
    for review in reviews:
        yield Due(
            K.REVIEW,
            str(review.pk),
            review.invitation.review_due,
            review.submission,
            [review.reviewer],
            {"review": review},
        )
    rounds = ReviewRound.objects.filter(
        recommendation_due__lte=_window(K.RECOMMENDATION, now),
        submission__state__in=OPEN_REVIEW_STATES,
    ).select_related("submission__venue", "submission__action_editor")
    for review_round in rounds:
        given = set(review_round.recommendations.values_list("reviewer_id", flat=True))
        for review in review_round.reviews.filter(state=ReviewState.SUBMITTED).select_related(
            "reviewer"
        ):
            if review.reviewer_id in given:
                continue
            yield Due(
                K.RECOMMENDATION,
                f"{review_round.pk}-{review.reviewer_id}",
                review_round.recommendation_due,
                review_round.submission,
                [review.reviewer],
                {"round": review_round},
            )
    rounds = ReviewRound.objects.filter(
        decision_due__lte=_window(K.DECISION, now),
        submission__state__in=OPEN_REVIEW_STATES,
    ).select_related("submission__venue", "submission__action_editor")
    for review_round in rounds:
        if review_round.submission.review_rounds.filter(number__gt=review_round.number).exists():
            continue
        yield Due(
            K.DECISION,
            str(review_round.pk),
            review_round.decision_due,
            review_round.submission,
            handling_editors(submission=review_round.submission),
            {"round": review_round},
        )


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
        if passed:
            offset = max(passed)
            queued += notify(
                people=due.people,
                template=f"reviews/emails/reminder_{due.kind}",
                submission=due.submission,
                context=context,
                dedupe_key=f"reminder:{due.kind}:{due.key}:{offset}",
            )
        after = escalate.get(due.kind)
        if after is not None and now >= due.deadline + timedelta(hours=after):
            queued += notify(
                people=chiefs(submission=due.submission),
                template="reviews/emails/escalation",
                submission=due.submission,
                context={**context, "owed_by": due.people},
                dedupe_key=f"escalation:{due.kind}:{due.key}",
            )
    return queued


#: An editor may remind the same invitation at most once in this many seconds.
MANUAL_REMINDER_EVERY = 3600


def _manual_reminder_of(invitation: ReviewInvitation, now: datetime) -> tuple[str, dict]:
    """Return the reminder template and context for an invitation, or refuse."""
    who = invitation.reviewer.display_name or invitation.reviewer.email
    if invitation.submission.state not in OPEN_REVIEW_STATES:
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
