"""Public pages: the venue list, a venue, a published paper."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from journal.forms.phases import zone_of
from journal.models import Venue
from journal.selectors.phases import venue_timeline
from journal.selectors.submissions import submissions_published


class VenueListView(ListView):
    template_name = "journal/public/venue_list.html"
    context_object_name = "venues"

    def get_queryset(self):
        return Venue.objects.order_by("name")


class VenueDetailView(DetailView):
    template_name = "journal/public/venue_detail.html"
    context_object_name = "venue"

    def get_object(self, queryset=None):
        return get_object_or_404(Venue, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["papers"] = submissions_published(venue=self.object)[:100]
        if self.object.is_conference:
            context["timeline"] = venue_timeline(venue=self.object)
            context["venue_zone"] = zone_of(self.object.timezone, self.object)
        return context
