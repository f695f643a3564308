"""The authors' pages after submitting: my submissions, revise, withdraw, camera-ready."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from journal.enums import SubmissionState
from journal.errors import AnonymityError, DomainError
from journal.forms.submission import (
    AuthorFormSet,
    CameraReadyForm,
    ClaimFormSet,
    ConflictFormSet,
    RevisionForm,
    SubmissionForm,
    WithdrawForm,
    authors_from,
    claims_from,
    conflicts_from,
    initial_authors,
    initial_claims,
    initial_conflicts,
    initial_details,
)
from journal.selectors.portal import (
    author_next_step,
    submissions_for_author,
    venues_open_for_submission,
)
from journal.services.portal import PaperDetails, submission_camera_ready, submission_revise
from journal.services.submissions import submission_delete_draft
from journal.services.workflow import submission_transition
from journal.views.portal_common import add_domain_error, load_submission

S = SubmissionState


class MySubmissionsView(LoginRequiredMixin, TemplateView):
    template_name = "journal/portal/my_submissions.html"

    def get_context_data(self, **kwargs):
        rows = [
            {
                "submission": s,
                "next_step": author_next_step(s),
                "your_turn": s.state in S.AUTHOR_TURN,
            }
            for s in submissions_for_author(user=self.request.user)
        ]
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "open_venues": venues_open_for_submission(),
        }


class ReviseView(LoginRequiredMixin, View):
    """Upload a new version; after a revision request, also edit the details and resubmit."""

    template_name = "journal/portal/revise.html"

    def _load(self, request, pk):
        submission = load_submission(request, pk, perm="journal.upload_version")
        if not request.user.has_perm("journal.upload_revision", submission):
            messages.info(request, "A revision cannot be uploaded at this stage.")
            return submission, redirect(submission.get_absolute_url())
        return submission, None

    def _forms(self, submission, data=None, files=None):
        forms = {
            "form": RevisionForm(
                data,
                files,
                venue=submission.venue,
                initial={"form_token": SubmissionForm.new_token()},
            )
        }
        if submission.state == S.REVISION_REQUESTED:
            user = self.request.user
            forms["details"] = SubmissionForm(
                data, venue=submission.venue, has_pdf=True, initial=initial_details(submission)
            )
            forms["details"].fields["form_token"].required = False
            for name in ("pdf", "supplement", "acknowledge_anonymity"):
                del forms["details"].fields[name]
            forms["authors"] = AuthorFormSet(
                data, prefix="authors", initial=initial_authors(submission, user)
            )
            forms["claims"] = ClaimFormSet(
                data, prefix="claims", initial=initial_claims(submission)
            )
            forms["conflicts"] = ConflictFormSet(
                data, prefix="conflicts", initial=initial_conflicts(submission)
            )
        return forms

    def _render(self, submission, forms, status=200, warnings=()):
        context = {
            **forms,
            "submission": submission,
            "venue": submission.venue,
            "anonymity_warnings": warnings,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        submission, early = self._load(request, pk)
        return early or self._render(submission, self._forms(submission))

    def post(self, request, pk):
        submission, early = self._load(request, pk)
        if early:
            return early
        forms = self._forms(submission, request.POST, request.FILES)
        if not all(f.is_valid() for f in forms.values()):
            messages.error(request, "Some fields need attention; see the messages below them.")
            return self._render(submission, forms, status=400)
        form = forms["form"]
        details = None
        if "details" in forms:
            details = PaperDetails(
                metadata=forms["details"].metadata(),
                authors=authors_from(forms["authors"]),
                claims=claims_from(forms["claims"]),
                conflicts=conflicts_from(forms["conflicts"]),
            )
        try:
            outcome = submission_revise(
                submission=submission,
                actor=request.user,
                form_token=form.cleaned_data["form_token"],
                pdf=form.cleaned_data["pdf"],
                supplement=form.cleaned_data.get("supplement"),
                change_summary=form.cleaned_data["change_summary"],
                details=details,
                acknowledge_anonymity=form.cleaned_data["acknowledge_anonymity"],
            )
        except AnonymityError as exc:
            messages.warning(request, "Nothing uploaded yet: the files seem to name their authors.")
            return self._render(submission, forms, status=exc.status_code, warnings=exc.findings)
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(submission, forms, status=exc.status_code)
        if not outcome.repeated:
            messages.success(
                request,
                "Revision uploaded and resubmitted."
                if outcome.submitted
                else "New version uploaded.",
            )
        return redirect(submission.get_absolute_url())


class WithdrawView(LoginRequiredMixin, View):
    template_name = "journal/portal/withdraw.html"

    def get(self, request, pk):
        submission = load_submission(request, pk, perm="journal.withdraw_submission")
        return render(
            request, self.template_name, {"submission": submission, "form": WithdrawForm()}
        )

    def post(self, request, pk):
        submission = load_submission(request, pk, perm="journal.view_submission")
        if submission.state == S.WITHDRAWN:
            return redirect(submission.get_absolute_url())
        submission = load_submission(request, pk, perm="journal.withdraw_submission")
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            context = {"submission": submission, "form": form}
            return render(request, self.template_name, context, status=400)
        try:
            submission_transition(
                submission=submission,
                to_state=S.WITHDRAWN,
                actor=request.user,
                note=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            context = {"submission": submission, "form": form}
            return render(request, self.template_name, context, status=exc.status_code)
        messages.success(request, "The paper is withdrawn. The editors have been told.")
        return redirect(submission.get_absolute_url())


class DeleteDraftView(LoginRequiredMixin, View):
    template_name = "journal/portal/delete_draft.html"

    def get(self, request, pk):
        submission = load_submission(request, pk, perm="journal.delete_draft")
        return render(request, self.template_name, {"submission": submission})

    def post(self, request, pk):
        submission = load_submission(request, pk, perm="journal.delete_draft")
        try:
            submission_delete_draft(submission=submission, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(submission.get_absolute_url())
        messages.success(request, f"The draft “{submission.title}” is deleted.")
        return redirect("journal:my-submissions")


class CameraReadyView(LoginRequiredMixin, View):
    template_name = "journal/portal/camera_ready.html"

    def _load(self, request, pk):
        submission = load_submission(request, pk, perm="journal.upload_version")
        if submission.state != S.ACCEPTED:
            messages.info(request, "The camera-ready PDF is uploaded once a paper is accepted.")
            return submission, redirect(submission.get_absolute_url())
        return submission, None

    def _render(self, submission, form, status=200):
        context = {"submission": submission, "venue": submission.venue, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        submission, early = self._load(request, pk)
        form = CameraReadyForm(
            venue=submission.venue, initial={"form_token": SubmissionForm.new_token()}
        )
        return early or self._render(submission, form)

    def post(self, request, pk):
        submission, early = self._load(request, pk)
        if early:
            return early
        form = CameraReadyForm(request.POST, request.FILES, venue=submission.venue)
        if not form.is_valid():
            return self._render(submission, form, status=400)
        try:
            submission_camera_ready(
                submission=submission,
                actor=request.user,
                form_token=form.cleaned_data["form_token"],
                pdf=form.cleaned_data["pdf"],
                supplement=form.cleaned_data.get("supplement"),
                change_summary=form.cleaned_data.get("change_summary", ""),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(submission, form, status=exc.status_code)
        messages.success(request, "Camera-ready PDF received. The editors will publish it.")
        return redirect(submission.get_absolute_url())
