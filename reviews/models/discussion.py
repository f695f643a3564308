"""The discussion of a submission: threaded comments, each with its audience."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reviews.enums import CommentAudience, CommentRole
from reviews.models.rounds import ReviewRound


class Comment(models.Model):
    submission = models.ForeignKey(
        "journal.Submission", on_delete=models.CASCADE, related_name="review_comments"
    )
    round = models.ForeignKey(
        ReviewRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_comments"
    )
    role = models.CharField(max_length=16, choices=CommentRole.choices)
    audience = models.CharField(max_length=16, choices=CommentAudience.choices)
    is_author_response = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(
        max_length=300, blank=True, help_text="Why the editors hid the comment (shown instead)."
    )

    class Meta:
        ordering = ["submission", "created_at", "pk"]
        indexes = [models.Index(fields=["submission", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.submission_id}"


class CommentRevision(models.Model):
    """The text a comment had before an edit. Read-only history."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["comment", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id}"
