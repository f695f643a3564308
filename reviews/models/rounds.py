"""Review rounds: one per submitted version under review, with its form and its dates."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reviews.enums import Recommendation
from reviews.models.forms import ReviewForm


class ReviewRound(models.Model):
    submission = models.ForeignKey(
        "journal.Submission", on_delete=models.CASCADE, related_name="review_rounds"
    )
    number = models.PositiveSmallIntegerField(default=1)
    form = models.ForeignKey(ReviewForm, on_delete=models.PROTECT, related_name="rounds")
    review_due = models.DateTimeField(null=True, blank=True)
    release_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Conferences: reviews go to the authors at this moment.",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    response_opens_at = models.DateTimeField(null=True, blank=True)
    response_closes_at = models.DateTimeField(null=True, blank=True)
    response_word_limit = models.PositiveIntegerField(null=True, blank=True)
    recommendation_due = models.DateTimeField(null=True, blank=True)
    decision_due = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["submission", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="unique_round_number"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} round {self.number}"

    def is_released(self, now=None) -> bool:
        """Return whether the authors may read this round's reviews.

        A conference round is released from its configured date on, whether or not the
        periodic job has stamped it yet.
        """
        if self.released_at is not None:
            return True
        return self.release_at is not None and self.release_at <= (now or timezone.now())

    def response_window_open(self, now=None) -> bool:
        """Return whether the author-response window (if any) is open."""
        now = now or timezone.now()
        if self.response_opens_at is None or self.response_closes_at is None:
            return False
        return self.response_opens_at <= now <= self.response_closes_at


class MetaReview(models.Model):
    """The action editor's summary of the round, with a recommendation."""

    round = models.OneToOneField(ReviewRound, on_delete=models.CASCADE, related_name="meta_review")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices)
    released_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the authors were shown it (conferences: the decisions phase releases it).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Meta-review of {self.round}"
