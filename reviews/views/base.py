"""Shared plumbing of the review pages: load with permission, answer domain errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from journal.errors import DomainError
from journal.models import Submission
from journal.selectors.submissions import submission_detail


def load_submission(request, pk: int, perm: str) -> Submission:
    """Return the submission if the user holds `perm` on it; 404 for strangers."""
    try:
        submission = submission_detail(pk=pk)
    except Submission.DoesNotExist:
        raise Http404("No such submission.") from None
    user = request.user
    if not user.has_perm(perm, submission):
        if not user.has_perm("journal.view_submission", submission):
            raise Http404("No such submission.")
        raise PermissionDenied("You are not allowed to do this on this submission.")
    return submission


def check(request, perm: str, obj) -> None:
    """Raise PermissionDenied unless the user holds `perm` on `obj`."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied("You are not allowed to do this.")


def refuse(request, exc: DomainError, template: str, context: dict):
    """Render `template` again with the domain's message and its 4xx status."""
    messages.error(request, exc.message)
    form = context.get("form")
    if form is not None and exc.field and exc.field in getattr(form, "fields", {}):
        form.add_error(exc.field, exc.message)
    return render(request, template, context, status=exc.status_code)
