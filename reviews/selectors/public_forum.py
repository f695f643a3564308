"""Read the public forum of a paper: its reviews, meta-review, decision and public thread.

What a reader who takes no part in the paper sees on its public page, anonymously at a
double-blind venue, whoever asks (the caller checked `reviews.read_public_reviews`).
"""

from dataclasses import dataclass, field

from journal.models import Decision, Submission
from journal.selectors.portal import published_decisions
from reviews.enums import CommentAudience
from reviews.models import Comment
from reviews.selectors.anonymity import public_namer
from reviews.selectors.discussion import CommentView, thread_views
from reviews.selectors.reviews import RoundView, submission_reviews


@dataclass
class PublicForum:
    rounds: list[RoundView]
    decisions: list[Decision]
    comments: list[CommentView] = field(default_factory=list)
    can_comment: bool = False
    can_moderate: bool = False


def public_thread(*, submission: Submission, viewer) -> list[CommentView]:
    """Return the paper's public comments in thread order, hidden ones included (the page
    shows the editors' reason instead of their text)."""
    viewer_id = viewer.pk if getattr(viewer, "is_authenticated", False) else None
    namer = public_namer(submission=submission, viewer_id=viewer_id)
    comments = list(
        Comment.objects.filter(submission=submission, audience=CommentAudience.PUBLIC)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return thread_views(comments, namer=namer, viewer_id=viewer_id)


def public_forum(*, submission: Submission, viewer) -> PublicForum | None:
    """Return the public forum of `submission`, or None when the venue does not publish it."""
    if not viewer.has_perm("reviews.read_public_reviews", submission):
        return None
    return PublicForum(
        rounds=[
            r
            for r in submission_reviews(submission=submission, viewer=viewer, public=True)
            if r.reviews or r.meta_review
        ],
        decisions=published_decisions(submission=submission),
        comments=public_thread(submission=submission, viewer=viewer),
        can_comment=viewer.has_perm("reviews.comment_publicly", submission),
        can_moderate=viewer.has_perm("reviews.manage_reviews", submission),
    )
