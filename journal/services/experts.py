"""Mark a reviewer as an expert reviewer of the venue (TMLR), or no longer one."""

from django.db import transaction

from journal.enums import RoleKind
from journal.errors import DomainError
from journal.models import User, Venue, VenueRole
from journal.services.audit import audit_log


def venue_role_set_expert(*, venue: Venue, actor: User, role_id: int, is_expert: bool) -> VenueRole:
    """Make the reviewer role `role_id` an expert reviewer (or not); audited.

    Papers whose authors include an expert reviewer may carry the Expert certification.
    """
    with transaction.atomic():
        role = VenueRole.objects.select_for_update().filter(venue=venue, pk=role_id).first()
        if role is None:
            raise DomainError("This role does not exist (any more).")
        if role.role != RoleKind.REVIEWER:
            raise DomainError("Only reviewers can be expert reviewers.")
        if role.is_expert == is_expert:
            return role
        role.is_expert = is_expert
        role.save(update_fields=["is_expert"])
        audit_log(
            venue=venue,
            actor=actor,
            action="role.expert",
            data={"user": role.user_id, "is_expert": is_expert},
        )
    return role
