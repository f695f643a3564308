"""Who may do what in the journal domain: the one place that decides it.

Predicates take `(user, obj)` where obj is a Venue or a Submission. Permission names are
used by the HTML views (`PermissionRequiredMixin`) and by the API alike. Role look-ups are
cached on the user object for the length of one request, so checking several permissions on
one page costs one query per venue.
"""

import rules
from django.utils.functional import LazyObject, empty

from journal.enums import (
    Anonymity,
    Certification,
    ReviewPublication,
    RoleKind,
    Stage,
    SubmissionState,
)
from journal.models import Authorship, EditorConflictWaiver, Submission, Venue, VenueRole

S = SubmissionState


def request_memo(person) -> dict:
    """Return the dict where the rules keep what they read about `person` for one request.

    A request's user is a lazy proxy, while `has_perm` hands the rules the user behind it:
    the memo lives on that one object, whichever of the two a caller holds, so a list that
    reads a person's roles or conflicts once serves every per-paper check after it.
    """
    if isinstance(person, LazyObject):
        if person._wrapped is empty:
            person._setup()
        person = person._wrapped
    return person.__dict__


def forget_access(person, *keys: str) -> None:
    """Drop what the rules remembered about `person` under `keys` (after a change to it)."""
    memo = request_memo(person)
    for key in keys:
        memo.pop(key, None)


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
    cache = request_memo(user).setdefault("_peerless_roles", {})
    if venue.pk not in cache:
        cache[venue.pk] = frozenset(
            venue.roles.filter(user_id=user.pk).values_list("role", flat=True)
        )
    return cache[venue.pk]


def authored_ids(user) -> frozenset[int]:
    """Return the ids of the submissions `user` is an author of, cached on the user.

    An author counts by account and by e-mail address: a co-author listed by the address of
    an account that has not claimed the authorship is that account's person all the same.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    memo = request_memo(user)
    if "_peerless_authored" not in memo:
        from django.db.models import Q

        memo["_peerless_authored"] = frozenset(
            Authorship.objects.filter(
                Q(user_id=user.pk) | Q(email=(user.email or "").lower())
            ).values_list("submission_id", flat=True)
        )
    return memo["_peerless_authored"]


def conflicted_ids(user, venue: Venue) -> frozenset[int]:
    """Return the ids of `venue`'s submissions `user` has a conflict of interest with.

    The conflict rules are the reviewers' (institution, e-mail domain, co-authorship,
    declared conflicts; see `reviews.selectors.conflicts`); their result for editors is kept
    as data (`reviews.services.editor_conflicts`) and cached on the user for the request.
    Lists use this set; a single paper is checked by `is_conflicted`, which shares the cache.
    """
    if not getattr(user, "is_authenticated", False) or venue is None:
        return frozenset()
    cache = request_memo(user).setdefault("_peerless_conflicted", {})
    if venue.pk not in cache:
        from reviews.selectors.editor_conflicts import editor_conflicted_ids

        found = editor_conflicted_ids(user=user, venue_ids=[venue.pk])
        ids = found[venue.pk]
        cache[venue.pk] = frozenset(ids - _waived_ids(user) if ids else ids)
    return cache[venue.pk]


@rules.predicate
def is_venue_chief(user, obj) -> bool:
    return RoleKind.CHIEF in roles_at(user, _venue_of(obj))


@rules.predicate
def is_venue_action_editor(user, obj) -> bool:
    return RoleKind.ACTION_EDITOR in roles_at(user, _venue_of(obj))


@rules.predicate
def is_venue_senior_area_chair(user, obj) -> bool:
    return RoleKind.SENIOR_AREA_CHAIR in roles_at(user, _venue_of(obj))


@rules.predicate
def is_venue_area_chair(user, obj) -> bool:
    """An area chair (action editor) or a senior area chair: the AC console's audience."""
    roles = roles_at(user, _venue_of(obj))
    return bool({RoleKind.ACTION_EDITOR, RoleKind.SENIOR_AREA_CHAIR} & roles)


def overseen_ids(user, venue: Venue | None) -> frozenset[int]:
    """Return the user ids of the area chairs `user` oversees at `venue`, cached on the user."""
    if venue is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = request_memo(user).setdefault("_peerless_overseen", {})
    if venue.pk not in cache:
        cache[venue.pk] = (
            frozenset(
                VenueRole.objects.filter(
                    venue=venue, role=RoleKind.ACTION_EDITOR, senior_id=user.pk
                ).values_list("user_id", flat=True)
            )
            if RoleKind.SENIOR_AREA_CHAIR in roles_at(user, venue)
            else frozenset()
        )
    return cache[venue.pk]


