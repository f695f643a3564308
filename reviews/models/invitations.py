"""Invitations to review: asked, answered (or not) before a deadline."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reviews.enums import InvitationSource, InvitationState
from reviews.models.rounds import ReviewRound

#: What a reviewer reads about a possible conflict, without naming anyone.
CONFLICT_NOTES = {
    "same_person": "You may be an author of this paper.",
    "institution": "You may share an institution with an author.",
    "email_domain": "You may share an e-mail domain with an author.",
    "coauthor": "You may have written a paper with an author recently.",
    "declared_by_authors": "The authors declared a conflict of interest that may concern you.",
    "declared_by_reviewer": "You declared a conflict of interest that may concern this paper.",
    "other": "There may be a conflict of interest.",
}


class ReviewInvitation(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="invitations")
    submission = models.ForeignKey(
        "journal.Submission", on_delete=models.CASCADE, related_name="review_invitations"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        max_length=16, choices=InvitationSource.choices, default=InvitationSource.MANUAL
    )
    state = models.CharField(
        max_length=16,
        choices=InvitationState.choices,
        default=InvitationState.PENDING,
        db_index=True,
    )
    note = models.TextField(blank=True, help_text="A message from the editor to the reviewer.")
    answer_due = models.DateTimeField(help_text="Accept or decline before this moment.")
    review_due = models.DateTimeField()
    conflict_warning = models.TextField(
        blank=True, help_text="Possible conflicts of interest found, as the editors read them."
    )
    conflict_rules = models.JSONField(
        default=list, blank=True, help_text="The conflict rules that matched (slugs)."
    )
    decline_reason = models.TextField(blank=True)
    reviewer_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The stable 'Reviewer N' of this person on the paper."
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "reviewer_number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer"], name="unique_round_reviewer"),
        ]
        indexes = [
            models.Index(fields=["reviewer", "state"]),
            models.Index(fields=["submission", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} for {self.submission_id} ({self.state})"

    def conflict_notes_for_reviewer(self) -> list[str]:
        """Return the conflict warning in words that name no author."""
        return [CONFLICT_NOTES.get(rule, CONFLICT_NOTES["other"]) for rule in self.conflict_rules]

    @property
    def alias(self) -> str:
        """Return the anonymous name of the reviewer on this paper."""
        return f"Reviewer {self.reviewer_number}" if self.reviewer_number else "Reviewer"
