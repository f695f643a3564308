"""The record every reader returns, and the clean-ups they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pylatexenc.latex2text import LatexNodes2Text

TITLE_MAX_CHARS = 500
VENUE_MAX_CHARS = 300
URL_MAX_CHARS = 200
AUTHORS_MAX = 100
AUTHOR_MAX_CHARS = 300


class ImportFormatError(ValueError):
    """The file cannot be read as the format it claims (or as any format)."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"{message} (line {line})" if line else message)

    @property
    def message(self) -> str:
        return str(self)


@dataclass
class Work:
    """One publication as a file describes it."""

    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    abstract: str = ""
    doi: str = ""
    url: str = ""
    source: str = ""
    source_ids: dict[str, str] = field(default_factory=dict)
    #: Where the record starts in the file (1-based), when the format has lines.
    line: int | None = None


@dataclass
class Parsed:
    """What a reader found: the records, and a sentence for each entry it left out."""

    works: list[Work] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def skip(self, where: str, why: str) -> None:
        self.problems.append(f"{where}: {why}; it was left out.")


_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)


def normalise_doi(text: str | None) -> str:
    """Return the DOI in `text` lower-cased, without a resolver prefix ("" when none)."""
    match = _DOI.search(str(text or "").strip())
    return match.group(0).rstrip(".,;").lower()[:200] if match else ""


def clean_text(text: object, *, limit: int | None = None) -> str:
    """Return `text` on one line, without BibTeX's protective braces."""
    value = " ".join(str(text or "").replace("{", "").replace("}", "").split())
    return value[:limit] if limit else value


def clean_title(text: object) -> str:
    """Return a title on one line, without a closing full stop (as DBLP writes them)."""
    title = clean_text(text, limit=TITLE_MAX_CHARS)
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def clean_year(value: object) -> int | None:
    """Return the first plausible year (1900-2100) in `value`, else None."""
    match = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", str(value or ""))
    if not match:
        return None
    year = int(match.group(0))
    return year if 1900 <= year <= 2100 else None


def clean_url(value: object) -> str:
    """Return `value` when it is an http(s) URL that fits, else ""."""
    url = str(value or "").strip()
    if re.fullmatch(r"https?://[^\s<>\"]+", url) and len(url) <= URL_MAX_CHARS:
        return url
    return ""


def clean_authors(names: list[object]) -> list[str]:
    """Return the non-empty author names, on one line each, "others" left out."""
    authors = []
    for name in names:
        text = clean_text(name, limit=AUTHOR_MAX_CHARS)
        if text and text.lower() not in {"others", "et al.", "et al"}:
            authors.append(text)
    return authors[:AUTHORS_MAX]


_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def latex_to_text(text: str) -> str:
    """Return LaTeX-marked text as plain Unicode ({\\"o} and \\'{e} become ö and é)."""
    if "\\" not in text and "$" not in text and "~" not in text:
        return text
    try:
        return _LATEX.latex_to_text(text)
    except Exception:  # a broken macro keeps the text as written
        return text
