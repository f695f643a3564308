"""A venue's own wording of one of its outgoing e-mails, replacing the default template."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class EmailTemplateKey(models.TextChoices):
    """The e-mails a venue may reword: the value is the default template's name."""

    SUBMISSION_RECEIVED = "journal/emails/submission_received", "Submission received"
    DECISION = "journal/emails/decision", "Decision to the authors"
    REVIEW_INVITATION = "reviews/emails/invitation", "Invitation to review"
    REMINDER_INVITATION = "reviews/emails/reminder_invitation", "Reminder: answer an invitation"
    REMINDER_REVIEW = "reviews/emails/reminder_review", "Reminder: review due or overdue"
    REMINDER_BIDS = "reviews/emails/reminder_bids", "Reminder: bid on papers"


class VenueEmailTemplate(models.Model):
    """Subject and body, in the e-mail template language, used instead of the default."""

    venue = models.ForeignKey(
        "journal.Venue", on_delete=models.CASCADE, related_name="email_templates"
    )
    template = models.CharField(max_length=100, choices=EmailTemplateKey.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["venue", "template"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "template"], name="unique_venue_email_template"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_display()} at {self.venue_id}"
