"""Inspect uploaded PDFs: is it one, how long is it, what in it names its authors.

The double-blind check reads every page's text (up to `CHECK_MAX_PAGES`), the document
information and XMP metadata, and comment authors; `pdf_without_metadata` writes the copy
that people other than the authors download.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from journal.errors import FileCheckError

logger = logging.getLogger(__name__)

#: The double-blind check reads the text of at most this many pages of one PDF; further
#: pages are reported as not checked. Upload size is bounded by the venue's `max_pdf_mb`.
CHECK_MAX_PAGES = 150
#: ... and at most this many characters of text from one page.
CHECK_MAX_PAGE_CHARS = 100_000
#: Errors pypdf raises on damaged files.
PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError)

ORCID_RE = re.compile(r"(?<![\d-])\d{4}-\d{4}-\d{4}-\d{3}[\dx](?![\d-])", re.IGNORECASE)
GITHUB_RE = re.compile(
    r"github\.com/([a-z0-9](?:[a-z0-9-]{0,38}))|(?<![\w.-])([a-z0-9][a-z0-9-]{0,38})\.github\.io",
    re.IGNORECASE,
)


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
    except PDF_ERRORS as exc:
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
        if len(name.split()) >= 2 and re.search(_name_pattern(name), flat):
            found.append(" ".join(name.split()))
    return found


def _name_pattern(name: str) -> str:
    words = name.split()
    return r"(?<!\w)" + r"\s+".join(re.escape(w.lower()) for w in words) + r"(?!\w)"


def handle_key(text: str) -> str:
    """Return `text` as account names compare: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class Identity:
    """What would identify a paper's authors: their names, e-mail addresses and handles.

    Handles are the account names an author plausibly uses (on GitHub, say), derived from the
    names and the addresses, compared without case or punctuation.
    """

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    handles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *, names, emails) -> "Identity":
        names = tuple(dict.fromkeys(" ".join(n.split()) for n in names if len(n.split()) >= 2))
        emails = tuple(dict.fromkeys(e.strip().lower() for e in emails if e and e.strip()))
        handles = set()
        for email in emails:
            handles.add(handle_key(email.split("@", 1)[0].split("+", 1)[0]))
        for name in names:
            words = [w for w in (handle_key(w) for w in name.split()) if w]
            first, last = words[0], words[-1]
            handles |= {"".join(words), first + last, last + first, first[0] + last}
        return cls(names, emails, frozenset(h for h in handles if len(h) >= 4))

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.rsplit("@", 1)[-1] for e in self.emails if "@" in e))


@dataclass(frozen=True)
class Finding:
    """One thing in a file that identifies the authors, said as a person would look for it.

    `blocking` findings stop a double-blind submission unless the authors confirm them; the
    others (metadata that the copy for reviewers leaves out) are shown to the editors only.
    """

    text: str
    blocking: bool = True


def identity_marks(text: str, identity: Identity) -> list[str]:
    """Return what in `text` identifies the authors, e.g. "Author name 'Ada Lovelace'".

    Any ORCID iD counts (an anonymous paper has none); GitHub accounts count when they look
    like an author's.
    """
    flat = " ".join(text.split())
    lower = flat.lower()
    marks = []
    for name in identity.names:
        if re.search(_name_pattern(name), lower):
            marks.append(f"Author name '{name}'")
    found_domains = set()
    for email in identity.emails:
        if email in lower:
            marks.append(f"E-mail address '{email}'")
            found_domains.add(email.rsplit("@", 1)[-1])
    for domain in identity.domains:
        if domain not in found_domains and re.search(
            r"@" + re.escape(domain) + r"(?![\w.-])", lower
        ):
            marks.append(f"E-mail address at '{domain}'")
    for orcid in dict.fromkeys(m.upper() for m in ORCID_RE.findall(flat)):
        if _is_orcid(orcid):
            marks.append(f"ORCID iD {orcid}")
    for match in GITHUB_RE.finditer(flat):
        handle = match.group(1) or match.group(2)
        if handle_key(handle) in identity.handles:
            marks.append(f"GitHub account '{handle}'")
    return list(dict.fromkeys(marks))


