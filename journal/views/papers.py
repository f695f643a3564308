"""The public page of a published paper."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from journal.enums import SubmissionState, VersionKind
from journal.models import Submission, Venue
from journal.selectors.submissions import submission_detail
from journal.views.submission_page import reviews_panel

PUBLIC = (SubmissionState.PUBLISHED, SubmissionState.RETRACTED)


class PublicPaperView(TemplateView):
    """`/venues/<slug>/papers/<number>/`: only published (or retracted) papers exist here."""

    template_name = "journal/portal/paper.html"

    def get_context_data(self, **kwargs):
        venue = get_object_or_404(Venue, slug=self.kwargs["slug"])
        pk = (
            venue.submissions.filter(number=self.kwargs["number"], state__in=PUBLIC)
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            raise Http404("No such paper.")
        submission: Submission = submission_detail(pk=pk)
        user = self.request.user
        visible = [v for v in submission.versions.all() if user.has_perm("journal.view_version", v)]
        pdf = max(
            visible, key=lambda v: (v.kind == VersionKind.CAMERA_READY, v.number), default=None
        )
        panel = None
        if venue.publish_reviews:
            panel = reviews_panel(submission=submission, user=self.request.user, public=True)
        return {
            **super().get_context_data(**kwargs),
            "venue": venue,
            "submission": submission,
            "pdf_version": pdf,
            "reviews_panel": panel,
        }
