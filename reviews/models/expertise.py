"""What reviewers know: their publications feed the affinity model."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Publication(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publications"
    )
    title = models.CharField(max_length=500)
    abstract = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    venue_name = models.CharField("published in", max_length=300, blank=True)
    coauthors = models.JSONField(
        default=list, blank=True, help_text="Co-author names (or e-mails), in order."
    )
    url = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user", "-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["user", "title"], name="unique_publication_title"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year or 'n.d.'})"
