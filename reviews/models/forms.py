"""Review forms. A form is data and versioned: a form in use is never edited in place."""

from django.db import models
from django.utils import timezone


class ReviewForm(models.Model):
    slug = models.SlugField(max_length=64, help_text="Stable name shared by all versions.")
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="unique_form_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"
