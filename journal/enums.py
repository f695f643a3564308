"""Choices of the journal domain. States are slugs; labels are what people read."""

from typing import ClassVar

from django.db import models


class VenueKind(models.TextChoices):
    JOURNAL = "journal", "Journal (rolling submissions)"
    CONFERENCE = "conference", "Conference (submission deadline)"


class Anonymity(models.TextChoices):
    DOUBLE_BLIND = "double_blind", "Double-blind"
    SINGLE_BLIND = "single_blind", "Single-blind (reviewers anonymous)"
    OPEN = "open", "Open (names visible to all)"


class ReviewPublication(models.TextChoices):
    """Which papers' reviews a venue publishes on their public page (TMLR: accepted ones)."""

    NONE = "none", "None: reviews stay private"
    ACCEPTED = "accepted", "Published papers"
    ACCEPTED_AND_OPTED_IN = (
        "accepted_and_opted_in",
        "Published papers, and rejected ones whose authors opt in",
    )


class RoleKind(models.TextChoices):
    CHIEF = "chief", "Editor-in-chief / program chair"
    ACTION_EDITOR = "action_editor", "Action editor / area chair"
    SENIOR_AREA_CHAIR = "senior_area_chair", "Senior area chair"
    REVIEWER = "reviewer", "Reviewer"


#: What each role is called at a journal and at a conference (`Venue.role_label`).
ROLE_WORDS = {
    RoleKind.CHIEF: ("editor-in-chief", "program chair"),
    RoleKind.ACTION_EDITOR: ("action editor", "area chair"),
    RoleKind.SENIOR_AREA_CHAIR: ("senior editor", "senior area chair"),
    RoleKind.REVIEWER: ("reviewer", "reviewer"),
}


class LoadPeriod(models.TextChoices):
    YEAR = "year", "Per calendar year"
    VENUE = "venue", "For the whole venue"


class SubmissionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    DESK_REJECTED = "desk_rejected", "Desk rejected"
    DECISION_PENDING = "decision_pending", "Decision pending"
    REVISION_REQUESTED = "revision_requested", "Revision requested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    CAMERA_READY = "camera_ready", "Camera-ready"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RETRACTED = "retracted", "Retracted"

    # The groups of states the site asks about, declared once (set below the class, since
    # the members exist only then). Every "is the paper ...?" question uses one of them.
    #: Nothing but a retraction (of a published paper) can follow.
    CLOSED: ClassVar[frozenset[str]]
    #: Everything else: the paper's workflow goes on.
    OPEN: ClassVar[frozenset[str]]
    #: Readers see the paper on the venue's public pages.
    PUBLIC: ClassVar[frozenset[str]]
    #: Submitted and not yet past the reviewing: new reviewers, screening, matching, bids.
    REVIEWABLE: ClassVar[frozenset[str]]
    #: Reviews are being written or read for a decision.
    IN_REVIEW: ClassVar[frozenset[str]]
    #: Reviewers may be invited and write their reviews (submitted up to the decision).
    REVIEWING: ClassVar[frozenset[str]]
    #: Submitted and not yet decided for good (a revision comes back): the editors' work.
    IN_PROGRESS: ClassVar[frozenset[str]]
    #: A decision was taken on the submitted version (a desk rejection included).
    DECIDED: ClassVar[frozenset[str]]
    #: The reviewing's decision is out to the authors (not a desk rejection).
    DECISION_OUT: ClassVar[frozenset[str]]
    #: Accepted, whatever followed (camera-ready, published, retracted).
    WAS_ACCEPTED: ClassVar[frozenset[str]]
    #: Rejected, after review or at the desk.
    WAS_REJECTED: ClassVar[frozenset[str]]
    #: The authors may edit the paper's details.
    AUTHOR_EDITABLE: ClassVar[frozenset[str]]
    #: The authors may upload a new anonymised version without a new submission.
    REVISABLE: ClassVar[frozenset[str]]
    #: The authors may upload an anonymised version (a draft's first one included).
    UPLOADABLE: ClassVar[frozenset[str]]
    #: A version uploaded now goes to the editors (and the reviewers) at once.
    SUBMITTED_ON_UPLOAD: ClassVar[frozenset[str]]
    #: The authors' turn: something waits for them.
    AUTHOR_TURN: ClassVar[frozenset[str]]


