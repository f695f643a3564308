"""Request rates per client, read from settings on every request (tests may lower them)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RateFromSettings:
    scope: str

    def __init__(self) -> None:
        """Defer reading the rate to the request."""

    def allow_request(self, request, view) -> bool:
        self.rate = settings.PEERLESS_API_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    scope = "anon"


class UserThrottle(_RateFromSettings, UserRateThrottle):
    scope = "user"
