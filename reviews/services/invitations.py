"""Invitations to review: create one, and the one transition function that answers it.

`invitation_create` is the entry point for editors (manual) and for the deployment of a
matching proposal (`source="matching"`). Every later change of state goes through
`invitation_transition`, which saves, audits and notifies.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from journal.enums import SubmissionState
from journal.errors import DeadlineError, DomainError, TransitionError
from journal.limits import text_limits_check
from journal.models import Submission, User
from journal.rules import authors_paper_now, forget_access
from journal.selectors.availability import person_away, review_window
from journal.selectors.phases import submission_is_screened
from journal.services.audit import audit_log
from journal.services.webhooks import webhook_emit_invitation
from reviews.enums import InvitationSource, InvitationState, ReviewState
from reviews.models import Review, ReviewInvitation
from reviews.selectors.conflicts import conflicts_for_pair
from reviews.selectors.reviewers import reviewer_load, reviewer_role, reviewer_suggestions
from reviews.services.notify import handling_editors, notify
from reviews.services.reviews import round_release_if_complete
from reviews.services.rounds import round_current_or_open

I = InvitationState  # noqa: E741


class ConflictWarning(DomainError):
    """A manual invitation that would go to someone with a possible conflict of interest."""

    def __init__(self, message: str, *, reasons: list[str]) -> None:
        super().__init__(message, field="reviewer")
        self.reasons = reasons


def answer_days() -> int:
    """Return how many days an invited reviewer has to answer."""
    return getattr(settings, "PEERLESS_INVITATION_ANSWER_DAYS", 3)


def invitation_create(
    *,
    submission: Submission,
    reviewer: User,
    invited_by: User | None,
    due: datetime | None = None,
    source: str = InvitationSource.MANUAL,
    note: str = "",
    answer_due: datetime | None = None,
    conflict_warning: str = "",
    allow_conflict: bool = False,
    now: datetime | None = None,
) -> ReviewInvitation:
    """Invite `reviewer` to review `submission` in its current round and e-mail them.

    `due` is the review deadline (the venue's review period by default), `answer_due` the
    moment by which they accept or decline. Refused (DomainError) for an author of the
    paper, someone who is not a reviewer at the venue, someone unavailable or at their
    load quota, and someone already asked in this round. A manual invitation is checked for
    conflicts of interest: it raises ConflictWarning unless `allow_conflict`, and then the
    reviewer sees the warning (without author names). Matching proposals come conflict-free.
    """
    text_limits_check(labels={"note": "The note"}, note=note)
    now = now or timezone.now()
    venue = submission.venue
    if submission.state not in SubmissionState.REVIEWING:
        raise TransitionError(
            f"Reviewers cannot be invited while the paper is "
            f"{SubmissionState(submission.state).label.lower()}."
        )
    if submission.state in SubmissionState.REVIEWABLE and not submission_is_screened(
        submission=submission
    ):
        raise TransitionError(
            f"Paper #{submission.number} has not passed screening yet; pass it in the "
            "screening queue before inviting reviewers."
        )
    if authors_paper_now(reviewer, submission):
        raise DomainError(f"{reviewer} is an author of this paper.")
    role = reviewer_role(venue=venue, user=reviewer)
    if role is None:
        raise DomainError(f"{reviewer} is not a reviewer at {venue.name}.")
    if not reviewer.is_active:
        raise DomainError(f"{reviewer}'s account is inactive.")
    start = timezone.localdate(now)
    away = person_away(
        user=reviewer,
        venue=venue,
        start=start,
        end=timezone.localdate(due) if due else review_window(venue=venue, start=start)[1],
    )
    if away is not None:
        raise DomainError(f"{reviewer} is unavailable ({away}) and takes no new papers then.")
    if role.load_quota is not None:
        load = reviewer_load(venue=venue, user=reviewer, period=role.load_period)
        if load >= role.load_quota:
            raise DomainError(f"{reviewer} has reached their quota of {role.load_quota} papers.")
    if source not in InvitationSource.values:
        raise DomainError(f"Unknown invitation source '{source}'.")
    rules: list[str] = []
    if source == InvitationSource.MANUAL:
        reasons = conflicts_for_pair(submission=submission, reviewer=reviewer)
        if reasons and not allow_conflict:
            raise ConflictWarning(
                f"Possible conflict of interest with {reviewer}: "
                + " ".join(r.message for r in reasons),
                reasons=[r.message for r in reasons],
            )
        rules = sorted({r.rule for r in reasons})
        found = " ".join(r.message for r in reasons)
        conflict_warning = " ".join(filter(None, [conflict_warning.strip(), found]))
    with transaction.atomic():
        review_round = round_current_or_open(submission=submission, actor=invited_by, now=now)
        due = due or review_round.review_due or now + timedelta(days=_review_days(submission))
        answer_due = answer_due or min(now + timedelta(days=answer_days()), due)
        try:
            with transaction.atomic():
                invitation = ReviewInvitation.objects.create(
                    round=review_round,
                    submission=submission,
                    reviewer=reviewer,
                    invited_by=invited_by,
                    source=source,
                    note=note.strip(),
                    answer_due=answer_due,
                    review_due=due,
                    conflict_warning=conflict_warning,
                    conflict_rules=rules,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            raise DomainError(f"{reviewer} has already been asked in this round.") from None
        audit_log(
            venue=venue,
            submission=submission,
            actor=invited_by,
            action="invitation.create",
            to_state=I.PENDING,
            data={"invitation": invitation.pk, "reviewer": reviewer.pk, "source": source},
            at=now,
        )
        notify(
            people=[reviewer],
            template="reviews/emails/invitation",
            submission=submission,
            context={"invitation": invitation},
            now=now,
        )
    return invitation


def _review_days(submission: Submission) -> int:
    latest = submission.versions.order_by("-number").first()
    return submission.venue.review_period_for(latest.page_count if latest else None)


@dataclass(frozen=True)
class _Rule:
    sources: frozenset[str]
    actor_is_reviewer: bool = False


RULES = {
    I.ACCEPTED: _Rule(frozenset({I.PENDING}), actor_is_reviewer=True),
    I.DECLINED: _Rule(frozenset({I.PENDING}), actor_is_reviewer=True),
    I.EXPIRED: _Rule(frozenset({I.PENDING})),
    I.WITHDRAWN: _Rule(I.ACTIVE),
}


def invitation_transition(
    *,
    invitation: ReviewInvitation,
    to_state: str,
    actor: User | None,
    reason: str = "",
    now: datetime | None = None,
) -> ReviewInvitation:
    """Move `invitation` to `to_state` (accepted, declined, expired, withdrawn) or refuse."""
    text_limits_check(labels={"reason": "The reason"}, reason=reason)
    now = now or timezone.now()
    try:
        target = InvitationState(to_state)
    except ValueError:
        raise TransitionError(f"'{to_state}' is not an invitation state.") from None
    with transaction.atomic():
        locked = (
            ReviewInvitation.objects.select_for_update(of=("self",))
            .select_related("submission__venue", "submission__action_editor", "round", "reviewer")
            .get(pk=invitation.pk)
        )
        source = InvitationState(locked.state)
        rule = RULES.get(target)
        if rule is None or source not in rule.sources:
            raise TransitionError(
                f"This invitation is {source.label.lower()}; it cannot become "
                f"{target.label.lower()}."
            )
        if rule.actor_is_reviewer and (actor is None or actor.pk != locked.reviewer_id):
            raise TransitionError("Only the invited reviewer can answer this invitation.")
        fields = ["state", "updated_at"]
        if target == I.ACCEPTED:
            if now > locked.answer_due:
                raise DeadlineError("The time to answer this invitation has passed.")
            if locked.submission.state not in SubmissionState.REVIEWING:
                raise TransitionError("This paper is no longer under review.")
            locked.reviewer_number = _reviewer_number(locked)
            fields.append("reviewer_number")
        if target == I.DECLINED:
            if not reason.strip():
                raise TransitionError("Tell the editor briefly why you decline.")
            locked.decline_reason = reason.strip()
            fields.append("decline_reason")
        if target == I.WITHDRAWN and _has_submitted_review(locked):
            raise TransitionError("The reviewer has submitted a review; it cannot be withdrawn.")
        if target in {I.ACCEPTED, I.DECLINED}:
            locked.responded_at = now
            fields.append("responded_at")
        locked.state = target
        locked.updated_at = now
        locked.save(update_fields=fields)
        if target == I.ACCEPTED:
            Review.objects.get_or_create(
                invitation=locked,
                defaults={
                    "round": locked.round,
                    "submission": locked.submission,
                    "reviewer": locked.reviewer,
                    "form": locked.round.form,
                    "created_at": now,
                    "updated_at": now,
                },
            )
        audit_log(
            venue=locked.submission.venue,
            submission=locked.submission,
            actor=actor,
            action="invitation.transition",
            from_state=source,
            to_state=target,
            note=reason,
            data={"invitation": locked.pk, "reviewer": locked.reviewer_id},
            at=now,
        )
        _notify(locked, target, now=now)
        if target in {I.ACCEPTED, I.DECLINED}:
            webhook_emit_invitation(invitation=locked, accepted=target == I.ACCEPTED)
        if target in {I.DECLINED, I.EXPIRED, I.WITHDRAWN}:
            round_release_if_complete(review_round=locked.round, now=now)
    _forget_cached_access(actor, locked.reviewer)
    invitation.state = locked.state
    invitation.reviewer_number = locked.reviewer_number
    invitation.decline_reason = locked.decline_reason
    invitation.responded_at = locked.responded_at
    invitation.updated_at = locked.updated_at
    return invitation


def invitation_accept(*, invitation: ReviewInvitation, actor: User) -> ReviewInvitation:
    """Accept the invitation (the reviewer themselves)."""
    return invitation_transition(invitation=invitation, to_state=I.ACCEPTED, actor=actor)


def invitation_decline(*, invitation: ReviewInvitation, actor: User, reason: str):
    """Decline the invitation with a reason for the editor."""
    return invitation_transition(
        invitation=invitation, to_state=I.DECLINED, actor=actor, reason=reason
    )


def invitation_withdraw(*, invitation: ReviewInvitation, actor: User, reason: str = ""):
    """Withdraw an invitation (the editor), e.g. after a late conflict of interest."""
    return invitation_transition(
        invitation=invitation, to_state=I.WITHDRAWN, actor=actor, reason=reason
    )


def invitations_expire(*, now: datetime | None = None) -> int:
    """Expire pending invitations whose answer deadline has passed; return how many."""
    now = now or timezone.now()
    due = ReviewInvitation.objects.filter(state=I.PENDING, answer_due__lt=now).order_by("pk")
    count = 0
    for invitation in due:
        try:
            invitation_transition(invitation=invitation, to_state=I.EXPIRED, actor=None, now=now)
        except TransitionError:
            continue  # answered meanwhile
        count += 1
    return count


def _reviewer_number(invitation: ReviewInvitation) -> int:
    """Return the reviewer's stable number on the paper: kept across rounds, else next."""
    others = ReviewInvitation.objects.filter(submission_id=invitation.submission_id).exclude(
        reviewer_number=None
    )
    mine = others.filter(reviewer_id=invitation.reviewer_id).values_list(
        "reviewer_number", flat=True
    )
    if mine:
        return mine[0]
    return (others.aggregate(n=Max("reviewer_number"))["n"] or 0) + 1


def _has_submitted_review(invitation: ReviewInvitation) -> bool:
    return Review.objects.filter(invitation=invitation, state=ReviewState.SUBMITTED).exists()


def _notify(invitation: ReviewInvitation, target: str, *, now: datetime | None = None) -> None:
    submission = invitation.submission
    context = {"invitation": invitation}
    if target == I.ACCEPTED:
        notify(
            people=[invitation.reviewer],
            template="reviews/emails/invitation_accepted_reviewer",
            submission=submission,
            context=context,
            now=now,
        )
        notify(
            people=handling_editors(submission=submission),
            template="reviews/emails/invitation_accepted",
            submission=submission,
            context=context,
            now=now,
        )
    elif target in {I.DECLINED, I.EXPIRED}:
        notify(
            people=handling_editors(submission=submission),
            template="reviews/emails/invitation_declined",
            submission=submission,
            context={
                **context,
                "expired": target == I.EXPIRED,
                "suggestions": reviewer_suggestions(submission=submission),
            },
            now=now,
        )
    elif target == I.WITHDRAWN:
        notify(
            people=[invitation.reviewer],
            template="reviews/emails/invitation_withdrawn",
            submission=submission,
            context=context,
            now=now,
        )


def _forget_cached_access(*people: User | None) -> None:
    for person in people:
        if person is not None:
            forget_access(person, "_peerless_reviewing")
