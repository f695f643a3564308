"""The reviewer's pages: /reviewing/, answering an invitation, writing a review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal.errors import DomainError, FieldErrors
from journal.selectors.role_invitations import pending_role_invitations_of
from reviews.forms.reviewing import (
    InvitationAnswerForm,
    ReviewAnswersForm,
    assessment_inputs,
    initial_from_answers,
    raw_answers,
    review_problems,
)
from reviews.models import Review, ReviewInvitation
from reviews.rules import review_is_editable
from reviews.selectors.bidding import bidding_venues_for
from reviews.selectors.claim_assessments import review_own_assessments
from reviews.selectors.reviewing import deadlines_for, invitations_pending_for, reviews_of
from reviews.services.invitations import invitation_accept, invitation_decline
from reviews.services.reviews import review_save_draft, review_submit
from reviews.views.base import check, refuse


@login_required
def reviewing_home(request):
    """List my invitations, my reviews and their deadlines."""
    invitations = list(invitations_pending_for(user=request.user))
    reviews = list(reviews_of(user=request.user))
    return render(
        request,
        "reviews/reviewing/home.html",
        {
            "invitations": invitations,
            "reviews": reviews,
            "deadlines": deadlines_for(invitations=invitations, reviews=reviews),
            "bidding_venues": bidding_venues_for(user=request.user),
            "pending_invitations": list(pending_role_invitations_of(user=request.user)),
            "now": timezone.now(),
        },
    )


@login_required
def invitation_answer(request, pk: int):
    """Show the paper's title and abstract, and accept or decline the invitation."""
    invitation = get_object_or_404(
        ReviewInvitation.objects.select_related("submission__venue", "round"), pk=pk
    )
    if not request.user.has_perm("reviews.view_invitation", invitation):
        raise Http404("No such invitation.")
    form = InvitationAnswerForm(request.POST or None)
    context = {
        "invitation": invitation,
        "submission": invitation.submission,
        "form": form,
        "conflict_notes": (
            [invitation.conflict_warning]
            if request.user.has_perm("reviews.view_conflict_details", invitation)
            else invitation.conflict_notes_for_reviewer()
        )
        if invitation.conflict_rules or invitation.conflict_warning
        else [],
    }
    if request.method == "POST":
        check(request, "reviews.respond_invitation", invitation)
        if not form.is_valid():
            return render(request, "reviews/reviewing/invitation.html", context, status=400)
        try:
            if form.cleaned_data["answer"] == "accept":
                invitation_accept(invitation=invitation, actor=request.user)
                messages.success(request, "Thank you! The review form is below.")
                return redirect("reviews:review-edit", pk=invitation.review.pk)
            invitation_decline(
                invitation=invitation, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            return refuse(request, exc, "reviews/reviewing/invitation.html", context)
        messages.success(request, "You declined the invitation. Thank you for answering.")
        return redirect("reviews:reviewing")
    return render(request, "reviews/reviewing/invitation.html", context)


def _load_review(request, pk: int) -> Review:
    review = get_object_or_404(
        Review.objects.select_related(
            "invitation", "round", "submission__venue", "form", "reviewer"
        ),
        pk=pk,
    )
    if not request.user.has_perm("reviews.write_review", review):
        raise Http404("No such review.")
    return review


@login_required
def review_edit(request, pk: int):
    """Write the review: save a draft (also without JavaScript) or submit it."""
    review = _load_review(request, pk)
    form_fields = list(review.form.fields.order_by("order", "pk"))
    editable = review_is_editable(review=review)
    if request.method == "POST":
        if not editable:
            messages.error(request, "This review can no longer be changed.")
            return redirect("reviews:review-edit", pk=review.pk)
        raw = raw_answers(form_fields, request.POST)
        claims, hypothesis = assessment_inputs(request.POST)
        submitting = "submit" in request.POST
        service = review_submit if submitting else review_save_draft
        try:
            service(
                review=review, actor=request.user, raw=raw, claims=claims, hypothesis=hypothesis
            )
        except FieldErrors as exc:
            form = ReviewAnswersForm(request.POST, form_fields=form_fields)
            context = _review_context(review, form, editable, posted=request.POST)
            context["problems"] = review_problems(form, exc)
            context["problems_summary"] = exc.message
            return render(request, "reviews/reviewing/review.html", context, status=400)
        except DomainError as exc:
            form = ReviewAnswersForm(request.POST, form_fields=form_fields)
            context = _review_context(review, form, editable, posted=request.POST)
            return refuse(request, exc, "reviews/reviewing/review.html", context)
        if submitting:
            messages.success(request, "Your review is submitted. Thank you!")
        elif review.is_submitted:
            messages.success(request, "Draft saved. Submit again so that others see it.")
        else:
            messages.success(request, "Draft saved.")
        return redirect("reviews:review-edit", pk=review.pk)
    form = ReviewAnswersForm(
        initial=initial_from_answers(form_fields, review.answers), form_fields=form_fields
    )
    return render(request, "reviews/reviewing/review.html", _review_context(review, form, editable))


def _review_context(review: Review, form, editable: bool, posted=None) -> dict:
    return {
        "review": review,
        "assessments": review_own_assessments(review=review, posted=posted),
        "submission": review.submission,
        "form": form,
        "editable": editable,
        "versions": review.versions.order_by("-number"),
        "now": timezone.now(),
    }


@login_required
@require_POST
def review_autosave(request, pk: int):
    """Save the draft as the reviewer types (htmx); answer with a short status line."""
    review = _load_review(request, pk)
    if not review_is_editable(review=review):
        return HttpResponse("This review can no longer be changed.", status=409)
    form_fields = list(review.form.fields.order_by("order", "pk"))
    claims, hypothesis = assessment_inputs(request.POST)
    try:
        review_save_draft(
            review=review,
            actor=request.user,
            raw=raw_answers(form_fields, request.POST),
            claims=claims,
            hypothesis=hypothesis,
        )
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status_code)
    stamp = timezone.localtime(review.updated_at).strftime("%H:%M:%S")
    again = " Submit again so that others see the changes." if review.is_submitted else ""
    return HttpResponse(f'<span class="muted">Draft saved at {stamp}.{again}</span>')
