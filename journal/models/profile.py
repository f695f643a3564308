"""What a person says about themself beyond their account: when they are away, where they
worked (conflicts of interest use it), and the roles venues invite them to."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.enums import RoleInvitationState, RoleKind


class AvailabilityPeriod(models.Model):
    """A stretch of days a person takes no new work, at one venue or everywhere.

    Read through `journal.selectors.availability`, which also counts the older
    `VenueRole.unavailable_until` ("away from now until") an editor may have set.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_periods"
    )
    venue = models.ForeignKey(
        "journal.Venue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: away at every venue.",
    )
    starts_on = models.DateField("away from")
    ends_on = models.DateField("away until", help_text="The last day away.")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="availability_period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.user} away {self.starts_on} to {self.ends_on}"


class InstitutionAffiliation(models.Model):
    """An institution a person belongs or belonged to, with years; `User.affiliation` stays
    the current one. Conflicts of interest count a past institution for a few years."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_history"
    )
    institution = models.CharField(max_length=300)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: still there."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user", "-start_year", "institution"]

    def __str__(self) -> str:
        until = self.end_year or "now"
        return f"{self.institution} ({self.start_year or '?'} to {until})"


class RoleInvitation(models.Model):
    """A chair asks a person to hold a role; the role exists once they accept.

    Changed only by `journal.services.role_invitations`.
    """

    venue = models.ForeignKey(
        "journal.Venue", on_delete=models.CASCADE, related_name="role_invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_invitations"
    )
    role = models.CharField(max_length=24, choices=RoleKind.choices)
    state = models.CharField(
        max_length=16, choices=RoleInvitationState.choices, default=RoleInvitationState.PENDING
    )
    load_quota = models.PositiveSmallIntegerField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(max_length=1000, blank=True)
    venue_role = models.ForeignKey(
        "journal.VenueRole",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The role the acceptance gave.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "user", "role"],
                condition=models.Q(state="pending"),
                name="one_pending_role_invitation",
            ),
        ]
        indexes = [models.Index(fields=["venue", "state"]), models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.user} invited as {self.role} at {self.venue_id} ({self.state})"
