"""PDF inspection."""

import io
import tarfile
import zipfile

import pytest
from pypdf import PdfReader

from journal.demo.pdf import make_pdf
from journal.errors import FileCheckError
from journal.pdf import (
    CHECK_MAX_PAGES,
    Identity,
    inspect_pdf,
    pdf_identity_findings,
    pdf_without_metadata,
)
from journal.supplements import supplement_identity_findings
from tests.pdfs import pdf_bytes


def test_inspect_pdf_reads_pages_and_first_page_text():
    info = inspect_pdf(io.BytesIO(make_pdf([["Attention is cheap", "Jane Roe"], ["p2"]])))
    assert info.page_count == 2
    assert "Jane Roe" in info.first_page_text
    assert len(info.sha256) == 64


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a PDF"),
        (b"hello world", "not a PDF"),
        (b"%PDF-1.7\n\x00\x01", "could not be read"),
    ],
)
def test_inspect_pdf_refuses_bad_files(data, message):
    with pytest.raises(FileCheckError, match=message):
        inspect_pdf(io.BytesIO(data))


IDENTITY = Identity.of(names=["Ada Lovelace"], emails=["ada@analytical.example.org"])


def texts(findings) -> list[str]:
    return [f.text for f in findings]


def test_pdf_metadata_author_and_xmp_creator_flagged():
    data = pdf_bytes(
        [["A paper", "Anonymous authors"]],
        info={
            "/Author": "Ada Lovelace",
            "/Creator": "LaTeX with hyperref",
            "/Producer": "pdfTeX on Ada Lovelace's laptop",
        },
        xmp_creators=["Ada Lovelace"],
    )
    findings = pdf_identity_findings(io.BytesIO(data), identity=IDENTITY)
    assert texts(findings) == [
        "Metadata /Author: Ada Lovelace",
        "Metadata /Producer: pdfTeX on Ada Lovelace's laptop",
        "XMP dc:creator: Ada Lovelace",
    ]
    # Reviewers and editors get a copy without metadata, so it does not stop a submission.
    assert not any(f.blocking for f in findings)


def test_pdf_metadata_stripped_from_the_copy_for_readers():
    data = pdf_bytes(
        [["Attention is cheap", "Anonymous authors"], ["Page 2"]],
        info={"/Author": "Ada Lovelace", "/Title": "Attention is cheap"},
        xmp_creators=["Ada Lovelace"],
    )
    assert b"Ada Lovelace" in data
    out = io.BytesIO()
    pdf_without_metadata(io.BytesIO(data), out)
    assert b"Lovelace" not in out.getvalue()
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert not reader.metadata or "/Author" not in reader.metadata
    assert reader.xmp_metadata is None
    assert len(reader.pages) == 2 and "Attention is cheap" in reader.pages[0].extract_text()


def test_pdf_check_reads_every_page_for_names_addresses_orcid_and_github():
    pages = [
        ["A paper", "Anonymous authors"],
        ["We thank ADA", "LOVELACE for comments."],
        ["Write to ada@analytical.example.org."],
        ["https://orcid.org/0000-0002-1825-0097"],
        ["Code: github.com/alovelace/engine; baseline: github.com/torvalds/linux"],
        ["Ada Lovelace again"],
    ]
    findings = pdf_identity_findings(io.BytesIO(pdf_bytes(pages)), identity=IDENTITY)
    assert texts(findings) == [
        "Author name 'Ada Lovelace' on pages 2 and 6",
        "E-mail address 'ada@analytical.example.org' on page 3",
        "ORCID iD 0000-0002-1825-0097 on page 4",
        "GitHub account 'alovelace' on page 5",
    ]
    assert all(f.blocking for f in findings)


def test_pdf_check_quiet_for_an_anonymous_paper():
    pages = [
        ["A paper", "Anonymous"],
        ["See github.com/torvalds/linux and Lovelace (1843); grant 1234-5678-9012-3456."],
    ]
    assert pdf_identity_findings(io.BytesIO(pdf_bytes(pages)), identity=IDENTITY) == []


def test_pdf_check_cost_bounded_by_the_page_budget():
    pages = [["Anonymous"]] * CHECK_MAX_PAGES + [["Ada Lovelace"], ["Page after"]]
    findings = pdf_identity_findings(io.BytesIO(pdf_bytes(pages)), identity=IDENTITY)
    first, last = CHECK_MAX_PAGES + 1, CHECK_MAX_PAGES + 2
    assert texts(findings) == [
        f"Pages {first} to {last} were not checked "
        f"(the check reads the first {CHECK_MAX_PAGES} pages)"
    ]


def test_supplement_archive_checked_for_names_in_paths_text_and_pdfs():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("home/alovelace/README.md", "Run `make`. Questions: ada@analytical.example.org")
        zf.writestr("engine/.git/config", "[user]\n\tname = Ada Lovelace\n")
        zf.writestr("appendix.pdf", pdf_bytes([["Appendix"]], info={"/Author": "Ada Lovelace"}))
        zf.writestr("weights.bin", b"\x00Ada Lovelace\x00")
    findings = supplement_identity_findings(archive, identity=IDENTITY)
    assert texts(findings) == [
        "Account name 'alovelace' in the file name the supplement's 'home/alovelace/README.md'",
        "E-mail address 'ada@analytical.example.org' in the supplement's "
        "'home/alovelace/README.md'",
        "Author name 'Ada Lovelace' in the supplement's 'engine/.git/config'",
        "Metadata /Author of the supplement's 'appendix.pdf': Ada Lovelace",
    ]
    # The archive reaches reviewers as it is: everything in it counts.
    assert all(f.blocking for f in findings)


def test_supplement_tar_gz_checked():
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        data = b"Ada Lovelace, 1843"
        info = tarfile.TarInfo("notes/CITATION.cff")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    findings = supplement_identity_findings(archive, identity=IDENTITY)
    found = "Author name 'Ada Lovelace' in the supplement's 'notes/CITATION.cff'"
    assert texts(findings) == [found]
