"""Time zones: the viewer's (profile, else the browser's), and how a moment is written for them.

Every timestamp on a page is shown in the viewer's zone with the zone named ("3 Dec 2026,
14:00 CET"), inside a `<time datetime="...">` carrying the ISO 8601 moment. The zone is the
one on the person's profile (`User.time_zone`); when that is empty, the one their browser
reports (`Intl.DateTimeFormat().resolvedOptions().timeZone`, sent by portal.js as the cookie
`BROWSER_ZONE_COOKIE`); else UTC. Deadlines of venues that state them Anywhere on Earth
(UTC-12) are written in AoE first, then in the viewer's zone. The API keeps ISO 8601 with
offsets and is not affected.
"""

import datetime as dt
import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError

#: The cookie in which the browser reports its zone (an IANA name).
BROWSER_ZONE_COOKIE = "peerless_tz"
#: Anywhere on Earth: UTC-12 all year (the POSIX sign is inverted in the IANA name).
AOE = zoneinfo.ZoneInfo("Etc/GMT+12")
UTC = dt.UTC


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """Return every IANA zone name this server knows, sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


@lru_cache(maxsize=512)
def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """Return the zone called `name` (an IANA name such as "Europe/Berlin"), else None."""
    name = (name or "").strip()
    if not name or len(name) > 64 or name not in time_zone_names():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def validate_time_zone(value: str) -> None:
    """Refuse anything but an IANA zone name (empty is allowed: the browser's zone)."""
    if value and zone_named(value) is None:
        raise ValidationError(
            f"“{value}” is not a time zone. Use a name like Europe/Berlin or America/New_York.",
            code="invalid_time_zone",
        )


def zone_label(moment: dt.datetime) -> str:
    """Return the short name of `moment`'s zone ("CET", "EDT", "UTC", "UTC+05:30")."""
    name = moment.tzname() or ""
    if moment.tzinfo is AOE:
        return "AoE"
    if not name or name[0] in "+-":
        offset = moment.utcoffset() or dt.timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        hours, rest = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")
    return name


def _day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def format_moment(moment: dt.datetime, zone: dt.tzinfo, *, with_time: bool = True) -> str:
    """Return `moment` in `zone` as "3 Dec 2026, 14:00 CET" (or "3 Dec 2026" without time)."""
    local = moment.astimezone(zone)
    if not with_time:
        return _day(local)
    return f"{_day(local)}, {local:%H:%M} {zone_label(local)}"


def format_deadline(moment: dt.datetime, zone: dt.tzinfo, *, aoe: bool) -> tuple[str, str]:
    """Return a deadline as (main text, text in the viewer's `zone` or "").

    With `aoe` the main text is in AoE ("15 May 2027, 23:59 AoE") and the second one in
    `zone` ("16 May, 13:59 CEST", the year left out when it is the same) unless that is the
    same wall-clock time; without, the main text is in `zone` and there is no second one.
    """
    local = moment.astimezone(zone)
    if not aoe:
        return format_moment(moment, zone), ""
    stated = moment.astimezone(AOE)
    main = f"{_day(stated)}, {stated:%H:%M} AoE"
    if stated.utcoffset() == local.utcoffset():
        return main, ""
    day = _day(local) if local.year != stated.year else f"{local.day} {local:%b}"
    return main, f"{day}, {local:%H:%M} {zone_label(local)}"
