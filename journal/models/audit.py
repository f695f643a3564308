"""The audit trail: who did what to which submission, and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.enums import AuditVisibility
from journal.models.submission import Submission
from journal.models.venue import Venue


class AuditEvent(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="audit_events")
    submission = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the system (scheduled jobs).",
    )
    action = models.CharField(max_length=64, help_text="e.g. submission.transition")
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    visibility = models.CharField(
        max_length=8, choices=AuditVisibility.choices, default=AuditVisibility.EDITORS
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["submission", "created_at"])]

    def __str__(self) -> str:
        arrow = f" {self.from_state}→{self.to_state}" if self.to_state else ""
        return f"{self.action}{arrow}"
