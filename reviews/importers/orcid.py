"""ORCID works: the public API v3.0 `/works` JSON (or `/record`, or a works bulk read), and
the record or works XML.

Work summaries carry a title, a date, a journal title and external ids (the DOI), not the
contributors; full works (bulk reads) add them and a short description. When several sources
hold one work (a group), the first summary is read and the group's DOI kept.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

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
from reviews.importers.xmltree import child, children, descendants, load_xml, local, text_of


def _value(node: object, *path: str) -> str:
    """Return node[path...]["value"] (ORCID wraps each string in {"value": ...})."""
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node = node.get("value")
    return str(node) if isinstance(node, str | int) else ""


def _external_ids(ids: list[tuple[str, str, str]]) -> tuple[str, dict[str, str]]:
    """Return (DOI, other ids) from (type, value, relationship) triples, own ids first."""
    doi, found = "", {}
    for kind, value, relationship in sorted(ids, key=lambda t: t[2] != "self"):
        kind = kind.lower()
        if kind == "doi" and not doi and relationship != "part-of":
            doi = normalise_doi(value)
        elif kind in {"arxiv", "pmid", "eid", "isbn", "wosuid", "dblp"} and value:
            found.setdefault(kind, value.strip())
    return doi, found


def _json_work(work: dict) -> Work | None:
    title = clean_title(_value(work, "title", "title"))
    if not title:
        return None
    raw_ids = (work.get("external-ids") or {}).get("external-id") or []
    doi, ids = _external_ids(
        [
            (str(i.get("external-id-type") or ""), _value(i, "external-id-value")
             or str(i.get("external-id-value") or ""), str(i.get("external-id-relationship")
             or ""))
            for i in raw_ids if isinstance(i, dict)
        ]
    )
    if work.get("put-code"):
        ids["orcid_put_code"] = str(work["put-code"])
    contributors = (work.get("contributors") or {}).get("contributor") or []
    authors = [_value(c, "credit-name") for c in contributors if isinstance(c, dict)]
    url = clean_url(_value(work, "url"))
    return Work(
        title=title,
        authors=clean_authors(authors),
        year=clean_year(_value(work, "publication-date", "year")),
        venue=clean_text(_value(work, "journal-title"), limit=300),
        abstract=" ".join(str(work.get("short-description") or "").split()),
        doi=doi,
        url=url or (f"https://doi.org/{doi}" if doi else ""),
        source="orcid",
        source_ids=ids,
    )


def parse_orcid_json(data: object) -> Parsed:
    """Read ORCID works JSON (already parsed)."""
    if isinstance(data, dict) and "activities-summary" in data:
        data = (data.get("activities-summary") or {}).get("works") or {}
    works: list[dict] = []
    if isinstance(data, dict) and isinstance(data.get("group"), list):
        for group in data["group"]:
            summaries = group.get("work-summary") if isinstance(group, dict) else None
            if isinstance(summaries, list) and summaries:
                first = dict(summaries[0])
                if not (first.get("external-ids") or {}).get("external-id"):
                    first["external-ids"] = group.get("external-ids") or {}
                works.append(first)
    elif isinstance(data, dict) and isinstance(data.get("bulk"), list):
        works = [b.get("work") for b in data["bulk"] if isinstance(b, dict) and b.get("work")]
    else:
        raise ImportFormatError(
            "This is not an ORCID works export (no “group” of work summaries was found)."
        )
    parsed = Parsed()
    for number, work in enumerate(works, start=1):
        record = _json_work(work) if isinstance(work, dict) else None
        if record is None:
            parsed.skip(f"Work {number}", "has no title")
        else:
            parsed.works.append(record)
    return parsed


def _xml_work(work: Element) -> Work | None:
    title = clean_title(text_of(child(work, "title", "title")))
    if not title:
        return None
    triples = [
        (
            text_of(child(e, "external-id-type")),
            text_of(child(e, "external-id-value")),
            text_of(child(e, "external-id-relationship")),
        )
        for e in descendants(work, "external-id")
    ]
    doi, ids = _external_ids(triples)
    if work.get("put-code"):
        ids["orcid_put_code"] = work.get("put-code")
    authors = [text_of(child(c, "credit-name")) for c in descendants(work, "contributor")]
    url = clean_url(text_of(child(work, "url")))
    return Work(
        title=title,
        authors=clean_authors(authors),
        year=clean_year(text_of(child(work, "publication-date", "year"))),
        venue=clean_text(text_of(child(work, "journal-title")), limit=300),
        abstract=text_of(child(work, "short-description")),
        doi=doi,
        url=url or (f"https://doi.org/{doi}" if doi else ""),
        source="orcid",
        source_ids=ids,
    )


def parse_orcid_xml(content: str | Element) -> Parsed:
    """Read an ORCID record or works XML document."""
    root = load_xml(content) if isinstance(content, str) else content
    works: list[Element] = []
    for group in descendants(root, "group"):
        summaries = list(children(group, "work-summary"))
        if summaries:
            works.append(summaries[0])
    if not works:
        works = [e for e in root.iter() if local(e) in {"work", "work-summary"}]
    if not works and local(root) not in {"record", "works", "activities-summary"}:
        raise ImportFormatError("This XML is not an ORCID record or works export.")
    parsed = Parsed()
    for number, work in enumerate(works, start=1):
        record = _xml_work(work)
        if record is None:
            parsed.skip(f"Work {number}", "has no title")
        else:
            parsed.works.append(record)
    return parsed
