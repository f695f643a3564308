"""A person's request to fetch their publications from ORCID, DBLP or Semantic Scholar."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reviews.enums import FetchService
from reviews.models.expertise import JobStatus


class PublicationFetch(models.Model):
    """One fetch job: what was asked, how far it got, and what it added."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publication_fetches"
    )
    service = models.CharField(max_length=20, choices=FetchService.choices)
    identifier = models.CharField(max_length=100, help_text="The person's id at the service.")
    status = models.CharField(
        max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_publication_fetch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.identifier} ({self.get_status_display()})"
