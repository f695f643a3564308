"""JSON lists: ours ({"publications": [...]}) and CSL-JSON, as Zotero and Crossref give it."""

from __future__ import annotations

import json

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
from reviews.importers.tabular import split_names


def load_json(content: str) -> object:
    """Return the parsed JSON, or say on which line it is broken."""
    try:
        return json.loads(content.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"This is not valid JSON: {exc.msg.lower()}", line=exc.lineno
        ) from None
    except RecursionError:
        raise ImportFormatError("This JSON is nested too deeply to read.") from None


def _csl_name(person: object) -> str:
    if not isinstance(person, dict):
        return str(person or "")
    if person.get("literal"):
        return str(person["literal"])
    given = str(person.get("given") or "")
    family = " ".join(
        str(person.get(k) or "") for k in ("non-dropping-particle", "family") if person.get(k)
    )
    return f"{family}, {given}" if given and family else family or given


def _csl_year(item: dict) -> int | None:
    for key in ("issued", "published-print", "published-online", "created"):
        date = item.get(key)
        if isinstance(date, dict):
            parts = date.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                return clean_year(parts[0][0])
            if date.get("raw") or date.get("literal"):
                return clean_year(date.get("raw") or date.get("literal"))
    return clean_year(item.get("year"))


def _text(value: object) -> str:
    """Return a string field, or the first of a list (Crossref gives titles as lists)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value) if isinstance(value, str | int | float) else ""


def _is_csl(item: dict) -> bool:
    authors = item.get("author")
    return "issued" in item or "container-title" in item or (
        isinstance(authors, list) and any(isinstance(a, dict) for a in authors)
    )


def work_from_item(item: dict) -> Work | str:
    """Return the Work of one JSON object (ours or CSL), or why it has none."""
    title = clean_title(_text(item.get("title")))
    if not title:
        return "has no title"
    if _is_csl(item):
        authors = [_csl_name(p) for p in item.get("author") or [] if p]
        year = _csl_year(item)
        venue = _text(item.get("container-title")) or _text(item.get("event-title"))
        doi = normalise_doi(item.get("DOI") or item.get("doi"))
        url = clean_url(item.get("URL") or item.get("url"))
        ids = {"csl_id": str(item["id"])} if item.get("id") else {}
        source = "csl_json"
    else:
        names = item.get("coauthors", item.get("authors", item.get("author"))) or []
        if isinstance(names, str):
            names = split_names(names)
        authors = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
        year = clean_year(item.get("year"))
        venue = _text(item.get("venue_name") or item.get("venue") or item.get("journal")
                      or item.get("booktitle"))
        doi = normalise_doi(item.get("doi"))
        url = clean_url(item.get("url"))
        ids, source = {}, "json"
    abstract = item.get("abstract")
    return Work(
        title=title,
        authors=clean_authors(authors),
        year=year,
        venue=clean_text(venue, limit=300),
        abstract=" ".join(abstract.split()) if isinstance(abstract, str) else "",
        doi=doi,
        url=url or (f"https://doi.org/{doi}" if doi else ""),
        source=source,
        source_ids=ids,
    )


def parse_json_items(data: object) -> Parsed:
    """Read a list of publication objects (or {"publications"/"items": [...]})."""
    if isinstance(data, dict) and isinstance(data.get("message"), dict):
        data = data["message"]  # Crossref's works list
    if isinstance(data, dict):
        data = data.get("publications", data.get("items"))
    if not isinstance(data, list):
        raise ImportFormatError(
            "The JSON must be a list of publications (or {\"publications\": [...]})."
        )
    parsed = Parsed()
    for number, item in enumerate(data, start=1):
        work = work_from_item(item) if isinstance(item, dict) else "is not an object"
        if isinstance(work, str):
            parsed.skip(f"Entry {number}", work)
        else:
            parsed.works.append(work)
    return parsed


def parse_json(content: str) -> Parsed:
    """Read our JSON list or CSL-JSON."""
    return parse_json_items(load_json(content))
