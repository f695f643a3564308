"""The outbox: every e-mail a venue sends, with its fate."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.enums import EmailStatus
from journal.models.submission import Submission
from journal.models.venue import Venue


class OutboundEmail(models.Model):
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    template = models.CharField(max_length=100)
    dedupe_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="Set for messages that must never go out twice (e.g. reminders).",
    )
    status = models.CharField(
        max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbound e-mail"

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
