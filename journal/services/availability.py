"""A person's own availability periods: when they take no new papers (reads:
`journal.selectors.availability`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from journal.errors import DomainError
from journal.limits import AVAILABILITY_PERIODS_MAX, REASON_MAX_CHARS, text_limits_check
from journal.models import AvailabilityPeriod, User, Venue, VenueRole
from journal.services.audit import audit_log


def _venues_of(user: User, venue: Venue | None) -> list[Venue]:
    if venue is not None:
        return [venue]
    return list(Venue.objects.filter(roles__user=user).distinct().order_by("pk"))


def _audit(*, user: User, venue: Venue | None, action: str, period: AvailabilityPeriod) -> None:
    data = {
        "user": user.pk,
        "period": period.pk,
        "from": period.starts_on.isoformat(),
        "until": period.ends_on.isoformat(),
        "all_venues": venue is None,
    }
    for each in _venues_of(user, venue):
        audit_log(venue=each, actor=user, action=action, data=data)


def availability_period_add(
    *,
    user: User,
    starts_on: date,
    ends_on: date,
    venue: Venue | None = None,
    reason: str = "",
    today: date | None = None,
) -> AvailabilityPeriod:
    """Record that `user` is away from `starts_on` through `ends_on` (at `venue`, or at every
    venue when None). Refused for a period that ended, runs backwards, repeats one already
    listed, or names a venue where the person holds no role."""
    today = today or timezone.localdate()
    reason = " ".join((reason or "").split())
    text_limits_check(
        limit=min(REASON_MAX_CHARS, 200), labels={"reason": "The reason"}, reason=reason
    )
    if ends_on < starts_on:
        raise DomainError("The last day away comes before the first one.", field="ends_on")
    if ends_on < today:
        raise DomainError("This period is over already; give days from today on.", field="ends_on")
    if venue is not None and not VenueRole.objects.filter(venue=venue, user=user).exists():
        raise DomainError(f"You hold no role at {venue.name}.", field="venue")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        mine = AvailabilityPeriod.objects.filter(user=user)
        if mine.count() >= AVAILABILITY_PERIODS_MAX:
            raise DomainError(
                f"You list {AVAILABILITY_PERIODS_MAX} periods already; remove one first."
            )
        if mine.filter(venue=venue, starts_on=starts_on, ends_on=ends_on).exists():
            raise DomainError("This period is listed already.", field="starts_on")
        period = AvailabilityPeriod.objects.create(
            user=user, venue=venue, starts_on=starts_on, ends_on=ends_on, reason=reason
        )
        _audit(user=user, venue=venue, action="availability.added", period=period)
    return period


def availability_period_remove(
    *, user: User, period_id: int, today: date | None = None
) -> AvailabilityPeriod | None:
    """Withdraw one of `user`'s periods. One still to come is deleted; one under way ends
    yesterday (the person is back today); one that is over stays on record (refused).
    Return the shortened period, or None when it was deleted."""
    today = today or timezone.localdate()
    with transaction.atomic():
        period = (
            AvailabilityPeriod.objects.select_for_update(of=("self",))
            .select_related("venue")
            .filter(pk=period_id, user=user)
            .first()
        )
        if period is None:
            raise DomainError("No such period on your list.")
        if period.ends_on < today:
            raise DomainError("A period that is over stays on record.")
        if period.starts_on >= today:
            _audit(user=user, venue=period.venue, action="availability.removed", period=period)
            period.delete()
            return None
        period.ends_on = today - timedelta(days=1)
        period.save(update_fields=["ends_on"])
        _audit(user=user, venue=period.venue, action="availability.ended", period=period)
    return period
