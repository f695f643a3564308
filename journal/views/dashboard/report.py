"""The venue report at the end of a cycle: does it reward ideas or numbers? HTML and CSV,
for the venue's chiefs."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView, View

from journal.analytics.influence_charts import influence_charts
from journal.selectors.influence import venue_report, venue_report_rows
from journal.views.dashboard.base import VenueDashboardMixin
from journal.views.dashboard.table import csv_cell
from reviews.selectors.forms import form_shares_of
from reviews.services.forms import review_form_for_venue


class VenueReportView(VenueDashboardMixin, TemplateView):
    template_name = "journal/dashboard/report.html"
    section = "analytics"
    permission = "journal.view_venue_report"

    def get_context_data(self, **kwargs):
        report = venue_report(scope=self.scope)
        ideas = report.influence
        return {
            **super().get_context_data(**kwargs),
            "report": report,
            "ideas": ideas,
            "ideas_charts": {
                k: mark_safe(v) for k, v in influence_charts(ideas.result, ideas.label).items()
            },
            "form_shares": form_shares_of(form=review_form_for_venue(venue=self.venue)),
            "generated_at": timezone.now(),
        }


class VenueReportCsvView(VenueDashboardMixin, View):
    permission = "journal.view_venue_report"

    def get(self, request, *args, **kwargs):
        rows = venue_report_rows(report=venue_report(scope=self.scope))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["section", "item", "measure", "value"])
        for section, item, measure, value in rows:
            shown = "" if value is None else round(value, 4) if isinstance(value, float) else value
            writer.writerow([section, csv_cell(item), measure, shown])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.venue.slug}-report.csv"'
        return response



