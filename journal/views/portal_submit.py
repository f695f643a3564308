"""New submissions and drafts: the submission form."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from journal.errors import DomainError
from journal.forms.submission import (
    AuthorFormSet,
    ClaimFormSet,
    ConflictFormSet,
    SubmissionForm,
    authors_from,
    claims_from,
    conflicts_from,
    initial_authors,
    initial_claims,
    initial_conflicts,
    initial_details,
)
from journal.models import Venue
from journal.selectors.portal import latest_version, submission_anonymity_warnings
from journal.services.portal import PaperDetails, draft_save, draft_submit
from journal.views.portal_common import add_domain_error, load_submission


def closed_reason(venue: Venue) -> str:
    """Return why `venue` takes no new papers now, or an empty string."""
    if not venue.accepting_submissions:
        return f"{venue.name} is not accepting submissions at the moment."
    if venue.is_conference and venue.deadline_passed():
        return f"The submission deadline of {venue.name} has passed."
    return ""


class SubmissionFormView(LoginRequiredMixin, View):
    """`/venues/<slug>/submit/` starts a paper; `/submissions/<pk>/edit/` edits its draft."""

    template_name = "journal/portal/submit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.submission = None
        self.venue = None

    def _load(self):
        if "pk" in self.kwargs:
            self.submission = load_submission(self.request, self.kwargs["pk"])
            self.venue = self.submission.venue
            if self.submission.state != "draft":
                return redirect(self.submission.get_absolute_url())
            self.submission = load_submission(
                self.request, self.kwargs["pk"], perm="journal.change_submission"
            )
        else:
            self.venue = get_object_or_404(Venue, slug=self.kwargs["slug"])
        return None

    def _forms(self, data=None, files=None):
        user = self.request.user
        sub = self.submission
        initial = initial_details(sub) if sub else {}
        initial["form_token"] = SubmissionForm.new_token()
        has_pdf = bool(sub and latest_version(sub))
        return {
            "form": SubmissionForm(data, files, venue=self.venue, has_pdf=has_pdf, initial=initial),
            "authors": AuthorFormSet(data, prefix="authors", initial=initial_authors(sub, user)),
            "claims": ClaimFormSet(data, prefix="claims", initial=initial_claims(sub)),
            "conflicts": ConflictFormSet(data, prefix="conflicts", initial=initial_conflicts(sub)),
        }

    def _render(self, forms, *, status=200):
        sub = self.submission
        warnings = submission_anonymity_warnings(submission=sub) if sub else []
        context = {
            **forms,
            "venue": self.venue,
            "submission": sub,
            "current_version": latest_version(sub) if sub else None,
            "closed_reason": "" if sub else closed_reason(self.venue),
            "anonymity_warnings": warnings,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self._load() or self._render(self._forms())

    def post(self, request, *args, **kwargs):
        early = self._load()
        if early:
            messages.info(request, "This paper has already been submitted.")
            return early
        forms = self._forms(request.POST, request.FILES)
        if not all(f.is_valid() for f in forms.values()):
            messages.error(request, "Some fields need attention; see the messages below them.")
            return self._render(forms, status=400)
        form = forms["form"]
        details = PaperDetails(
            metadata=form.metadata(),
            authors=authors_from(forms["authors"]),
            claims=claims_from(forms["claims"]),
            conflicts=conflicts_from(forms["conflicts"]),
        )
        try:
            outcome = draft_save(
                venue=self.venue,
                actor=request.user,
                details=details,
                form_token=form.cleaned_data["form_token"],
                submission=self.submission,
                pdf=form.cleaned_data.get("pdf"),
                supplement=form.cleaned_data.get("supplement"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(forms, status=exc.status_code)
        submission = outcome.submission
        edit_url = reverse("journal:submission-edit", kwargs={"pk": submission.pk})
        if outcome.repeated:
            return redirect(
                edit_url if submission.state == "draft" else submission.get_absolute_url()
            )
        if request.POST.get("action") != "submit":
            messages.success(request, "Draft saved. Come back any time to finish it.")
            return redirect(edit_url)
        try:
            result = draft_submit(
                submission=submission,
                actor=request.user,
                acknowledge_anonymity=form.cleaned_data.get("acknowledge_anonymity", False),
            )
        except DomainError as exc:
            messages.error(request, f"Draft saved, but not submitted: {exc.message}")
            return redirect(edit_url)
        if result.warnings:
            messages.warning(
                request,
                "Draft saved, but not submitted: the PDF seems to name its authors. "
                "Check the findings below.",
            )
            return redirect(edit_url)
        messages.success(request, f"Submitted to {self.venue.name}. Thank you!")
        return redirect(submission.get_absolute_url())
