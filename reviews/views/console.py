"""The area chair's console at a venue, and the reminders sent from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from journal.enums import RoleKind
from journal.errors import DomainError
from journal.models import Venue
from reviews.selectors.console import area_chair_console, console_invitation
from reviews.services.reminders import reminder_send_manual


def _refused(request, message: str, *, back: str, status: int = 403):
    return render(
        request,
        "journal/dashboard/refused.html",
        {"message": message, "back": back},
        status=status,
    )


@login_required
def console_page(request, slug: str):
    """An area chair's papers with their reviewing progress; their SAC's view of them."""
    venue = get_object_or_404(Venue, slug=slug)
    if not request.user.has_perm("journal.view_area_chair_console", venue):
        chairs = venue.role_label(RoleKind.ACTION_EDITOR, plural=True)
        return _refused(
            request,
            f"This console is for the {chairs} of {venue.name}, and you are not one of them.",
            back=reverse("journal:venue-detail", args=[venue.slug]),
        )
    console = area_chair_console(venue=venue, user=request.user)
    return render(request, "reviews/console/console.html", {"venue": venue, "console": console})


@login_required
@require_POST
def console_remind(request, slug: str, invitation_pk: int):
    """Remind one late reviewer (the paper's area chair), then show the console again."""
    venue = get_object_or_404(Venue, slug=slug)
    back = reverse("reviews:console", args=[venue.slug])
    invitation = console_invitation(venue=venue, pk=invitation_pk)
    if invitation is None or not request.user.has_perm(
        "journal.view_submission", invitation.submission
    ):
        raise Http404("No such invitation.")
    if not request.user.has_perm("reviews.manage_reviews", invitation.submission):
        chair = venue.role_label(RoleKind.ACTION_EDITOR)
        return _refused(
            request,
            f"Only the paper's {chair} reminds its reviewers.",
            back=back,
        )
    try:
        reminder_send_manual(invitation=invitation, actor=request.user)
    except DomainError as exc:
        return _refused(request, exc.message, back=back, status=exc.status_code)
    who = invitation.reviewer.display_name or invitation.reviewer.email
    messages.success(request, f"Reminder queued to {who} (paper #{invitation.submission.number}).")
    return redirect(back)
