"""The public page of a published paper."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from journal.enums import VersionKind
from journal.models import Submission, Venue
from journal.selectors.submissions import submission_detail
from reviews.selectors.public_forum import public_forum


class PublicPaperView(TemplateView):
    """`/venues/<slug>/papers/<number>/`: published (or retracted) papers, and rejected ones
    whose authors chose to publish them where the venue allows it."""

    template_name = "journal/portal/paper.html"

    def get_context_data(self, **kwargs):
        venue = get_object_or_404(Venue, slug=self.kwargs["slug"])
        pk = (
            venue.submissions.filter(number=self.kwargs["number"])
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            raise Http404("No such paper.")
        submission: Submission = submission_detail(pk=pk)
        user = self.request.user
        if not user.has_perm("journal.view_public_page", submission):
            raise Http404("No such paper.")
        visible = [v for v in submission.versions.all() if user.has_perm("journal.view_version", v)]
        pdf = max(
            visible, key=lambda v: (v.kind == VersionKind.CAMERA_READY, v.number), default=None
        )
        return {
            **super().get_context_data(**kwargs),
            "venue": venue,
            "submission": submission,
            "pdf_version": pdf,
            "forum": public_forum(submission=submission, viewer=user),
        }
