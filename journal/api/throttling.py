"""Request rates per client, read from settings on every request (tests may lower them).

The counts live in the shared cache (see `CACHES` in the settings), so a limit holds across
every web process. Each client has a counter per window of the rate's duration, raised with
the cache's atomic `incr` (Redis' INCR; a row lock on the database cache), and the previous
window's count weighs in for the part of it still within the last `duration` seconds: a
sliding window that needs no list of timestamps. A refused request is not counted.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RateFromSettings:
    scope: str

    def __init__(self) -> None:
        """Defer reading the rate to the request."""
        self.wait_seconds = None

    def allow_request(self, request, view) -> bool:
        self.rate = settings.PEERLESS_API_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        current = f"{self.key}:{window}"
        self.cache.add(current, 0, timeout=2 * self.duration + 1)
        try:
            count = self.cache.incr(current)
        except ValueError:  # expired between add and incr
            self.cache.set(current, 1, timeout=2 * self.duration + 1)
            count = 1
        previous = self.cache.get(f"{self.key}:{window - 1}") or 0
        still_inside = 1 - (now - window * self.duration) / self.duration
        self.wait_seconds = (window + 1) * self.duration - now
        if count + previous * still_inside <= self.num_requests:
            return True
        self.cache.decr(current)  # a refused request does not count
        return False

    def wait(self):
        return self.wait_seconds


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    scope = "anon"


class UserThrottle(_RateFromSettings, UserRateThrottle):
    scope = "user"


class RenderThrottle(_RateFromSettings, UserRateThrottle):
    """Previews of Markdown (pages and `POST /api/v1/render/`), per person, apart from the rest."""

    scope = "render"


def render_allowed(request) -> tuple[bool, int]:
    """Return whether `request` may render one more preview, and else the seconds to wait."""
    throttle = RenderThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, max(1, int(throttle.wait() or 1) + 1)
