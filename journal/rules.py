"""Who may do what in the journal domain: the one place that decides it.

Predicates take `(user, obj)` where obj is a Venue or a Submission. Permission names are
used by the HTML views (`PermissionRequiredMixin`) and by the API alike. Role look-ups are
cached on the user object for the length of one request, so checking several permissions on
one page costs one query per venue.
"""

import rules

from journal.enums import Anonymity, RoleKind, SubmissionState
from journal.models import Submission, Venue

S = SubmissionState


def _venue_of(obj) -> Venue | None:
    if isinstance(obj, Venue):
        return obj
    if isinstance(obj, Submission):
        return obj.venue
    return getattr(obj, "venue", None)


def roles_at(user, venue: Venue | None) -> frozenset[str]:
    """Return the role slugs `user` holds at `venue`, cached on the user object."""
    if venue is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = user.__dict__.setdefault("_peerless_roles", {})
    if venue.pk not in cache:
        cache[venue.pk] = frozenset(
            venue.roles.filter(user_id=user.pk).values_list("role", flat=True)
        )
    return cache[venue.pk]


def authored_ids(user) -> frozenset[int]:
    """Return the ids of the submissions `user` is an author of, cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if "_peerless_authored" not in user.__dict__:
        user._peerless_authored = frozenset(
            user.authorships.values_list("submission_id", flat=True)
        )
    return user._peerless_authored


@rules.predicate
def is_venue_chief(user, obj) -> bool:
    return RoleKind.CHIEF in roles_at(user, _venue_of(obj))


@rules.predicate
def is_venue_action_editor(user, obj) -> bool:
    return RoleKind.ACTION_EDITOR in roles_at(user, _venue_of(obj))


@rules.predicate
def is_venue_reviewer(user, obj) -> bool:
    return RoleKind.REVIEWER in roles_at(user, _venue_of(obj))


@rules.predicate
def is_venue_editor(user, obj) -> bool:
    """Chief or action editor of the venue (the dashboard's audience)."""
    return bool({RoleKind.CHIEF, RoleKind.ACTION_EDITOR} & roles_at(user, _venue_of(obj)))


@rules.predicate
def is_author(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.pk in authored_ids(user)


@rules.predicate
def is_handling_editor(user, submission) -> bool:
    """The submission's action editor (a conference's area chair)."""
    return (
        isinstance(submission, Submission)
        and submission.action_editor_id is not None
        and submission.action_editor_id == getattr(user, "pk", None)
    )


is_submission_editor = (is_venue_chief | is_handling_editor) & ~is_author


def reviewing_ids(user) -> frozenset[int]:
    """Return the ids of the submissions `user` reviews (an accepted invitation), cached."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if "_peerless_reviewing" not in user.__dict__:
        from django.apps import apps

        invitation = apps.get_model("reviews", "ReviewInvitation")
        user._peerless_reviewing = frozenset(
            invitation.objects.filter(reviewer_id=user.pk, state="accepted").values_list(
                "submission_id", flat=True
            )
        )
    return user._peerless_reviewing


@rules.predicate
def is_assigned_reviewer(user, submission) -> bool:
    """A reviewer who accepted an invitation to review the submission."""
    return isinstance(submission, Submission) and submission.pk in reviewing_ids(user)


@rules.predicate
def is_published(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.state in {S.PUBLISHED, S.RETRACTED}


@rules.predicate
def is_draft(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.state == S.DRAFT


@rules.predicate
def is_editable(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.state in {
        S.DRAFT,
        S.REVISION_REQUESTED,
    }


@rules.predicate
def is_open(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.is_open


@rules.predicate
def is_double_blind(user, obj) -> bool:
    venue = _venue_of(obj)
    return venue is not None and venue.anonymity == Anonymity.DOUBLE_BLIND


# Venue-level
rules.add_perm("journal.manage_venue", is_venue_chief)
rules.add_perm("journal.view_dashboard", is_venue_editor)
rules.add_perm("journal.view_venue_audit", is_venue_chief)

# Submission-level. Assigned reviewers see the paper; its authors only when not double-blind.
rules.add_perm(
    "journal.view_submission",
    is_author | is_submission_editor | is_published | is_assigned_reviewer,
)
rules.add_perm(
    "journal.view_submission_authors",
    is_author
    | is_submission_editor
    | is_published
    | (is_assigned_reviewer & ~is_double_blind),
)
rules.add_perm("journal.change_submission", is_author & is_editable)
rules.add_perm("journal.upload_version", is_author & is_open)
rules.add_perm("journal.submit_submission", is_author & is_open)
rules.add_perm("journal.withdraw_submission", is_author & is_open)
rules.add_perm("journal.delete_draft", is_author & is_draft)
rules.add_perm("journal.view_editor_audit", is_submission_editor)
# Authors' e-mail addresses and the conflicts they declare: the authors and the editors.
rules.add_perm("journal.view_author_contacts", is_author | is_submission_editor)
rules.add_perm("journal.view_declared_conflicts", is_author | is_submission_editor)
rules.add_perm("journal.assign_action_editor", is_venue_chief & ~is_author)
rules.add_perm("journal.desk_reject_submission", is_submission_editor)
rules.add_perm("journal.start_review", is_submission_editor)
rules.add_perm("journal.decide_submission", is_submission_editor)
rules.add_perm("journal.publish_submission", is_venue_chief & ~is_author)
rules.add_perm("journal.retract_submission", is_venue_chief & ~is_author)
