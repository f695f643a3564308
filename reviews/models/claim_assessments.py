"""A reviewer's assessment of each benchmark claim of the paper, and of its hypothesis."""

from django.db import models
from django.utils import timezone

from journal.limits import CLAIM_ASSESSMENT_REASON_MAX_CHARS
from reviews.enums import ClaimVerdict, YesPartlyNo
from reviews.models.reviews import Review


class ClaimAssessment(models.Model):
    """Whether the paper's evidence supports one of its benchmark claims, and why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="claim_assessments")
    claim = models.ForeignKey(
        "journal.BenchmarkClaim", on_delete=models.CASCADE, related_name="assessments"
    )
    verdict = models.CharField(max_length=16, choices=ClaimVerdict.choices, blank=True)
    reason = models.CharField(max_length=CLAIM_ASSESSMENT_REASON_MAX_CHARS, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "claim__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "claim"], name="unique_claim_assessment"),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display() or 'Not assessed'} (claim {self.claim_id})"


class HypothesisAssessment(models.Model):
    """Is the paper's hypothesis stated clearly, falsifiable, and tested by its experiments?"""

    review = models.OneToOneField(
        Review, on_delete=models.CASCADE, related_name="hypothesis_assessment"
    )
    stated_clearly = models.CharField(max_length=8, choices=YesPartlyNo.choices, blank=True)
    falsifiable = models.CharField(max_length=8, choices=YesPartlyNo.choices, blank=True)
    tested = models.CharField(
        "tested by the experiments", max_length=8, choices=YesPartlyNo.choices, blank=True
    )
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Hypothesis assessment of review {self.review_id}"
