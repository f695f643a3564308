"""After the reviews: the editor's ratings, authors' flags, reviewers' recommendations and
the meta-review."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journal.errors import DomainError, TransitionError
from journal.limits import text_limits_check
from journal.models import User
from journal.selectors.phases import meta_review_closed_reason
from journal.services.audit import audit_log
from reviews.enums import FlagOutcome, FlagState, Recommendation, ReviewRating, ReviewState
from reviews.models import MetaReview, Review, ReviewerRecommendation, ReviewFlag, ReviewRound
from reviews.services.notify import handling_editors, notify, notify_authors_plain


def review_rate(
    *, review: Review, rating: str, actor: User, note: str = "", now: datetime | None = None
) -> Review:
    """Record the action editor's rating of a submitted review (visible to editors only)."""
    if rating not in ReviewRating.values:
        raise DomainError("Choose exceeds, meets or falls below expectations.", field="rating")
    if review.state != ReviewState.SUBMITTED:
        raise TransitionError("Only a submitted review can be rated.")
    now = now or timezone.now()
    review.rating, review.rating_note = rating, note.strip()
    review.rated_by, review.rated_at = actor, now
    review.save(update_fields=["rating", "rating_note", "rated_by", "rated_at"])
    audit_log(
        venue=review.submission.venue,
        submission=review.submission,
        actor=actor,
        action="review.rate",
        data={"review": review.pk, "rating": rating},
        at=now,
    )
    return review


def review_flag(*, review: Review, actor: User, reason: str) -> ReviewFlag:
    """Flag a review that judges the paper by benchmark numbers alone; tell the editor."""
    if not reason.strip():
        raise DomainError("Say what in the review you object to.", field="reason")
    text_limits_check(labels={"reason": "The reason"}, reason=reason)
    with transaction.atomic():
        flag = ReviewFlag.objects.create(review=review, flagged_by=actor, reason=reason.strip())
        audit_log(
            venue=review.submission.venue,
            submission=review.submission,
            actor=actor,
            action="review.flag",
            data={"review": review.pk, "flag": flag.pk},
        )
        notify(
            people=handling_editors(submission=review.submission),
            template="reviews/emails/review_flagged",
            submission=review.submission,
            context={"review": review, "flag": flag},
        )
    return flag


def review_flag_resolve(
    *, flag: ReviewFlag, actor: User, outcome: str, note: str
) -> ReviewFlag:
    """Uphold or dismiss an authors' flag with a note the authors read; tell them on commit.

    The same outcome and note sent again (a double submit) change nothing and send nothing;
    a different one for a resolved flag is refused.
    """
    if outcome not in FlagOutcome.values:
        raise DomainError("Choose whether the flag is upheld or dismissed.", field="outcome")
    if not note.strip():
        raise DomainError("Write a note for the authors: what you found.", field="note")
    text_limits_check(labels={"note": "The note"}, note=note)
    with transaction.atomic():
        locked = (
            ReviewFlag.objects.select_for_update(of=("self",))
            .select_related("review__submission__venue", "review__invitation")
            .get(pk=flag.pk)
        )
        if locked.state == FlagState.RESOLVED:
            if locked.outcome == outcome and locked.resolution == note.strip():
                return locked
            raise TransitionError(
                f"This flag is already resolved ({locked.outcome or 'closed'}); it stays so."
            )
        locked.state, locked.outcome, locked.resolution = FlagState.RESOLVED, outcome, note.strip()
        locked.resolved_by, locked.resolved_at = actor, timezone.now()
        locked.save(update_fields=["state", "outcome", "resolution", "resolved_by", "resolved_at"])
        submission = locked.review.submission
        audit_log(
            venue=submission.venue,
            submission=submission,
            actor=actor,
            action="review.flag_resolve",
            data={"flag": locked.pk, "review": locked.review_id, "outcome": outcome},
        )
        values = {
            "paper_number": str(submission.number),
            "paper_title": submission.title,
            "reviewer": locked.review.invitation.alias,
            "outcome": FlagOutcome(outcome).label,
            "note": locked.resolution,
            "paper_url": settings.SITE_URL
            + reverse("journal:submission-detail", kwargs={"pk": submission.pk}),
        }
        transaction.on_commit(
            lambda: notify_authors_plain(
                submission=submission, template="reviews/emails/flag_resolved", values=values
            )
        )
    return locked


def recommendation_submit(
    *,
    review_round: ReviewRound,
    reviewer: User,
    recommendation: str,
    justification: str = "",
    claims_supported: bool | None = None,
    audience_interested: bool | None = None,
    now: datetime | None = None,
) -> ReviewerRecommendation:
    """Record (or change) a reviewer's recommendation to the action editor.

    Hidden from the authors. Only a reviewer who submitted a review in the round may give one.
    """
    text_limits_check(labels={"justification": "The justification"}, justification=justification)
    if recommendation not in Recommendation.values:
        raise DomainError("Choose a recommendation.", field="recommendation")
    submitted = Review.objects.filter(
        round=review_round, reviewer=reviewer, state=ReviewState.SUBMITTED
    ).exists()
    if not submitted:
        raise TransitionError("Submit your review before giving a recommendation.")
    now = now or timezone.now()
    with transaction.atomic():
        rec, created = ReviewerRecommendation.objects.update_or_create(
            round=review_round,
            reviewer=reviewer,
            defaults={
                "recommendation": recommendation,
                "justification": justification.strip(),
                "claims_supported": claims_supported,
                "audience_interested": audience_interested,
                "updated_at": now,
            },
        )
        submission = review_round.submission
        audit_log(
            venue=submission.venue,
            submission=submission,
            actor=reviewer,
            action="recommendation.submit" if created else "recommendation.change",
            data={"round": review_round.number, "recommendation": recommendation},
            at=now,
        )
        notify(
            people=handling_editors(submission=submission),
            template="reviews/emails/recommendation_submitted",
            submission=submission,
            context={"recommendation": rec, "round": review_round},
            now=now,
        )
    return rec


def meta_review_save(
    *,
    review_round: ReviewRound,
    editor: User,
    text: str,
    recommendation: str,
    now: datetime | None = None,
) -> MetaReview:
    """Write or revise the action editor's meta-review of the round.

    At a conference run on phases that is from the reviewing phase until the decisions are
    released (`journal.selectors.phases.meta_review_closed_reason`); a meta-review already
    shown to the authors is never changed.
    """
    if not text.strip():
        raise DomainError("Write the meta-review.", field="text")
    text_limits_check(labels={"text": "The meta-review"}, text=text)
    if recommendation not in Recommendation.values:
        raise DomainError("Choose a recommendation.", field="recommendation")
    submission = review_round.submission
    closed = meta_review_closed_reason(venue=submission.venue)
    if closed:
        raise TransitionError(closed)
    now = now or timezone.now()
    with transaction.atomic():
        meta = MetaReview.objects.select_for_update().filter(round=review_round).first()
        if meta is not None and meta.released_at is not None:
            raise TransitionError(
                "This meta-review has been released to the authors; it can no longer be changed."
            )
        created = meta is None
        if created:
            meta = MetaReview(round=review_round, created_at=now)
        meta.editor, meta.text, meta.recommendation = editor, text.strip(), recommendation
        meta.updated_at = now
        meta.save()
        audit_log(
            venue=submission.venue,
            submission=submission,
            actor=editor,
            action="meta_review.write" if created else "meta_review.revise",
            data={"round": review_round.number},
            at=now,
        )
    return meta