_S = SubmissionState
_S.CLOSED = frozenset({_S.DESK_REJECTED, _S.REJECTED, _S.PUBLISHED, _S.WITHDRAWN, _S.RETRACTED})
_S.OPEN = frozenset(set(_S) - _S.CLOSED)
_S.PUBLIC = frozenset({_S.PUBLISHED, _S.RETRACTED})
_S.REVIEWABLE = frozenset({_S.SUBMITTED, _S.UNDER_REVIEW})
_S.IN_REVIEW = frozenset({_S.UNDER_REVIEW, _S.DECISION_PENDING})
_S.REVIEWING = frozenset({_S.SUBMITTED, *_S.IN_REVIEW})
_S.IN_PROGRESS = frozenset({*_S.REVIEWING, _S.REVISION_REQUESTED})
_S.DECIDED = frozenset({_S.DESK_REJECTED, _S.ACCEPTED, _S.REVISION_REQUESTED, _S.REJECTED})
_S.WAS_ACCEPTED = frozenset({_S.ACCEPTED, _S.CAMERA_READY, _S.PUBLISHED, _S.RETRACTED})
_S.WAS_REJECTED = frozenset({_S.REJECTED, _S.DESK_REJECTED})
_S.DECISION_OUT = frozenset({*_S.WAS_ACCEPTED, _S.REVISION_REQUESTED, _S.REJECTED})
_S.AUTHOR_EDITABLE = frozenset({_S.DRAFT, _S.REVISION_REQUESTED})
_S.REVISABLE = frozenset({_S.SUBMITTED, _S.UNDER_REVIEW, _S.REVISION_REQUESTED})
_S.UPLOADABLE = frozenset({_S.DRAFT, *_S.REVISABLE})
_S.SUBMITTED_ON_UPLOAD = _S.REVIEWABLE
_S.AUTHOR_TURN = frozenset({_S.DRAFT, _S.REVISION_REQUESTED, _S.ACCEPTED})
del _S


class VersionKind(models.TextChoices):
    SUBMISSION = "submission", "Anonymised submission"
    CAMERA_READY = "camera_ready", "Camera-ready"


class ConflictKind(models.TextChoices):
    PERSON = "person", "Person"
    INSTITUTION = "institution", "Institution"
    DOMAIN = "domain", "E-mail domain"


class BaselineSource(models.TextChoices):
    REPORTED = "reported", "as reported by its authors"
    RERUN = "rerun", "re-run by us"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    HELD = "held", "Held for the daily digest"
    DIGESTED = "digested", "Sent in a digest"
    SUPPRESSED = "suppressed", "Not sent: turned off by the recipient"


class EmailCategory(models.TextChoices):
    """What an e-mail is about; a person chooses how they get each optional category."""

    DISCUSSION = "discussion", "Discussion"
    REMINDERS = "reminders", "Reminders"
    STATUS = "status", "Status changes"
    DECISIONS = "decisions", "Receipts, reviews and decisions of your papers"
    INVITATIONS = "invitations", "Invitations to review or to claim an authorship"
    ROLE_INVITATIONS = "role_invitations", "Invitations to a venue role"
    ASSIGNMENTS = "assignments", "Papers assigned to you and requests to act"
    ACCOUNT = "account", "Account and password"
    DIGEST = "digest", "Daily digest"

    #: The categories a person may hold for a digest or turn off (the rest always go out).
    OPTIONAL: ClassVar[tuple[str, ...]]
    #: Always sent at once, whatever the person chose: the review process needs them.
    MANDATORY: ClassVar[frozenset[str]]
    #: The categories whose e-mails carry an unsubscribe link (a digest carries one for
    #: each optional category it holds).
    UNSUBSCRIBABLE: ClassVar[frozenset[str]]


