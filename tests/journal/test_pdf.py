"""PDF inspection."""

import io

import pytest

from journal.demo.pdf import make_pdf
from journal.errors import FileCheckError
from journal.pdf import inspect_pdf


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
