"""Editors' conflicts of interest with a venue's papers, kept as data.

The rules are the reviewers' (`reviews.selectors.conflicts`); applying them to one editor means
reading every authorship of the venue, too slow for each page an editor opens. So the result
is stored: an `EditorConflictScan` says that `user`'s conflicts at `venue` are known, and the
`EditorConflict` rows are those conflicts. `reviews.services.editor_conflicts` writes both:
a paper's rows when its authors or declared conflicts change, a person's scans are dropped
when their profile, publications or declared conflicts change (the next read rescans), and a
nightly pass rebuilds everything.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.models.submission import Submission
from journal.models.venue import Venue


class EditorConflictScan(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scanned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["venue", "user"], name="unique_editor_conflict_scan")
        ]

    def __str__(self) -> str:
        return f"conflicts of {self.user_id} at {self.venue_id}, {self.scanned_at:%Y-%m-%d %H:%M}"


class EditorConflict(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], name="unique_editor_conflict")
        ]
        indexes = [models.Index(fields=["user", "venue"])]

    def __str__(self) -> str:
        return f"{self.user_id} conflicted with {self.submission_id}"