@rules.predicate
def is_overseeing_senior(user, submission) -> bool:
    """The senior area chair of the paper's area chair."""
    return (
        isinstance(submission, Submission)
        and submission.action_editor_id is not None
        and submission.action_editor_id in overseen_ids(user, submission.venue)
    )


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


def authors_paper_now(user, submission) -> bool:
    """Whether `user` is an author of `submission` (by account or e-mail address, as
    `authored_ids`), read afresh: for the services that guard a write, where a person's
    cached authorships may predate the paper."""
    if user is None or not isinstance(submission, Submission) or submission.pk is None:
        return False
    from django.db.models import Q

    return Authorship.objects.filter(
        Q(user_id=user.pk) | Q(email=(user.email or "").lower()), submission_id=submission.pk
    ).exists()


@rules.predicate
def is_handling_editor(user, submission) -> bool:
    """The submission's action editor (a conference's area chair)."""
    return (
        isinstance(submission, Submission)
        and submission.action_editor_id is not None
        and submission.action_editor_id == getattr(user, "pk", None)
    )


def _waived_ids(user) -> frozenset[int]:
    """Papers a chief let `user` handle despite a conflict (never their own), cached."""
    memo = request_memo(user)
    if "_peerless_waived" not in memo:
        memo["_peerless_waived"] = frozenset(
            EditorConflictWaiver.objects.filter(editor_id=user.pk).values_list(
                "submission_id", flat=True
            )
        )
    return memo["_peerless_waived"]


def recused_ids(user, venue: Venue) -> frozenset[int]:
    """Return the ids of `venue`'s papers whose reviewing `user` may not see, whatever their role.

    The list form of `~is_submission_editor`'s exclusions: papers `user` is an author of or
    conflicted with. Every list of papers, e-mails, proposals or events about reviewing at a
    venue excludes these.
    """
    return authored_ids(user) | conflicted_ids(user, venue)


def recused_ids_everywhere(user) -> frozenset[int]:
    """Return `recused_ids` over every venue where `user` is a chief or an action editor."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    memo = request_memo(user)
    if "_peerless_recused_everywhere" not in memo:
        from reviews.selectors.editor_conflicts import editor_conflicted_ids

        venue_ids = list(
            VenueRole.objects.filter(
                user_id=user.pk, role__in=[RoleKind.CHIEF, RoleKind.ACTION_EDITOR]
            )
            .values_list("venue_id", flat=True)
            .distinct()
        )
        cache = request_memo(user).setdefault("_peerless_conflicted", {})
        missing = [pk for pk in venue_ids if pk not in cache]
        found = editor_conflicted_ids(user=user, venue_ids=missing)
        waived = _waived_ids(user) if any(found.values()) else frozenset()
        for venue_id, ids in found.items():
            cache[venue_id] = frozenset(ids - waived)
        conflicted = frozenset().union(*(cache[pk] for pk in venue_ids))
        memo["_peerless_recused_everywhere"] = authored_ids(user) | conflicted
    return memo["_peerless_recused_everywhere"]


@rules.predicate
def is_conflicted(user, submission) -> bool:
    """`user` has a conflict of interest with the submission (see `conflicted_ids`)."""
    if not isinstance(submission, Submission):
        return False
    memo = request_memo(user)
    pairs = memo.setdefault("_peerless_conflict_pairs", {})
    known = memo.get("_peerless_conflicted", {}).get(submission.venue_id)
    if known is not None:
        return submission.pk in known
    if submission.pk not in pairs:
        from reviews.selectors.conflicts import conflicts_for_pair

        pairs[submission.pk] = bool(
            conflicts_for_pair(submission=submission, reviewer=user)
        ) and (submission.pk not in _waived_ids(user))
    return pairs[submission.pk]


#: A chief or the handling editor of a paper, who is neither its author nor conflicted with
#: it. Everyone else, whatever their role, is a stranger to the paper's review process: every
#: page, API answer, export, e-mail list and proposal about its reviewing asks this.
is_submission_editor = (is_venue_chief | is_handling_editor) & ~is_author & ~is_conflicted
#: The senior area chair over the paper's area chair, neither its author nor conflicted: they
#: follow the paper's progress (never its authors at a double-blind venue).
is_submission_overseer = is_overseeing_senior & ~is_author & ~is_conflicted


def reviewing_ids(user) -> frozenset[int]:
    """Return the ids of the submissions `user` reviews (an accepted invitation), cached."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    memo = request_memo(user)
    if "_peerless_reviewing" not in memo:
        from django.apps import apps

        invitation = apps.get_model("reviews", "ReviewInvitation")
        memo["_peerless_reviewing"] = frozenset(
            invitation.objects.filter(reviewer_id=user.pk, state="accepted").values_list(
                "submission_id", flat=True
            )
        )
    return memo["_peerless_reviewing"]


