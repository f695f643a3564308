"""Review pages on a submission: the reviews, and the editor's actions on them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from journal.errors import DomainError
from journal.views.dashboard.base import refused
from reviews.forms.editor import (
    FlagReviewForm,
    InviteReviewerForm,
    MetaReviewForm,
    RateReviewForm,
    ScheduleForm,
)
from reviews.models import Review, ReviewFlag, ReviewInvitation
from reviews.rules import capacity_on
from reviews.selectors.claim_assessments import claim_assessment_table
from reviews.selectors.flags import submission_upheld_flags
from reviews.selectors.forms import forms_with_shares
from reviews.selectors.reviewers import reviewer_suggestions
from reviews.selectors.reviews import submission_reviews
from reviews.services.assessments import (
    meta_review_save,
    review_flag,
    review_flag_resolve,
    review_rate,
)
from reviews.services.forms import review_form_for_venue
from reviews.services.invitations import (
    ConflictWarning,
    invitation_create,
    invitation_withdraw,
)
from reviews.services.rounds import (
    SCHEDULE_FIELDS,
    round_current,
    round_release,
    round_schedule,
    round_set_form,
)
from reviews.views.base import check, load_submission, refuse


@login_required
def submission_reviews_page(request, pk: int):
    """Show the reviews the user may read; editors also see scores, ratings and flags."""
    submission = load_submission(request, pk, "reviews.view_reviews")
    capacity = capacity_on(request.user, submission)
    context = {
        "submission": submission,
        "venue": submission.venue,
        "capacity": capacity,
        "rounds": submission_reviews(submission=submission, viewer=request.user),
        "assessment_table": claim_assessment_table(submission=submission, viewer=request.user),
        "show_authors": request.user.has_perm("journal.view_submission_authors", submission),
        "rate_form": RateReviewForm(),
        "flag_form": FlagReviewForm(),
    }
    if capacity == "editor":
        review_round = round_current(submission=submission)
        context["round"] = review_round
        context["upheld_flags"] = submission_upheld_flags(submission=submission)
        context["meta_form"] = MetaReviewForm(
            initial=_meta_initial(review_round) if review_round else None
        )
        context["invitations"] = (
            review_round.invitations.select_related("reviewer").order_by("reviewer_number", "pk")
            if review_round
            else []
        )
    return render(request, "reviews/submission/reviews.html", context)


def _meta_initial(review_round):
    meta = getattr(review_round, "meta_review", None)
    return {"text": meta.text, "recommendation": meta.recommendation} if meta else None


@login_required
def invite_reviewer(request, pk: int):
    """Invite a reviewer to the paper (editors)."""
    submission = load_submission(request, pk, "reviews.invite_reviewer")
    form = InviteReviewerForm(request.POST or None, venue=submission.venue)
    context = {
        "submission": submission,
        "form": form,
        "suggestions": reviewer_suggestions(submission=submission, limit=5),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "reviews/submission/invite.html", context, status=400)
        try:
            invitation = invitation_create(
                submission=submission,
                reviewer=form.cleaned_data["reviewer"],
                invited_by=request.user,
                due=form.cleaned_data["due"],
                note=form.cleaned_data["note"],
                allow_conflict=form.cleaned_data["allow_conflict"],
            )
        except ConflictWarning as exc:
            context["conflicts"] = exc.reasons
            return refuse(request, exc, "reviews/submission/invite.html", context)
        except DomainError as exc:
            return refuse(request, exc, "reviews/submission/invite.html", context)
        messages.success(request, f"{invitation.reviewer} has been invited.")
        return redirect("reviews:submission-reviews", pk=submission.pk)
    return render(request, "reviews/submission/invite.html", context)


@login_required
@require_POST
def withdraw_invitation(request, pk: int, invitation_pk: int):
    """Withdraw an invitation (editors)."""
    submission = load_submission(request, pk, "reviews.manage_reviews")
    invitation = get_object_or_404(ReviewInvitation, pk=invitation_pk, submission=submission)
    try:
        invitation_withdraw(invitation=invitation, actor=request.user)
        messages.success(request, "The invitation is withdrawn.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reviews:submission-reviews", pk=submission.pk)


@login_required
@require_POST
def rate_review(request, pk: int, review_pk: int):
    """Rate a review: exceeds, meets or falls below expectations (editors)."""
    submission = load_submission(request, pk, "reviews.manage_reviews")
    review = get_object_or_404(Review, pk=review_pk, submission=submission)
    check(request, "reviews.rate_review", review)
    form = RateReviewForm(request.POST)
    if form.is_valid():
        try:
            review_rate(
                review=review,
                rating=form.cleaned_data["rating"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            messages.success(request, "Rating saved.")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "Choose a rating.")
    return redirect("reviews:submission-reviews", pk=submission.pk)


@login_required
def flag_review(request, pk: int, review_pk: int):
    """Authors: flag a review that judges the paper only by benchmark numbers."""
    submission = load_submission(request, pk, "reviews.view_reviews")
    review = get_object_or_404(Review, pk=review_pk, submission=submission)
    check(request, "reviews.flag_review", review)
    form = FlagReviewForm(request.POST or None)
    context = {"submission": submission, "review": review, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            review_flag(review=review, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            return refuse(request, exc, "reviews/submission/flag.html", context)
        messages.success(request, "The editor has been told about your concern.")
        return redirect("reviews:submission-reviews", pk=submission.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/submission/flag.html", context, status=status)


@login_required
@require_POST
def release_reviews(request, pk: int):
    """Release the current round's reviews to the authors now (editors)."""
    submission = load_submission(request, pk, "reviews.manage_reviews")
    review_round = round_current(submission=submission)
    if review_round is None:
        messages.error(request, "There are no reviews to release.")
    elif round_release(review_round=review_round, actor=request.user):
        messages.success(request, "The reviews are released to the authors.")
    else:
        messages.info(request, "The reviews were already released.")
    return redirect("reviews:submission-reviews", pk=submission.pk)


