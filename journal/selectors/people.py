"""Who holds which role where."""

from django.db.models import QuerySet

from journal.enums import RoleKind
from journal.models import Submission, User, Venue


def venue_people(*, venue: Venue, role: str) -> QuerySet[User]:
    """Return the active users holding `role` at `venue`."""
    return User.objects.filter(
        venue_roles__venue=venue, venue_roles__role=role, is_active=True
    ).distinct()


def submission_editors(*, submission: Submission) -> list[User]:
    """Return the chiefs of the venue and the submission's action editor, without repeats."""
    people = list(venue_people(venue=submission.venue, role=RoleKind.CHIEF))
    editor = submission.action_editor
    if editor is not None and editor not in people:
        people.append(editor)
    return people


def user_roles(*, user: User, venue: Venue) -> set[str]:
    """Return the role slugs `user` holds at `venue` (empty for anonymous users)."""
    if not user.is_authenticated:
        return set()
    return set(venue.roles.filter(user=user).values_list("role", flat=True))
