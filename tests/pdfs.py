"""PDF files for tests: text pages from the demo writer, with metadata written by pypdf."""

import io

from django.core.files.base import ContentFile
from pypdf import PdfReader, PdfWriter
from pypdf.xmp import XmpInformation

from journal.demo.pdf import make_pdf


def pdf_bytes(
    pages: list[list[str]] | None = None,
    *,
    info: dict[str, str] | None = None,
    xmp_creators: list[str] = (),
) -> bytes:
    """Return a PDF showing `pages` (lines of text), with document information `info`
    (e.g. {"/Author": "Ada Lovelace"}) and an XMP packet naming `xmp_creators`."""
    data = make_pdf(pages or [["An anonymous paper", "Abstract"]])
    if not info and not xmp_creators:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    if info:
        writer.add_metadata(info)
    if xmp_creators:
        xmp = XmpInformation.create()
        xmp.dc_creator = list(xmp_creators)
        writer.xmp_metadata = xmp
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(pages: list[list[str]] | None = None, *, name: str = "paper.pdf", **metadata):
    """Return `pdf_bytes(...)` as an uploadable file."""
    return ContentFile(pdf_bytes(pages, **metadata), name=name)
