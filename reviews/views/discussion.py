"""The discussion thread and the reviewers' recommendations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from journal.errors import DomainError
from reviews.forms.editor import (
    CommentEditForm,
    CommentForm,
    HideCommentForm,
    PublicCommentForm,
)
from reviews.forms.reviewing import RecommendationForm, yes_no_value
from reviews.models import Comment, ReviewerRecommendation
from reviews.rules import capacity_on
from reviews.selectors.discussion import discussion_thread
from reviews.services.discussion import (
    comment_edit,
    comment_hide,
    comment_post,
    public_comment_post,
)
from reviews.services.rounds import round_current
from reviews.views.base import check, load_submission, refuse


@login_required
def discussion(request, pk: int):
    """Read the thread and post a comment (or a reply) to a chosen audience."""
    submission = load_submission(request, pk, "reviews.discuss")
    capacity = capacity_on(request.user, submission)
    form = CommentForm(request.POST or None, capacity=capacity)
    review_round = round_current(submission=submission)

    def context():
        return {
            "submission": submission,
            "venue": submission.venue,
            "capacity": capacity,
            "thread": discussion_thread(submission=submission, viewer=request.user),
            "form": form,
            "round": review_round,
        }

    if request.method == "POST":
        if not form.is_valid():
            return render(request, "reviews/discussion/thread.html", context(), status=400)
        try:
            comment_post(
                submission=submission,
                author=request.user,
                body=form.cleaned_data["body"],
                audience=form.cleaned_data["audience"],
                parent_id=form.cleaned_data.get("parent"),
            )
        except DomainError as exc:
            return refuse(request, exc, "reviews/discussion/thread.html", context())
        messages.success(request, "Comment posted.")
        return redirect("reviews:discussion", pk=submission.pk)
    return render(request, "reviews/discussion/thread.html", context())


def _public_page(submission) -> str:
    return reverse(
        "journal:paper", kwargs={"slug": submission.venue.slug, "number": submission.number}
    )


@login_required
@require_POST
def public_comment(request, pk: int):
    """Post to the public thread of a paper whose page shows its reviews."""
    submission = load_submission(request, pk, "reviews.comment_publicly")
    form = PublicCommentForm(request.POST)
    back = _public_page(submission) + "#public-discussion-heading"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        comment = public_comment_post(
            submission=submission,
            author=request.user,
            body=form.cleaned_data["body"],
            parent_id=form.cleaned_data.get("parent"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, "Your comment is on the public page.")
    return redirect(_public_page(submission) + f"#comment-{comment.pk}")


@login_required
@require_POST
def comment_hide_view(request, pk: int, comment_pk: int):
    """The paper's editors hide a public comment, with the reason readers see instead."""
    submission = load_submission(request, pk, "reviews.manage_reviews")
    comment = get_object_or_404(Comment, pk=comment_pk, submission=submission)
    form = HideCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the comment is hidden; readers see the reason.")
        return redirect(_public_page(submission) + f"#comment-{comment.pk}")
    try:
        comment_hide(comment=comment, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The comment is hidden; readers see your reason instead.")
    return redirect(_public_page(submission) + f"#comment-{comment.pk}")


@login_required
def comment_edit_view(request, pk: int, comment_pk: int):
    """Edit one's own comment; earlier texts stay in its history."""
    submission = load_submission(request, pk, "reviews.discuss")
    comment = get_object_or_404(Comment, pk=comment_pk, submission=submission)
    check(request, "reviews.edit_comment", comment)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    context = {
        "submission": submission,
        "comment": comment,
        "form": form,
        "revisions": comment.revisions.order_by("-created_at"),
    }
    if request.method == "POST" and form.is_valid():
        try:
            comment_edit(comment=comment, actor=request.user, body=form.cleaned_data["body"])
        except DomainError as exc:
            return refuse(request, exc, "reviews/discussion/edit.html", context)
        messages.success(request, "Comment updated.")
        return redirect("reviews:discussion", pk=submission.pk)
    return render(request, "reviews/discussion/edit.html", context)


@login_required
def recommend(request, pk: int):
    """A reviewer's recommendation to the action editor (hidden from the authors)."""
    from reviews.services.assessments import recommendation_submit

    submission = load_submission(request, pk, "reviews.recommend")
    review_round = round_current(submission=submission)
    existing = ReviewerRecommendation.objects.filter(
        round=review_round, reviewer=request.user
    ).first()
    initial = None
    if existing:
        initial = {
            "recommendation": existing.recommendation,
            "justification": existing.justification,
            "claims_supported": {True: "yes", False: "no"}.get(existing.claims_supported),
            "audience_interested": {True: "yes", False: "no"}.get(existing.audience_interested),
        }
    form = RecommendationForm(request.POST or None, initial=initial)
    context = {"submission": submission, "form": form, "existing": existing}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "reviews/discussion/recommend.html", context, status=400)
        data = form.cleaned_data
        try:
            recommendation_submit(
                review_round=review_round,
                reviewer=request.user,
                recommendation=data["recommendation"],
                justification=data["justification"],
                claims_supported=yes_no_value(data["claims_supported"]),
                audience_interested=yes_no_value(data["audience_interested"]),
            )
        except DomainError as exc:
            return refuse(request, exc, "reviews/discussion/recommend.html", context)
        messages.success(request, "Your recommendation has gone to the action editor.")
        return redirect("reviews:reviewing")
    return render(request, "reviews/discussion/recommend.html", context)
