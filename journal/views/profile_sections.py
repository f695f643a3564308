"""The profile's self-service sections: availability periods, institution history,
expertise keywords, declared conflicts and one's own roles (load, subject areas).

Each form posts to its own view; a refusal renders the profile again with the message next
to the field (400), a success redirects back to the section."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View

from journal.errors import DomainError
from journal.forms.profile_sections import (
    AvailabilityPeriodForm,
    DeclaredConflictForm,
    InstitutionForm,
    KeywordsForm,
    OwnRoleForm,
)
from journal.models import VenueRole
from journal.selectors.profile_sections import profile_sections_of
from journal.services.availability import availability_period_add, availability_period_remove
from journal.services.institution_history import (
    institution_affiliation_add,
    institution_affiliation_remove,
)
from journal.services.role_preferences import venue_role_preferences_set
from journal.views.portal_common import add_domain_error
from reviews.services.expertise import (
    expertise_keywords_set,
    reviewer_conflict_declare,
    reviewer_conflict_remove,
)


def profile_sections_context(request, forms: dict) -> dict:
    """Return the sections' context for the profile page (bound forms from `forms`)."""
    user = request.user
    roles = forms.get("roles") or list(
        user.venue_roles.select_related("venue").order_by("venue__name", "role")
    )
    bound_role = forms.get("role_form")
    sections = profile_sections_of(user=user)
    return {
        **sections,
        "away_form": forms.get("away_form") or AvailabilityPeriodForm(user=user),
        "institution_form": forms.get("institution_form") or InstitutionForm(),
        "keywords_form": forms.get("keywords_form")
        or KeywordsForm(initial={"keywords": ", ".join(sections["keywords"])}),
        "conflict_form": forms.get("conflict_form") or DeclaredConflictForm(),
        "role_forms": [
            bound_role
            if bound_role is not None and bound_role.venue_role.pk == role.pk
            else OwnRoleForm(venue_role=role)
            for role in roles
        ],
    }


def _back(anchor: str):
    return redirect(reverse("journal:profile") + f"#{anchor}")


def _again(request, **forms):
    from journal.views.profile import render_profile

    return render_profile(request, status=400, **forms)


class AvailabilityAddView(LoginRequiredMixin, View):
    def post(self, request):
        form = AvailabilityPeriodForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                period = availability_period_add(user=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                where = period.venue.name if period.venue else "every venue"
                messages.success(
                    request,
                    f"Away at {where} from {period.starts_on:%d %b %Y} "
                    f"until {period.ends_on:%d %b %Y}.",
                )
                return _back("availability")
        return _again(request, away_form=form)


class AvailabilityRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        try:
            period = availability_period_remove(user=request.user, period_id=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _again(request)
        if period is None:
            messages.success(request, "Period removed.")
        else:
            messages.success(request, f"You are back: the period ends {period.ends_on:%d %b %Y}.")
        return _back("availability")


class InstitutionAddView(LoginRequiredMixin, View):
    def post(self, request):
        form = InstitutionForm(request.POST)
        if form.is_valid():
            try:
                institution_affiliation_add(user=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Institution added.")
                return _back("institutions")
        return _again(request, institution_form=form)


class InstitutionRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        try:
            institution_affiliation_remove(user=request.user, entry_id=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _again(request)
        messages.success(request, "Institution removed.")
        return _back("institutions")


class KeywordsView(LoginRequiredMixin, View):
    def post(self, request):
        form = KeywordsForm(request.POST)
        if form.is_valid():
            try:
                kept = expertise_keywords_set(
                    user=request.user, keywords=form.cleaned_data["keywords"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, f"{len(kept)} keyword{'s' if len(kept) != 1 else ''} saved."
                )
                return _back("keywords")
        return _again(request, keywords_form=form)


class ConflictAddView(LoginRequiredMixin, View):
    def post(self, request):
        form = DeclaredConflictForm(request.POST)
        if form.is_valid():
            try:
                conflict = reviewer_conflict_declare(reviewer=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, f"Conflict declared: {conflict.get_kind_display()} {conflict.value}."
                )
                return _back("conflicts")
        return _again(request, conflict_form=form)


class ConflictRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        try:
            reviewer_conflict_remove(reviewer=request.user, conflict_id=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _again(request)
        messages.success(request, "Conflict withdrawn.")
        return _back("conflicts")


class OwnRoleView(LoginRequiredMixin, View):
    """Save the load and subject areas of one of the person's roles."""

    def post(self, request, pk: int):
        venue_role = get_object_or_404(
            VenueRole.objects.select_related("venue"), pk=pk, user=request.user
        )
        form = OwnRoleForm(request.POST, venue_role=venue_role)
        if form.is_valid():
            try:
                venue_role_preferences_set(
                    venue_role=venue_role, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"Saved your role at {venue_role.venue.name}.")
                return _back("roles-heading")
        return _again(request, role_form=form)
