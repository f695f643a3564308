"""Which format a file is in, from its name and its content, and the one entry point."""

from __future__ import annotations

import re

from reviews.importers.bibtex import parse_bibtex
from reviews.importers.dblp import parse_dblp_xml
from reviews.importers.jsonfile import load_json, parse_json_items
from reviews.importers.openreview import is_openreview_note, parse_openreview
from reviews.importers.orcid import parse_orcid_json, parse_orcid_xml
from reviews.importers.records import ImportFormatError, Parsed
from reviews.importers.ris import parse_ris
from reviews.importers.semantic_scholar import is_semantic_scholar, parse_semantic_scholar
from reviews.importers.tabular import parse_csv
from reviews.importers.xmltree import load_xml, local

FORMAT_LABELS = {
    "auto": "Find out from the file",
    "bibtex": "BibTeX (.bib), also from DBLP, Google Scholar, Zotero",
    "ris": "RIS (.ris)",
    "csv": "CSV with a header row",
    "json": "JSON (ours, or CSL-JSON as Zotero exports it)",
    "orcid": "ORCID works (JSON or XML)",
    "dblp": "DBLP person page (XML)",
    "openreview": "OpenReview notes (JSON)",
    "semantic_scholar": "Semantic Scholar author papers (JSON)",
}
FORMATS = tuple(FORMAT_LABELS)

_BIBTEX = re.compile(r"^\s*@\s*[a-zA-Z]+\s*[{(]", re.MULTILINE)
_RIS = re.compile(r"^\s*TY  - ", re.MULTILINE)
_EXTENSIONS = {"bib": "bibtex", "bibtex": "bibtex", "ris": "ris", "csv": "csv", "tsv": "csv"}
_NONE_OF_THEM = (
    "This file is none of the formats read here: BibTeX, RIS, CSV with a header row, JSON "
    "(ours or CSL-JSON), ORCID works, a DBLP person page, OpenReview notes or Semantic "
    "Scholar author papers."
)


def _json_format(data: object) -> str:
    if isinstance(data, dict) and (
        "group" in data or "bulk" in data or "activities-summary" in data
    ):
        return "orcid"
    if is_semantic_scholar(data):
        return "semantic_scholar"
    notes = data.get("notes") if isinstance(data, dict) else data
    if isinstance(notes, list) and notes and all(is_openreview_note(n) for n in notes):
        return "openreview"
    return "json"


def _xml_format(root) -> str:
    if local(root) == "dblpperson":
        return "dblp"
    if "orcid.org" in root.tag:
        return "orcid"
    raise ImportFormatError(
        "This XML is neither an ORCID record or works export nor a DBLP person page."
    )


def detect_format(content: str, *, filename: str = "") -> str:
    """Return the format of `content` (one of FORMATS but "auto"), or say it is none."""
    text = content.lstrip("\ufeff").lstrip()
    if not text:
        raise ImportFormatError("The file is empty.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if text[0] == "<":
        return _xml_format(load_xml(text))
    if text[0] in "[{" and extension not in {"bib", "bibtex", "ris", "csv", "tsv"}:
        return _json_format(load_json(text))
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    if _RIS.search(text[:5000]):
        return "ris"
    if _BIBTEX.search(text):
        return "bibtex"
    first = text.split("\n", 1)[0].lower()
    if ("," in first or "\t" in first or ";" in first) and "title" in first:
        return "csv"
    raise ImportFormatError(_NONE_OF_THEM)


def parse(content: str, *, fmt: str = "auto", filename: str = "") -> Parsed:
    """Read `content` as `fmt` ("auto": find out), into Work records."""
    if fmt not in FORMAT_LABELS:
        raise ImportFormatError(f"Choose one of: {', '.join(FORMATS)}.")
    if fmt == "auto":
        fmt = detect_format(content, filename=filename)
    text = content.lstrip("\ufeff")
    if fmt == "bibtex":
        return parse_bibtex(text)
    if fmt == "ris":
        return parse_ris(text)
    if fmt == "csv":
        return parse_csv(text)
    if fmt == "dblp":
        if not text.lstrip().startswith("<"):
            return parse_bibtex(text, source="dblp")
        return parse_dblp_xml(text)
    if fmt == "orcid" and text.lstrip().startswith("<"):
        return parse_orcid_xml(text)
    data = load_json(text)
    readers = {
        "json": parse_json_items,
        "orcid": parse_orcid_json,
        "openreview": parse_openreview,
        "semantic_scholar": parse_semantic_scholar,
    }
    return readers[fmt](data)


__all__ = ["FORMATS", "FORMAT_LABELS", "Parsed", "detect_format", "parse"]
