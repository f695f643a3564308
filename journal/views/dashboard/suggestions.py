"""Ranked reviewer suggestions for one paper, each with a one-click invitation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import TemplateView

from journal.errors import DomainError
from journal.forms.dashboard import SuggestionInviteForm
from journal.selectors.dashboard import venue_reviewers
from journal.views.dashboard.base import refused
from journal.views.dashboard.paper import PaperMixin
from reviews.selectors.suggestions import submission_reviewer_suggestions
from reviews.services.invitations import invitation_create


class PaperSuggestionsView(PaperMixin, TemplateView):
    """Reviewers worth asking, best affinity first, with load, bid and why."""

    template_name = "journal/dashboard/suggestions.html"

    def load_invitable(self):
        submission = self.load_paper()
        if not self.request.user.has_perm("reviews.invite_reviewer", submission):
            raise PermissionDenied("Reviewers can be invited only while the paper is reviewed.")
        return submission

    def get_context_data(self, **kwargs):
        submission = self.load_invitable()
        return {
            **super().get_context_data(**kwargs),
            "submission": submission,
            "suggestions": submission_reviewer_suggestions(submission=submission, limit=10),
        }

    def post(self, request, *args, **kwargs):
        submission = self.load_invitable()
        back = request.path
        form = SuggestionInviteForm(request.POST)
        reviewer = None
        if form.is_valid():
            reviewer = (
                venue_reviewers(venue=self.venue).filter(pk=form.cleaned_data["reviewer"]).first()
            )
        if reviewer is None:
            return refused(request, DomainError("Choose a reviewer of this venue."), back=back)
        try:
            invitation_create(
                submission=submission,
                reviewer=reviewer,
                invited_by=request.user,
                note=form.cleaned_data["note"],
                allow_conflict=form.cleaned_data["allow_conflict"],
            )
        except DomainError as exc:
            return refused(request, exc, back=back)
        messages.success(request, f"{reviewer.display_name or reviewer.email} has been invited.")
        return redirect(back)
