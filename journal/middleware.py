"""Per-request settings read from the person: the time zone pages are written in."""

from django.utils import timezone

from journal.time_zones import BROWSER_ZONE_COOKIE, UTC, zone_named


def viewer_zone_of(request):
    """Return (zone, where it comes from): "profile", "browser" or "default" (UTC)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        zone = zone_named(getattr(user, "time_zone", "") or "")
        if zone is not None:
            return zone, "profile"
    zone = zone_named(request.COOKIES.get(BROWSER_ZONE_COOKIE, ""))
    if zone is not None:
        return zone, "browser"
    return UTC, "default"


#: The REST API answers ISO 8601 in UTC whoever asks (DRF writes times in the active zone).
API_PREFIX = "/api/"


class ViewerTimeZoneMiddleware:
    """Activate the viewer's time zone for the request (`journal.time_zones`); not for the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone, source = viewer_zone_of(request)
        request.viewer_zone, request.viewer_zone_source = zone, source
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
