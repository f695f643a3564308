"""OpenReview notes of an author, as the API (v2 or v1) and openreview-py return them.

API v2 wraps each content field in {"value": ...}; v1 gives it plain. The year comes from
the note's BibTeX, else its publication (or creation) date; withdrawn and desk-rejected
submissions are not publications.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from reviews.importers.records import (
    ImportFormatError,
    Parsed,
    Work,
    clean_authors,
    clean_text,
    clean_title,
    clean_year,
    normalise_doi,
)

_NOT_PUBLISHED = re.compile(r"withdrawn|desk_rejected", re.IGNORECASE)


def _field(content: dict, name: str) -> object:
    value = content.get(name)
    return value.get("value") if isinstance(value, dict) else value


def is_openreview_note(item: object) -> bool:
    return isinstance(item, dict) and isinstance(item.get("content"), dict) and (
        "forum" in item or "invitations" in item or "invitation" in item
    )


def _year(note: dict, content: dict) -> int | None:
    bibtex = _field(content, "_bibtex")
    if isinstance(bibtex, str) and (match := re.search(r"year\s*=\s*[{\"]?(\d{4})", bibtex)):
        return clean_year(match.group(1))
    for key in ("pdate", "odate", "cdate", "tcdate"):
        stamp = note.get(key)
        if isinstance(stamp, int | float) and stamp > 0:
            return datetime.fromtimestamp(stamp / 1000, tz=UTC).year
    return clean_year(_field(content, "venue"))


def parse_openreview(data: object) -> Parsed:
    """Read OpenReview notes JSON ({"notes": [...]} or a list of notes)."""
    notes = data.get("notes") if isinstance(data, dict) else data
    if not isinstance(notes, list) or not all(is_openreview_note(n) for n in notes):
        raise ImportFormatError(
            "This is not an OpenReview notes export (a list of notes with “content”)."
        )
    parsed = Parsed()
    for number, note in enumerate(notes, start=1):
        content = note["content"]
        title = clean_title(_field(content, "title"))
        where = f"Note {note.get('id') or number}"
        if not title:
            parsed.skip(where, "has no title")
            continue
        venue_id = str(_field(content, "venueid") or "")
        if _NOT_PUBLISHED.search(venue_id):
            parsed.skip(where, "is a withdrawn or desk-rejected submission")
            continue
        authors = _field(content, "authors")
        abstract = _field(content, "abstract")
        forum = note.get("forum") or note.get("id")
        venue = _field(content, "venue")
        parsed.works.append(
            Work(
                title=title,
                authors=clean_authors(authors if isinstance(authors, list) else []),
                year=_year(note, content),
                venue=clean_text(venue if isinstance(venue, str) else "", limit=300),
                abstract=" ".join(abstract.split()) if isinstance(abstract, str) else "",
                doi=normalise_doi(_field(content, "doi")),
                url=f"https://openreview.net/forum?id={forum}" if forum else "",
                source="openreview",
                source_ids={"openreview": str(note.get("id") or forum)},
            )
        )
    return parsed
