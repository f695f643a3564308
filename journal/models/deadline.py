"""Extensions of a paper's stage deadlines, each with its reason (see `journal.clock`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from journal.enums import Stage
from journal.models.submission import Submission


class StageExtension(models.Model):
    """More days for one stage of one paper, in one cycle (the n-th submission of it)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="stage_extensions"
    )
    stage = models.CharField(max_length=24, choices=Stage.choices)
    cycle = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the first submission, 2 for the first resubmission, ..."
    )
    days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["submission", "created_at", "pk"]
        indexes = [models.Index(fields=["submission", "stage", "cycle"])]

    def __str__(self) -> str:
        return f"+{self.days}d {self.stage} on {self.submission_id}"
