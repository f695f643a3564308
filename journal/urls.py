"""Site URLs. Uploaded files are never served from MEDIA_URL: downloads go through views
that check permissions (a PDF under review must not leak its authors or its existence)."""

from django.contrib import admin
from django.urls import include, path

from journal.views.public import VenueDetailView, VenueListView
from journal.views.submissions import SubmissionDetailView

journal_patterns = (
    [
        path("", VenueListView.as_view(), name="home"),
        path("venues/<slug:slug>/", VenueDetailView.as_view(), name="venue-detail"),
        path("submissions/<int:pk>/", SubmissionDetailView.as_view(), name="submission-detail"),
    ],
    "journal",
)

urlpatterns = [
    path("", include(journal_patterns)),
    path("admin/", admin.site.urls),
]
