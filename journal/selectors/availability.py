"""Whether people take new work on a day or during a stretch of days.

One answer for every caller (matching, reviewer and action-editor suggestions, invitations,
assignment): a person is away during [start, end] at a venue when one of their availability
periods (for that venue or for every venue) overlaps it, or when their role there carries an
older "away until" date (`VenueRole.unavailable_until`, away from now until that day).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from journal.models import AvailabilityPeriod, User, Venue, VenueRole


@dataclass(frozen=True)
class Away:
    """A stretch a person is away: from (None: already) until (the last day), and why."""

    starts_on: date | None
    ends_on: date
    reason: str = ""

    def __str__(self) -> str:
        if self.starts_on is None:
            return f"away until {self.ends_on:%d %b %Y}"
        return f"away from {self.starts_on:%d %b %Y} until {self.ends_on:%d %b %Y}"


def review_window(*, venue: Venue, start: date | None = None) -> tuple[date, date]:
    """Return the days a reviewer asked today would be reviewing at `venue`."""
    start = start or timezone.localdate()
    return start, start + timedelta(days=max(venue.review_period_days - 1, 0))


def away_by_user(
    *, venue_id: int, user_ids: Iterable[int], start: date, end: date
) -> dict[int, Away]:
    """Return, per person of `user_ids` away at some time in [start, end], the first such
    availability period (one query; the roles' own dates are `roles_away`)."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = (
        AvailabilityPeriod.objects.filter(
            Q(venue_id=venue_id) | Q(venue__isnull=True),
            user_id__in=ids,
            starts_on__lte=end,
            ends_on__gte=start,
        )
        .order_by("user_id", "starts_on", "pk")
        .values_list("user_id", "starts_on", "ends_on", "reason")
    )
    found: dict[int, Away] = {}
    for user_id, starts_on, ends_on, reason in rows:
        found.setdefault(user_id, Away(starts_on, ends_on, reason))
    return found


def roles_away(
    *, roles: Sequence[VenueRole], start: date, end: date | None = None
) -> dict[int, Away]:
    """Return, per user id of `roles` (all at one venue), why they are away during
    [start, end] (`end` defaults to `start`); people free then are left out."""
    end = end or start
    if not roles:
        return {}
    found = away_by_user(
        venue_id=roles[0].venue_id, user_ids=[r.user_id for r in roles], start=start, end=end
    )
    for role in roles:
        until = role.unavailable_until
        if until is not None and until >= start and role.user_id not in found:
            found[role.user_id] = Away(None, until)
    return found


def person_away(
    *, user: User, venue: Venue, start: date | None = None, end: date | None = None
) -> Away | None:
    """Return why `user` is away at `venue` during [start, end] (today by default), or None."""
    start = start or timezone.localdate()
    end = end or start
    roles = list(VenueRole.objects.filter(venue=venue, user=user))
    if roles:
        return roles_away(roles=roles, start=start, end=end).get(user.pk)
    return away_by_user(venue_id=venue.pk, user_ids=[user.pk], start=start, end=end).get(user.pk)


def person_is_available(
    *, user: User, venue: Venue, on: date | None = None, until: date | None = None
) -> bool:
    """Return whether `user` takes new work at `venue` on day `on` (through `until`)."""
    return person_away(user=user, venue=venue, start=on, end=until) is None


def availability_periods_of(*, user: User):
    """Return the person's availability periods, coming and current first, then past ones."""
    return (
        AvailabilityPeriod.objects.filter(user=user)
        .select_related("venue")
        .order_by("-ends_on", "-starts_on", "-pk")
    )
