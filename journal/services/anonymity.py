"""The double-blind check of a paper's files: one decision for every way of submitting.

Submitting a draft, resubmitting a revision and uploading a new version of a paper under
review all come here, from the site and the API alike, before the files reach anyone but
the authors.
"""

from collections.abc import Sequence
from typing import BinaryIO

from journal.errors import AnonymityError, DomainError
from journal.models import Submission, SubmissionVersion
from journal.selectors.anonymity import files_identity_findings, submission_identity


def anonymity_check(
    *,
    submission: Submission,
    pdf: BinaryIO,
    supplement: BinaryIO | None = None,
    acknowledged: bool = False,
    authors: Sequence | None = None,
) -> list[str]:
    """Check files about to reach the reviewers of a double-blind venue; return the findings.

    Raise AnonymityError listing what identifies the authors, unless they confirmed
    (`acknowledged`) that it does not. Metadata is reported but not refused: people other
    than the authors download a copy without it. Other venues are not checked.
    """
    venue = submission.venue
    if not venue.is_double_blind:
        return []
    identity = submission_identity(submission=submission, authors=authors)
    findings = files_identity_findings(identity=identity, pdf=pdf, supplement=supplement)
    blocking = [f.text for f in findings if f.blocking]
    if blocking and not acknowledged:
        raise AnonymityError(
            f"{venue.name} is double-blind, and the paper's files identify its authors: "
            + "; ".join(blocking)
            + ". Upload an anonymised version, or confirm that these do not identify the "
            "authors (acknowledge_anonymity).",
            findings=blocking,
        )
    return [f.text for f in findings]


def version_anonymity_check(*, version: SubmissionVersion, acknowledged: bool = False) -> list[str]:
    """Run `anonymity_check` on the stored files of `version`."""
    submission = version.submission
    if not submission.venue.is_double_blind:
        return []
    try:
        with version.pdf.open("rb") as pdf:
            if not version.supplement:
                return anonymity_check(submission=submission, pdf=pdf, acknowledged=acknowledged)
            with version.supplement.open("rb") as supplement:
                return anonymity_check(
                    submission=submission,
                    pdf=pdf,
                    supplement=supplement,
                    acknowledged=acknowledged,
                )
    except OSError:
        raise DomainError(
            f"The files of version {version.number} could not be read; upload them again."
        ) from None
