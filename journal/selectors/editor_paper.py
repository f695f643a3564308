"""Read everything the editor's page of one paper shows, in a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from journal.enums import SubmissionState
from journal.models import AuditEvent, Authorship, OutboundEmail, Submission, Venue
from journal.models.decision import Decision
from reviews.enums import FieldKind, FieldVisibility, ReviewState
from reviews.models import (
    Comment,
    MetaReview,
    ReviewerRecommendation,
    ReviewFlag,
    ReviewFormField,
    ReviewInvitation,
    ReviewRound,
)
from reviews.selectors.scoring import ScoreSummary, score_summary


def editor_paper(*, venue: Venue, number: int) -> Submission:
    """Return the paper `number` of `venue` with its versions, authors, claims and conflicts.

    Drafts are the authors' own: they raise Submission.DoesNotExist like a missing number.
    """
    return (
        Submission.objects.select_related("venue", "action_editor", "created_by")
        .prefetch_related(
            Prefetch("authors", queryset=Authorship.objects.select_related("user")),
            "benchmark_claims",
            "declared_conflicts",
            "versions",
        )
        .exclude(state=SubmissionState.DRAFT)
        .get(venue=venue, number=number)
    )


@dataclass
class Answer:
    key: str
    label: str
    kind: str
    value: Any
    shown: str


@dataclass
class ReviewRow:
    invitation: ReviewInvitation
    answers: list[Answer] = field(default_factory=list)
    overall: float | None = None
    flags: list[ReviewFlag] = field(default_factory=list)

    @property
    def review(self):
        return getattr(self.invitation, "review", None)

    @property
    def submitted(self) -> bool:
        return self.review is not None and self.review.state == ReviewState.SUBMITTED

    def score(self, key: str):
        for answer in self.answers:
            if answer.key == key:
                return answer.value
        return None


@dataclass
class RoundView:
    round: ReviewRound
    rows: list[ReviewRow]
    summary: ScoreSummary
    score_fields: list[ReviewFormField]
    recommendations: list[ReviewerRecommendation]
    meta_review: MetaReview | None


def editor_paper_rounds(*, submission: Submission, chief: bool = True) -> list[RoundView]:
    """Return each review round with its invitations, reviews (per criterion) and scores.

    Answers a form keeps for the chairs are left out unless `chief` (a chair reads).
    """
    rounds = list(submission.review_rounds.select_related("form").order_by("number"))
    if not rounds:
        return []
    invitations = list(
        ReviewInvitation.objects.filter(submission=submission)
        .select_related("reviewer", "review")
        .order_by("round_id", "reviewer_number", "pk")
    )
    fields: dict[int, list[ReviewFormField]] = {}
    for form_field in ReviewFormField.objects.filter(
        form_id__in={r.form_id for r in rounds}
    ).order_by("order", "pk"):
        fields.setdefault(form_field.form_id, []).append(form_field)
    flags: dict[int, list[ReviewFlag]] = {}
    for flag in ReviewFlag.objects.filter(review__submission=submission).select_related(
        "flagged_by"
    ):
        flags.setdefault(flag.review_id, []).append(flag)
    recommendations: dict[int, list[ReviewerRecommendation]] = {}
    for rec in ReviewerRecommendation.objects.filter(round__submission=submission).select_related(
        "reviewer"
    ):
        recommendations.setdefault(rec.round_id, []).append(rec)
    metas = {
        m.round_id: m
        for m in MetaReview.objects.filter(round__submission=submission).select_related("editor")
    }
    views = []
    for review_round in rounds:
        form_fields = fields.get(review_round.form_id, [])
        rows = []
        submitted: list[tuple[int, dict]] = []
        for invitation in invitations:
            if invitation.round_id != review_round.pk:
                continue
            row = ReviewRow(invitation=invitation)
            review = row.review
            if review is not None and review.state == ReviewState.SUBMITTED:
                # Editors read what was submitted, never the reviewer's working copy.
                answers = review.submitted_answers
                row.answers = [
                    Answer(f.key, f.label, f.kind, answers.get(f.key), _shown(f, answers))
                    for f in form_fields
                    if f.key in answers and (chief or f.visibility != FieldVisibility.CHAIRS)
                ]
                row.flags = flags.get(review.pk, [])
                submitted.append((review.pk, answers))
            rows.append(row)
        summary = score_summary(fields=form_fields, reviews=submitted)
        overall = {r.review_id: r.overall for r in summary.reviews}
        for row in rows:
            if row.review is not None:
                row.overall = overall.get(row.review.pk)
        views.append(
            RoundView(
                round=review_round,
                rows=rows,
                summary=summary,
                score_fields=[f for f in form_fields if f.is_score],
                recommendations=recommendations.get(review_round.pk, []),
                meta_review=metas.get(review_round.pk),
            )
        )
    return views


def _shown(form_field: ReviewFormField, answers: dict) -> str:
    value = answers.get(form_field.key)
    if form_field.kind == FieldKind.MULTIPLE_CHOICE and isinstance(value, list):
        return ", ".join(form_field.option_label(v) for v in value)
    if form_field.kind == FieldKind.YES_NO:
        return "Yes" if value else "No"
    if form_field.kind == FieldKind.TEXT:
        return str(value)
    return form_field.option_label(value)


def editor_paper_timeline(*, submission: Submission, limit: int = 200) -> QuerySet[AuditEvent]:
    """Return the paper's audit events, newest first, with their actors."""
    return submission.audit_events.select_related("actor").order_by("-created_at", "-pk")[:limit]


def editor_paper_emails(*, submission: Submission, limit: int = 100) -> QuerySet[OutboundEmail]:
    """Return the e-mails sent (or not) about the paper, newest first."""
    return submission.emails.only(
        "pk",
        "submission_id",
        "to",
        "subject",
        "status",
        "created_at",
        "sent_at",
        "error",
        "template",
    ).order_by("-created_at", "-pk")[:limit]


def editor_paper_discussion(*, submission: Submission, limit: int = 300) -> QuerySet[Comment]:
    """Return the paper's discussion in order, with authors (editors read every audience)."""
    return (
        Comment.objects.filter(submission=submission)
        .select_related("author")
        .order_by("created_at", "pk")[:limit]
    )


def editor_paper_decisions(*, submission: Submission) -> QuerySet[Decision]:
    """Return the paper's decisions, newest first."""
    return submission.decisions.select_related("decided_by", "approved_by").order_by(
        "-created_at", "-pk"
    )
