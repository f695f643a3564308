"""Helpers shared by the authors' pages: load a paper the person may act on."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from journal.models import Submission
from journal.selectors.submissions import submission_detail


def load_submission(request, pk: int, *, perm: str = "journal.view_submission") -> Submission:
    """Return submission `pk` if the person may see it and holds `perm`.

    Whoever may not see the paper gets a 404, signed in or not: the answer never tells a
    paper that exists from one that does not. Someone who may see it but not do this gets a
    403 with the reason.
    """
    try:
        submission = submission_detail(pk=pk)
    except Submission.DoesNotExist:
        raise Http404("No such submission.") from None
    user = request.user
    if not user.has_perm("journal.view_submission", submission):
        raise Http404("No such submission.")
    if perm != "journal.view_submission" and not user.has_perm(perm, submission):
        raise PermissionDenied("You cannot do this with this paper at its current stage.")
    return submission


def add_domain_error(form, exc) -> None:
    """Show a DomainError next to its field when the form has that field, else on top."""
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    form.add_error(field, exc.message)
