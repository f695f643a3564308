"""A conference's timeline: one row per phase, with its start and end (see `journal.enums.Phase`).

The venue's current phase is `Venue.phase`, changed only by the phase service; these rows are
the plan it follows (and that the public call for papers shows).
"""

from django.db import models

from journal.enums import Phase
from journal.models.venue import Venue


class VenuePhase(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=24, choices=Phase.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

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
