"""The profile's time zone: the zone pages write one's times in."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from journal.errors import DomainError
from journal.services.time_zones import user_time_zone_set

ANCHOR = "#time-zone-heading"


class ProfileTimeZoneView(LoginRequiredMixin, View):
    """Save the person's time zone (empty: the browser's)."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            user = user_time_zone_set(
                user=request.user, time_zone=request.POST.get("time_zone", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("journal:profile") + ANCHOR)
        if user.time_zone:
            messages.success(request, f"Times are now shown in {user.time_zone}.")
        else:
            messages.success(request, "Times are now shown in your browser's time zone.")
        return redirect(reverse("journal:profile") + ANCHOR)
