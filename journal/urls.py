"""Site URLs. Uploaded files are never served from MEDIA_URL: downloads go through views
that check permissions (a PDF under review must not leak its authors or its existence).

The admin has no login form of its own: it sends people to the site's login page, which
throttles failed attempts, and lets in only active staff once they are logged in."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from journal.api.pages import ApiTokenRevokeView, ApiTokensView
from journal.views.claims import ClaimView
from journal.views.dashboard.urls import urlpatterns as dashboard_urls
from journal.views.downloads import VersionFileView
from journal.views.email_preferences import EmailPreferencesView, EmailUnsubscribeView
from journal.views.papers import PublicPaperView
from journal.views.portal_author import (
    CameraReadyView,
    DeleteDraftView,
    MySubmissionsView,
    ReviseView,
    WithdrawView,
)
from journal.views.portal_submit import SubmissionFormView
from journal.views.preview import MarkdownPreviewView
from journal.views.profile import (
    ProfileAvailabilityView,
    ProfileView,
    PublicationAddView,
    PublicationDeleteView,
    PublicationFetchListView,
    PublicationFetchView,
    PublicationImportView,
)
from journal.views.profile_urls import profile_section_urls
from journal.views.public import VenueDetailView, VenueListView
from journal.views.submission_page import SubmissionPageView
from journal.views.time_zone import ProfileTimeZoneView

admin.site.login = secure_admin_login(admin.site.login)

journal_patterns = (
    [
        path("", VenueListView.as_view(), name="home"),
        path("venues/<slug:slug>/", VenueDetailView.as_view(), name="venue-detail"),
        path("submissions/<int:pk>/", SubmissionPageView.as_view(), name="submission-detail"),
        # Authors' portal
        path("venues/<slug:slug>/submit/", SubmissionFormView.as_view(), name="submit"),
        path(
            "venues/<slug:slug>/papers/<int:number>/",
            PublicPaperView.as_view(),
            name="paper",
        ),
        path("submissions/", MySubmissionsView.as_view(), name="my-submissions"),
        path("submissions/<int:pk>/edit/", SubmissionFormView.as_view(), name="submission-edit"),
        path("submissions/<int:pk>/revise/", ReviseView.as_view(), name="submission-revise"),
        path("submissions/<int:pk>/withdraw/", WithdrawView.as_view(), name="submission-withdraw"),
        path("submissions/<int:pk>/delete/", DeleteDraftView.as_view(), name="submission-delete"),
        path(
            "submissions/<int:pk>/camera-ready/",
            CameraReadyView.as_view(),
            name="submission-camera-ready",
        ),
        path(
            "submissions/<int:pk>/versions/<int:number>/<str:part>/",
            VersionFileView.as_view(),
            name="version-file",
        ),
        path("preview/markdown/", MarkdownPreviewView.as_view(), name="markdown-preview"),
        path("profile/", ProfileView.as_view(), name="profile"),
        path("profile/time-zone/", ProfileTimeZoneView.as_view(), name="profile-time-zone"),
        path(
            "profile/roles/<int:pk>/away/",
            ProfileAvailabilityView.as_view(),
            name="profile-availability",
        ),
        path("profile/publications/add/", PublicationAddView.as_view(), name="publication-add"),
        path(
            "profile/publications/import/",
            PublicationImportView.as_view(),
            name="publication-import",
        ),
        path(
            "profile/publications/fetch/",
            PublicationFetchView.as_view(),
            name="publication-fetch",
        ),
        path(
            "profile/publications/fetches/",
            PublicationFetchListView.as_view(),
            name="publication-fetches",
        ),
        path(
            "profile/publications/<int:pk>/delete/",
            PublicationDeleteView.as_view(),
            name="publication-delete",
        ),
        *profile_section_urls,
        path("profile/email/", EmailPreferencesView.as_view(), name="email-preferences"),
        path(
            "email/unsubscribe/<str:token>/",
            EmailUnsubscribeView.as_view(),
            name="email-unsubscribe",
        ),
        path("claims/<str:token>/", ClaimView.as_view(), name="claim"),
        # Editor dashboard
        *dashboard_urls,
    ],
    "journal",
)

urlpatterns = [
    path("", include(journal_patterns)),
    path("", include("reviews.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include(("journal.api.urls", "api"), namespace="api")),
    path("profile/api-tokens/", ApiTokensView.as_view(), name="api-tokens"),
    path(
        "profile/api-tokens/<int:pk>/revoke/",
        ApiTokenRevokeView.as_view(),
        name="api-token-revoke",
    ),
    path("admin/", admin.site.urls),
]

# Under /api/ errors answer the API's JSON error body; pages keep Django's HTML error pages.
handler400 = "journal.api.errors.bad_request"
handler403 = "journal.api.errors.permission_denied"
handler404 = "journal.api.errors.not_found"
handler500 = "journal.api.errors.server_error"
