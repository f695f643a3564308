"""What a person sets on their own roles: the most papers they take at once and the venue's
subject areas they review in. Editors see both and may override the load
(`journal.services.roles.venue_role_update`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from journal.errors import DomainError
from journal.limits import LOAD_QUOTA_MAX
from journal.models import User, VenueRole
from journal.services.audit import audit_log


def load_quota_bounds(*, venue_role: VenueRole) -> tuple[int, int]:
    """Return the smallest and largest load the person may offer in `venue_role`."""
    return 1, venue_role.venue.max_load_quota or LOAD_QUOTA_MAX


def venue_role_set_own_load(
    *, venue_role: VenueRole, actor: User, load_quota: int | None
) -> VenueRole:
    """Let the person holding `venue_role` say how many papers they take at once (None: no
    limit, where the venue sets no maximum). Audited; editors see it on the roles page."""
    if not actor.has_perm("journal.change_own_role", venue_role):
        raise DomainError("Only the person holding the role sets their own load.")
    if venue_role.load_quota == load_quota:
        return venue_role
    low, high = load_quota_bounds(venue_role=venue_role)
    venue = venue_role.venue
    if load_quota is None and venue.max_load_quota:
        raise DomainError(
            f"{venue.name} asks for a number: at most {high} papers.", field="load_quota"
        )
    if load_quota is not None and not low <= load_quota <= high:
        raise DomainError(f"Give a number of papers from {low} to {high}.", field="load_quota")
    with transaction.atomic():
        locked = VenueRole.objects.select_for_update().select_related("venue").get(pk=venue_role.pk)
        if locked.load_quota == load_quota:
            return locked
        before = locked.load_quota
        locked.load_quota = load_quota
        locked.save(update_fields=["load_quota"])
        audit_log(
            venue=locked.venue,
            actor=actor,
            action="role.load_offered",
            data={"user": locked.user_id, "role": locked.role, "load_quota": [before, load_quota]},
        )
    return locked


def venue_role_set_subject_areas(
    *, venue_role: VenueRole, actor: User, subject_areas: Iterable[str]
) -> VenueRole:
    """Let the person holding `venue_role` choose the venue's subject areas they review in."""
    if not actor.has_perm("journal.change_own_role", venue_role):
        raise DomainError("Only the person holding the role chooses their subject areas.")
    offered = list(venue_role.venue.subject_areas or ())
    by_fold = {area.casefold(): area for area in offered}
    chosen: list[str] = []
    for raw in subject_areas:
        name = " ".join(str(raw).split())
        if not name:
            continue
        area = by_fold.get(name.casefold())
        if area is None:
            raise DomainError(
                f"“{name}” is not a subject area of {venue_role.venue.name}.",
                field="subject_areas",
            )
        if area not in chosen:
            chosen.append(area)
    chosen.sort(key=offered.index)
    with transaction.atomic():
        locked = VenueRole.objects.select_for_update().select_related("venue").get(pk=venue_role.pk)
        if list(locked.subject_areas or ()) == chosen:
            return locked
        before = list(locked.subject_areas or ())
        locked.subject_areas = chosen
        locked.save(update_fields=["subject_areas"])
        audit_log(
            venue=locked.venue,
            actor=actor,
            action="role.subject_areas",
            data={"user": locked.user_id, "role": locked.role, "subject_areas": [before, chosen]},
        )
    return locked


def venue_role_preferences_set(
    *,
    venue_role: VenueRole,
    actor: User,
    load_quota: int | None,
    subject_areas: Iterable[str],
) -> VenueRole:
    """Save the load and the subject areas of `venue_role` together, or neither."""
    with transaction.atomic():
        venue_role_set_own_load(venue_role=venue_role, actor=actor, load_quota=load_quota)
        return venue_role_set_subject_areas(
            venue_role=venue_role, actor=actor, subject_areas=subject_areas
        )