_C = EmailCategory
_C.OPTIONAL = (_C.DISCUSSION, _C.REMINDERS, _C.STATUS)
_C.MANDATORY = frozenset(set(_C) - set(_C.OPTIONAL) - {_C.DIGEST})
_C.UNSUBSCRIBABLE = frozenset({*_C.OPTIONAL, _C.DIGEST})
del _C


class EmailDelivery(models.TextChoices):
    """How a person gets the e-mails of one optional category."""

    IMMEDIATE = "immediate", "At once"
    DIGEST = "digest", "In a daily digest"
    OFF = "off", "Never"


class AuditVisibility(models.TextChoices):
    """Who may read an audit event besides the venue's editors."""

    EDITORS = "editors", "Editors only"
    AUTHORS = "authors", "Authors and editors"


class DecisionOutcome(models.TextChoices):
    ACCEPT = "accept", "Accept as is"
    MINOR_REVISION = "minor_revision", "Accept with minor revision"
    REJECT = "reject", "Reject"
    ORAL = "oral", "Accept (oral)"
    SPOTLIGHT = "spotlight", "Accept (spotlight)"
    POSTER = "poster", "Accept (poster)"


JOURNAL_OUTCOMES = (DecisionOutcome.ACCEPT, DecisionOutcome.MINOR_REVISION, DecisionOutcome.REJECT)
CONFERENCE_OUTCOMES = (
    DecisionOutcome.ORAL,
    DecisionOutcome.SPOTLIGHT,
    DecisionOutcome.POSTER,
    DecisionOutcome.REJECT,
)
#: The submission state a published decision moves the paper to.
OUTCOME_STATES = {
    DecisionOutcome.ACCEPT: SubmissionState.ACCEPTED,
    DecisionOutcome.MINOR_REVISION: SubmissionState.REVISION_REQUESTED,
    DecisionOutcome.REJECT: SubmissionState.REJECTED,
    DecisionOutcome.ORAL: SubmissionState.ACCEPTED,
    DecisionOutcome.SPOTLIGHT: SubmissionState.ACCEPTED,
    DecisionOutcome.POSTER: SubmissionState.ACCEPTED,
}


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting the editor-in-chief's approval"
    PUBLISHED = "published", "Published"


class Certification(models.TextChoices):
    """TMLR's certifications; who may grant each is a rule in `journal.rules`."""

    FEATURED = "featured", "Featured"
    REPRODUCIBILITY = "reproducibility", "Reproducibility"
    SURVEY = "survey", "Survey"
    OUTSTANDING = "outstanding", "Outstanding"
    EXPERT = "expert", "Expert"


class Stage(models.TextChoices):
    """The stages of a journal paper's clock (TMLR), in order; each has a deadline."""

    EDITOR_ASSIGNMENT = "editor_assignment", "Action editor assignment"
    REVIEWER_ASSIGNMENT = "reviewer_assignment", "Reviewer assignment"
    REVIEWS = "reviews", "Reviews"
    DISCUSSION = "discussion", "Discussion"
    RECOMMENDATIONS = "recommendations", "Reviewers' recommendations"
    META_REVIEW = "meta_review", "Action editor's recommendation"
    APPROVAL = "approval", "Editor-in-chief's approval"


class Phase(models.TextChoices):
    """A conference's phases, in timeline order; the venue is in at most one at a time."""

    SUBMISSION = "submission", "Submission"
    BIDDING = "bidding", "Bidding"
    REVIEWING = "reviewing", "Reviewing"
    AUTHOR_RESPONSE = "author_response", "Author response"
    DISCUSSION = "discussion", "Reviewer and AC discussion"
    META_REVIEW = "meta_review", "Meta-review"
    DECISIONS = "decisions", "Decisions"
    CAMERA_READY = "camera_ready", "Camera-ready"

    @property
    def position(self) -> int:
        return list(type(self)).index(self)


class PhaseJobStatus(models.TextChoices):
    """The venue-wide work done on entering a phase, run as one background job."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class RoleInvitationState(models.TextChoices):
    """A chair's invitation to hold a role at a venue, as the person answers it."""

    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn by the venue"
