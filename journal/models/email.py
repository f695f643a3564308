"""The outbox: every e-mail a venue sends, with its fate; and how each person wants theirs."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.enums import EmailCategory, EmailDelivery, EmailStatus
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
    category = models.CharField(max_length=20, choices=EmailCategory.choices, blank=True)
    status = models.CharField(
        max_length=12, choices=EmailStatus.choices, default=EmailStatus.QUEUED, db_index=True
    )
    digest = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digested",
        help_text="The daily digest that carried this message.",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbound e-mail"
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(status=EmailStatus.HELD),
                name="outbound_email_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class EmailPreference(models.Model):
    """How one person gets one optional category of e-mail (no row: at once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    category = models.CharField(max_length=20, choices=EmailCategory.choices)
    delivery = models.CharField(
        max_length=10, choices=EmailDelivery.choices, default=EmailDelivery.IMMEDIATE
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="unique_email_preference"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=list(EmailCategory.OPTIONAL)),
                name="email_preference_optional_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.category} {self.delivery}"
