"""Add a reviewer's publications by hand or import them from BibTeX, CSV or JSON.

Publications feed the expertise model used for matching, so imports are forgiving about
format (missing years, odd fields) but strict about what makes a record: a title.
"""

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from journal.errors import DomainError
from journal.models import User
from reviews.models import Publication
from reviews.services.editor_conflicts import editor_conflicts_person_changed
from reviews.services.embeddings import embeddings_queue

MAX_IMPORT = 2000
FORMATS = ("bibtex", "csv", "json")


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def _clean(record: dict) -> dict | None:
    title = " ".join(str(record.get("title") or "").replace("{", "").replace("}", "").split())
    if not title:
        return None
    year = record.get("year")
    try:
        year = int(str(year).strip()[:4]) if year not in (None, "") else None
    except ValueError:
        year = None
    if year is not None and not 1900 <= year <= 2100:
        year = None
    coauthors = record.get("coauthors", record.get("authors", record.get("author"))) or []
    if isinstance(coauthors, str):
        separator = " and " if " and " in coauthors else ";"
        coauthors = coauthors.split(separator)
    elif not isinstance(coauthors, list | tuple):
        coauthors = []
    url = str(record.get("url") or "").strip()
    try:
        if url:
            URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        url = ""
    venue = record.get("venue_name", record.get("venue", record.get("journal", "")))
    venue = venue or record.get("booktitle", "")
    return {
        "title": title[:500],
        "year": year,
        "venue_name": " ".join(str(venue or "").replace("{", "").replace("}", "").split())[:300],
        "coauthors": [" ".join(str(c).split()) for c in coauthors if str(c).strip()][:100],
        "url": url[:200],
        "abstract": str(record.get("abstract") or "").strip(),
    }


def publication_add(
    *,
    user: User,
    title: str,
    year: int | None = None,
    venue_name: str = "",
    coauthors: Iterable[str] = (),
    url: str = "",
    abstract: str = "",
) -> Publication:
    """Add one publication to `user`'s list; refuse a title they already listed."""
    record = _clean(
        {
            "title": title,
            "year": year,
            "venue_name": venue_name,
            "coauthors": list(coauthors),
            "url": url,
            "abstract": abstract,
        }
    )
    if record is None:
        raise DomainError("Give the publication's title.", field="title")
    if user.publications.filter(title__iexact=record["title"]).exists():
        raise DomainError("This publication is already on your list.", field="title")
    with transaction.atomic():
        publication = Publication.objects.create(user=user, **record)
        editor_conflicts_person_changed(user=user)
    embeddings_queue(kind="publication", ids=[publication.pk])
    return publication


def publication_delete(*, user: User, publication_id: int) -> None:
    """Remove one of `user`'s own publications (someone else's is never found)."""
    with transaction.atomic():
        deleted, _ = user.publications.filter(pk=publication_id).delete()
        if not deleted:
            raise DomainError("No such publication on your list.")
        editor_conflicts_person_changed(user=user)


def publications_import(*, user: User, content: str, fmt: str) -> ImportResult:
    """Parse `content` in `fmt` (bibtex, csv or json) and add the new publications."""
    parsers = {"bibtex": parse_bibtex, "csv": parse_csv, "json": parse_json}
    if fmt not in parsers:
        raise DomainError(f"Choose one of: {', '.join(FORMATS)}.", field="format")
    records = parsers[fmt](content)
    if len(records) > MAX_IMPORT:
        raise DomainError(f"Import at most {MAX_IMPORT} publications at once.")
    result = ImportResult()
    with transaction.atomic():
        known = {t.lower() for t in user.publications.values_list("title", flat=True)}
        rows = []
        for number, record in enumerate(records, start=1):
            cleaned = _clean(record) if isinstance(record, dict) else None
            if cleaned is None:
                result.problems.append(f"Entry {number} has no title; it was left out.")
                result.skipped += 1
                continue
            if cleaned["title"].lower() in known:
                result.skipped += 1
                continue
            known.add(cleaned["title"].lower())
            rows.append(Publication(user=user, **cleaned))
        Publication.objects.bulk_create(rows)
        result.created = len(rows)
        if rows:
            editor_conflicts_person_changed(user=user)
        embeddings_queue(kind="publication", ids=[row.pk for row in rows])
    return result


def parse_json(content: str) -> list[dict]:
    """Read a JSON list of objects (or {"publications": [...]})."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise DomainError(f"This is not valid JSON (line {exc.lineno}).", field="file") from None
    if isinstance(data, dict):
        data = data.get("publications", data.get("items"))
    if not isinstance(data, list):
        raise DomainError("The JSON must be a list of publications.", field="file")
    return data


def parse_csv(content: str) -> list[dict]:
    """Read CSV with a header row naming at least a `title` column."""
    text = content.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.DictReader(io.StringIO(text), restval="")
    try:
        headers = [h.strip().lower() for h in reader.fieldnames or []]
        if "title" not in headers:
            raise DomainError("The CSV needs a header row with a “title” column.", field="file")
        reader.fieldnames = headers
        # Cells beyond the header row (key None) are ignored.
        return [{k: v for k, v in row.items() if k is not None} for row in reader]
    except csv.Error as exc:
        raise DomainError(
            f"The CSV could not be read (line {reader.line_num}): {exc}.", field="file"
        ) from None


_ENTRY = re.compile(r"@\s*(\w+)\s*[{(]", re.IGNORECASE)
_FIELD = re.compile(r"\s*,?\s*([\w-]+)\s*=\s*", re.IGNORECASE)


def _read_value(text: str, pos: int) -> tuple[str, int]:
    """Read one BibTeX value (braced, quoted or bare, joined with #) starting at `pos`."""
    parts = []
    while pos < len(text):
        char = text[pos]
        if char == "{":
            depth, start = 0, pos
            while pos < len(text):
                if text[pos] == "{":
                    depth += 1
                elif text[pos] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                pos += 1
            parts.append(text[start + 1 : pos])
            pos += 1
        elif char == '"':
            end = pos + 1
            depth = 0
            while end < len(text) and not (text[end] == '"' and depth == 0):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            match = re.match(r"[^,#}\s)]+", text[pos:])
            parts.append(match.group(0) if match else "")
            pos += len(match.group(0)) if match else 1
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos < len(text) and text[pos] == "#":
            pos += 1
            while pos < len(text) and text[pos].isspace():
                pos += 1
            continue
        break
    return "".join(parts), pos


def parse_bibtex(content: str) -> list[dict]:
    """Read the entries of a BibTeX file into dicts of lower-case field names.

    @string, @preamble and @comment blocks are skipped; LaTeX accents are left as written.
    """
    records = []
    for match in _ENTRY.finditer(content):
        kind = match.group(1).lower()
        if kind in {"string", "preamble", "comment"}:
            continue
        pos = match.end()
        comma = content.find(",", pos)
        if comma < 0:
            break
        pos = comma + 1
        record: dict[str, str] = {}
        while pos < len(content):
            field_match = _FIELD.match(content, pos)
            if not field_match:
                break
            value, pos = _read_value(content, field_match.end())
            record[field_match.group(1).lower()] = " ".join(value.split())
        if record:
            records.append(record)
    if not records and content.strip():
        raise DomainError("No BibTeX entries (@article{...}) were found.", field="file")
    return records
