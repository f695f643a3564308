"""Integration: personal API tokens and venue webhooks with their deliveries."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.models.venue import Venue


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class WebhookEvent(models.TextChoices):
    SUBMISSION_CREATED = "submission.created", "Submission created (draft)"
    SUBMISSION_SUBMITTED = "submission.submitted", "Submission submitted"
    SUBMISSION_STATE_CHANGED = "submission.state_changed", "Submission changed state"
    VERSION_UPLOADED = "version.uploaded", "New version uploaded"
    DECISION_PUBLISHED = "decision.published", "Decision published to the authors"
    SUBMISSION_PUBLISHED = "submission.published", "Paper published"
    REVIEW_SUBMITTED = "review.submitted", "Review submitted"
    INVITATION_ACCEPTED = "invitation.accepted", "Review invitation accepted"
    INVITATION_DECLINED = "invitation.declined", "Review invitation declined"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class ApiToken(models.Model):
    """A personal token for scripts. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'CI export'.")
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Limit the token to one venue; empty means every venue you work in.",
    )
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise it.")
    secret_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ


class Webhook(models.Model):
    """An HTTPS endpoint of a venue that receives signed event notifications."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100, help_text="Key of the HMAC-SHA256 signature.")
    events = models.JSONField(default=list, help_text="Event names this endpoint receives.")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["venue", "pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=12,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_retry_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
