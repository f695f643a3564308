"""Read a version's files as the person downloading them may have them."""

import logging
import tempfile
from typing import BinaryIO

from journal.enums import VersionKind
from journal.errors import FileCheckError
from journal.models import SubmissionVersion
from journal.pdf import PDF_ERRORS, pdf_without_metadata

logger = logging.getLogger(__name__)
#: Copies without metadata are built in memory up to this size, then in a temporary file.
COPY_IN_MEMORY = 8 * 1024 * 1024


def version_file_open(*, version: SubmissionVersion, part: str, original: bool) -> BinaryIO:
    """Open the version's `part` ("pdf" or "supplement") for reading.

    An anonymised PDF comes without its document information, XMP metadata and comment
    authors unless `original` (the authors' own download). Raise FileNotFoundError when the
    file is missing from storage, FileCheckError when the copy cannot be made.
    """
    stored = version.pdf if part == "pdf" else version.supplement
    handle = stored.open("rb")
    if original or part != "pdf" or version.kind != VersionKind.SUBMISSION:
        return handle
    copy = tempfile.SpooledTemporaryFile(max_size=COPY_IN_MEMORY)  # noqa: SIM115 (returned)
    try:
        with handle:
            pdf_without_metadata(handle, copy)
    except PDF_ERRORS as exc:
        copy.close()
        logger.warning("Could not copy %s without its metadata: %s", version, exc)
        raise FileCheckError("This PDF could not be prepared for download.") from None
    copy.seek(0)
    return copy
