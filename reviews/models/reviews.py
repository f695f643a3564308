"""Reviews, every submitted version of them, their flags and the reviewers' recommendations."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reviews.enums import FlagOutcome, FlagState, Recommendation, ReviewRating, ReviewState
from reviews.models.forms import ReviewForm
from reviews.models.invitations import ReviewInvitation
from reviews.models.rounds import ReviewRound


class Review(models.Model):
    invitation = models.OneToOneField(
        ReviewInvitation, on_delete=models.CASCADE, related_name="review"
    )
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    submission = models.ForeignKey(
        "journal.Submission", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    form = models.ForeignKey(ReviewForm, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(
        max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT, db_index=True
    )
    answers = models.JSONField(
        default=dict, blank=True, help_text="The reviewer's working copy, saved as they type."
    )
    submitted_answers = models.JSONField(
        default=dict, blank=True, help_text="The latest submitted version: what others read."
    )
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="First submission.")
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    overall = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="Overall score of the submitted answers on [0, 1] under the venue's form, "
        "kept by journal.services.scores.",
    )
    confidence = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="The reviewer's stated confidence in the submitted answers (the form's "
        "independent score), kept by journal.services.scores.",
    )
    is_late = models.BooleanField(default=False)
    rating = models.CharField(max_length=16, choices=ReviewRating.choices, blank=True)
    rating_note = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "invitation__reviewer_number", "pk"]
        indexes = [
            models.Index(fields=["reviewer", "state"]),
            models.Index(fields=["submission", "state"]),
            # The dashboard's queues read each invitation's review state from this index alone.
            models.Index(fields=["invitation"], include=["state"], name="review_invitation_state"),
            # The decision table reads every submitted review of a venue from this index alone.
            models.Index(
                fields=["submission"],
                include=["reviewer", "round", "overall", "confidence"],
                condition=models.Q(state="submitted"),
                name="review_submitted_numbers",
            ),
        ]

    def __str__(self) -> str:
        return f"Review by {self.reviewer} of {self.submission_id}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ReviewState.SUBMITTED


class ReviewVersion(models.Model):
    """One submitted version of a review. Never edited, never deleted."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)
    is_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="unique_review_version"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} v{self.number}"


class ReviewFlag(models.Model):
    """An author's flag: the review judges the paper only by benchmark numbers."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    state = models.CharField(max_length=16, choices=FlagState.choices, default=FlagState.OPEN)
    outcome = models.CharField(max_length=16, choices=FlagOutcome.choices, blank=True)
    resolution = models.TextField(blank=True, help_text="The editor's note, read by the authors.")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Flag on review {self.review_id}"


class ReviewerRecommendation(models.Model):
    """After the discussion: a reviewer's recommendation to the action editor."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="recommendations")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices)
    claims_supported = models.BooleanField(
        null=True, help_text="Are the claims supported by accurate, convincing, clear evidence?"
    )
    audience_interested = models.BooleanField(
        null=True, help_text="Would some of the venue's audience be interested?"
    )
    justification = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "reviewer"], name="unique_round_recommendation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_recommendation_display()} ({self.round})"
