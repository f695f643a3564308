"""Look inside a supplementary archive (.zip, .tar.gz, or a PDF) for what names its authors.

File names are checked (a home directory often carries a login name), the text of small
text files (code, READMEs, `.git/config`, BibTeX...) and the PDFs inside, all within the
budgets below, so an archive of any shape costs a bounded amount of work.
"""

import bz2
import contextlib
import gzip
import io
import logging
import lzma
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from journal.pdf import Finding, Identity, handle_key, identity_marks, pdf_identity_findings

logger = logging.getLogger(__name__)

#: Members of one archive that are looked at; the rest are reported as not checked.
MAX_MEMBERS = 2000
#: Largest member whose content is read, and the most content read from one archive.
MAX_MEMBER_BYTES = 5 * 1024 * 1024
MAX_READ_BYTES = 50 * 1024 * 1024
#: A .tar.gz is read as a stream; stop once this much of it has been unpacked.
MAX_TAR_BYTES = 500 * 1024 * 1024

TEXT_SUFFIXES = frozenset(
    {
        *("txt", "md", "rst", "tex", "bib", "bbl", "sty", "cls", "html", "xml", "csv", "tsv"),
        *("py", "ipynb", "r", "jl", "m", "c", "h", "cc", "cpp", "hpp", "java", "js", "ts"),
        *("go", "rs", "sh", "yaml", "yml", "toml", "json", "cfg", "ini", "conf", "cff"),
    }
)


def _is_text(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    if "." not in name.lstrip("."):
        return True  # README, LICENSE, config, AUTHORS...
    return name.rsplit(".", 1)[-1].lower() in TEXT_SUFFIXES


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_READ_BYTES

    def take(self, size: int) -> bool:
        if size > MAX_MEMBER_BYTES or size > self.left:
            return False
        self.left -= size
        return True


class _TooLarge(Exception):
    pass


class _Limited(io.RawIOBase):
    """A reader that gives up once `limit` bytes have been read (an unpacking bomb)."""

    def __init__(self, raw, limit: int) -> None:
        self.raw, self.left = raw, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(min(len(buffer), self.left + 1))
        self.left -= len(data)
        if self.left < 0:
            raise _TooLarge
        buffer[: len(data)] = data
        return len(data)


def _decompressed(fileobj: BinaryIO):
    head = fileobj.read(6)
    fileobj.seek(0)
    if head.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=fileobj, mode="rb")
    if head.startswith(b"BZh"):
        return bz2.BZ2File(fileobj)
    if head.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(fileobj)
    return contextlib.nullcontext(fileobj)


def _zip_members(fileobj: BinaryIO) -> Iterator[tuple[str, int, Callable]]:
    with zipfile.ZipFile(fileobj) as archive:
        for info in archive.infolist():
            if not info.is_dir():
                yield info.filename, info.file_size, lambda i=info: archive.open(i)


def _tar_members(fileobj: BinaryIO) -> Iterator[tuple[str, int, Callable]]:
    with (
        _decompressed(fileobj) as raw,
        tarfile.open(fileobj=io.BufferedReader(_Limited(raw, MAX_TAR_BYTES)), mode="r|") as archive,
    ):
        for member in archive:
            if member.isfile():
                yield member.name, member.size, lambda m=member: archive.extractfile(m)


def _read(opener: Callable, size: int) -> bytes:
    with opener() as handle:
        return handle.read(size)


def _path_marks(path: str, identity: Identity) -> list[str]:
    """Return what in a file's path names the authors, a login name among the folders too."""
    marks = identity_marks(path.replace("/", " / "), identity)
    for folder in path.split("/")[:-1]:
        if handle_key(folder) in identity.handles:
            marks.append(f"Account name '{folder}'")
    return list(dict.fromkeys(marks))


def supplement_identity_findings(fileobj: BinaryIO, *, identity: Identity) -> list[Finding]:
    """Return what in the supplementary archive `fileobj` identifies the authors.

    Everything found blocks a double-blind submission: reviewers get the archive as it is.
    """
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return pdf_identity_findings(
            fileobj, identity=identity, label="the supplement", metadata_blocking=True
        )
    if zipfile.is_zipfile(fileobj):
        members = _zip_members
    else:
        fileobj.seek(0)
        members = _tar_members
    fileobj.seek(0)
    findings: list[Finding] = []
    budget = _Budget()
    count = skipped = 0
    try:
        for path, size, opener in members(fileobj):
            count += 1
            if count > MAX_MEMBERS:
                skipped += 1
                continue
            where = f"the supplement's '{path}'"
            for mark in _path_marks(path, identity):
                findings.append(Finding(f"{mark} in the file name {where}"))
            is_pdf = path.lower().endswith(".pdf")
            if not (is_pdf or _is_text(path)):
                continue
            if not budget.take(size):
                skipped += 1
                continue
            data = _read(opener, size)
            if is_pdf:
                findings += pdf_identity_findings(
                    io.BytesIO(data), identity=identity, label=where, metadata_blocking=True
                )
            else:
                for mark in identity_marks(data.decode("utf-8", "replace"), identity):
                    findings.append(Finding(f"{mark} in {where}"))
    except _TooLarge:
        skipped += 1
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError) as exc:
        logger.info("Unreadable supplement in the anonymity check: %s", exc)
        unreadable = "The supplement could not be read as a .zip or .tar.gz archive to check it"
        return [*findings, Finding(unreadable, blocking=False)]
    finally:
        fileobj.seek(0)
    if skipped:
        findings.append(
            Finding(
                f"{skipped} file{'s' if skipped != 1 else ''} in the supplement were not checked "
                "(too many or too large)",
                blocking=False,
            )
        )
    return findings
