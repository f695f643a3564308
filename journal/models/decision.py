"""Editorial decisions: drafted by the action editor, approved by the editor-in-chief."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.enums import Certification, DecisionOutcome, DecisionStatus
from journal.models.submission import Submission


class Decision(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="decisions")
    round = models.ForeignKey(
        "reviews.ReviewRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    status = models.CharField(
        max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT, db_index=True
    )
    claims_supported = models.BooleanField(
        null=True,
        help_text="Are the claims supported by accurate, convincing and clear evidence?",
    )
    audience_interested = models.BooleanField(
        null=True, help_text="Would some individuals in the venue's audience be interested?"
    )
    certifications = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True, help_text="What the authors read with the decision.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=~models.Q(status="published"),
                name="one_open_decision_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.submission_id} ({self.status})"

    def certification_labels(self) -> list[str]:
        """Return the certifications as people read them."""
        return [Certification(c).label for c in self.certifications]
