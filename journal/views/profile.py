"""A person's profile and publication list (the publications feed reviewer matching)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from journal.errors import DomainError
from journal.forms.profile import (
    ProfileForm,
    PublicationFetchForm,
    PublicationForm,
    PublicationImportForm,
)
from journal.models import VenueRole
from journal.services.profile import profile_update
from journal.services.roles import venue_role_set_away
from journal.views.portal_common import add_domain_error
from journal.views.profile_sections import profile_sections_context
from reviews.selectors.publication_fetch import publication_fetches_recent
from reviews.services.publication_fetch import publication_fetch_start
from reviews.services.publications import (
    publication_add,
    publication_delete,
    publications_import,
)

TEMPLATE = "journal/portal/profile.html"


def _profile_initial(user) -> dict:
    return {
        "display_name": user.display_name,
        "affiliation": user.affiliation,
        "orcid": user.orcid,
        "email_domains": ", ".join(user.email_domains),
    }


def render_profile(request, *, status=200, **forms):
    """Render the profile page, with the bound forms of `forms` in place of empty ones."""
    context = {
        "profile_form": forms.get("profile_form")
        or ProfileForm(initial=_profile_initial(request.user)),
        "publication_form": forms.get("publication_form") or PublicationForm(),
        "import_form": forms.get("import_form") or PublicationImportForm(),
        "fetch_form": forms.get("fetch_form") or PublicationFetchForm(),
        "fetches": publication_fetches_recent(user=request.user),
        "publications": request.user.publications.order_by("-year", "title"),
        "roles": request.user.venue_roles.select_related("venue").order_by("venue__name", "role"),
        **profile_sections_context(request, forms),
    }
    return render(request, TEMPLATE, context, status=status)


class ProfileView(LoginRequiredMixin, View):
    def get(self, request):
        return render_profile(request)

    def post(self, request):
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile_update(user=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Profile saved.")
                return redirect(reverse("journal:profile"))
        return render_profile(request, profile_form=form, status=400)


class ProfileAvailabilityView(LoginRequiredMixin, View):
    """Say until when one is away in a role (empty: available again)."""

    def post(self, request, pk: int):
        venue_role = get_object_or_404(VenueRole, pk=pk, user=request.user)
        raw = request.POST.get("unavailable_until", "").strip()
        try:
            until = date.fromisoformat(raw) if raw else None
            venue_role_set_away(venue_role=venue_role, actor=request.user, unavailable_until=until)
        except ValueError:
            messages.error(request, "Give the return date as a date (YYYY-MM-DD).")
            return redirect(reverse("journal:profile") + "#roles-heading")
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("journal:profile") + "#roles-heading")
        messages.success(
            request,
            f"You are away at {venue_role.venue.name} until {until:%d %b %Y}."
            if until
            else f"You are available again at {venue_role.venue.name}.",
        )
        return redirect(reverse("journal:profile") + "#roles-heading")


class PublicationAddView(LoginRequiredMixin, View):
    def post(self, request):
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                publication_add(user=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Publication added.")
                return redirect(reverse("journal:profile") + "#publications")
        return render_profile(request, publication_form=form, status=400)


class PublicationImportView(LoginRequiredMixin, View):
    def post(self, request):
        form = PublicationImportForm(request.POST, request.FILES)
        if form.is_valid():
            content, filename = form.cleaned_data["file"]
            try:
                result = publications_import(
                    user=request.user,
                    content=content,
                    fmt=form.cleaned_data["format"],
                    filename=filename,
                )
            except DomainError as exc:
                form.add_error("format" if exc.field == "format" else "file", exc.message)
            else:
                messages.success(request, result.summary())
                for problem in result.problems[:5]:
                    messages.warning(request, problem)
                if len(result.problems) > 5:
                    messages.warning(
                        request, f"… and {len(result.problems) - 5} more entries left out."
                    )
                return redirect(reverse("journal:profile") + "#publications")
        return render_profile(request, import_form=form, status=400)


class PublicationFetchView(LoginRequiredMixin, View):
    """Start fetching one's publications from ORCID, DBLP or Semantic Scholar."""

    def post(self, request):
        form = PublicationFetchForm(request.POST)
        if form.is_valid():
            try:
                fetch = publication_fetch_start(user=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Fetching your publications from {fetch.get_service_display()} "
                    f"{fetch.identifier}; the list below shows how far it got.",
                )
                return redirect(reverse("journal:profile") + "#publication-fetches")
        return render_profile(request, fetch_form=form, status=400)


class PublicationFetchListView(LoginRequiredMixin, View):
    """The list of one's recent fetches (the profile page polls it while one runs)."""

    def get(self, request):
        context = {"fetches": publication_fetches_recent(user=request.user)}
        return render(request, "journal/portal/_publication_fetches.html", context)


class PublicationDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        try:
            publication_delete(user=request.user, publication_id=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Publication removed.")
        return redirect(reverse("journal:profile") + "#publications")
