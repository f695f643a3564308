"""A conference's timeline: one row per phase, with its start and end (see `journal.enums.Phase`).

The venue's current phase is `Venue.phase`, changed only by the phase service; these rows are
the plan it follows (and that the public call for papers shows).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.enums import Phase, PhaseJobStatus
from journal.models.venue import Venue


class VenuePhase(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=24, choices=Phase.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    abstracts_due = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Submission phase only: new papers are registered (title and abstract) "
        "until then; the full paper is due at the phase's end.",
    )

    class Meta:
        ordering = ["venue", "starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "phase"], name="unique_venue_phase"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="venue_phase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id}: {self.phase} {self.starts_at:%Y-%m-%d} to {self.ends_at:%Y-%m-%d}"


class PhaseJob(models.Model):
    """The venue-wide work of one phase change (open rounds, release reviews, ...), with progress.

    Created by the phase service together with the change, carried out by a Celery task that
    takes its id; every step skips what is already done, so running it again is harmless.
    """

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="phase_jobs")
    from_phase = models.CharField(max_length=24, choices=Phase.choices, blank=True)
    phase = models.CharField(max_length=24, choices=Phase.choices)
    status = models.CharField(
        max_length=8,
        choices=PhaseJobStatus.choices,
        default=PhaseJobStatus.QUEUED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0-100.")
    counts = models.JSONField(default=dict, blank=True, help_text="What each step did.")
    message = models.TextField(blank=True, help_text="What went wrong, written for the chair.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["venue", "status"])]

    def __str__(self) -> str:
        return f"Entering {self.phase} at {self.venue_id} ({self.status})"
