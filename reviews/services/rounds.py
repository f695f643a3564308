"""Review rounds: open one, schedule its dates, release its reviews."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from journal.errors import DomainError
from journal.models import Submission, User
from journal.services.audit import audit_log
from journal.services.scores import paper_scores_refresh
from reviews.models import ReviewForm, ReviewRound
from reviews.services.forms import review_form_for_venue
from reviews.services.notify import notify, notify_authors

SCHEDULE_FIELDS = (
    "review_due",
    "release_at",
    "response_opens_at",
    "response_closes_at",
    "response_word_limit",
    "recommendation_due",
    "decision_due",
)


def round_current(*, submission: Submission) -> ReviewRound | None:
    """Return the latest review round of `submission`, or None."""
    return submission.review_rounds.select_related("form").order_by("-number").first()


def round_open(
    *,
    submission: Submission,
    actor: User | None,
    form: ReviewForm | None = None,
    now: datetime | None = None,
    **schedule,
) -> ReviewRound:
    """Open the next review round of `submission` with `form` (the venue's by default)."""
    now = now or timezone.now()
    unknown = set(schedule) - set(SCHEDULE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown round settings: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        Submission.objects.select_for_update().only("pk").get(pk=submission.pk)
        last = submission.review_rounds.aggregate(n=Max("number"))["n"] or 0
        review_round = ReviewRound.objects.create(
            submission=submission,
            number=last + 1,
            form=form or review_form_for_venue(venue=submission.venue),
            created_at=now,
            **schedule,
        )
        # The paper's count of reviews in is the new round's: none yet.
        paper_scores_refresh(venue=submission.venue, submission_ids=[submission.pk])
        audit_log(
            venue=submission.venue,
            submission=submission,
            actor=actor,
            action="review_round.open",
            data={"round": review_round.number, "form": review_round.form_id},
            at=now,
        )
    return review_round


def round_current_or_open(
    *, submission: Submission, actor: User | None, now: datetime | None = None
) -> ReviewRound:
    """Return the round that takes new invitations, opening round 1 (or a round for the
    resubmitted version) when needed, at `now`."""
    current = round_current(submission=submission)
    if current is not None and not current.is_released():
        return current
    if current is not None and not _resubmitted_since(submission, current):
        return current
    return round_open(submission=submission, actor=actor, now=now)


def _resubmitted_since(submission: Submission, review_round: ReviewRound) -> bool:
    return submission.versions.filter(created_at__gt=review_round.created_at).exists()


def round_schedule(
    *, review_round: ReviewRound, actor: User, now: datetime | None = None, **dates
) -> ReviewRound:
    """Set the dates of a round (release, response window, deadlines), recorded at `now`."""
    unknown = set(dates) - set(SCHEDULE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown round settings: {', '.join(sorted(unknown))}.")
    opens, closes = (
        dates.get("response_opens_at", review_round.response_opens_at),
        dates.get("response_closes_at", review_round.response_closes_at),
    )
    if opens and closes and closes <= opens:
        raise DomainError("The response window must close after it opens.")
    for name, value in dates.items():
        setattr(review_round, name, value)
    review_round.save(update_fields=list(dates))
    audit_log(
        venue=review_round.submission.venue,
        submission=review_round.submission,
        actor=actor,
        action="review_round.schedule",
        data={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in dates.items()},
        at=now,
    )
    return review_round


def round_set_form(*, review_round: ReviewRound, form: ReviewForm, actor: User) -> ReviewRound:
    """Choose the form of a round before any review has been started on it."""
    if review_round.form_id == form.pk:
        return review_round
    if review_round.reviews.exists():
        raise DomainError("Reviewers have started on this round's form; it cannot change now.")
    review_round.form = form
    review_round.save(update_fields=["form"])
    audit_log(
        venue=review_round.submission.venue,
        submission=review_round.submission,
        actor=actor,
        action="review_round.form",
        data={"round": review_round.number, "form": form.pk},
    )
    return review_round


def round_release(
    *, review_round: ReviewRound, actor: User | None, now: datetime | None = None
) -> bool:
    """Release the round's reviews to the authors; return False if already released.

    The round is locked, so concurrent callers release (and notify) once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            ReviewRound.objects.select_for_update(of=("self",))
            .select_related("submission__venue")
            .get(pk=review_round.pk)
        )
        if locked.released_at is not None:
            return False
        locked.released_at = now
        locked.save(update_fields=["released_at"])
        submission = locked.submission
        audit_log(
            venue=submission.venue,
            submission=submission,
            actor=actor,
            action="review_round.release",
            data={"round": locked.number},
            at=now,
            visibility="authors",
        )
        notify_authors(
            submission=submission,
            template="reviews/emails/reviews_released",
            context={"round": locked},
            now=now,
        )
        reviewers = [r.reviewer for r in locked.reviews.select_related("reviewer")]
        notify(
            people=reviewers,
            template="reviews/emails/reviews_released_reviewer",
            submission=submission,
            context={"round": locked},
            now=now,
        )
    review_round.released_at = now
    return True


def rounds_release_due(*, now: datetime | None = None) -> int:
    """Release every round whose configured release date has come; return how many."""
    now = now or timezone.now()
    due = ReviewRound.objects.filter(released_at=None, release_at__lte=now).order_by("pk")
    return sum(round_release(review_round=r, actor=None, now=now) for r in due)
