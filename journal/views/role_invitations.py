"""The invited person's page: accept or decline a venue's role invitation; once accepted,
the venue's reviewer guide."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from journal.errors import DomainError
from journal.forms.profile_sections import RoleInvitationDeclineForm
from journal.models import RoleInvitation
from journal.services.role_invitations import role_invitation_accept, role_invitation_decline
from journal.views.dashboard.base import refused

TEMPLATE = "journal/portal/role_invitation.html"


def _invitation_or_refusal(request, pk: int):
    invitation = (
        RoleInvitation.objects.select_related("venue", "invited_by").filter(pk=pk).first()
    )
    back = reverse("journal:profile")
    if invitation is None:
        return None, refused(
            request, DomainError("There is no such invitation."), back=back, status=404
        )
    if not request.user.has_perm("journal.answer_role_invitation", invitation):
        return None, refused(
            request,
            DomainError(
                "This invitation was sent to another account. Sign out and sign in with the "
                "address the e-mail was sent to."
            ),
            back=back,
            status=403,
        )
    return invitation, None


class RoleInvitationView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        invitation, refusal = _invitation_or_refusal(request, pk)
        if refusal is not None:
            return refusal
        return self._page(request, invitation, RoleInvitationDeclineForm())

    def _page(self, request, invitation, form, status=200):
        return render(
            request,
            TEMPLATE,
            {"invitation": invitation, "venue": invitation.venue, "decline_form": form},
            status=status,
        )

    def post(self, request, pk: int):
        invitation, refusal = _invitation_or_refusal(request, pk)
        if refusal is not None:
            return refusal
        here = reverse("journal:role-invitation", args=[invitation.pk])
        action = request.POST.get("action")
        if action == "accept":
            try:
                role_invitation_accept(invitation=invitation, actor=request.user)
            except DomainError as exc:
                return refused(request, exc, back=here)
            label = invitation.venue.role_label(invitation.role)
            messages.success(request, f"Welcome: you are {label} at {invitation.venue.name}.")
            return redirect(here)
        if action == "decline":
            form = RoleInvitationDeclineForm(request.POST)
            if not form.is_valid():
                return self._page(request, invitation, form, status=400)
            try:
                role_invitation_decline(
                    invitation=invitation, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                return refused(request, exc, back=here)
            messages.success(request, "You declined; the chairs are told.")
            return redirect(here)
        return refused(request, DomainError("Accept or decline the invitation."), back=here)
