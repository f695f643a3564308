"""The discussion: post a comment to an audience, edit it (keeping its history)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from journal.errors import DeadlineError, DomainError
from journal.limits import text_limits_check
from journal.models import Submission, User
from journal.services.audit import audit_log
from reviews.enums import CommentAudience, CommentRole
from reviews.models import Comment, CommentRevision
from reviews.selectors.anonymity import Namer, assigned_reviewers, reviewer_aliases
from reviews.services.answers import word_count
from reviews.services.notify import handling_editors, notify, notify_authors
from reviews.services.rounds import round_current

A = CommentAudience
#: Audiences from the widest to the narrowest.
BREADTH = {A.PUBLIC: 4, A.EVERYONE: 3, A.REVIEWERS: 2, A.EDITORS: 1}
#: The answer to a reply to a comment that is not there for the person replying.
NO_SUCH_PARENT = "There is no such comment on this paper to reply to."


def comment_post(
    *,
    submission: Submission,
    author: User,
    body: str,
    audience: str,
    parent: Comment | None = None,
    parent_id: int | None = None,
    now: datetime | None = None,
) -> Comment:
    """Post `body` to `audience` on the submission's discussion and e-mail that audience.

    Authors always write to everyone; at a conference only inside the author-response
    window and within its word limit. A reply (to `parent`, or to the comment `parent_id`)
    goes only to a comment of this paper that the author may read, and reaches at most its
    parent's audience.
    """
    from reviews.rules import capacity_on

    now = now or timezone.now()
    capacity = capacity_on(author, submission)
    if capacity is None or not author.has_perm("reviews.discuss", submission):
        raise DomainError("You are not part of this paper's discussion.")
    if audience not in A.values or audience == A.PUBLIC:
        raise DomainError("Choose who reads the comment.", field="audience")
    if not body.strip():
        raise DomainError("Write something first.", field="body")
    text_limits_check(labels={"body": "The comment"}, body=body)
    review_round = round_current(submission=submission)
    is_response = False
    if capacity == CommentRole.AUTHOR:
        audience = A.EVERYONE
        if submission.venue.is_conference:
            _check_response_window(review_round, body, now)
            is_response = True
    if parent is None and parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, submission=submission).first()
        if parent is None:
            raise DomainError(NO_SUCH_PARENT, field="parent")
    if parent is not None:
        if parent.submission_id != submission.pk or not author.has_perm(
            "reviews.read_comment", parent
        ):
            raise DomainError(NO_SUCH_PARENT, field="parent")
        if BREADTH[audience] > BREADTH[parent.audience]:
            audience = parent.audience
    with transaction.atomic():
        comment = Comment.objects.create(
            submission=submission,
            round=review_round,
            parent=parent,
            author=author,
            role=capacity,
            audience=audience,
            is_author_response=is_response,
            body=body.strip(),
            created_at=now,
        )
        audit_log(
            venue=submission.venue,
            submission=submission,
            actor=author,
            action="comment.post",
            data={"comment": comment.pk, "audience": audience},
            at=now,
        )
        _notify(comment)
    return comment


def comment_edit(*, comment: Comment, actor: User, body: str) -> Comment:
    """Replace the text of `actor`'s own comment, keeping the old text as a revision."""
    if actor.pk != comment.author_id:
        raise DomainError("Only its author can edit a comment.")
    if not body.strip():
        raise DomainError("A comment cannot be empty.", field="body")
    text_limits_check(labels={"body": "The comment"}, body=body)
    if body.strip() == comment.body:
        return comment
    if comment.is_author_response:
        _check_response_window(comment.round, body, timezone.now())
    with transaction.atomic():
        CommentRevision.objects.create(comment=comment, body=comment.body, edited_by=actor)
        comment.body = body.strip()
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        audit_log(
            venue=comment.submission.venue,
            submission=comment.submission,
            actor=actor,
            action="comment.edit",
            data={"comment": comment.pk},
        )
    return comment


