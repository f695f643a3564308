"""The chairs' decision table: every paper with its numbers, bulk decisions, the CSV."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView, View

from journal.analytics.charts import column_chart
from journal.errors import DomainError
from journal.forms.decision_table import BulkDecideForm, DecisionTableForm, filters_querystring
from journal.selectors.dashboard import submission_areas, venue_keywords
from journal.selectors.decision_table import (
    decision_table_ids,
    decision_table_page,
    decision_table_rows,
)
from journal.services.decisions_bulk import (
    bulk_token,
    bulk_token_read,
    decisions_bulk,
    decisions_bulk_plan,
)
from journal.views.dashboard.base import VenueDashboardMixin, refused
from journal.views.dashboard.table import EchoBuffer, csv_cell

CSV_HEADER = [
    "number",
    "title",
    "state",
    "keywords",
    "subject_area",
    "reviews_submitted",
    "reviews_required",
    "score",
    "calibrated_score",
    "spread",
    "confidence",
    "recommendations",
    "meta_review",
    "open_flags",
    "anonymity_findings",
    "claimed_gain",
    "decision",
    "decision_status",
    "url",
]


def _chief_refusal(request, venue):
    return refused(
        request,
        DomainError("Only the program chairs of the venue see the decision table."),
        back=reverse("journal:venue-dashboard", kwargs={"slug": venue.slug}),
        status=403,
    )


def _filters(request, venue) -> DecisionTableForm:
    return DecisionTableForm(request.GET, venue=venue)


class DecisionTableView(VenueDashboardMixin, TemplateView):
    template_name = "journal/dashboard/decisions.html"
    section = "decisions"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("journal.view_decision_table", self.venue):
            return _chief_refusal(request, self.venue)
        form = _filters(request, self.venue)
        if not form.is_valid():
            context = self.get_context_data(form=form, table=None)
            return self.render_to_response(context, status=400)
        table = decision_table_page(venue=self.venue, user=request.user, query=form.table_query())
        return self.render_to_response(self.get_context_data(form=form, table=table))

    def get_context_data(self, *, form, table, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=form,
            table=table,
            bulk=BulkDecideForm(initial={"filters": filters_querystring(self.request.GET)}),
            may_decide=self.request.user.has_perm("journal.decide_in_bulk", self.venue),
            keywords=venue_keywords(venue=self.venue, limit=100),
            filters=filters_querystring(self.request.GET),
            chart=_chart(table) if table and table.total else "",
        )
        return context


def _chart(table) -> str:
    # The chart escapes its own labels (`journal.analytics.charts`).
    return mark_safe(
        column_chart(
            columns=table.histogram_bins,
            title="Mean overall score of the filtered papers",
            every_label=1,
        )
    )


class DecisionConfirmView(VenueDashboardMixin, View):
    """Step 1 (`review`): show the counts and refusals. Step 2 (`record`): record them."""

    section = "decisions"
    template_name = "journal/dashboard/decisions_confirm.html"

    def post(self, request, *args, **kwargs):
        venue = self.venue
        back = reverse("journal:dashboard-decisions", kwargs={"slug": venue.slug})
        if not request.user.has_perm("journal.decide_in_bulk", venue):
            return refused(
                request,
                DomainError(
                    "Only the program chairs of a conference decide in bulk; at a journal "
                    "each paper's decision is drafted by its action editor."
                ),
                back=back,
                status=403,
            )
        context = {"venue": venue, "scope": self.scope, "section": self.section, "back": back}
        try:
            if request.POST.get("step") == "record":
                comment = request.POST.get("comment", "")
                outcomes, override = bulk_token_read(
                    token=request.POST.get("token", ""),
                    venue=venue,
                    actor=request.user,
                    comment=comment,
                )
                plan = decisions_bulk(
                    venue=venue,
                    actor=request.user,
                    outcomes=outcomes,
                    comment=comment,
                    override_incomplete=override,
                )
                context.update(plan=plan, recorded=True)
                return render(request, self.template_name, context)
            form = BulkDecideForm(request.POST)
            if not form.is_valid():
                return refused(request, DomainError(_form_message(form)), back=back, status=400)
            outcomes = self._outcomes(form)
            plan = decisions_bulk_plan(
                venue=venue,
                actor=request.user,
                outcomes=outcomes,
                override_incomplete=form.cleaned_data["override_incomplete"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            return refused(request, exc, back=back)
        token = bulk_token(
            venue=venue,
            actor=request.user,
            outcomes=plan.outcomes,
            override_incomplete=plan.override_incomplete,
            comment=plan.comment,
        )
        context.update(plan=plan, token=token, recorded=False, outcome=form.cleaned_data["outcome"])
        return render(request, self.template_name, context)

    def _outcomes(self, form: BulkDecideForm) -> dict[int, str]:
        outcome = form.cleaned_data["outcome"]
        if form.cleaned_data["scope"] == BulkDecideForm.CHOSEN:
            return dict.fromkeys(form.cleaned_data["paper"], outcome)
        filters = form.filter_form()
        if not filters.is_valid():
            raise DomainError("The table's filters are not valid; filter the table again.")
        ids = decision_table_ids(
            venue=self.venue, user=self.request.user, query=filters.table_query()
        )
        return dict.fromkeys(ids, outcome)


def _form_message(form) -> str:
    messages = [str(e) for errors in form.errors.values() for e in errors]
    return " ".join(messages) or "The request is not valid."


class DecisionTableExportView(VenueDashboardMixin, View):
    """The filtered table as CSV (every row, in the table's order), streamed."""

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("journal.view_decision_table", self.venue):
            return _chief_refusal(request, self.venue)
        form = _filters(request, self.venue)
        if not form.is_valid():
            back = reverse("journal:dashboard-decisions", kwargs={"slug": self.venue.slug})
            return refused(request, DomainError(_form_message(form)), back=back, status=400)
        rows = decision_table_rows(venue=self.venue, user=request.user, query=form.table_query())
        response = StreamingHttpResponse(
            self._lines(
                rows,
                request.build_absolute_uri("/").rstrip("/"),
                submission_areas(venue=self.venue),
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.venue.slug}-decisions.csv"'
        return response

    def _lines(self, rows, site: str, areas: dict[int, str]) -> Iterator[str]:
        writer = csv.writer(EchoBuffer())
        yield writer.writerow(CSV_HEADER)
        for row in rows:
            yield writer.writerow(
                [
                    row.number,
                    csv_cell(row.title),
                    row.state,
                    csv_cell("; ".join(row.keywords)),
                    csv_cell(areas.get(row.pk, "")),
                    row.submitted,
                    row.required,
                    _num(row.mean),
                    _num(row.calibrated),
                    _num(row.spread),
                    _num(row.confidence, 2),
                    "; ".join(f"{slug}={n}" for slug, _, n in row.recommendation_cells),
                    row.meta_recommendation,
                    row.open_flags,
                    row.anonymity_findings,
                    _num(row.gain, 4),
                    row.decision_outcome,
                    row.decision_status,
                    site
                    + reverse(
                        "journal:dashboard-paper",
                        kwargs={"slug": self.venue.slug, "number": row.number},
                    ),
                ]
            )


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"
