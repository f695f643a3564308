"""Choices of the journal domain. States are slugs; labels are what people read."""

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


#: States from which nothing but a retraction (of a published paper) can follow.
CLOSED_STATES = frozenset(
    {
        SubmissionState.DESK_REJECTED,
        SubmissionState.REJECTED,
        SubmissionState.PUBLISHED,
        SubmissionState.WITHDRAWN,
        SubmissionState.RETRACTED,
    }
)
OPEN_STATES = frozenset(set(SubmissionState) - CLOSED_STATES)


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
