"""DBLP's person page as XML (https://dblp.org/pid/<pid>.xml); DBLP's BibTeX is BibTeX.

DBLP tells apart people of one name with a number ("Jörg Müller 0001"), which is left out
of the author names; titles end with a full stop, which is left out too.
"""

from __future__ import annotations

import re
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
from reviews.importers.xmltree import children, load_xml, local, text_of

_HOMONYM = re.compile(r"\s+\d{4}$")
_PUBLICATIONS = {"article", "inproceedings", "proceedings", "book", "incollection",
                 "phdthesis", "mastersthesis", "www", "data"}


def _work(entry: Element) -> Work | None:
    title = clean_title(text_of(next(children(entry, "title"), None)))
    if not title:
        return None
    authors = [_HOMONYM.sub("", text_of(a)) for a in children(entry, "author")]
    if not authors:
        authors = [_HOMONYM.sub("", text_of(a)) for a in children(entry, "editor")]
    links = [text_of(e) for e in children(entry, "ee")]
    doi = next((normalise_doi(link) for link in links if "doi.org/" in link), "")
    url = next((clean_url(link) for link in links if clean_url(link)), "")
    venue = text_of(next(children(entry, "journal"), None)) or text_of(
        next(children(entry, "booktitle"), None)
    )
    ids = {"dblp": entry.get("key")} if entry.get("key") else {}
    return Work(
        title=title,
        authors=clean_authors(authors),
        year=clean_year(text_of(next(children(entry, "year"), None))),
        venue=clean_text(venue, limit=300),
        doi=doi,
        url=url or (f"https://doi.org/{doi}" if doi else ""),
        source="dblp",
        source_ids=ids,
    )


def parse_dblp_xml(content: str | Element) -> Parsed:
    """Read the publications (<r> records) of a DBLP person XML page."""
    root = load_xml(content) if isinstance(content, str) else content
    if local(root) != "dblpperson":
        raise ImportFormatError("This XML is not a DBLP person page (<dblpperson>).")
    parsed = Parsed()
    for number, record in enumerate(children(root, "r"), start=1):
        entry = next((e for e in record if local(e) in _PUBLICATIONS), None)
        work = _work(entry) if entry is not None else None
        if work is None:
            parsed.skip(f"Record {number}", "has no title")
        else:
            parsed.works.append(work)
    return parsed
