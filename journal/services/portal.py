"""The authors' steps through the site: save a draft, submit, revise, camera-ready.

Each step runs in one transaction that first locks a row (the author's account for a new
paper, the submission otherwise) and then looks for the form's one-time token among the
paper's audit events. A double-clicked button therefore does its work once: the second
request waits for the first, finds the token and changes nothing.
"""

from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction

from journal.enums import AuditVisibility, SubmissionState, VersionKind
from journal.errors import AnonymityError, DomainError
from journal.models import AuditEvent, Submission, SubmissionVersion, User, Venue
from journal.services.audit import audit_log
from journal.services.claims import claim_invitations_send
from journal.services.submissions import (
    AuthorInput,
    ClaimInput,
    ConflictInput,
    submission_create,
    submission_update,
)
from journal.services.versions import version_upload
from journal.services.workflow import submission_transition

S = SubmissionState
FORM_ACTION = "submission.form_received"


@dataclass(frozen=True)
class PaperDetails:
    """What the submission form collects besides the files."""

    metadata: dict
    authors: list[AuthorInput]
    claims: list[ClaimInput]
    conflicts: list[ConflictInput]


@dataclass
class Outcome:
    submission: Submission
    repeated: bool = False
    submitted: bool = False
    warnings: list[str] = field(default_factory=list)


def _seen(*, actor: User, token: str, submission: Submission | None = None) -> Submission | None:
    events = AuditEvent.objects.filter(action=FORM_ACTION, actor=actor, data__form_token=token)
    if submission is not None:
        events = events.filter(submission=submission)
    event = events.select_related("submission").first()
    return event.submission if event else None


def _record(*, submission: Submission, actor: User, token: str, step: str) -> None:
    audit_log(
        venue=submission.venue,
        submission=submission,
        actor=actor,
        action=FORM_ACTION,
        data={"form_token": token, "step": step},
        visibility=AuditVisibility.EDITORS,
    )


def draft_save(
    *,
    venue: Venue,
    actor: User,
    details: PaperDetails,
    form_token: str,
    submission: Submission | None = None,
    pdf: BinaryIO | None = None,
    supplement: BinaryIO | None = None,
) -> Outcome:
    """Create or update a draft from the submission form, with its files if given."""
    if not form_token:
        raise DomainError("The form expired; reload the page and try again.")
    if supplement is not None and pdf is None:
        raise DomainError(
            "Upload the PDF again together with the supplementary archive.", field="supplement"
        )
    with transaction.atomic():
        if submission is None:
            User.objects.select_for_update().filter(pk=actor.pk).first()
            previous = _seen(actor=actor, token=form_token)
            if previous is not None:
                return Outcome(previous, repeated=True)
            submission = submission_create(
                venue=venue,
                creator=actor,
                authors=details.authors,
                claims=details.claims,
                conflicts=details.conflicts,
                **details.metadata,
            )
        else:
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            if _seen(actor=actor, token=form_token, submission=locked) is not None:
                return Outcome(locked, repeated=True)
            if locked.state != S.DRAFT:
                raise DomainError(
                    "This paper has been submitted; its draft can no longer be edited here."
                )
            submission = submission_update(
                submission=locked,
                actor=actor,
                authors=details.authors,
                claims=details.claims,
                conflicts=details.conflicts,
                **details.metadata,
            )
        _record(submission=submission, actor=actor, token=form_token, step="draft")
        if pdf is not None:
            version_upload(submission=submission, actor=actor, pdf=pdf, supplement=supplement)
    return Outcome(submission)


def draft_submit(
    *, submission: Submission, actor: User, acknowledge_anonymity: bool = False
) -> Outcome:
    """Submit a draft, unless its files identify the authors at a double-blind venue and
    nobody confirmed the findings are fine: then nothing changes and the findings come back
    as `warnings`.

    Submitting twice is harmless: the second call finds the paper submitted.
    """
    if submission.state != S.DRAFT:
        return Outcome(submission, repeated=True)
    try:
        with transaction.atomic():
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            if locked.state != S.DRAFT:
                return Outcome(locked, repeated=True)
            submission_transition(
                submission=locked,
                to_state=S.SUBMITTED,
                actor=actor,
                acknowledge_anonymity=acknowledge_anonymity,
            )
            claim_invitations_send(submission=locked, actor=actor)
    except AnonymityError as exc:
        return Outcome(submission, warnings=exc.findings)
    return Outcome(locked, submitted=True)


def submission_revise(
    *,
    submission: Submission,
    actor: User,
    form_token: str,
    pdf: BinaryIO,
    change_summary: str,
    supplement: BinaryIO | None = None,
    details: PaperDetails | None = None,
    acknowledge_anonymity: bool = False,
) -> Outcome:
    """Upload a new version; after a revision request, update the details and resubmit.

    Either way the new version reaches the editors, so it passes the double-blind check
    (AnonymityError lists the findings, and nothing is kept).
    """
    uploaded: list[SubmissionVersion] = []
    try:
        with transaction.atomic():
            locked = (
                Submission.objects.select_for_update().select_related("venue").get(pk=submission.pk)
            )
            if _seen(actor=actor, token=form_token, submission=locked) is not None:
                return Outcome(locked, repeated=True)
            resubmit = locked.state == S.REVISION_REQUESTED
            if details is not None and resubmit:
                locked = submission_update(
                    submission=locked,
                    actor=actor,
                    authors=details.authors,
                    claims=details.claims,
                    conflicts=details.conflicts,
                    **details.metadata,
                )
            _record(submission=locked, actor=actor, token=form_token, step="revision")
            version = version_upload(
                submission=locked,
                actor=actor,
                pdf=pdf,
                supplement=supplement,
                change_summary=change_summary,
                acknowledge_anonymity=acknowledge_anonymity,
            )
            uploaded.append(version)
            if resubmit:
                submission_transition(
                    submission=locked,
                    to_state=S.SUBMITTED,
                    actor=actor,
                    note=change_summary,
                    acknowledge_anonymity=acknowledge_anonymity,
                )
    except Exception:
        # Nothing was saved, so the files stored on the way go too.
        for version in uploaded:
            for stored in (version.pdf, version.supplement):
                if stored:
                    stored.storage.delete(stored.name)
        raise
    return Outcome(locked, submitted=resubmit)


def submission_camera_ready(
    *,
    submission: Submission,
    actor: User,
    form_token: str,
    pdf: BinaryIO,
    change_summary: str = "",
    supplement: BinaryIO | None = None,
) -> Outcome:
    """Upload the de-anonymised PDF of an accepted paper and hand it to the editors."""
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update().select_related("venue").get(pk=submission.pk)
        )
        if _seen(actor=actor, token=form_token, submission=locked) is not None:
            return Outcome(locked, repeated=True)
        _record(submission=locked, actor=actor, token=form_token, step="camera_ready")
        version_upload(
            submission=locked,
            actor=actor,
            pdf=pdf,
            supplement=supplement,
            change_summary=change_summary,
            kind=VersionKind.CAMERA_READY,
        )
        submission_transition(submission=locked, to_state=S.CAMERA_READY, actor=actor)
    return Outcome(locked, submitted=True)
