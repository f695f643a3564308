"""Submission pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import TemplateView

from journal.models import Submission
from journal.selectors.submissions import submission_detail


class SubmissionDetailView(TemplateView):
    template_name = "journal/submissions/detail.html"

    def get_context_data(self, **kwargs):
        try:
            submission = submission_detail(pk=self.kwargs["pk"])
        except Submission.DoesNotExist:
            raise Http404("No such submission.") from None
        user = self.request.user
        if not user.has_perm("journal.view_submission", submission):
            if not user.is_authenticated:
                raise Http404("No such submission.")
            raise PermissionDenied("You are not allowed to see this submission.")
        return {
            **super().get_context_data(**kwargs),
            "submission": submission,
            "venue": submission.venue,
            "show_authors": user.has_perm("journal.view_submission_authors", submission),
        }
