"""Writing a review: drafts saved as the reviewer types, submissions kept as versions.

`review_transition` is the one function that changes a review: it saves a draft or submits
(a first submission or an edit), audits, notifies, and releases a journal round once all
its assigned reviews are in.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from journal.enums import SubmissionState
from journal.errors import DeadlineError, DomainError, FieldErrors, TransitionError
from journal.models import User
from journal.services.audit import audit_log
from journal.services.scores import paper_scores_refresh
from journal.services.webhooks import webhook_emit_review
from reviews.enums import InvitationState, ReviewState
from reviews.models import Review, ReviewInvitation, ReviewVersion
from reviews.services.answers import answers_clean, answers_problem_summary
from reviews.services.claim_assessments import (
    ClaimAssessmentInput,
    HypothesisInput,
    assessments_write,
)
from reviews.services.notify import handling_editors, notify
from reviews.services.rounds import round_release


def review_transition(
    *,
    review: Review,
    to_state: str,
    actor: User,
    raw: dict[str, Any],
    now: datetime | None = None,
    claims: Sequence[ClaimAssessmentInput] | None = None,
    hypothesis: HypothesisInput | None = None,
) -> Review:
    """Save the reviewer's answers as a draft (`draft`) or submit them (`submitted`).

    A draft keeps whatever can be read. A submission is checked strictly and kept as a new
    version; a submitted review may be edited and submitted again until the reviews are
    released or its deadline passes. Reviews submitted after their deadline are late.
    The assessments of the paper's claims and hypothesis are stored with the answers;
    submitting needs every claim assessed. A refused submission raises FieldErrors naming
    every missing or invalid answer and assessment at once, and changes nothing.
    """
    now = now or timezone.now()
    target = ReviewState(to_state)
    with transaction.atomic():
        locked = (
            Review.objects.select_for_update(of=("self",))
            .select_related("invitation", "round", "submission__venue", "form", "reviewer")
            .get(pk=review.pk)
        )
        check_may_write(locked, actor, now, submitting=target == ReviewState.SUBMITTED)
        fields = list(locked.form.fields.order_by("order", "pk"))
        strict = target == ReviewState.SUBMITTED
        answers, problems = _checked(
            lambda: answers_clean(fields=fields, raw=raw, strict=strict), {}
        )
        _, more = _checked(
            lambda: assessments_write(
                review=locked, claims=claims, hypothesis=hypothesis, strict=strict, now=now
            ),
            None,
        )
        problems.update(more)
        if problems:
            # Raised inside the transaction: nothing of this attempt is kept.
            raise FieldErrors(answers_problem_summary(problems), errors=problems)
        locked.answers = answers
        locked.updated_at = now
        update = ["answers", "updated_at"]
        if target == ReviewState.SUBMITTED:
            first = locked.state != ReviewState.SUBMITTED
            late = now > locked.invitation.review_due
            number = locked.versions.count() + 1
            ReviewVersion.objects.create(
                review=locked, number=number, answers=answers, submitted_at=now, is_late=late
            )
            locked.submitted_answers = answers
            locked.last_submitted_at = now
            update += ["submitted_answers", "last_submitted_at"]
            if first:
                locked.state = ReviewState.SUBMITTED
                locked.submitted_at = now
                locked.is_late = late
                update += ["state", "submitted_at", "is_late"]
            locked.save(update_fields=update)
            paper_scores_refresh(
                venue=locked.submission.venue, submission_ids=[locked.submission_id]
            )
            audit_log(
                venue=locked.submission.venue,
                submission=locked.submission,
                actor=actor,
                action="review.submit" if first else "review.edit",
                from_state=ReviewState.DRAFT if first else ReviewState.SUBMITTED,
                to_state=ReviewState.SUBMITTED,
                data={"review": locked.pk, "version": number, "late": late},
                at=now,
            )
            notify(
                people=handling_editors(submission=locked.submission),
                template="reviews/emails/review_submitted",
                submission=locked.submission,
                context={"review": locked, "first": first, "late": late},
                now=now,
            )
            webhook_emit_review(review=locked, first=first)
            if first:
                round_release_if_complete(review_round=locked.round, now=now)
        else:
            locked.save(update_fields=update)
    for name in ("answers", "submitted_answers", "state", "submitted_at", "last_submitted_at"):
        setattr(review, name, getattr(locked, name))
    review.is_late = locked.is_late
    review.updated_at = locked.updated_at
    return review


def _checked(run, default) -> tuple[Any, dict[str, list[str]]]:
    """Return what `run()` returns and no problems, or `default` and the problems it found."""
    try:
        return run(), {}
    except FieldErrors as exc:
        return default, exc.errors
    except DomainError as exc:
        return default, {exc.field or "review": [exc.message]}


def review_save_draft(
    *, review: Review, actor: User, raw: dict[str, Any], now=None, **assessments
) -> Review:
    """Save the answers (and assessments) as typed so far."""
    return review_transition(
        review=review, to_state=ReviewState.DRAFT, actor=actor, raw=raw, now=now, **assessments
    )


def review_submit(
    *, review: Review, actor: User, raw: dict[str, Any], now=None, **assessments
) -> Review:
    """Submit the review (or an edit of it)."""
    return review_transition(
        review=review,
        to_state=ReviewState.SUBMITTED,
        actor=actor,
        raw=raw,
        now=now,
        **assessments,
    )


def check_may_write(review: Review, actor: User, now: datetime, *, submitting: bool) -> None:
    if actor.pk != review.reviewer_id:
        raise TransitionError("Only the reviewer can write this review.")
    if review.invitation.state != InvitationState.ACCEPTED:
        raise TransitionError("This review invitation is no longer active.")
    if review.submission.state not in SubmissionState.REVIEWING:
        raise TransitionError("The review period of this paper is over.")
    if review.state == ReviewState.SUBMITTED:
        if review.round.is_released(now):
            raise TransitionError("The reviews have been released; yours can no longer change.")
        if now > review.invitation.review_due:
            raise DeadlineError("The review deadline has passed; your review can no longer change.")


def round_release_if_complete(*, review_round, now: datetime | None = None) -> bool:
    """Journals: release the round once its full complement of reviews is in.

    Full means no invitation still awaits an answer, at least the venue's number of
    reviewers per paper accepted, and every accepted reviewer submitted. Return whether the
    round was released now.
    """
    venue = review_round.submission.venue
    if venue.is_conference or review_round.released_at is not None:
        return False
    invitations = ReviewInvitation.objects.filter(round=review_round)
    if invitations.filter(state=InvitationState.PENDING).exists():
        return False
    accepted = invitations.filter(state=InvitationState.ACCEPTED)
    if accepted.count() < venue.reviewers_per_paper:
        return False
    if Review.objects.filter(invitation__in=accepted).exclude(state=ReviewState.SUBMITTED):
        return False
    return round_release(review_round=review_round, actor=None, now=now)
