"""How django-allauth counts failed logins on this site, and where people land after login.

allauth limits failed logins per client address and per account. Counted per account alone, a
stranger who types five wrong passwords for someone's address locks its owner out; here the
per-account count is kept for each client separately, so only the client that keeps failing
is held back. The per-client limit across all accounts stays as allauth configures it.
"""

import math

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip, parse_rates
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Count failed logins per account and client; say how long the client has to wait."""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """Return the key of the per-account failure count: the account and the client."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{get_ip(request)}"

    def validation_error(self, code: str, *args) -> ValidationError:
        """Refuse a throttled login with a message naming the wait, otherwise as allauth does."""
        if code != "too_many_login_attempts":
            return super().validation_error(code, *args)
        rates = parse_rates(app_settings.RATE_LIMITS.get("login_failed"))
        minutes = math.ceil(max((rate.duration for rate in rates), default=60) / 60)
        unit = "minute" if minutes == 1 else "minutes"
        return ValidationError(
            "Too many failed login attempts from your connection. "
            f"Try again in {minutes} {unit}.",
            code=code,
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Send people where their work is (a `next` address still wins, allauth sees to it).

        Chairs land on the dashboard; conference area chairs and senior area chairs on
        their console (the dashboard lists theirs when they serve several venues); journal
        action editors on the dashboard; reviewers on their reviewing page; everyone else
        where the site sends them by default.
        """
        from journal.enums import RoleKind, VenueKind
        from journal.models import VenueRole

        user = request.user
        roles = list(
            VenueRole.objects.filter(user_id=user.pk).values_list(
                "role", "venue__kind", "venue__slug"
            )
        )
        held = {role for role, _, _ in roles}
        if RoleKind.CHIEF in held:
            return reverse("journal:dashboard")
        chairing = {
            slug
            for role, kind, slug in roles
            if role in {RoleKind.ACTION_EDITOR, RoleKind.SENIOR_AREA_CHAIR}
            and kind == VenueKind.CONFERENCE
        }
        if len(chairing) == 1:
            return reverse("reviews:console", args=[chairing.pop()])
        if chairing or RoleKind.ACTION_EDITOR in held:
            return reverse("journal:dashboard")
        if RoleKind.REVIEWER in held:
            return reverse("reviews:reviewing")
        return super().get_login_redirect_url(request)
