"""What every dashboard page shares: the venue from the URL and who may see it."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from journal.errors import DomainError
from journal.models import Venue
from journal.selectors.dashboard import dashboard_scope


class VenueDashboardMixin(LoginRequiredMixin):
    """Load the venue named in the URL; let in only people holding `permission` there.

    Anonymous visitors are sent to the login page; signed-in people without the permission
    get a 403.
    """

    permission = "journal.view_dashboard"
    section = "overview"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.venue = get_object_or_404(Venue, slug=kwargs["slug"])
        if not request.user.has_perm(self.permission, self.venue):
            raise PermissionDenied("You are not an editor of this venue.")
        self.scope = dashboard_scope(user=request.user, venue=self.venue)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            venue=self.venue,
            scope=self.scope,
            section=self.section,
            can_manage=user.has_perm("journal.manage_venue", self.venue),
        )
        return context


class VenueChiefMixin(VenueDashboardMixin):
    """Pages for the venue's chiefs only (settings, roles, the outbox)."""

    permission = "journal.manage_venue"


def refused(request, error: DomainError, *, back: str, status: int | None = None):
    """Answer a refused request with the domain's message and a 4xx status."""
    return render(
        request,
        "journal/dashboard/refused.html",
        {"message": error.message, "back": back, "problems": getattr(error, "problems", [])},
        status=status or error.status_code,
    )
