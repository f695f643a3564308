"""Immutable versions of a submission's files."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.enums import VersionKind
from journal.models.submission import Submission


def _version_path(instance: "SubmissionVersion", filename: str, *, part: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    sub = instance.submission
    return f"submissions/{sub.venue_id}/{sub.pk}/v{instance.number}-{part}.{ext}"


def pdf_path(instance: "SubmissionVersion", filename: str) -> str:
    return _version_path(instance, filename, part="paper")


def supplement_path(instance: "SubmissionVersion", filename: str) -> str:
    return _version_path(instance, filename, part="supplement")


class SubmissionVersion(models.Model):
    """One upload of the paper (and supplement), never edited.

    A version is the authors' alone until it is submitted (`submitted_at`); one they replace
    before that (in a draft, or before resubmitting a revision) is deleted with its files.
    """

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(
        max_length=16, choices=VersionKind.choices, default=VersionKind.SUBMISSION
    )
    pdf = models.FileField(upload_to=pdf_path, max_length=300)
    pdf_sha256 = models.CharField(max_length=64)
    pdf_size = models.PositiveBigIntegerField()
    page_count = models.PositiveSmallIntegerField()
    supplement = models.FileField(upload_to=supplement_path, max_length=300, blank=True)
    supplement_sha256 = models.CharField(max_length=64, blank=True)
    supplement_size = models.PositiveBigIntegerField(null=True, blank=True)
    change_summary = models.TextField(blank=True)
    metadata = models.JSONField(
        default=dict, help_text="Title, abstract, keywords, hypothesis and claims at upload."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the version was submitted (or resubmitted, or uploaded under review, "
        "or handed in as camera-ready). Until then only the authors see it.",
    )
    anonymity_findings = models.JSONField(
        null=True,
        blank=True,
        default=None,
        help_text="What the double-blind check found in the files when they were submitted "
        "(empty: nothing; null: not checked).",
    )
    anonymity_acknowledged = models.BooleanField(
        default=False, help_text="The authors confirmed that the findings do not identify them."
    )

    class Meta:
        ordering = ["submission", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="unique_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"
