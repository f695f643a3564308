"""Routes of the integration API, mounted at /api/v1/."""

from csp import constants as csp
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from journal.api.audit import AuditEventViewSet, EmailViewSet
from journal.api.deadlines import (
    SubjectAreaRenameView,
    SubmissionDeadlinesView,
    VenueSettingsView,
)
from journal.api.decision_table import DecisionTableDecideView, DecisionTableView
from journal.api.email_preferences import MyEmailPreferencesView
from journal.api.me import MeView, MyRoleView
from journal.api.phases import (
    PhaseEnterView,
    PhaseJobView,
    ScreeningPassAllView,
    ScreeningQueueView,
    SubmissionScreeningView,
    VenuePhasesView,
)
from journal.api.profile_urls import profile_patterns
from journal.api.render import RenderView
from journal.api.report import VenueReportView
from journal.api.submissions import SubmissionViewSet
from journal.api.venues import VenueViewSet
from journal.api.versions import VersionViewSet
from journal.api.webhooks import DeliveryViewSet, WebhookViewSet
from reviews.api.assessments import (
    FlagResolveView,
    MetaReviewView,
    ReviewFlagsView,
    ReviewRatingView,
    SubmissionFlagsView,
)
from reviews.api.bidding import (
    VenueBidCoverageView,
    VenueBiddingSettingsView,
    VenueBidRemindersView,
    VenueBidsView,
)
from reviews.api.claim_assessments import ClaimAssessmentsView
from reviews.api.console import InvitationRemindView, VenueConsoleView
from reviews.api.decisions import DecisionViewSet
from reviews.api.discussion import (
    CommentViewSet,
    PublicCommentHideView,
    SubmissionCommentsView,
    SubmissionPublicCommentsView,
)
from reviews.api.expertise import (
    ExpertiseKeywordsView,
    MyBidsView,
    MyConflictsView,
    MyConflictView,
)
from reviews.api.form_builder import (
    ReviewFormFieldMoveView,
    ReviewFormFieldsView,
    ReviewFormFieldView,
    ReviewFormPublishView,
    VenueReviewFormsView,
)
from reviews.api.form_builder import VenueReviewFormView as VenueBuiltFormView
from reviews.api.forms import VenueReviewFormView
from reviews.api.invitations import InvitationViewSet, SubmissionInvitationsView
from reviews.api.matching import (
    AffinityRunViewSet,
    MatchingRunViewSet,
    SubmissionAffinitiesView,
    SubmissionReviewerConflictsView,
)
from reviews.api.publications import PublicationFetchViewSet, PublicationViewSet
from reviews.api.reviews import RecommendationView, ReviewViewSet, SubmissionReviewsView
from reviews.api.rounds import (
    CurrentRoundView,
    InvitationWithdrawView,
    RoundReleaseView,
    SubmissionRoundsView,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("venues", VenueViewSet, basename="venue")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("versions", VersionViewSet, basename="version")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("emails", EmailViewSet, basename="email")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("webhook-deliveries", DeliveryViewSet, basename="webhook-delivery")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("reviews", ReviewViewSet, basename="review")
router.register("comments", CommentViewSet, basename="comment")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("matching-runs", MatchingRunViewSet, basename="matching-run")
router.register("affinity-runs", AffinityRunViewSet, basename="affinity-run")
router.register(
    "publication-fetches", PublicationFetchViewSet, basename="publication-fetch"
)
router.register("publications", PublicationViewSet, basename="publication")

#: Review-workflow resources nested under a submission.
submission_patterns = [
    path("invitations/", SubmissionInvitationsView.as_view(), name="submission-invitations"),
    path("reviews/", SubmissionReviewsView.as_view(), name="submission-reviews"),
    path(
        "reviews/<int:review_pk>/rating/",
        ReviewRatingView.as_view(),
        name="submission-review-rating",
    ),
    path(
        "reviews/<int:review_pk>/claim-assessments/",
        ClaimAssessmentsView.as_view(),
        name="submission-review-claim-assessments",
    ),
    path(
        "reviews/<int:review_pk>/flags/",
        ReviewFlagsView.as_view(),
        name="submission-review-flags",
    ),
    path("flags/", SubmissionFlagsView.as_view(), name="submission-flags"),
    path(
        "flags/<int:flag_pk>/resolve/",
        FlagResolveView.as_view(),
        name="submission-flag-resolve",
    ),
    path("meta-review/", MetaReviewView.as_view(), name="submission-meta-review"),
    path("deadlines/", SubmissionDeadlinesView.as_view(), name="submission-deadlines"),
    path(
        "invitations/<int:invitation_pk>/remind/",
        InvitationRemindView.as_view(),
        name="submission-invitation-remind",
    ),
    path("rounds/", SubmissionRoundsView.as_view(), name="submission-rounds"),
    path("rounds/current/", CurrentRoundView.as_view(), name="submission-round-current"),
    path(
        "rounds/current/release/",
        RoundReleaseView.as_view(),
        name="submission-round-release",
    ),
    path(
        "invitations/<int:invitation_pk>/withdraw/",
        InvitationWithdrawView.as_view(),
        name="submission-invitation-withdraw",
    ),
    path("recommendation/", RecommendationView.as_view(), name="submission-recommendation"),
    path("screening/", SubmissionScreeningView.as_view(), name="submission-screening"),
    path("comments/", SubmissionCommentsView.as_view(), name="submission-comments"),
    path(
        "public-comments/",
        SubmissionPublicCommentsView.as_view(),
        name="submission-public-comments",
    ),
    path(
        "public-comments/<int:comment_pk>/hide/",
        PublicCommentHideView.as_view(),
        name="submission-public-comment-hide",
    ),
    path("affinities/", SubmissionAffinitiesView.as_view(), name="submission-affinities"),
    path(
        "reviewer-conflicts/",
        SubmissionReviewerConflictsView.as_view(),
        name="submission-reviewer-conflicts",
    ),
]

_docs_policy = csp_replace(
    {"style-src": [csp.SELF, csp.UNSAFE_INLINE], "worker-src": [csp.SELF, "blob:"]}
)

#: A conference's phases and screening, under its venue.
venue_patterns = [
    path("phases/", VenuePhasesView.as_view(), name="venue-phases"),
    path("phases/enter/", PhaseEnterView.as_view(), name="venue-phase-enter"),
    path("phase-jobs/<int:job_pk>/", PhaseJobView.as_view(), name="venue-phase-job"),
    path("screening/", ScreeningQueueView.as_view(), name="venue-screening"),
    path("screening/pass-all/", ScreeningPassAllView.as_view(), name="venue-screening-pass-all"),
]

#: The review-form builder, under its venue.
review_form_patterns = [
    path("", VenueReviewFormsView.as_view(), name="venue-review-forms"),
    path("<slug:form_slug>/", VenueBuiltFormView.as_view(), name="venue-review-form-detail"),
    path(
        "<slug:form_slug>/fields/",
        ReviewFormFieldsView.as_view(),
        name="venue-review-form-fields",
    ),
    path(
        "<slug:form_slug>/fields/<slug:key>/",
        ReviewFormFieldView.as_view(),
        name="venue-review-form-field",
    ),
    path(
        "<slug:form_slug>/fields/<slug:key>/move/",
        ReviewFormFieldMoveView.as_view(),
        name="venue-review-form-field-move",
    ),
    path(
        "<slug:form_slug>/publish/",
        ReviewFormPublishView.as_view(),
        name="venue-review-form-publish",
    ),
]

urlpatterns = [
    path("submissions/<int:pk>/", include(submission_patterns)),
    path("venues/<slug:slug>/settings/", VenueSettingsView.as_view(), name="venue-settings"),
    path("venues/<slug:slug>/report/", VenueReportView.as_view(), name="venue-report"),
    path(
        "venues/<slug:slug>/review-form/",
        VenueReviewFormView.as_view(),
        name="venue-review-form",
    ),
    path("venues/<slug:slug>/review-forms/", include(review_form_patterns)),
    path(
        "venues/<slug:slug>/subject-areas/rename/",
        SubjectAreaRenameView.as_view(),
        name="venue-subject-area-rename",
    ),
    path(
        "venues/<slug:slug>/decision-table/",
        DecisionTableView.as_view(),
        name="venue-decision-table",
    ),
    path(
        "venues/<slug:slug>/decision-table/decide/",
        DecisionTableDecideView.as_view(),
        name="venue-decision-table-decide",
    ),
    path("venues/<slug:slug>/bids/", VenueBidsView.as_view(), name="venue-bids"),
    path(
        "venues/<slug:slug>/bid-coverage/",
        VenueBidCoverageView.as_view(),
        name="venue-bid-coverage",
    ),
    path(
        "venues/<slug:slug>/bidding-settings/",
        VenueBiddingSettingsView.as_view(),
        name="venue-bidding-settings",
    ),
    path(
        "venues/<slug:slug>/bid-reminders/",
        VenueBidRemindersView.as_view(),
        name="venue-bid-reminders",
    ),
    path("venues/<slug:slug>/", include(venue_patterns)),
    path("", include(router.urls)),
    path("me/", MeView.as_view(), name="me"),
    path("render/", RenderView.as_view(), name="render"),
    path(
        "venues/<slug:slug>/area-chair-console/",
        VenueConsoleView.as_view(),
        name="venue-area-chair-console",
    ),
    path("me/roles/<int:role_pk>/", MyRoleView.as_view(), name="me-role"),
    *profile_patterns,
    path(
        "me/email-preferences/",
        MyEmailPreferencesView.as_view(),
        name="me-email-preferences",
    ),
    path("me/expertise-keywords/", ExpertiseKeywordsView.as_view(), name="me-keywords"),
    path("me/bids/", MyBidsView.as_view(), name="me-bids"),
    path("me/conflicts/", MyConflictsView.as_view(), name="me-conflicts"),
    path("me/conflicts/<int:conflict_pk>/", MyConflictView.as_view(), name="me-conflict"),
    path("schema/", SpectacularAPIView.as_view(urlconf=None), name="schema"),
    # The reference pages load their scripts from files (no inline script) but style
    # themselves inline, so only they allow inline styles.
    path(
        "docs/",
        _docs_policy(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        _docs_policy(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
]