def public_comment_post(
    *,
    submission: Submission,
    author: User,
    body: str,
    parent_id: int | None = None,
    now: datetime | None = None,
) -> Comment:
    """Post `body` to the public thread of a paper whose page the venue publishes.

    Anyone signed in may write there; a reply goes only to a public comment of this paper.
    The paper's editors are told, and may hide the comment (`comment_hide`).
    """
    from reviews.rules import capacity_on

    now = now or timezone.now()
    if not author.has_perm("reviews.comment_publicly", submission):
        raise DomainError("This paper has no public discussion.")
    if not body.strip():
        raise DomainError("Write something first.", field="body")
    text_limits_check(labels={"body": "The comment"}, body=body)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(
            pk=parent_id, submission=submission, audience=A.PUBLIC, hidden_at__isnull=True
        ).first()
        if parent is None:
            raise DomainError(NO_SUCH_PARENT, field="parent")
    with transaction.atomic():
        comment = Comment.objects.create(
            submission=submission,
            parent=parent,
            author=author,
            role=capacity_on(author, submission) or CommentRole.PUBLIC,
            audience=A.PUBLIC,
            body=body.strip(),
            created_at=now,
        )
        audit_log(
            venue=submission.venue,
            submission=submission,
            actor=author,
            action="comment.post",
            data={"comment": comment.pk, "audience": A.PUBLIC},
            at=now,
        )
        _notify(comment)
    return comment


def comment_hide(*, comment: Comment, actor: User, reason: str) -> Comment:
    """Hide a public comment, with the reason readers see instead of it (audited)."""
    if not actor.has_perm("reviews.moderate_comment", comment):
        raise DomainError("Only the paper's editors moderate its discussion.")
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the comment is hidden; readers see the reason.", field="reason")
    text_limits_check(limit=300, labels={"reason": "The reason"}, reason=reason)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.hidden_at is not None:
            return locked
        locked.hidden_at = timezone.now()
        locked.hidden_by = actor
        locked.hidden_reason = reason
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_log(
            venue=locked.submission.venue,
            submission=locked.submission,
            actor=actor,
            action="comment.hidden",
            data={"comment": locked.pk, "reason": reason},
        )
    return locked


def _check_response_window(review_round, body: str, now: datetime) -> None:
    if review_round is None or not review_round.response_window_open(now):
        raise DeadlineError("The author-response window is not open.")
    limit = review_round.response_word_limit
    if limit and word_count(body) > limit:
        raise DomainError(
            f"The response has {word_count(body)} words; the limit is {limit}.", field="body"
        )


def _notify(comment: Comment) -> None:
    """E-mail the comment's audience, naming its author as each group may see them."""
    submission = comment.submission
    now = comment.edited_at or comment.created_at
    aliases = reviewer_aliases(submission=submission)
    open_venue = submission.venue.anonymity == "open"
    template = "reviews/emails/comment_posted"
    editors = [e for e in handling_editors(submission=submission) if e.pk != comment.author_id]
    as_editor = Namer(None, aliases, sees_reviewers=True, sees_authors=True, is_editor=True)
    notify(
        people=editors,
        template=template,
        submission=submission,
        context={"comment": comment, "by": as_editor.person(comment.author, comment.role)},
        now=now,
    )
    if comment.audience in {A.EVERYONE, A.REVIEWERS}:
        as_reviewer = Namer(
            None,
            aliases,
            sees_reviewers=open_venue,
            sees_authors=submission.venue.anonymity != "double_blind",
            is_editor=False,
        )
        notify(
            people=[
                r
                for r in assigned_reviewers(submission=submission)
                if r.pk != comment.author_id and r.has_perm("reviews.read_comment", comment)
            ],
            template=template,
            submission=submission,
            context={"comment": comment, "by": as_reviewer.person(comment.author, comment.role)},
            now=now,
        )
    if comment.audience == A.EVERYONE and comment.role != CommentRole.AUTHOR:
        as_author = Namer(None, aliases, open_venue, sees_authors=True, is_editor=False)
        notify_authors(
            submission=submission,
            template=template,
            context={"comment": comment, "by": as_author.person(comment.author, comment.role)},
            now=now,
        )
