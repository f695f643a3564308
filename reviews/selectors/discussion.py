"""Read the discussion of a submission as one viewer may see it."""

from dataclasses import dataclass, field

from django.db.models import Q

from journal.models import Submission
from reviews.enums import CommentAudience
from reviews.models import Comment
from reviews.selectors.anonymity import namer_for

A = CommentAudience


def audiences_for(capacity: str | None) -> set[str]:
    """Return the comment audiences a participant in `capacity` reads."""
    from reviews.rules import COMMENT_AUDIENCES_READ

    return set(COMMENT_AUDIENCES_READ.get(capacity, ()))


@dataclass
class CommentView:
    comment: Comment
    label: str
    own: bool
    depth: int
    replies: list["CommentView"] = field(default_factory=list)


def discussion_thread(*, submission: Submission, viewer) -> list[CommentView]:
    """Return the comments `viewer` may read (`reviews.read_comment`), as a flat list in
    thread order with depths."""
    from reviews.rules import capacity_on

    capacity = capacity_on(viewer, submission)
    audiences = audiences_for(capacity)
    namer = namer_for(viewer=viewer, submission=submission)
    # The rules read the paper's rounds and reviews; load them once, as they are now.
    paper = (
        Submission.objects.select_related("venue")
        .prefetch_related("review_rounds__reviews")
        .get(pk=submission.pk)
    )
    candidates = (
        paper.review_comments.filter(
            Q(audience__in=audiences) | Q(author_id=getattr(viewer, "pk", None))
        )
        .select_related("author")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    )
    comments = [c for c in candidates if viewer.has_perm("reviews.read_comment", c)]
    return thread_views(comments, namer=namer, viewer_id=getattr(viewer, "pk", None))


def thread_views(comments: list[Comment], *, namer, viewer_id: int | None) -> list[CommentView]:
    """Return `comments` (oldest first) as a flat list in thread order with depths; a reply
    whose parent is not among them is shown at the top level."""
    by_id = {c.pk for c in comments}
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in by_id else None
        children.setdefault(parent, []).append(comment)
    flat: list[CommentView] = []

    def walk(parent_id, depth):
        for comment in children.get(parent_id, []):
            flat.append(
                CommentView(
                    comment=comment,
                    label=namer.person(comment.author, comment.role),
                    own=viewer_id is not None and comment.author_id == viewer_id,
                    depth=min(depth, 4),
                )
            )
            walk(comment.pk, depth + 1)

    walk(None, 0)
    return flat