def _is_orcid(text: str) -> bool:
    """Return whether `text` (0000-0002-1825-0097) has a valid ORCID check digit."""
    digits = text.replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def _on_pages(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"on page {pages[0]}"
    shown = [str(p) for p in pages[:5]]
    if len(pages) > 5:
        return f"on pages {', '.join(shown)} and {len(pages) - 5} more"
    return f"on pages {', '.join(shown[:-1])} and {shown[-1]}"


def _short(value: object, limit: int = 200) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_comment(annotation) -> bool:
    return annotation.get("/Subtype") not in {"/Widget", "/Link", "/Popup"}


def _metadata_findings(reader: PdfReader, identity: Identity, *, blocking: bool, of: str):
    findings = []
    try:
        info = reader.metadata or {}
        entries = [(str(key), _short(info[key])) for key in list(info)]
    except PDF_ERRORS:
        entries = []
    for key, value in entries:
        if value and (key == "/Author" or identity_marks(value, identity)):
            findings.append(Finding(f"Metadata {key}{of}: {value}", blocking))
    try:
        xmp = reader.xmp_metadata
        creators = [_short(c) for c in (xmp.dc_creator or []) if _short(c)] if xmp else []
        raw = xmp.stream.get_data().decode("utf-8", "replace") if xmp else ""
    except PDF_ERRORS:
        creators, raw = [], ""
    for creator in creators:
        findings.append(Finding(f"XMP dc:creator{of}: {creator}", blocking))
    for mark in identity_marks(raw, identity):
        if not any(mark.split("'")[1:2] == [c] for c in creators):
            findings.append(Finding(f"XMP metadata{of}: {mark}", blocking))
    return findings


def pdf_identity_findings(
    fileobj: BinaryIO, *, identity: Identity, label: str = "", metadata_blocking: bool = False
) -> list[Finding]:
    """Return what in the PDF `fileobj` identifies the authors of a double-blind paper.

    Every page's text is read (up to `CHECK_MAX_PAGES`) for names, e-mail addresses, ORCID iDs
    and GitHub accounts; the document information, XMP metadata and comment authors too.
    Metadata does not block unless `metadata_blocking`: readers other than the authors get a
    copy without it. `label` names the file when it is not the paper ("the supplement's
    'appendix.pdf'").
    """
    of = f" of {label}" if label else ""
    findings: list[Finding] = []
    fileobj.seek(0)
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted:
            locked = f"{label or 'The PDF'} is password-protected and was not checked"
            return [Finding(locked, blocking=False)]
        count = len(reader.pages)
        marks: dict[str, list[int]] = {}
        commenters: dict[str, list[int]] = {}
        unread: list[int] = []
        for index in range(min(count, CHECK_MAX_PAGES)):
            page = reader.pages[index]
            try:
                text = (page.extract_text() or "")[:CHECK_MAX_PAGE_CHARS]
                annotations = [a.get_object() for a in (page.get("/Annots") or [])]
            except PDF_ERRORS:
                unread.append(index + 1)
                continue
            for mark in identity_marks(text, identity):
                marks.setdefault(mark, []).append(index + 1)
            for annotation in annotations:
                who = _short(annotation.get("/T", "")) if _is_comment(annotation) else ""
                if who:
                    commenters.setdefault(who, []).append(index + 1)
        findings += [Finding(f"{mark} {_on_pages(pages)}{of}") for mark, pages in marks.items()]
        findings += [
            Finding(f"Comment author '{who}' {_on_pages(pages)}{of}", metadata_blocking)
            for who, pages in commenters.items()
        ]
        findings += _metadata_findings(reader, identity, blocking=metadata_blocking, of=of)
    except PDF_ERRORS as exc:
        logger.info("Unreadable PDF in the anonymity check: %s", exc)
        return [Finding(f"{label or 'The PDF'} could not be read to check it", blocking=False)]
    finally:
        fileobj.seek(0)
    if unread:
        unreadable = f"Text {_on_pages(unread)}{of} could not be read to check it"
        findings.append(Finding(unreadable, blocking=False))
    if count > CHECK_MAX_PAGES:
        findings.append(
            Finding(
                f"Pages {CHECK_MAX_PAGES + 1} to {count}{of} were not checked "
                f"(the check reads the first {CHECK_MAX_PAGES} pages)",
                blocking=False,
            )
        )
    return findings


def pdf_without_metadata(fileobj: BinaryIO, out: BinaryIO) -> None:
    """Write to `out` the PDF `fileobj` without its document information, XMP metadata and
    comment authors: the copy for readers who must not learn who wrote it."""
    fileobj.seek(0)
    writer = PdfWriter(clone_from=PdfReader(fileobj, strict=False))
    writer.metadata = None
    writer.xmp_metadata = None
    for page in writer.pages:
        for key in ("/Metadata", "/PieceInfo"):
            if key in page:
                del page[key]
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if _is_comment(annotation) and "/T" in annotation:
                del annotation["/T"]
    if "/PieceInfo" in writer.root_object:
        del writer.root_object["/PieceInfo"]
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    writer.write(out)
