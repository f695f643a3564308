"""Analytics: the venue's numbers as server-rendered SVG charts with their tables."""

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from journal.analytics.charts import bar_chart, column_chart
from journal.analytics.influence_charts import influence_charts
from journal.analytics.stats import histogram
from journal.analytics.timing import AGE_LABELS
from journal.selectors.analytics import (
    analytics_acceptance_by_keyword,
    analytics_review_turnaround,
    analytics_reviewers,
    analytics_scores,
    analytics_submissions_per_month,
)
from journal.selectors.analytics_time import analytics_stage_times, analytics_time_to_decision
from journal.selectors.dashboard import dashboard_pipeline
from journal.selectors.influence import venue_influence_report
from journal.views.dashboard.base import VenueDashboardMixin

TURNAROUND_BINS = [0, 7, 14, 21, 28, 42, 60, 90, 10_000]
TURNAROUND_LABELS = ["<1w", "1-2w", "2-3w", "3-4w", "4-6w", "6w-2m", "2-3m", ">3m"]


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


class AnalyticsView(VenueDashboardMixin, TemplateView):
    template_name = "journal/dashboard/analytics.html"
    section = "analytics"

    def get_context_data(self, **kwargs):
        scope = self.scope
        months = analytics_submissions_per_month(scope=scope)
        states = [(state.label, n) for state, n in dashboard_pipeline(scope=scope) if n]
        keywords = analytics_acceptance_by_keyword(scope=scope)
        turnaround = analytics_review_turnaround(scope=scope)
        scores = analytics_scores(scope=scope)
        loads, reliability = analytics_reviewers(scope=scope)
        to_decision = analytics_time_to_decision(scope=scope)
        stage_times = analytics_stage_times(scope=scope)
        charts = {
            "decision_months": column_chart(
                columns=[(m.label, m.median) for m in to_decision.by_month],
                title="Median days from submission to decision, by month of the decision",
            ),
            "stage_times": bar_chart(
                bars=[(s.label, s.median) for s in stage_times.stages],
                title="Median days in each stage",
            ),
            "ages": column_chart(
                columns=list(zip(AGE_LABELS, stage_times.age_totals, strict=True)),
                title="Open papers by age in their current stage",
                every_label=1,
            ),
            "months": column_chart(columns=months, title="Submissions per month"),
            "states": bar_chart(bars=states, title="Papers per state"),
            "keywords": bar_chart(
                bars=[(k.keyword, k.rate) for k in keywords],
                title="Acceptance rate per keyword",
                fmt=_percent,
                max_value=1,
            ),
            "turnaround": column_chart(
                columns=list(
                    zip(
                        TURNAROUND_LABELS,
                        histogram(turnaround.days, bins=TURNAROUND_BINS),
                        strict=True,
                    )
                ),
                title="Days from invitation to review",
            ),
            "criteria": [
                (
                    c,
                    column_chart(
                        columns=[(str(v), c.counts.get(v, 0)) for v in c.scale],
                        title=f"Scores: {c.label}",
                        height=160,
                        every_label=1,
                    ),
                )
                for c in scores.criteria
            ],
            "loads": column_chart(
                columns=_load_columns(loads), title="Reviewers by open assignments", every_label=1
            ),
        }
        if scores.influence:
            labels = {c.key: c.label for c in scores.criteria}
            charts["influence"] = bar_chart(
                bars=[(labels.get(i.key, i.key), i.coefficient) for i in scores.influence],
                title="What drives the recommendation (standardised coefficients)",
                signed=True,
                max_value=max(1.0, *(abs(i.coefficient) for i in scores.influence)),
            )
        ideas = venue_influence_report(scope=scope)
        return {
            **super().get_context_data(**kwargs),
            "ideas": ideas,
            "report_url": (
                reverse("journal:dashboard-report", args=[self.venue.slug])
                if self.request.user.has_perm("journal.view_venue_report", self.venue)
                else None
            ),
            "ideas_charts": {
                k: mark_safe(v) for k, v in influence_charts(ideas.result, ideas.label).items()
            },
            "charts": {k: mark_safe(v) if isinstance(v, str) else v for k, v in charts.items()},
            "criteria_charts": [(c, mark_safe(svg)) for c, svg in charts["criteria"]],
            "months": months,
            "to_decision": to_decision,
            "stage_times": stage_times,
            "age_labels": AGE_LABELS,
            "states": states,
            "keywords": keywords,
            "turnaround": turnaround,
            "scores": scores,
            "labels": {c.key: c.label for c in scores.criteria},
            "harshest": scores.harshest,
            "most_lenient": scores.most_lenient,
            "reliability": reliability,
            "loads": loads,
        }


def _load_columns(loads: list[int]) -> list[tuple[str, int]]:
    if not loads:
        return []
    top = max(loads)
    counts = [0] * (top + 1)
    for load in loads:
        counts[load] += 1
    return [(str(n), counts[n]) for n in range(top + 1)]
