"""The dashboard's front pages: the venues I edit, and one venue's pipeline and queues."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from journal.selectors.dashboard import console_venues, dashboard_pipeline, dashboard_venues
from journal.selectors.queues import dashboard_queues
from journal.views.dashboard.base import VenueDashboardMixin


class DashboardHomeView(LoginRequiredMixin, TemplateView):
    """Every venue the person edits, with its pipeline at a glance."""

    template_name = "journal/dashboard/home.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "venues": dashboard_venues(user=self.request.user),
            "consoles": console_venues(user=self.request.user),
        }


class VenueDashboardView(VenueDashboardMixin, TemplateView):
    """One venue: the pipeline (count per state) and what needs the person now."""

    template_name = "journal/dashboard/venue.html"
    section = "overview"

    def get_context_data(self, **kwargs):
        pipeline = dashboard_pipeline(scope=self.scope)
        return {
            **super().get_context_data(**kwargs),
            "pipeline": pipeline,
            "total": sum(count for _, count in pipeline),
            "queues": dashboard_queues(scope=self.scope),
        }
