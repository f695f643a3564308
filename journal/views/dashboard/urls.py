"""Routes of the editor dashboard (included in the site's `journal` namespace)."""

from django.urls import path

from journal.views.dashboard.analytics import AnalyticsView
from journal.views.dashboard.bidding import BidCoverageView
from journal.views.dashboard.deadlines import PaperExtendView
from journal.views.dashboard.decisions import (
    DecisionConfirmView,
    DecisionTableExportView,
    DecisionTableView,
)
from journal.views.dashboard.emails import EmailTemplateEditView, EmailTemplatesView
from journal.views.dashboard.home import DashboardHomeView, VenueDashboardView
from journal.views.dashboard.matching import JobStatusView, MatchingRunView, MatchingView
from journal.views.dashboard.paper import (
    PaperAssignView,
    PaperRemindView,
    PaperTransitionView,
    PaperView,
)
from journal.views.dashboard.phases import PhaseEnterView, PhaseJobStatusView, TimelineView
from journal.views.dashboard.report import VenueReportCsvView, VenueReportView
from journal.views.dashboard.screening import ScreeningView
from journal.views.dashboard.suggestions import PaperSuggestionsView
from journal.views.dashboard.table import SubmissionExportView, SubmissionTableView
from journal.views.dashboard.venue_admin import OutboxView, RolesView, VenueSettingsView

urlpatterns = [
    path("dashboard/", DashboardHomeView.as_view(), name="dashboard"),
    path("venues/<slug:slug>/dashboard/", VenueDashboardView.as_view(), name="venue-dashboard"),
    path(
        "venues/<slug:slug>/dashboard/submissions/",
        SubmissionTableView.as_view(),
        name="dashboard-submissions",
    ),
    path(
        "venues/<slug:slug>/dashboard/submissions.csv",
        SubmissionExportView.as_view(),
        name="dashboard-submissions-csv",
    ),
    path(
        "venues/<slug:slug>/dashboard/papers/<int:number>/",
        PaperView.as_view(),
        name="dashboard-paper",
    ),
    path(
        "venues/<slug:slug>/dashboard/papers/<int:number>/assign/",
        PaperAssignView.as_view(),
        name="dashboard-paper-assign",
    ),
    path(
        "venues/<slug:slug>/dashboard/papers/<int:number>/step/",
        PaperTransitionView.as_view(),
        name="dashboard-paper-step",
    ),
    path(
        "venues/<slug:slug>/dashboard/papers/<int:number>/extend/",
        PaperExtendView.as_view(),
        name="dashboard-paper-extend",
    ),
    path(
        "venues/<slug:slug>/dashboard/papers/<int:number>/remind/",
        PaperRemindView.as_view(),
        name="dashboard-paper-remind",
    ),
    path(
        "venues/<slug:slug>/dashboard/papers/<int:number>/suggestions/",
        PaperSuggestionsView.as_view(),
        name="dashboard-paper-suggestions",
    ),
    path(
        "venues/<slug:slug>/dashboard/analytics/",
        AnalyticsView.as_view(),
        name="dashboard-analytics",
    ),
    path(
        "venues/<slug:slug>/dashboard/report/",
        VenueReportView.as_view(),
        name="dashboard-report",
    ),
    path(
        "venues/<slug:slug>/dashboard/report.csv",
        VenueReportCsvView.as_view(),
        name="dashboard-report-csv",
    ),
    path(
        "venues/<slug:slug>/dashboard/settings/",
        VenueSettingsView.as_view(),
        name="dashboard-settings",
    ),
    path(
        "venues/<slug:slug>/dashboard/settings/emails/",
        EmailTemplatesView.as_view(),
        name="dashboard-email-templates",
    ),
    path(
        "venues/<slug:slug>/dashboard/settings/emails/<slug:key>/",
        EmailTemplateEditView.as_view(),
        name="dashboard-email-template",
    ),
    path("venues/<slug:slug>/dashboard/roles/", RolesView.as_view(), name="dashboard-roles"),
    path("venues/<slug:slug>/dashboard/outbox/", OutboxView.as_view(), name="dashboard-outbox"),
    path(
        "venues/<slug:slug>/dashboard/matching/",
        MatchingView.as_view(),
        name="dashboard-matching",
    ),
    path("venues/<slug:slug>/dashboard/bids/", BidCoverageView.as_view(), name="dashboard-bids"),
    path(
        "venues/<slug:slug>/dashboard/matching/runs/<int:pk>/",
        MatchingRunView.as_view(),
        name="dashboard-matching-run",
    ),
    path(
        "venues/<slug:slug>/dashboard/matching/<str:kind>/<int:pk>/status/",
        JobStatusView.as_view(),
        name="dashboard-job-status",
    ),
    path(
        "venues/<slug:slug>/dashboard/decisions/",
        DecisionTableView.as_view(),
        name="dashboard-decisions",
    ),
    path(
        "venues/<slug:slug>/dashboard/decisions/confirm/",
        DecisionConfirmView.as_view(),
        name="dashboard-decisions-confirm",
    ),
    path(
        "venues/<slug:slug>/dashboard/decisions.csv",
        DecisionTableExportView.as_view(),
        name="dashboard-decisions-csv",
    ),
    path(
        "venues/<slug:slug>/dashboard/timeline/",
        TimelineView.as_view(),
        name="dashboard-timeline",
    ),
    path(
        "venues/<slug:slug>/dashboard/timeline/enter/",
        PhaseEnterView.as_view(),
        name="dashboard-phase-enter",
    ),
    path(
        "venues/<slug:slug>/dashboard/timeline/jobs/<int:pk>/",
        PhaseJobStatusView.as_view(),
        name="dashboard-phase-job",
    ),
    path(
        "venues/<slug:slug>/dashboard/screening/",
        ScreeningView.as_view(),
        name="dashboard-screening",
    ),
]
