"""Reads for the integration API: what each caller may list, ready for serialisation."""

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet

from journal.enums import AuditVisibility, ReviewPublication, RoleKind, SubmissionState
from journal.models import (
    AuditEvent,
    Authorship,
    OutboundEmail,
    Submission,
    SubmissionVersion,
    User,
    Venue,
    VenueRole,
    Webhook,
    WebhookDelivery,
)
from journal.rules import authored_ids, recused_ids_everywhere


def _authored(user: User) -> frozenset[int]:
    return authored_ids(user)


def _chief_venues(user: User) -> QuerySet:
    return VenueRole.objects.filter(user=user, role=RoleKind.CHIEF).values("venue_id")


def _reviewing(user: User) -> QuerySet:
    invitation = apps.get_model("reviews", "ReviewInvitation")
    return invitation.objects.filter(reviewer_id=user.pk, state="accepted").values("submission_id")


def venues_for_api(*, user: User) -> QuerySet[Venue]:
    """Return every venue with its review form and the caller's own roles prefetched."""
    mine = VenueRole.objects.filter(user_id=user.pk)
    if not user.is_authenticated:
        mine = mine.none()
    return Venue.objects.select_related("review_form").prefetch_related(
        Prefetch("roles", queryset=mine, to_attr="caller_roles")
    )


def submissions_visible_to(*, user: User) -> QuerySet[Submission]:
    """Return the submissions `user` may see, as `journal.view_submission` decides.

    Authors see their papers; chiefs their venue's papers and action editors the ones they
    handle, except papers they wrote; reviewers the papers they agreed to review; everyone
    sees published papers.
    """
    authored = _authored(user)
    handles = (Q(venue_id__in=_chief_venues(user)) | Q(action_editor=user)) & ~Q(
        pk__in=recused_ids_everywhere(user)
    )
    public = Q(state__in=SubmissionState.PUBLIC) | Q(
        state=SubmissionState.REJECTED,
        reviews_public_if_rejected=True,
        venue__review_publication=ReviewPublication.ACCEPTED_AND_OPTED_IN,
    )
    visible = Q(pk__in=authored) | handles | Q(pk__in=_reviewing(user)) | public
    return (
        Submission.objects.filter(visible)
        .select_related("venue", "action_editor")
        .prefetch_related(
            Prefetch("authors", queryset=Authorship.objects.order_by("order")),
            "benchmark_claims",
            Prefetch("versions", queryset=SubmissionVersion.objects.order_by("number")),
        )
        .order_by("-updated_at", "-pk")
    )


def versions_of(*, submission: Submission) -> QuerySet[SubmissionVersion]:
    """Return a submission's versions, oldest first."""
    return submission.versions.select_related("submission__venue").order_by("number")


def version_detail(*, pk: int) -> SubmissionVersion:
    """Return one version with its submission, or raise SubmissionVersion.DoesNotExist."""
    return SubmissionVersion.objects.select_related("submission__venue").get(pk=pk)


def audit_events_visible_to(*, user: User) -> QuerySet[AuditEvent]:
    """Return the audit events `user` may read.

    Authors read the author-visible events of their papers; chiefs and handling editors the
    events of the papers they handle (never of their own); chiefs also venue-wide events.
    """
    authored = _authored(user)
    chief_venues = _chief_venues(user)
    as_author = Q(submission_id__in=authored, visibility=AuditVisibility.AUTHORS)
    as_editor = (Q(submission__venue_id__in=chief_venues) | Q(submission__action_editor=user)) & ~Q(
        submission_id__in=recused_ids_everywhere(user)
    )
    venue_wide = Q(submission__isnull=True, venue_id__in=chief_venues)
    return (
        AuditEvent.objects.filter(as_author | as_editor | venue_wide)
        .select_related("venue", "submission__venue", "actor")
        .order_by("-created_at", "-pk")
    )


def emails_for_chief(*, user: User) -> QuerySet[OutboundEmail]:
    """Return the outbox of the venues `user` chairs, without mail about papers they are
    recused from (their own, or conflicted)."""
    return (
        OutboundEmail.objects.filter(venue_id__in=_chief_venues(user))
        .exclude(submission_id__in=recused_ids_everywhere(user))
        .select_related("venue", "submission")
        .order_by("-created_at", "-pk")
    )


def webhooks_managed_by(*, user: User) -> QuerySet[Webhook]:
    """Return the webhooks of the venues `user` chairs."""
    return Webhook.objects.filter(venue_id__in=_chief_venues(user)).select_related("venue")


def deliveries_managed_by(*, user: User) -> QuerySet[WebhookDelivery]:
    """Return the deliveries of the webhooks of the venues `user` chairs, newest first."""
    return (
        WebhookDelivery.objects.filter(webhook__venue_id__in=_chief_venues(user))
        .select_related("webhook__venue")
        .order_by("-created_at", "-pk")
    )
