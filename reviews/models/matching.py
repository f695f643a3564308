"""Assignment runs and the proposals they produce, which chairs inspect and deploy."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    PROPOSED = "proposed", "Proposal ready"
    FAILED = "failed", "Failed"
    DEPLOYED = "deployed", "Deployed"

    #: The run is waiting or working.
    ACTIVE: ClassVar[frozenset[str]]
    #: The run has a proposal to look at (deployed or not).
    HAS_PROPOSAL: ClassVar[frozenset[str]]


RunStatus.ACTIVE = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})
RunStatus.HAS_PROPOSAL = frozenset({RunStatus.PROPOSED, RunStatus.DEPLOYED})


class MatchingTarget(models.TextChoices):
    """Whom a run assigns: reviewers to papers, area chairs to papers, or SACs to ACs."""

    REVIEWERS = "reviewers", "Reviewers to papers"
    AREA_CHAIRS = "area_chairs", "Area chairs to papers"
    SENIOR_AREA_CHAIRS = "senior_area_chairs", "Senior area chairs to area chairs"


class AssignmentRun(models.Model):
    """One run of the matching for a venue: its parameters, progress and certificate."""

    venue = models.ForeignKey(
        "journal.Venue", on_delete=models.CASCADE, related_name="assignment_runs"
    )
    target = models.CharField(
        max_length=20, choices=MatchingTarget.choices, default=MatchingTarget.REVIEWERS
    )
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0-100.")
    objective = models.FloatField(null=True, blank=True, help_text="Total assigned affinity.")
    upper_bound = models.FloatField(
        null=True, blank=True, help_text="Proven bound on the best achievable total."
    )
    min_paper_score = models.FloatField(null=True, blank=True)
    n_papers = models.PositiveIntegerField(default=0)
    n_reviewers = models.PositiveIntegerField(default=0)
    n_pairs = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
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
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deployed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["venue", "status"])]

    def __str__(self) -> str:
        return f"Matching run {self.pk} of {self.venue_id} ({self.get_status_display()})"

    @property
    def is_reviewer_run(self) -> bool:
        return self.target == MatchingTarget.REVIEWERS

    @property
    def ratio(self) -> float | None:
        """Return objective / upper bound (1.0 means proven optimal)."""
        if self.objective is None or not self.upper_bound:
            return None
        return self.objective / self.upper_bound


class ProposedAssignment(models.Model):
    """One pair of a run's proposal: (submission, reviewer or area chair), or for a run of
    senior area chairs (area chair, senior area chair) with no submission."""

    run = models.ForeignKey(AssignmentRun, on_delete=models.CASCADE, related_name="pairs")
    submission = models.ForeignKey(
        "journal.Submission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposed_assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    area_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Runs of senior area chairs: the area chair the senior area chair oversees.",
    )
    affinity = models.FloatField()
    is_existing = models.BooleanField(
        default=False, help_text="Kept from an earlier assignment rather than newly proposed."
    )
    deployed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "submission", "-affinity"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "submission", "reviewer"], name="unique_proposed_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} <- {self.reviewer_id} ({self.affinity:.3f})"

    @property
    def is_deployed(self) -> bool:
        return self.deployed_at is not None
