"""A person's own time zone: the zone every page writes their times in."""

from django.core.exceptions import ValidationError
from django.db import transaction

from journal.errors import DomainError
from journal.models import User
from journal.time_zones import validate_time_zone


def user_time_zone_set(*, user: User, time_zone: str) -> User:
    """Save `time_zone` (an IANA name; empty: the browser's) as the person's zone."""
    time_zone = (time_zone or "").strip()
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="time_zone") from None
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.time_zone != time_zone:
            locked.time_zone = time_zone
            locked.save(update_fields=["time_zone"])
    user.time_zone = time_zone
    return user
