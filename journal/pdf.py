"""Inspect uploaded PDFs: is it one, how long is it, what does its first page say."""

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from journal.errors import FileCheckError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfInfo:
    sha256: str
    size: int
    page_count: int
    first_page_text: str


def file_digest(fileobj: BinaryIO) -> tuple[str, int]:
    """Return the sha256 hex digest and size in bytes of `fileobj`, rewound afterwards."""
    fileobj.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: fileobj.read(1 << 16), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def inspect_pdf(fileobj: BinaryIO) -> PdfInfo:
    """Parse `fileobj` as a PDF or raise FileCheckError with a message for the uploader."""
    fileobj.seek(0)
    if fileobj.read(5) != b"%PDF-":
        raise FileCheckError("This file is not a PDF. Upload the paper as a PDF file.", field="pdf")
    sha256, size = file_digest(fileobj)
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted:
            raise FileCheckError(
                "This PDF is password-protected. Upload a PDF without a password.", field="pdf"
            )
        page_count = len(reader.pages)
        first_page_text = reader.pages[0].extract_text() or "" if page_count else ""
    except FileCheckError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        logger.info("Unreadable PDF upload: %s", exc)
        raise FileCheckError(
            "This PDF could not be read; it may be damaged. Export it again and re-upload.",
            field="pdf",
        ) from None
    finally:
        fileobj.seek(0)
    if page_count == 0:
        raise FileCheckError("This PDF has no pages.", field="pdf")
    return PdfInfo(sha256=sha256, size=size, page_count=page_count, first_page_text=first_page_text)


def identity_leaks(text: str, *, names: list[str], emails: list[str]) -> list[str]:
    """Return the author names and e-mail addresses that appear in a page's `text`.

    Matching ignores case and runs of whitespace (PDF text often breaks lines oddly), and a
    name must appear whole, so "Ann Lee" is not found in "Joann Leeds".
    """
    flat = " ".join(text.split()).lower()
    found = []
    for email in emails:
        email = email.strip().lower()
        if email and email in flat:
            found.append(email)
    for name in names:
        words = name.split()
        if len(words) < 2:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w.lower()) for w in words) + r"(?!\w)"
        if re.search(pattern, flat):
            found.append(" ".join(words))
    return found
