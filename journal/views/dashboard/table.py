"""The submissions table: filter, search, sort, paginate, and export the filtered rows."""

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.views.generic import TemplateView, View

from journal.forms.dashboard import SubmissionFilter
from journal.selectors.dashboard import (
    dashboard_submissions,
    submissions_table,
    venue_keywords,
)
from journal.selectors.scores import with_paper_score
from journal.views.dashboard.base import VenueDashboardMixin

PAGE_SIZE = 50

CSV_HEADER = [
    "number",
    "title",
    "state",
    "keywords",
    "subject_area",
    "action_editor",
    "action_editor_email",
    "submitted_at",
    "in_state_since",
    "reviewers",
    "reviews_submitted",
    "open_flags",
    "score",
    "url",
]


def filtered_rows(view: VenueDashboardMixin) -> tuple[SubmissionFilter, object]:
    """Return the filter (for the form) and the filtered, table-ready queryset."""
    rows = with_paper_score(
        submissions_table(dashboard_submissions(scope=view.scope)), venue=view.venue
    )
    filterset = SubmissionFilter(view.request.GET or None, queryset=rows, venue=view.venue)
    return filterset, filterset.qs


class SubmissionTableView(VenueDashboardMixin, TemplateView):
    template_name = "journal/dashboard/submissions.html"
    section = "submissions"

    def get_context_data(self, **kwargs):
        filterset, rows = filtered_rows(self)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page": page,
            "keywords": venue_keywords(venue=self.venue, limit=100),
        }


class EchoBuffer:
    def write(self, value: str) -> str:
        return value


class SubmissionExportView(VenueDashboardMixin, View):
    """The filtered rows as CSV, streamed (no page limit)."""

    def get(self, request, *args, **kwargs):
        _, rows = filtered_rows(self)
        response = StreamingHttpResponse(
            self._lines(rows, request.build_absolute_uri("/").rstrip("/")),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.venue.slug}-submissions.csv"'
        )
        return response

    def _lines(self, rows, site: str) -> Iterator[str]:
        writer = csv.writer(EchoBuffer())
        yield writer.writerow(CSV_HEADER)
        for s in rows.iterator(chunk_size=2000):
            editor = s.action_editor
            yield writer.writerow(
                [
                    s.number,
                    csv_cell(s.title),
                    s.state,
                    csv_cell("; ".join(s.keywords or ())),
                    csv_cell(s.subject_area),
                    csv_cell(editor.display_name if editor else ""),
                    (editor.email if editor else ""),
                    s.submitted_at.isoformat() if s.submitted_at else "",
                    s.state_since.isoformat() if s.state_since else "",
                    s.n_reviewers,
                    s.n_reviews,
                    s.n_flags,
                    "" if s.score is None else f"{s.score:.3f}",
                    site
                    + reverse(
                        "journal:dashboard-paper",
                        kwargs={"slug": self.venue.slug, "number": s.number},
                    ),
                ]
            )


def csv_cell(text: str) -> str:
    """Keep spreadsheets from reading a cell that starts like a formula as one."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