@rules.predicate
def is_assigned_reviewer(user, submission) -> bool:
    """A reviewer who accepted an invitation to review the submission."""
    return isinstance(submission, Submission) and submission.pk in reviewing_ids(user)


@rules.predicate
def is_published(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.state in S.PUBLIC


@rules.predicate
def is_public_forum(user, submission) -> bool:
    """The venue publishes this paper with its reviews: its public page shows them.

    By the venue's `review_publication`: published (or retracted) papers, and at venues that
    allow it, rejected papers whose authors opted in.
    """
    if not isinstance(submission, Submission):
        return False
    policy = submission.venue.review_publication
    if policy == ReviewPublication.NONE:
        return False
    if submission.state in S.PUBLIC:
        return True
    return (
        policy == ReviewPublication.ACCEPTED_AND_OPTED_IN
        and submission.state == S.REJECTED
        and submission.reviews_public_if_rejected
    )


@rules.predicate
def is_own_role(user, venue_role) -> bool:
    return getattr(venue_role, "user_id", None) == getattr(user, "pk", False)


@rules.predicate
def is_invitee(user, invitation) -> bool:
    return bool(user.is_authenticated and invitation.user_id == user.pk)


@rules.predicate
def is_draft(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.state == S.DRAFT


@rules.predicate
def is_editable(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.state in S.AUTHOR_EDITABLE


@rules.predicate
def is_revisable(user, submission) -> bool:
    """The authors may upload a new version without a new submission (`S.REVISABLE`)."""
    return isinstance(submission, Submission) and submission.state in S.REVISABLE


@rules.predicate
def is_awaiting_camera_ready(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.state == S.ACCEPTED


@rules.predicate
def is_open(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.is_open


@rules.predicate
def is_double_blind(user, obj) -> bool:
    venue = _venue_of(obj)
    return venue is not None and venue.anonymity == Anonymity.DOUBLE_BLIND


def _is_version(obj) -> bool:
    from journal.models import SubmissionVersion

    return isinstance(obj, SubmissionVersion)


@rules.predicate
def is_version_author(user, version) -> bool:
    """An author of the paper the version (a SubmissionVersion) belongs to."""
    return _is_version(version) and version.submission_id in authored_ids(user)


@rules.predicate
def is_submitted_version(user, version) -> bool:
    """A version that was submitted (or resubmitted, uploaded under review, or handed in as
    the camera-ready PDF). Before that it is the authors' own: a draft upload never counts."""
    return _is_version(version) and version.submitted_at is not None


@rules.predicate
def may_read_version_paper(user, version) -> bool:
    """`user` may see the version's paper, and its authors when the version names them."""
    from journal.enums import VersionKind

    if not _is_version(version):
        return False
    named = version.kind != VersionKind.SUBMISSION
    perm = "journal.view_submission_authors" if named else "journal.view_submission"
    return user.has_perm(perm, version.submission)


# Venue-level
rules.add_perm("journal.manage_venue", is_venue_chief)
rules.add_perm("journal.view_dashboard", is_venue_editor)
rules.add_perm("journal.view_area_chair_console", is_venue_area_chair)
rules.add_perm("journal.view_venue_audit", is_venue_chief)
# The venue report at the end of a cycle ("ideas or numbers", HTML, CSV and API): chiefs.
rules.add_perm("journal.view_venue_report", is_venue_chief)
# A person says when they are away in a role they hold (chiefs also set it on the roles page).
rules.add_perm("journal.set_own_availability", is_own_role)
rules.add_perm("journal.change_own_role", is_own_role)
rules.add_perm("journal.answer_role_invitation", is_invitee)

# Submission-level. Assigned reviewers see the paper; its authors only when not double-blind.
rules.add_perm(
    "journal.view_submission",
    is_author
    | is_submission_editor
    | is_submission_overseer
    | is_published
    | is_public_forum
    | is_assigned_reviewer,
)
rules.add_perm(
    "journal.view_submission_authors",
    is_author
    | is_submission_editor
    | is_published
    | is_public_forum
    | (is_assigned_reviewer & ~is_double_blind),
)
# The paper's public page at the venue (`/venues/<slug>/papers/<number>/`).
rules.add_perm("journal.view_public_page", is_published | is_public_forum)
rules.add_perm("journal.change_submission", is_author & is_editable)
rules.add_perm("journal.upload_version", is_author & is_open)
# What the authors are offered on the paper's page and the revision page; the upload service
# refuses the other states with the reason (`SubmissionState.UPLOADABLE`).
rules.add_perm("journal.upload_revision", is_author & is_revisable)
rules.add_perm("journal.upload_camera_ready", is_author & is_awaiting_camera_ready)
rules.add_perm("journal.submit_submission", is_author & is_open)
rules.add_perm("journal.withdraw_submission", is_author & is_open)
rules.add_perm("journal.delete_draft", is_author & is_draft)
# Versions (listed or downloaded): the authors see all of theirs, anyone else who may read the
# paper only the submitted ones, and their PDF without its metadata; the authors' original.
rules.add_perm(
    "journal.view_version", is_version_author | (is_submitted_version & may_read_version_paper)
)
rules.add_perm("journal.download_original_version", is_version_author)
rules.add_perm("journal.view_editor_audit", is_submission_editor)
rules.add_perm("journal.view_stage_clock", is_submission_editor)
# The progress of a paper's reviewing (counts, lateness, discussion, meta-review status).
rules.add_perm("journal.view_review_progress", is_submission_editor | is_submission_overseer)
# Authors' e-mail addresses and the conflicts they declare: the authors and the editors.
rules.add_perm("journal.view_author_contacts", is_author | is_submission_editor)
rules.add_perm("journal.view_declared_conflicts", is_author | is_submission_editor)
rules.add_perm("journal.assign_action_editor", is_venue_chief & ~is_author & ~is_conflicted)
rules.add_perm("journal.desk_reject_submission", is_submission_editor)
rules.add_perm("journal.screen_submission", is_submission_editor)
rules.add_perm("journal.start_review", is_submission_editor)
rules.add_perm("journal.decide_submission", is_submission_editor)
rules.add_perm("journal.publish_submission", is_venue_chief & ~is_author & ~is_conflicted)
rules.add_perm("journal.retract_submission", is_venue_chief & ~is_author & ~is_conflicted)


@rules.predicate
def is_expert_authored(user, submission) -> bool:
    """The paper's authors include an expert reviewer of its venue (by account or e-mail)."""
    if not isinstance(submission, Submission):
        return False
    from django.db.models import Q

    authors = submission.authors.all()
    return (
        VenueRole.objects.filter(
            venue_id=submission.venue_id, role=RoleKind.REVIEWER, is_expert=True
        )
        .filter(
            Q(user__in=authors.exclude(user=None).values("user"))
            | Q(user__email__in=authors.values("email"))
        )
        .exists()
    )


#: A chief who is neither an author of the paper nor conflicted with it.
is_paper_chief = is_venue_chief & ~is_author & ~is_conflicted

# Certifications (TMLR): Featured, Reproducibility and Survey are given by the paper's
# editors (its action editor in the decision, a chief at approval); Outstanding by a chief
# only; Expert by the paper's editors, and only when an author is an expert reviewer.
may_grant_editor_certification = is_submission_editor
may_grant_outstanding = is_paper_chief
may_grant_expert = is_submission_editor & is_expert_authored
CERTIFICATION_PERMISSIONS = {
    Certification.FEATURED: "journal.grant_featured",
    Certification.REPRODUCIBILITY: "journal.grant_reproducibility",
    Certification.SURVEY: "journal.grant_survey",
    Certification.OUTSTANDING: "journal.grant_outstanding",
    Certification.EXPERT: "journal.grant_expert",
}
rules.add_perm("journal.grant_featured", may_grant_editor_certification)
rules.add_perm("journal.grant_reproducibility", may_grant_editor_certification)
rules.add_perm("journal.grant_survey", may_grant_editor_certification)
rules.add_perm("journal.grant_outstanding", may_grant_outstanding)
rules.add_perm("journal.grant_expert", may_grant_expert)

# Stage deadlines: the paper's editors extend what the reviewers owe; only a chief extends
# what the editors themselves owe (the assignment, the meta-review, the approval).
EXTEND_PERMISSIONS = {
    Stage.EDITOR_ASSIGNMENT: "journal.extend_editor_deadline",
    Stage.REVIEWER_ASSIGNMENT: "journal.extend_editor_deadline",
    Stage.REVIEWS: "journal.extend_reviewer_deadline",
    Stage.DISCUSSION: "journal.extend_reviewer_deadline",
    Stage.RECOMMENDATIONS: "journal.extend_reviewer_deadline",
    Stage.META_REVIEW: "journal.extend_editor_deadline",
    Stage.APPROVAL: "journal.extend_editor_deadline",
}
rules.add_perm("journal.extend_reviewer_deadline", is_submission_editor)
rules.add_perm("journal.extend_editor_deadline", is_paper_chief)


@rules.predicate
def is_conference(user, obj) -> bool:
    venue = _venue_of(obj)
    return venue is not None and venue.is_conference


# The decision table (every paper's scores, recommendations and flags): chiefs only, and
# never the papers they are recused from; bulk decisions at conferences.
rules.add_perm("journal.view_decision_table", is_venue_chief)
rules.add_perm("journal.decide_in_bulk", is_venue_chief & is_conference)


@rules.predicate
def is_site_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


# New venues are set up by the site's staff, who become their first chief.
rules.add_perm("journal.create_venue", is_site_staff)
