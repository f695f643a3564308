"""Which senior area chair oversees which area chair at a conference."""

from django.db import transaction

from journal.enums import RoleKind
from journal.errors import DomainError
from journal.models import User, Venue, VenueRole
from journal.services.audit import audit_log


def area_chair_senior_set(
    *, venue: Venue, actor: User, role_id: int, senior: User | None
) -> VenueRole:
    """Put the area chair of role `role_id` under `senior` (None: under nobody); audited.

    A matching run of senior area chairs does this for every area chair at once.
    """
    with transaction.atomic():
        role = (
            VenueRole.objects.select_for_update()
            .select_related("user")
            .filter(venue=venue, pk=role_id)
            .first()
        )
        if role is None:
            raise DomainError("This role does not exist (any more).")
        chair = venue.role_label(RoleKind.ACTION_EDITOR)
        senior_label = venue.role_label(RoleKind.SENIOR_AREA_CHAIR)
        if role.role != RoleKind.ACTION_EDITOR or not venue.is_conference:
            raise DomainError(f"Only the {chair}s of a conference have a {senior_label}.")
        if senior is not None:
            if senior.pk == role.user_id:
                raise DomainError(f"Nobody is their own {senior_label}.")
            if not VenueRole.objects.filter(
                venue=venue, user=senior, role=RoleKind.SENIOR_AREA_CHAIR
            ).exists():
                raise DomainError(f"{senior} is not a {senior_label} of {venue.name}.")
        if role.senior_id == (senior.pk if senior else None):
            return role
        previous = role.senior_id
        role.senior = senior
        role.save(update_fields=["senior"])
        audit_log(
            venue=venue,
            actor=actor,
            action="role.senior",
            data={"user": role.user_id, "from": previous, "to": senior.pk if senior else None},
        )
    return role
