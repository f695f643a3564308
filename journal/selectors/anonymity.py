"""Read what identifies a paper's authors, and what of it a version's files give away."""

from collections.abc import Sequence
from typing import BinaryIO

from journal.models import Submission
from journal.pdf import Finding, Identity, pdf_identity_findings
from journal.supplements import supplement_identity_findings


def submission_identity(*, submission: Submission, authors: Sequence | None = None) -> Identity:
    """Return the names and addresses of the paper's authors (with their accounts').

    `authors` (objects with `name` and `email`) are added to the listed ones: a revision may
    change the list in the same step as it uploads the PDF.
    """
    names, emails = [], []
    for author in submission.authors.select_related("user"):
        names.append(author.name)
        emails.append(author.email)
        if author.user is not None:
            names.append(author.user.display_name)
            emails.append(author.user.email)
    for author in authors or ():
        names.append(author.name)
        emails.append(author.email)
    return Identity.of(names=names, emails=emails)


def files_identity_findings(
    *, identity: Identity, pdf: BinaryIO, supplement: BinaryIO | None = None
) -> list[Finding]:
    """Return what in the paper's PDF and supplementary archive identifies its authors."""
    findings = pdf_identity_findings(pdf, identity=identity)
    if supplement is not None:
        findings += supplement_identity_findings(supplement, identity=identity)
    return findings
