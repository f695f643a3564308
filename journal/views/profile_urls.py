"""Routes of the profile's self-service sections and of role invitations."""

from django.urls import path

from journal.views.profile_sections import (
    AvailabilityAddView,
    AvailabilityRemoveView,
    ConflictAddView,
    ConflictRemoveView,
    InstitutionAddView,
    InstitutionRemoveView,
    KeywordsView,
    OwnRoleView,
)
from journal.views.role_invitations import RoleInvitationView

profile_section_urls = [
    path("profile/away/", AvailabilityAddView.as_view(), name="profile-away-add"),
    path(
        "profile/away/<int:pk>/remove/",
        AvailabilityRemoveView.as_view(),
        name="profile-away-remove",
    ),
    path("profile/institutions/", InstitutionAddView.as_view(), name="profile-institution-add"),
    path(
        "profile/institutions/<int:pk>/remove/",
        InstitutionRemoveView.as_view(),
        name="profile-institution-remove",
    ),
    path("profile/keywords/", KeywordsView.as_view(), name="profile-keywords"),
    path("profile/conflicts/", ConflictAddView.as_view(), name="profile-conflict-add"),
    path(
        "profile/conflicts/<int:pk>/remove/",
        ConflictRemoveView.as_view(),
        name="profile-conflict-remove",
    ),
    path("profile/roles/<int:pk>/", OwnRoleView.as_view(), name="profile-role"),
    path("invitations/roles/<int:pk>/", RoleInvitationView.as_view(), name="role-invitation"),
]
