"""Choices of the reviews domain. States are slugs; labels are what people read."""

from typing import ClassVar

from django.db import models


class FieldKind(models.TextChoices):
    SCORE = "score", "Score on a labelled scale"
    YES_NO = "yes_no", "Yes / no"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    TEXT = "text", "Text"


class CriterionAspect(models.TextChoices):
    """What a scored criterion judges: the idea, the benchmark numbers, or something else.

    Declared once per field of a form (the shipped templates set it); the share of the overall
    score that each aspect carries, and the warning when the numbers outweigh the ideas,
    follow from it.
    """

    IDEAS = "ideas", "Ideas (originality, hypothesis)"
    BENCHMARK = "benchmark", "Benchmark and empirical results"
    OTHER = "other", "Other (clarity, reproducibility, ...)"


class FieldVisibility(models.TextChoices):
    """Who reads an answer besides its reviewer: the paper's editors read everything but
    what is kept for the chairs (`CHAIRS`)."""

    AUTHORS = "authors", "Authors, reviewers and editors"
    REVIEWERS = "reviewers", "Reviewers and editors"
    EDITORS = "editors", "Editors only (the paper's area chair or action editor, and chairs)"
    CHAIRS = "chairs", "Chairs only (program chairs, editors-in-chief)"
    AFTER_DECISION = (
        "after_decision",
        "Reviewers and editors; authors and the public page after the decision",
    )


class InvitationState(models.TextChoices):
    PENDING = "pending", "Awaiting an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn by the editor"

    #: Invitations that hold a place: awaiting an answer or accepted.
    ACTIVE: ClassVar[frozenset[str]]


InvitationState.ACTIVE = frozenset({InvitationState.PENDING, InvitationState.ACCEPTED})


class InvitationSource(models.TextChoices):
    MANUAL = "manual", "Invited by an editor"
    MATCHING = "matching", "Proposed by the matching"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Recommendation(models.TextChoices):
    ACCEPT = "accept", "Accept"
    LEANING_ACCEPT = "leaning_accept", "Leaning accept"
    LEANING_REJECT = "leaning_reject", "Leaning reject"
    REJECT = "reject", "Reject"


class ReviewRating(models.TextChoices):
    EXCEEDS = "exceeds", "Exceeds expectations"
    MEETS = "meets", "Meets expectations"
    BELOW = "below", "Falls below expectations"


class CommentAudience(models.TextChoices):
    EVERYONE = "everyone", "Authors, reviewers and editors"
    REVIEWERS = "reviewers", "Reviewers and editors"
    EDITORS = "editors", "Editors only"
    PUBLIC = "public", "Everyone, on the paper's public page"


class CommentRole(models.TextChoices):
    """The capacity in which someone wrote a comment, fixed when it is posted."""

    AUTHOR = "author", "Author"
    REVIEWER = "reviewer", "Reviewer"
    EDITOR = "editor", "Editor"
    PUBLIC = "public", "Reader"


class FlagState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class FlagOutcome(models.TextChoices):
    """What the paper's editor found about an authors' flag ("judges only the numbers")."""

    UPHELD = "upheld", "Upheld: the review judged the paper only by its numbers"
    DISMISSED = "dismissed", "Dismissed: the review weighed more than the numbers"


class ReminderKind(models.TextChoices):
    INVITATION = "invitation", "Answer to a review invitation"
    REVIEW = "review", "Review"
    RECOMMENDATION = "recommendation", "Recommendation to the action editor"
    DECISION = "decision", "Decision"
    EDITOR_ASSIGNMENT = "editor_assignment", "Action editor assignment"
    REVIEWER_ASSIGNMENT = "reviewer_assignment", "Reviewer assignment"
    APPROVAL = "approval", "Approval of the decision"


class ClaimVerdict(models.TextChoices):
    SUPPORTED = "supported", "Supported"
    PARTLY = "partly", "Partly supported"
    NOT_SUPPORTED = "not_supported", "Not supported"
    CANNOT_TELL = "cannot_tell", "Cannot tell"


class YesPartlyNo(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class PublicationSource(models.TextChoices):
    """Where a publication on a person's list came from."""

    MANUAL = "manual", "Added by hand"
    BIBTEX = "bibtex", "BibTeX"
    RIS = "ris", "RIS"
    CSV = "csv", "CSV"
    JSON = "json", "JSON"
    CSL_JSON = "csl_json", "CSL-JSON"
    ORCID = "orcid", "ORCID"
    DBLP = "dblp", "DBLP"
    OPENREVIEW = "openreview", "OpenReview"
    SEMANTIC_SCHOLAR = "semantic_scholar", "Semantic Scholar"


class FetchService(models.TextChoices):
    """The public services a person's publications can be fetched from, by their id there."""

    ORCID = "orcid", "ORCID iD"
    DBLP = "dblp", "DBLP pid"
    SEMANTIC_SCHOLAR = "semantic_scholar", "Semantic Scholar author id"