@login_required
def schedule_round(request, pk: int):
    """Set the current round's dates: release, author response, deadlines (editors)."""
    submission = load_submission(request, pk, "reviews.manage_reviews")
    review_round = round_current(submission=submission)
    if review_round is None:
        messages.error(request, "Invite a reviewer first; that opens the review round.")
        return redirect("reviews:submission-reviews", pk=submission.pk)
    initial = {name: getattr(review_round, name) for name in SCHEDULE_FIELDS}
    initial["form"] = review_round.form
    form = ScheduleForm(
        request.POST or None,
        initial=initial,
        venue=submission.venue,
        current=review_round.form,
    )
    context = {
        "submission": submission,
        "round": review_round,
        "form": form,
        # Before the round's form is picked: how each form weighs ideas against numbers.
        "form_shares": forms_with_shares(
            current=review_round.form or review_form_for_venue(venue=submission.venue),
            venue=submission.venue,
        ),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "reviews/submission/schedule.html", context, status=400)
        try:
            dates = dict(form.cleaned_data)
            chosen = dates.pop("form")
            with transaction.atomic():
                if chosen is not None:
                    round_set_form(review_round=review_round, form=chosen, actor=request.user)
                round_schedule(review_round=review_round, actor=request.user, **dates)
        except DomainError as exc:
            return refuse(request, exc, "reviews/submission/schedule.html", context)
        messages.success(request, "Dates saved.")
        return redirect("reviews:submission-reviews", pk=submission.pk)
    return render(request, "reviews/submission/schedule.html", context)


@login_required
@require_POST
def write_meta_review(request, pk: int):
    """Write the meta-review of the current round (the action editor)."""
    submission = load_submission(request, pk, "reviews.write_meta_review")
    review_round = round_current(submission=submission)
    form = MetaReviewForm(request.POST)
    if review_round is None:
        messages.error(request, "There is no review round yet.")
    elif form.is_valid():
        try:
            meta_review_save(
                review_round=review_round,
                editor=request.user,
                text=form.cleaned_data["text"],
                recommendation=form.cleaned_data["recommendation"],
            )
            messages.success(request, "Meta-review saved.")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "Write the meta-review and choose a recommendation.")
    return redirect("reviews:submission-reviews", pk=submission.pk)


@login_required
@require_POST
def resolve_flag(request, pk: int, flag_pk: int):
    """Uphold or dismiss an authors' flag, with a note the authors read (the paper's editors)."""
    submission = load_submission(request, pk, "reviews.resolve_flag")
    flag = get_object_or_404(ReviewFlag, pk=flag_pk, review__submission=submission)
    try:
        resolved = review_flag_resolve(
            flag=flag,
            actor=request.user,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, f"The flag is {resolved.outcome}; the authors are told.")
    except DomainError as exc:
        back = reverse("reviews:submission-reviews", args=[submission.pk])
        return refused(request, exc, back=back)
    return redirect("reviews:submission-reviews", pk=submission.pk)
