"""Read submissions for pages and the API."""

from django.db.models import Prefetch, Q, QuerySet

from journal.enums import RoleKind, SubmissionState
from journal.models import Authorship, Submission, User, Venue
from journal.rules import recused_ids


def submissions_authored_by(*, user: User) -> QuerySet[Submission]:
    """Return the submissions `user` is an author of, newest first, ready for a list."""
    return (
        Submission.objects.filter(authors__user=user)
        .select_related("venue")
        .prefetch_related(Prefetch("authors", queryset=Authorship.objects.order_by("order")))
        .order_by("-updated_at", "-pk")
        .distinct()
    )


def submissions_published(*, venue: Venue) -> QuerySet[Submission]:
    """Return a venue's published papers with their authors."""
    return (
        venue.submissions.filter(state__in=SubmissionState.PUBLIC)
        .prefetch_related(Prefetch("authors", queryset=Authorship.objects.order_by("order")))
        .order_by("-published_at", "-number")
    )


def submissions_edited_by(*, user: User, venue: Venue) -> QuerySet[Submission]:
    """Return what `user` handles at `venue`: everything for chiefs, their papers for AEs.

    Papers `user` is recused from (an author or conflicted) are left out.
    """
    qs = venue.submissions.exclude(pk__in=recused_ids(user, venue))
    if not venue.roles.filter(user=user, role=RoleKind.CHIEF).exists():
        qs = qs.filter(Q(action_editor=user))
    return qs.select_related("action_editor")


def submission_detail(*, pk: int) -> Submission:
    """Return one submission with what its page shows, or raise Submission.DoesNotExist."""
    return (
        Submission.objects.select_related("venue", "action_editor", "created_by")
        .prefetch_related(
            Prefetch("authors", queryset=Authorship.objects.select_related("user")),
            "benchmark_claims",
            "declared_conflicts",
            "versions",
        )
        .get(pk=pk)
    )
