"""The venue-wide work of entering a phase, carried out by one background job.

Each phase brings its steps (`STEPS`); a jump over phases runs the steps of every phase it
crosses, in order. Every step works in batches of `BATCH` papers, each batch in its own
transaction and in a fixed number of queries whatever its size, and skips what is already
done: the job can be run again (a lost worker, a retry) and ends in the same state, with no
second round, release or e-mail.

- entering submission opens the venue to new papers; leaving it closes them;
- reviewing opens a review round (due at the end of the reviewing phase) for every paper that
  passed screening and moves it under review;
- author response opens the response window on every round and releases the reviews to the
  authors (venue-wide, with the e-mails of `round_release`); a jump past it only releases;
- leaving author response closes the window, except where a paper's window was extended;
- decisions publishes every recorded decision (`decision_transition`) and releases the
  meta-reviews of the decided papers.

The job that runs them (preview, batches, progress, retry) is `journal.services.phase_jobs`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import Q

from journal.enums import (
    AuditVisibility,
    DecisionStatus,
    Phase,
    RoleKind,
    SubmissionState,
)
from journal.errors import DomainError
from journal.models import AuditEvent, Authorship, Decision, PhaseJob, Submission, User, Venue
from journal.models.api import WebhookEvent
from journal.selectors.people import venue_people
from journal.selectors.phases import phase_position, screened_submissions, venue_timeline
from journal.services.email import email_queue_many
from journal.services.webhooks import submission_payload, webhook_emit_many

logger = logging.getLogger(__name__)

S = SubmissionState
BATCH = 500


class Step:
    """One kind of venue-wide work: the ids it still has to do, and what it does to a batch."""

    name = ""
    label = ""

    def __init__(self, job: PhaseJob, now: datetime) -> None:
        self.job, self.venue, self.now = job, job.venue, now
        self.timeline = {row.phase: row for row in venue_timeline(venue=job.venue)}

    def pending_ids(self) -> list[int]:
        return []

    def run(self, ids: list[int]) -> int:
        raise NotImplementedError

    def _audit(self, events: list[AuditEvent]) -> None:
        AuditEvent.objects.bulk_create(events, batch_size=1000)

    def _event(self, submission_id: int, action: str, **fields) -> AuditEvent:
        return AuditEvent(
            venue=self.venue,
            submission_id=submission_id,
            actor=self.job.created_by,
            action=action,
            created_at=self.now,
            **fields,
        )


class OpenSubmissions(Step):
    name, label = "submissions_opened", "Open the venue to submissions"

    def pending_ids(self) -> list[int]:
        return [] if self.venue.accepting_submissions else [self.venue.pk]

    def run(self, ids: list[int]) -> int:
        fields = {"accepting_submissions": True}
        planned = self.timeline.get(Phase.SUBMISSION)
        if planned is not None:
            fields["submission_deadline"] = planned.ends_at
        return Venue.objects.filter(pk__in=ids).update(**fields)


class CloseSubmissions(Step):
    name, label = "submissions_closed", "Close submissions"

    def pending_ids(self) -> list[int]:
        return [self.venue.pk] if self.venue.accepting_submissions else []

    def run(self, ids: list[int]) -> int:
        return Venue.objects.filter(pk__in=ids).update(accepting_submissions=False)


class OpenRounds(Step):
    """A review round for every screened paper that has none open, the paper under review."""

    name, label = "rounds_opened", "Open review rounds for screened papers"

    def pending_ids(self) -> list[int]:
        from reviews.models import ReviewRound

        screened = screened_submissions(venue=self.venue)
        with_round = ReviewRound.objects.filter(submission__venue=self.venue).values(
            "submission_id"
        )
        return list(
            screened.filter(Q(state=S.SUBMITTED) | ~Q(pk__in=with_round))
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def run(self, ids: list[int]) -> int:
        from reviews.models import ReviewRound
        from reviews.services.forms import review_form_for_venue

        papers = list(
            screened_submissions(venue=self.venue)
            .filter(pk__in=ids)
            .select_for_update()
            .select_related("venue")
        )
        if not papers:
            return 0
        planned = self.timeline.get(Phase.REVIEWING)
        due = planned.ends_at if planned else None
        moving = [p for p in papers if p.state == S.SUBMITTED]
        Submission.objects.filter(pk__in=[p.pk for p in moving]).update(
            state=S.UNDER_REVIEW, updated_at=self.now
        )
        have = set(
            ReviewRound.objects.filter(submission_id__in=[p.pk for p in papers]).values_list(
                "submission_id", flat=True
            )
        )
        form = review_form_for_venue(venue=self.venue)
        new = [
            ReviewRound(submission=p, number=1, form=form, review_due=due, created_at=self.now)
            for p in papers
            if p.pk not in have
        ]
        ReviewRound.objects.bulk_create(new)
        if due is not None and have:
            ReviewRound.objects.filter(
                submission_id__in=have, released_at=None, review_due=None
            ).update(review_due=due)
        events = [
            self._event(
                p.pk,
                "submission.transition",
                from_state=S.SUBMITTED,
                to_state=S.UNDER_REVIEW,
                visibility=AuditVisibility.AUTHORS,
                data={"phase": Phase.REVIEWING},
            )
            for p in moving
        ] + [
            self._event(
                r.submission_id,
                "review_round.open",
                data={"round": 1, "form": form.pk, "phase": Phase.REVIEWING},
            )
            for r in new
        ]
        self._audit(events)
        for paper in moving:
            paper.state = S.UNDER_REVIEW
        webhook_emit_many(
            venue=self.venue,
            event=WebhookEvent.SUBMISSION_STATE_CHANGED,
            payloads=[
                {
                    "submission": submission_payload(p),
                    "from_state": str(S.SUBMITTED),
                    "to_state": str(S.UNDER_REVIEW),
                }
                for p in moving
            ],
        )
        return len(papers)


def _response_window(step: Step) -> tuple[datetime, datetime] | None:
    """The venue's response window: the author-response phase's end, or the next start."""
    planned = step.timeline.get(Phase.AUTHOR_RESPONSE)
    if planned is not None:
        return min(step.now, planned.starts_at), planned.ends_at
    after = Phase.AUTHOR_RESPONSE.position
    later = sorted(
        (row for row in step.timeline.values() if Phase(row.phase).position > after),
        key=lambda row: row.starts_at,
    )
    return (step.now, later[0].starts_at) if later and later[0].starts_at > step.now else None


class OpenResponse(Step):
    """The response window on every current round that has none of its own."""

    name, label = "response_opened", "Open the author-response window"

    def pending_ids(self) -> list[int]:
        from reviews.models import ReviewRound

        window = _response_window(self)
        if window is None:
            return []
        self.job.counts["response_closes_at"] = window[1].isoformat()
        return list(
            ReviewRound.objects.filter(
                submission__venue=self.venue,
                submission__state__in=S.IN_REVIEW,
                response_closes_at=None,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def run(self, ids: list[int]) -> int:
        from reviews.models import ReviewRound

        opens, closes = _response_window(self)
        return ReviewRound.objects.filter(pk__in=ids, response_closes_at=None).update(
            response_opens_at=opens, response_closes_at=closes
        )


class ReleaseReviews(Step):
    """Every unreleased current round goes to its authors, with the e-mails of a release."""

    name, label = "reviews_released", "Release the reviews to the authors"

    def pending_ids(self) -> list[int]:
        from reviews.models import ReviewRound

        return list(
            ReviewRound.objects.filter(
                submission__venue=self.venue, submission__state__in=S.IN_REVIEW, released_at=None
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def run(self, ids: list[int]) -> int:
        from reviews.models import Review, ReviewRound

        rounds = list(
            ReviewRound.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, released_at=None)
            .select_related("submission__venue")
        )
        if not rounds:
            return 0
        ReviewRound.objects.filter(pk__in=[r.pk for r in rounds]).update(released_at=self.now)
        by_paper = {r.submission_id: r for r in rounds}
        messages = []
        for author in Authorship.objects.filter(submission_id__in=by_paper).select_related(
            "user"
        ):
            review_round = by_paper[author.submission_id]
            messages.append(
                {
                    "to": author.user.email if author.user else author.email,
                    "recipient": author.user,
                    "template": "reviews/emails/reviews_released",
                    "context": {
                        "submission": review_round.submission,
                        "name": author.name,
                        "round": review_round,
                    },
                    "venue": self.venue,
                    "submission": review_round.submission,
                    "dedupe_key": f"release:{review_round.pk}:author:{author.pk}",
                }
            )
        reviews = Review.objects.filter(round__in=rounds).select_related("reviewer")
        for review in reviews:
            review_round = by_paper[review.submission_id]
            messages.append(
                {
                    "to": review.reviewer.email,
                    "recipient": review.reviewer,
                    "template": "reviews/emails/reviews_released_reviewer",
                    "context": {
                        "submission": review_round.submission,
                        "name": review.reviewer.display_name,
                        "round": review_round,
                    },
                    "venue": self.venue,
                    "submission": review_round.submission,
                    "dedupe_key": f"release:{review_round.pk}:reviewer:{review.reviewer_id}",
                }
            )
        email_queue_many(messages=messages)
        self._audit(
            [
                self._event(
                    r.submission_id,
                    "review_round.release",
                    data={"round": r.number, "phase": self.job.phase},
                    visibility=AuditVisibility.AUTHORS,
                )
                for r in rounds
            ]
        )
        return len(rounds)


class CloseResponse(Step):
    """Close the window the venue opened; a paper whose window was extended keeps it."""

    name, label = "response_closed", "Close the author-response window"

    def _venue_close(self) -> datetime | None:
        opened = (
            PhaseJob.objects.filter(venue=self.venue, counts__has_key="response_closes_at")
            .order_by("-created_at", "-pk")
            .values_list("counts", flat=True)
            .first()
        )
        if not opened:
            return None
        return datetime.fromisoformat(opened["response_closes_at"])

    def pending_ids(self) -> list[int]:
        from reviews.models import ReviewRound

        closes = self._venue_close()
        if closes is None or closes <= self.now:
            return []
        return list(
            ReviewRound.objects.filter(submission__venue=self.venue, response_closes_at=closes)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def run(self, ids: list[int]) -> int:
        from reviews.models import ReviewRound

        closes = self._venue_close()
        return ReviewRound.objects.filter(pk__in=ids, response_closes_at=closes).update(
            response_closes_at=self.now
        )


class PublishDecisions(Step):
    """Publish every recorded decision through `decision_transition`; release meta-reviews."""

    name, label = "decisions_published", "Publish the recorded decisions"

    def pending_ids(self) -> list[int]:
        return list(
            Decision.objects.filter(submission__venue=self.venue, status=DecisionStatus.DRAFT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def _publisher(self, decision: Decision, chairs: list[User]) -> User | None:
        for person in (self.job.created_by, decision.decided_by):
            if person is not None and person in chairs:
                return person
        return chairs[0] if chairs else None

    def run(self, ids: list[int]) -> int:
        from journal.services.decisions import decision_transition

        chairs = list(venue_people(venue=self.venue, role=RoleKind.CHIEF).order_by("pk"))
        published = 0
        errors = self.job.counts.setdefault("decision_errors", {})
        drafts = Decision.objects.filter(pk__in=ids, status=DecisionStatus.DRAFT)
        for decision in drafts.select_related("decided_by", "submission"):
            actor = self._publisher(decision, chairs)
            try:
                if actor is None:
                    raise DomainError("The venue has no program chair to publish it.")
                decision_transition(
                    decision=decision, to_status=DecisionStatus.PUBLISHED, actor=actor
                )
                published += 1
            except DomainError as exc:
                errors[str(decision.submission.number)] = exc.message
        self._release_meta_reviews()
        return published

    def _release_meta_reviews(self) -> int:
        from reviews.models import MetaReview

        return MetaReview.objects.filter(
            round__submission__venue=self.venue,
            released_at=None,
            round__submission__decisions__status=DecisionStatus.PUBLISHED,
        ).update(released_at=self.now)


class ReleaseMetaReviews(PublishDecisions):
    name, label = "meta_reviews_released", "Release the meta-reviews of decided papers"

    def pending_ids(self) -> list[int]:
        return [self.venue.pk]

    def run(self, ids: list[int]) -> int:
        return self._release_meta_reviews()


#: The steps each phase brings when it is entered.
STEPS: dict[Phase, tuple[type[Step], ...]] = {
    Phase.SUBMISSION: (OpenSubmissions,),
    Phase.BIDDING: (CloseSubmissions,),
    Phase.REVIEWING: (CloseSubmissions, OpenRounds),
    Phase.AUTHOR_RESPONSE: (OpenResponse, ReleaseReviews),
    Phase.DISCUSSION: (ReleaseReviews, CloseResponse),
    Phase.META_REVIEW: (),
    Phase.DECISIONS: (PublishDecisions, ReleaseMetaReviews),
    Phase.CAMERA_READY: (),
}


def steps_for(*, from_phase: str, to_phase: str) -> list[type[Step]]:
    """The steps of every phase from just after `from_phase` to `to_phase`, without repeats.

    Jumping over author response releases the reviews but opens no window.
    """
    start, end = phase_position(from_phase), Phase(to_phase).position
    steps: list[type[Step]] = []
    for phase in Phase:
        if start < phase.position <= end:
            for step in STEPS[phase]:
                if step is OpenResponse and phase != to_phase:
                    continue
                if step not in steps:
                    steps.append(step)
    if CloseSubmissions in steps and OpenSubmissions in steps:
        steps.remove(OpenSubmissions)
    return steps
