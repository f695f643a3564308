"""The area chair's console: their papers' reviewing at a glance, and their SAC's view of it.

A fixed number of queries whatever the number of papers: the papers, their rounds, the
rounds' form fields, the invitations with their reviews, the discussion counts and the
meta-reviews, each read once for all papers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max
from django.utils import timezone

from journal.enums import SubmissionState
from journal.models import Submission, User, Venue
from journal.rules import (
    is_venue_action_editor,
    is_venue_senior_area_chair,
    overseen_ids,
    recused_ids,
)
from reviews.enums import InvitationState, ReviewState
from reviews.models import Comment, MetaReview, ReviewFormField, ReviewInvitation, ReviewRound
from reviews.selectors.scoring import Spread, overall_score

#: Papers a console lists: submitted and not withdrawn or desk-rejected.
CONSOLE_EXCLUDED = (SubmissionState.DRAFT, SubmissionState.WITHDRAWN, SubmissionState.DESK_REJECTED)


@dataclass
class LateReviewer:
    invitation: ReviewInvitation
    what: str  # "answer" (invitation not answered in time) or "review" (review overdue)
    due: datetime

    @property
    def name(self) -> str:
        reviewer = self.invitation.reviewer
        return reviewer.display_name or reviewer.email


@dataclass
class ConsolePaper:
    submission: Submission
    required: int
    pending: int = 0
    accepted: int = 0
    submitted: int = 0
    late: list[LateReviewer] = field(default_factory=list)
    scores: Spread = field(default_factory=lambda: Spread.of([]))
    comments: int = 0
    last_activity: datetime | None = None
    meta: MetaReview | None = None

    @property
    def complete(self) -> bool:
        return self.submitted >= self.required

    @property
    def meta_status(self) -> str:
        if self.meta is None:
            return "not written"
        return "released" if self.meta.released_at else "written"


@dataclass
class ChairSummary:
    """One area chair's papers, as their senior area chair follows them."""

    chair: User
    papers: list[ConsolePaper] = field(default_factory=list)

    @property
    def complete(self) -> int:
        return sum(p.complete for p in self.papers)

    @property
    def late(self) -> int:
        return sum(len(p.late) for p in self.papers)

    @property
    def metas(self) -> int:
        return sum(p.meta is not None for p in self.papers)


@dataclass
class Console:
    venue: Venue
    papers: list[ConsolePaper]
    chairs: list[ChairSummary]
    is_area_chair: bool
    is_senior: bool


def area_chair_console(*, venue: Venue, user: User, now: datetime | None = None) -> Console:
    """Return the papers `user` handles at `venue` (as its area chair) and, for a senior
    area chair, the papers of the area chairs they oversee, grouped by area chair.

    Papers `user` is an author of or conflicted with are left out of both.
    """
    now = now or timezone.now()
    is_chair = is_venue_action_editor.test(user, venue)
    is_senior = is_venue_senior_area_chair.test(user, venue)
    overseen = overseen_ids(user, venue) if is_senior else frozenset()
    editors = set(overseen) | ({user.pk} if is_chair else set())
    submissions = list(
        Submission.objects.filter(venue=venue, action_editor_id__in=editors)
        .exclude(state__in=CONSOLE_EXCLUDED)
        .exclude(pk__in=recused_ids(user, venue))
        .select_related("action_editor")
        .order_by("number")
    )
    rows = _rows(venue, submissions, now)
    mine = [r for r in rows if r.submission.action_editor_id == user.pk]
    by_chair: dict[int, ChairSummary] = {}
    for row in rows:
        chair = row.submission.action_editor
        if chair.pk in overseen:
            by_chair.setdefault(chair.pk, ChairSummary(chair=chair)).papers.append(row)
    if is_senior:
        for chair in User.objects.filter(pk__in=overseen - set(by_chair)):
            by_chair[chair.pk] = ChairSummary(chair=chair)
    chairs = sorted(by_chair.values(), key=lambda c: (c.chair.display_name or c.chair.email))
    return Console(
        venue=venue, papers=mine, chairs=chairs, is_area_chair=is_chair, is_senior=is_senior
    )


def _rows(venue: Venue, submissions: list[Submission], now: datetime) -> list[ConsolePaper]:
    ids = [s.pk for s in submissions]
    current: dict[int, ReviewRound] = {}
    for review_round in ReviewRound.objects.filter(submission_id__in=ids).order_by("number"):
        current[review_round.submission_id] = review_round
    round_ids = [r.pk for r in current.values()]
    fields_of: dict[int, list[ReviewFormField]] = defaultdict(list)
    form_ids = {r.form_id for r in current.values()}
    for form_field in ReviewFormField.objects.filter(form_id__in=form_ids).order_by("order", "pk"):
        fields_of[form_field.form_id].append(form_field)
    invitations: dict[int, list[ReviewInvitation]] = defaultdict(list)
    for invitation in (
        ReviewInvitation.objects.filter(round_id__in=round_ids)
        .select_related("reviewer", "review")
        .order_by("reviewer_number", "pk")
    ):
        invitations[invitation.round_id].append(invitation)
    discussion = {
        row["submission_id"]: row
        for row in Comment.objects.filter(submission_id__in=ids, hidden_at=None)
        .values("submission_id")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .order_by()
    }
    metas = {m.round_id: m for m in MetaReview.objects.filter(round_id__in=round_ids)}
    rows = []
    for submission in submissions:
        row = ConsolePaper(submission=submission, required=venue.reviewers_per_paper)
        review_round = current.get(submission.pk)
        talk = discussion.get(submission.pk)
        if talk:
            row.comments, row.last_activity = talk["n"], talk["last"]
        if review_round is not None:
            _fill(row, review_round, invitations[review_round.pk], fields_of, now)
            row.meta = metas.get(review_round.pk)
        rows.append(row)
    return rows


def _fill(row: ConsolePaper, review_round, invitations, fields_of, now: datetime) -> None:
    overall = []
    fields = fields_of.get(review_round.form_id, [])
    for invitation in invitations:
        review = getattr(invitation, "review", None)
        if invitation.state == InvitationState.PENDING:
            row.pending += 1
            if invitation.answer_due < now:
                row.late.append(LateReviewer(invitation, "answer", invitation.answer_due))
        elif invitation.state == InvitationState.ACCEPTED:
            row.accepted += 1
            if review is not None and review.state == ReviewState.SUBMITTED:
                row.submitted += 1
                score = overall_score(fields=fields, answers=review.submitted_answers)
                if score is not None:
                    overall.append(score)
                at = review.last_submitted_at
                if at and (row.last_activity is None or at > row.last_activity):
                    row.last_activity = at
            elif invitation.review_due < now:
                row.late.append(LateReviewer(invitation, "review", invitation.review_due))
    row.scores = Spread.of(overall)


def console_invitation(*, venue: Venue, pk: int) -> ReviewInvitation | None:
    """Return an invitation of `venue` for a reminder from the console, or None."""
    return (
        ReviewInvitation.objects.filter(pk=pk, submission__venue=venue)
        .select_related("reviewer", "submission__venue")
        .first()
    )

