"""Read a venue's roles and outbox for its chiefs."""

from django.db.models import QuerySet

from journal.models import OutboundEmail, User, Venue, VenueEmailTemplate, VenueRole
from journal.rules import recused_ids


def venue_roles(*, venue: Venue) -> QuerySet[VenueRole]:
    """Return who holds which role at `venue`, by role then name."""
    return (
        venue.roles.select_related("user")
        .only(
            "pk",
            "venue_id",
            "role",
            "load_quota",
            "load_period",
            "unavailable_until",
            "subject_areas",
            "is_expert",
            "senior",
            "created_at",
            "user__email",
            "user__display_name",
            "user__affiliation",
        )
        .order_by("role", "user__display_name", "user__email")
    )


def venue_outbox(*, venue: Venue, user: User) -> QuerySet[OutboundEmail]:
    """Return the e-mails the venue queued that `user` may see, newest first (no bodies).

    Mail about a paper `user` is recused from (an author or conflicted) is left out.
    """
    return (
        OutboundEmail.objects.filter(venue=venue)
        .exclude(submission_id__in=recused_ids(user, venue))
        .select_related("submission")
        .only(
            "pk",
            "to",
            "subject",
            "template",
            "category",
            "status",
            "attempts",
            "error",
            "created_at",
            "sent_at",
            "submission__number",
            "submission__venue_id",
        )
        .order_by("-created_at", "-pk")
    )


def venue_email_templates(*, venue: Venue) -> dict[str, VenueEmailTemplate]:
    """Return the venue's own e-mail wordings by template name."""
    return {
        own.template: own
        for own in VenueEmailTemplate.objects.filter(venue=venue).select_related("updated_by")
    }
