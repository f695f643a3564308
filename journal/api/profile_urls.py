"""Routes of the profile self-service and role invitations in the API."""

from django.urls import path

from journal.api.profile import (
    MyAvailabilityPeriodView,
    MyAvailabilityView,
    MyInstitutionsView,
    MyInstitutionView,
    MyRoleInvitationAcceptView,
    MyRoleInvitationDeclineView,
    MyRoleInvitationsView,
    VenueRoleInvitationsView,
    VenueRoleInvitationWithdrawView,
)

profile_patterns = [
    path("me/availability/", MyAvailabilityView.as_view(), name="me-availability"),
    path(
        "me/availability/<int:period_pk>/",
        MyAvailabilityPeriodView.as_view(),
        name="me-availability-period",
    ),
    path("me/institutions/", MyInstitutionsView.as_view(), name="me-institutions"),
    path("me/institutions/<int:entry_pk>/", MyInstitutionView.as_view(), name="me-institution"),
    path("me/role-invitations/", MyRoleInvitationsView.as_view(), name="me-role-invitations"),
    path(
        "me/role-invitations/<int:invitation_pk>/accept/",
        MyRoleInvitationAcceptView.as_view(),
        name="me-role-invitation-accept",
    ),
    path(
        "me/role-invitations/<int:invitation_pk>/decline/",
        MyRoleInvitationDeclineView.as_view(),
        name="me-role-invitation-decline",
    ),
    path(
        "venues/<slug:slug>/role-invitations/",
        VenueRoleInvitationsView.as_view(),
        name="venue-role-invitations",
    ),
    path(
        "venues/<slug:slug>/role-invitations/<int:invitation_pk>/withdraw/",
        VenueRoleInvitationWithdrawView.as_view(),
        name="venue-role-invitation-withdraw",
    ),
]
