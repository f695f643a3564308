"""RIS, as Zotero, Mendeley, EndNote, Scopus and Web of Science export it."""

from __future__ import annotations

import re

import rispy

from reviews.importers.records import (
    ImportFormatError,
    Parsed,
    Work,
    clean_authors,
    clean_text,
    clean_title,
    clean_url,
    clean_year,
    normalise_doi,
)

_START = re.compile(r"^[ \t]*TY  - ", re.MULTILINE)
_TITLE_FIELDS = ("title", "primary_title", "translated_title", "short_title")
_AUTHOR_FIELDS = ("authors", "first_authors", "secondary_authors")
_VENUE_FIELDS = ("secondary_title", "journal_name", "alternate_title3", "alternate_title1",
                 "alternate_title2", "tertiary_title")


def _first(record: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        if value and str(value).strip():
            return str(value)
    return ""


def parse_ris(content: str) -> Parsed:
    """Read the references (TY ... ER blocks) of an RIS file."""
    text = content.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    starts = [text.count("\n", 0, m.start()) + 1 for m in _START.finditer(text)]
    if not starts:
        raise ImportFormatError("No RIS references (lines like “TY  - JOUR”) were found.")
    try:
        records = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:  # rispy's errors name the broken line
        raise ImportFormatError(f"This RIS file could not be read: {exc}") from None
    parsed = Parsed()
    for number, record in enumerate(records):
        line = starts[number] if number < len(starts) else None
        title = clean_title(_first(record, _TITLE_FIELDS))
        if not title:
            parsed.skip(f"Reference {number + 1} (line {line})", "has no title (TI or T1)")
            continue
        authors = []
        for name in _AUTHOR_FIELDS:
            authors.extend(record.get(name) or [])
        urls = record.get("urls") or []
        url = next((clean_url(u) for u in urls if clean_url(u)), "")
        doi = normalise_doi(record.get("doi")) or next(
            (normalise_doi(u) for u in urls if "doi.org/" in u), ""
        )
        ids = {"ris_id": str(record["id"])} if record.get("id") else {}
        parsed.works.append(
            Work(
                title=title,
                authors=clean_authors(authors),
                year=clean_year(record.get("year") or record.get("publication_year")
                                or record.get("date")),
                venue=clean_text(_first(record, _VENUE_FIELDS), limit=300),
                abstract=" ".join(str(record.get("abstract") or "").split()),
                doi=doi,
                url=url or (f"https://doi.org/{doi}" if doi else ""),
                source="ris",
                source_ids=ids,
                line=line,
            )
        )
    if len(starts) > len(records):
        line = starts[len(records)]
        parsed.problems.append(
            f"The reference starting on line {line} does not end with “ER  -”; it was left out."
        )
    return parsed
