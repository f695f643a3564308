"""How people are named to each other on a submission. Who may see a name is decided by
the rules (`reviews.view_reviewer_identity`, `journal.view_submission_authors`); this module
only applies them."""

from dataclasses import dataclass

from journal.models import Submission, User
from reviews.enums import CommentRole, InvitationState
from reviews.models import ReviewInvitation


@dataclass(frozen=True)
class Namer:
    """Names participants of one submission as seen by one viewer."""

    viewer_id: int | None
    aliases: dict[int, str]
    sees_reviewers: bool
    sees_authors: bool
    is_editor: bool

    def reviewer(self, user: User) -> str:
        alias = self.aliases.get(user.pk, "Reviewer")
        if user.pk == self.viewer_id:
            return f"You ({alias})"
        if self.sees_reviewers:
            return f"{user.display_name} ({alias})"
        return alias

    def author(self, user: User) -> str:
        if user.pk == self.viewer_id:
            return "You (author)"
        return f"{user.display_name} (author)" if self.sees_authors else "Authors"

    def editor(self, user: User) -> str:
        if user.pk == self.viewer_id:
            return "You (editor)"
        return f"{user.display_name} (editor)" if self.is_editor else "Editor"

    def person(self, user: User, role: str) -> str:
        if role == CommentRole.PUBLIC:
            return "You" if user.pk == self.viewer_id else user.display_name
        if role == CommentRole.REVIEWER:
            return self.reviewer(user)
        if role == CommentRole.AUTHOR:
            return self.author(user)
        return self.editor(user)


def reviewer_aliases(*, submission: Submission) -> dict[int, str]:
    """Return {reviewer id: 'Reviewer N'}, stable across rounds of the submission."""
    rows = (
        ReviewInvitation.objects.filter(submission=submission)
        .exclude(reviewer_number=None)
        .values_list("reviewer_id", "reviewer_number")
    )
    return {reviewer_id: f"Reviewer {number}" for reviewer_id, number in rows}


def namer_for(*, viewer, submission: Submission, aliases: dict[int, str] | None = None) -> Namer:
    """Return how `viewer` sees the names of the people on `submission`."""
    from reviews.rules import capacity_on

    authenticated = getattr(viewer, "is_authenticated", False)
    return Namer(
        viewer_id=viewer.pk if authenticated else None,
        aliases=aliases if aliases is not None else reviewer_aliases(submission=submission),
        sees_reviewers=viewer.has_perm("reviews.view_reviewer_identity", submission),
        sees_authors=viewer.has_perm("journal.view_submission_authors", submission),
        is_editor=authenticated and capacity_on(viewer, submission) == "editor",
    )


def public_namer(*, submission: Submission, viewer_id: int | None = None) -> Namer:
    """Return how the paper's public page names people: as to a reader who takes no part.

    Reviewers are named only at open venues; the authors of a public paper are public.
    """
    from reviews.rules import is_open_venue

    return Namer(
        viewer_id=viewer_id,
        aliases=reviewer_aliases(submission=submission),
        sees_reviewers=is_open_venue(None, submission),
        sees_authors=True,
        is_editor=False,
    )


def assigned_reviewers(*, submission: Submission) -> list[User]:
    """Return the reviewers who accepted to review `submission`, in their numbering."""
    return [
        invitation.reviewer
        for invitation in ReviewInvitation.objects.filter(
            submission=submission, state=InvitationState.ACCEPTED
        )
        .select_related("reviewer")
        .order_by("reviewer_number", "pk")
    ]
