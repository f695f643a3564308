"""The submission page: one page for everyone who may see a paper, showing what each may.

`submission_page_context` builds everything the page shows; other parts of the site add
their sections there (the reviews panel comes from `reviews.selectors.submission_panel`
when that module exists).
"""

import importlib

from django.views.generic import TemplateView

from journal.enums import SubmissionState
from journal.models import Submission, User
from journal.rules import is_author, is_submission_editor
from journal.selectors.portal import (
    author_next_step,
    author_timeline,
    published_decisions,
    version_rows,
)
from journal.views.portal_common import load_submission

S = SubmissionState
PANEL_MODULE = "reviews.selectors.submission_panel"


def reviews_panel(*, submission: Submission, user: User, public: bool = False):
    """Return the reviews section for the page, or None while the reviews app has none."""
    try:
        module = importlib.import_module(PANEL_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != PANEL_MODULE:
            raise
        return None
    return module.reviews_panel(submission=submission, user=user, public=public)


def submission_page_context(*, submission: Submission, user: User) -> dict:
    """Return what the submission page shows to `user` (who may view the paper)."""
    show_authors = user.has_perm("journal.view_submission_authors", submission)
    author = is_author.test(user, submission)
    editor = is_submission_editor.test(user, submission)
    versions = [v for v in submission.versions.all() if user.has_perm("journal.view_version", v)]
    state = submission.state
    actions = {}
    if author:
        actions = {
            "edit": state == S.DRAFT and user.has_perm("journal.change_submission", submission),
            "revise": user.has_perm("journal.upload_revision", submission),
            "camera_ready": user.has_perm("journal.upload_camera_ready", submission),
            "withdraw": user.has_perm("journal.withdraw_submission", submission),
        }
    return {
        "submission": submission,
        "venue": submission.venue,
        "show_authors": show_authors,
        "is_author": author,
        "next_step": author_next_step(submission) if author else "",
        "actions": actions,
        "version_rows": list(reversed(version_rows(versions=versions, show_authors=show_authors))),
        "decisions": published_decisions(submission=submission),
        "timeline": author_timeline(submission=submission) if (author or editor) else [],
        "is_public": state in S.PUBLIC,
        "reviews_panel": reviews_panel(submission=submission, user=user),
    }


class SubmissionPageView(TemplateView):
    template_name = "journal/submissions/detail.html"

    def get_context_data(self, **kwargs):
        submission = load_submission(self.request, self.kwargs["pk"])
        context = submission_page_context(submission=submission, user=self.request.user)
        return {**super().get_context_data(**kwargs), **context}
