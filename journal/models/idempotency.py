"""The first answer to an API write sent with an `Idempotency-Key`, kept to replay it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """One client's key for one endpoint: what was asked (its SHA-256) and what was answered.

    The row is created, locked, at the start of the request and committed with the answer in
    the same transaction, so a second request with the key waits for the first and replays it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=300, help_text="Method and path, e.g. 'POST /api/v1/…'.")
    key = models.CharField(max_length=255)
    request_sha256 = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "endpoint", "key"], name="idempotency_key_once_per_endpoint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
