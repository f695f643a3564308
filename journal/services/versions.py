"""Upload a new immutable version of a submission's files.

A version uploaded while the paper is with the editors (submitted or under review) is
submitted at once, after the double-blind check. One uploaded while the authors hold the
paper (a draft, a revision not yet resubmitted, an accepted paper before its camera-ready is
handed in) waits for that step; uploading another in the meantime replaces it, and the
replaced version is deleted with its files.
"""

from datetime import datetime
from typing import BinaryIO

from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from journal.enums import AuditVisibility, SubmissionState, VersionKind
from journal.errors import DeadlineError, DomainError, FileCheckError
from journal.models import Submission, SubmissionVersion, User
from journal.pdf import PdfInfo, file_digest, inspect_pdf
from journal.services.anonymity import anonymity_check
from journal.services.audit import audit_log
from journal.services.submissions import metadata_snapshot
from journal.services.webhooks import webhook_emit_version

S = SubmissionState

#: States in which authors may upload each kind of version.
UPLOAD_STATES = {
    VersionKind.SUBMISSION: S.UPLOADABLE,
    VersionKind.CAMERA_READY: frozenset({S.ACCEPTED}),
}
MB = 1024 * 1024


def check_pdf(*, submission: Submission, pdf: BinaryIO, kind: str) -> PdfInfo:
    """Check that `pdf` is a readable PDF within the venue's limits; return what we read."""
    venue = submission.venue
    pdf.seek(0, 2)
    size = pdf.tell()
    pdf.seek(0)
    if size > venue.max_pdf_mb * MB:
        raise FileCheckError(
            f"The PDF is {size / MB:.1f} MB; {venue.name} accepts at most {venue.max_pdf_mb} MB.",
            field="pdf",
        )
    info = inspect_pdf(pdf)
    if kind == VersionKind.SUBMISSION and venue.page_limit and info.page_count > venue.page_limit:
        raise FileCheckError(
            f"The PDF has {info.page_count} pages; {venue.name} allows at most {venue.page_limit}.",
            field="pdf",
        )
    return info


def version_upload(
    *,
    submission: Submission,
    actor: User,
    pdf: BinaryIO,
    supplement: BinaryIO | None = None,
    change_summary: str = "",
    kind: str = VersionKind.SUBMISSION,
    acknowledge_anonymity: bool = False,
    now: datetime | None = None,
) -> SubmissionVersion:
    """Store a new version (PDF plus optional supplementary archive), uploaded at `now`.

    While the paper is with the editors the version is submitted at once, so it must pass
    the double-blind check (`acknowledge_anonymity`: the authors confirmed the findings do
    not identify them). Before that, it replaces the authors' earlier unsubmitted upload.
    """
    now = now or timezone.now()
    kind = VersionKind(kind)
    venue = submission.venue
    info = check_pdf(submission=submission, pdf=pdf, kind=kind)
    supplement_digest = supplement_size = None
    if supplement is not None:
        supplement_digest, supplement_size = file_digest(supplement)
        if supplement_size > venue.max_supplement_mb * MB:
            raise FileCheckError(
                f"The supplementary archive is {supplement_size / MB:.1f} MB; "
                f"{venue.name} accepts at most {venue.max_supplement_mb} MB.",
                field="supplement",
            )
    findings = None
    if kind == VersionKind.SUBMISSION and submission.state in S.SUBMITTED_ON_UPLOAD:
        findings = anonymity_check(
            submission=submission,
            pdf=pdf,
            supplement=supplement,
            acknowledged=acknowledge_anonymity,
        )
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update().select_related("venue").get(pk=submission.pk)
        )
        if locked.state not in UPLOAD_STATES[kind]:
            raise DomainError(
                f"A {kind.label.lower()} PDF cannot be uploaded while the paper is "
                f"{locked.get_state_display().lower()}."
            )
        if (
            kind == VersionKind.SUBMISSION
            and locked.state == S.DRAFT
            and venue.is_conference
            and venue.deadline_passed(now)
        ):
            raise DeadlineError(f"The submission deadline of {venue.name} has passed.")
        if (
            kind == VersionKind.SUBMISSION
            and locked.state != S.DRAFT
            and not change_summary.strip()
        ):
            raise DomainError("Summarise what changed in this version.", field="change_summary")
        submits = kind == VersionKind.SUBMISSION and locked.state in S.SUBMITTED_ON_UPLOAD
        if submits and findings is None:
            findings = anonymity_check(
                submission=locked,
                pdf=pdf,
                supplement=supplement,
                acknowledged=acknowledge_anonymity,
            )
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        if not submits:
            _discard_unsubmitted(submission=locked, kind=kind, actor=actor)
        version = SubmissionVersion(
            submission=locked,
            number=number,
            kind=kind,
            pdf_sha256=info.sha256,
            pdf_size=info.size,
            page_count=info.page_count,
            supplement_sha256=supplement_digest or "",
            supplement_size=supplement_size,
            change_summary=change_summary.strip(),
            metadata=metadata_snapshot(locked),
            created_by=actor,
            created_at=now,
            submitted_at=now if submits else None,
            anonymity_findings=findings,
            anonymity_acknowledged=bool(findings) and acknowledge_anonymity,
        )
        version.pdf.save(_name(pdf, "paper.pdf"), File(pdf), save=False)
        if supplement is not None:
            version.supplement.save(
                _name(supplement, "supplement.zip"), File(supplement), save=False
            )
        version.save()
        audit_log(
            venue=venue,
            submission=locked,
            actor=actor,
            action="version.uploaded",
            data={"number": number, "kind": kind, "sha256": info.sha256, "pages": info.page_count},
            note=change_summary.strip(),
            visibility=AuditVisibility.AUTHORS,
            at=now,
        )
        webhook_emit_version(version=version)
        from reviews.services.embeddings import embeddings_queue

        embeddings_queue(kind="submission", ids=[locked.pk])
    return version


def _discard_unsubmitted(*, submission: Submission, kind: str, actor: User) -> None:
    """Delete the versions of `kind` the authors uploaded but never submitted, and (once the
    transaction commits) their files: nobody but the authors ever saw them."""
    replaced = list(submission.versions.filter(kind=kind, submitted_at__isnull=True))
    if not replaced:
        return
    for version in replaced:
        version_delete_files(version=version)
        version.delete()
    audit_log(
        venue=submission.venue,
        submission=submission,
        actor=actor,
        action="version.discarded",
        data={"numbers": [v.number for v in replaced], "kind": kind},
        visibility=AuditVisibility.AUTHORS,
    )


def version_delete_files(*, version: SubmissionVersion) -> None:
    """Delete the stored files of `version` once the current transaction commits."""
    files = [f for f in (version.pdf, version.supplement) if f]
    storage, names = version.pdf.storage, [f.name for f in files]

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def _name(fileobj: BinaryIO, default: str) -> str:
    return getattr(fileobj, "name", None) or default
