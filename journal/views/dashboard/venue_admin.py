"""Chief pages: venue settings, roles (invite, import, remove) and the outbox."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from journal.enums import RoleKind
from journal.errors import DomainError
from journal.forms.dashboard import (
    OutboxFilter,
    RoleInviteForm,
    RoleLoadForm,
    RoleRemoveForm,
    RolesImportForm,
    SubjectAreaRenameForm,
    VenueSettingsForm,
)
from journal.models import User
from journal.selectors.role_invitations import role_invitation_counts, venue_role_invitations
from journal.selectors.venue_admin import venue_outbox, venue_roles
from journal.services.experts import venue_role_set_expert
from journal.services.role_invitations import role_invitation_withdraw
from journal.services.roles import (
    venue_role_invite,
    venue_role_remove,
    venue_role_update,
    venue_roles_import_csv,
)
from journal.services.seniors import area_chair_senior_set
from journal.services.venues import venue_subject_area_rename, venue_update
from journal.views.dashboard.base import VenueChiefMixin, refused
from reviews.selectors.forms import forms_with_shares
from reviews.services.forms import review_form_for_venue


class VenueSettingsView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/settings.html"
    section = "settings"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", VenueSettingsForm.for_venue(self.venue))
        kwargs["form_shares"] = forms_with_shares(
            current=review_form_for_venue(venue=self.venue), venue=self.venue
        )
        kwargs.setdefault("rename_form", SubjectAreaRenameForm(venue=self.venue))
        return super().get_context_data(**kwargs)

    def settings_url(self) -> str:
        return reverse("journal:dashboard-settings", args=[self.venue.slug])

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "rename_area":
            return self._rename_area(request)
        form = VenueSettingsForm.for_venue(self.venue, data=request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            venue_update(venue=self.venue, actor=request.user, **form.changes())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, "Settings saved.")
        return redirect(self.settings_url())

    def _rename_area(self, request):
        form = SubjectAreaRenameForm(request.POST, venue=self.venue)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(rename_form=form), status=400)
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        try:
            moved = venue_subject_area_rename(
                venue=self.venue, old=old, new=new, actor=request.user
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(rename_form=form), status=400)
        papers = f"{moved} paper{'s' if moved != 1 else ''}"
        messages.success(request, f"“{old}” is now “{' '.join(new.split())}”; {papers} moved.")
        return redirect(self.settings_url())


#: The most recent invitations the roles page lists (the counts cover all).
ROLE_INVITATIONS_SHOWN = 200


class RolesView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/roles.html"
    section = "roles"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("invite_form", RoleInviteForm(venue=self.venue))
        kwargs.setdefault("import_form", RolesImportForm(venue=self.venue))
        roles = list(venue_roles(venue=self.venue))
        return {
            **super().get_context_data(**kwargs),
            "roles": roles,
            "invitations": venue_role_invitations(venue=self.venue)[:ROLE_INVITATIONS_SHOWN],
            "invitation_counts": role_invitation_counts(venue=self.venue),
            "seniors": [r.user for r in roles if r.role == RoleKind.SENIOR_AREA_CHAIR],
        }

    def roles_url(self) -> str:
        return reverse("journal:dashboard-roles", args=[self.venue.slug])

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "invite":
            return self._invite(request)
        if action == "import":
            return self._import(request)
        if action == "remove":
            return self._remove(request)
        if action == "load":
            return self._load(request)
        if action == "expert":
            return self._expert(request)
        if action == "senior":
            return self._senior(request)
        if action == "withdraw_invitation":
            return self._withdraw_invitation(request)
        return refused(request, DomainError("Unknown action."), back=self.roles_url())

    def _invite(self, request):
        form = RoleInviteForm(request.POST, venue=self.venue)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(invite_form=form), status=400)
        data = form.cleaned_data
        try:
            invitation = venue_role_invite(
                venue=self.venue,
                actor=request.user,
                email=data["email"],
                role=data["role"],
                display_name=data["display_name"],
                load_quota=data["load_quota"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(invite_form=form), status=400)
        messages.success(
            request,
            f"{invitation.user.email} is invited as {self.venue.role_label(invitation.role)}; "
            "the role is theirs once they accept.",
        )
        return redirect(self.roles_url())

    def _withdraw_invitation(self, request):
        raw = request.POST.get("invitation_id", "")
        if not raw.isdigit():
            return refused(request, DomainError("Choose an invitation."), back=self.roles_url())
        try:
            invitation = role_invitation_withdraw(
                venue=self.venue, actor=request.user, invitation_id=int(raw)
            )
        except DomainError as exc:
            return refused(request, exc, back=self.roles_url())
        messages.success(request, f"The invitation of {invitation.user.email} is withdrawn.")
        return redirect(self.roles_url())

    def _import(self, request):
        form = RolesImportForm(request.POST, request.FILES, venue=self.venue)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(import_form=form), status=400)
        try:
            report = venue_roles_import_csv(
                venue=self.venue,
                actor=request.user,
                content=form.cleaned_data["file"].read(),
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            return refused(request, exc, back=self.roles_url())
        text = f"Invited {len(report.added)} people; each holds the role once they accept."
        if report.skipped:
            text += " Skipped: " + "; ".join(
                f"line {p.line} ({p.email}): {p.message}" for p in report.skipped
            )
        messages.success(request, text)
        return redirect(self.roles_url())

    def _remove(self, request):
        form = RoleRemoveForm(request.POST)
        if not form.is_valid():
            return refused(request, DomainError("Say which role to remove."), back=self.roles_url())
        try:
            venue_role_remove(
                venue=self.venue, actor=request.user, role_id=form.cleaned_data["role_id"]
            )
        except DomainError as exc:
            return refused(request, exc, back=self.roles_url())
        messages.success(request, "Role removed.")
        return redirect(self.roles_url())

    def _load(self, request):
        form = RoleLoadForm(request.POST)
        if not form.is_valid():
            problems = "; ".join(e for errors in form.errors.values() for e in errors)
            return refused(request, DomainError(problems), back=self.roles_url())
        try:
            venue_role_update(
                venue=self.venue,
                actor=request.user,
                role_id=form.cleaned_data["role_id"],
                load_quota=form.cleaned_data["load_quota"],
                unavailable_until=form.cleaned_data["unavailable_until"],
            )
        except DomainError as exc:
            return refused(request, exc, back=self.roles_url())
        messages.success(request, "Load saved.")
        return redirect(self.roles_url())


    def _expert(self, request):
        raw = request.POST.get("role_id", "")
        if not raw.isdigit():
            return refused(request, DomainError("Choose a reviewer."), back=self.roles_url())
        expert = request.POST.get("is_expert") == "1"
        try:
            venue_role_set_expert(
                venue=self.venue, actor=request.user, role_id=int(raw), is_expert=expert
            )
        except DomainError as exc:
            return refused(request, exc, back=self.roles_url())
        messages.success(
            request, "Marked as an expert reviewer." if expert else "No longer an expert reviewer."
        )
        return redirect(self.roles_url())


    def _senior(self, request):
        raw, chosen = request.POST.get("role_id", ""), request.POST.get("senior", "")
        if not raw.isdigit() or not (chosen.isdigit() or chosen == ""):
            return refused(request, DomainError("Choose an area chair."), back=self.roles_url())
        senior = User.objects.filter(pk=int(chosen)).first() if chosen else None
        try:
            role = area_chair_senior_set(
                venue=self.venue, actor=request.user, role_id=int(raw), senior=senior
            )
        except DomainError as exc:
            return refused(request, exc, back=self.roles_url())
        who = role.user.display_name or role.user.email
        label = self.venue.role_label(RoleKind.SENIOR_AREA_CHAIR)
        if senior is None:
            messages.success(request, f"{who} has no {label} now.")
        else:
            messages.success(request, f"{senior.display_name or senior.email} is {who}'s {label}.")
        return redirect(self.roles_url())


class OutboxView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/outbox.html"
    section = "outbox"

    def get_context_data(self, **kwargs):
        filterset = OutboxFilter(
            self.request.GET or None,
            queryset=venue_outbox(venue=self.venue, user=self.request.user),
        )
        page = Paginator(filterset.qs, 50).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "filter": filterset, "page": page}
