"""BibTeX, as Google Scholar, Zotero, JabRef and DBLP export it.

bibtexparser splits the file into blocks and names into their parts ("von Last, Jr., First",
"First von Last", braces protecting "{Barnes and Noble}"); string macros and "#"
concatenation are resolved here, and LaTeX accents ({\\"o}, \\'{e}, \\c{c}) decoded by
pylatexenc. @comment, @preamble and @string blocks are not publications.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry

from reviews.importers.records import (
    ImportFormatError,
    Parsed,
    Work,
    clean_authors,
    clean_text,
    clean_title,
    clean_url,
    clean_year,
    latex_to_text,
    normalise_doi,
)

_MONTHS = {
    m: str(i)
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_HOMONYM = re.compile(r"\s+\d{4}$")
_VENUE_FIELDS = ("journal", "booktitle", "journaltitle", "series", "howpublished", "school")


def _split_concatenation(value: str) -> list[str]:
    """Split a raw field value on the "#" that join its pieces (not inside braces/quotes)."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return [p.strip() for p in parts]


def _resolve(value: object, macros: dict[str, str]) -> str:
    """Return a raw field value with its macros resolved and its enclosing removed."""
    if not isinstance(value, str):
        return str(value)
    pieces = []
    for piece in _split_concatenation(value):
        if len(piece) >= 2 and (piece[0], piece[-1]) in {("{", "}"), ('"', '"')}:
            pieces.append(piece[1:-1])
        else:
            key = piece.lower()
            pieces.append(macros.get(key, _MONTHS.get(key, piece)))
    return "".join(pieces)


def _person(name: str) -> str:
    """Return one BibTeX name as "First von Last Jr." in plain text."""
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except Exception:  # an odd name is kept as written
        return clean_text(latex_to_text(name))
    words = [*parts.first, *parts.von, *parts.last, *parts.jr]
    # DBLP tells apart people of one name with a number ("Wei Zhang 0003").
    return _HOMONYM.sub("", clean_text(latex_to_text(" ".join(words))))


def _authors(value: str) -> list[str]:
    if not value.strip():
        return []
    return clean_authors([_person(n) for n in split_multiple_persons_names(value)])


def _work(entry: Entry, macros: dict[str, str], source: str) -> Work | str:
    fields = {f.key.lower(): _resolve(f.value, macros) for f in entry.fields}
    title = clean_title(latex_to_text(fields.get("title", "")))
    if not title:
        return "has no title"
    url = clean_url(fields.get("url", "").replace("\\_", "_").replace("\\%", "%"))
    doi = normalise_doi(fields.get("doi")) or (normalise_doi(url) if "doi.org/" in url else "")
    source_ids = {"bibtex_key": entry.key} if entry.key else {}
    if entry.key.startswith("DBLP:"):
        source, source_ids = "dblp", {"dblp": entry.key.removeprefix("DBLP:")}
    archive = fields.get("archiveprefix", fields.get("eprinttype", "")).lower()
    if fields.get("eprint") and archive == "arxiv":
        source_ids["arxiv"] = fields["eprint"].strip()
    venue = next((fields[f] for f in _VENUE_FIELDS if fields.get(f, "").strip()), "")
    return Work(
        title=title,
        authors=_authors(fields.get("author", "")) or _authors(fields.get("editor", "")),
        year=clean_year(fields.get("year") or fields.get("date")),
        venue=clean_text(latex_to_text(venue), limit=300),
        abstract=" ".join(latex_to_text(fields.get("abstract", "")).split()),
        doi=doi,
        url=url or (f"https://doi.org/{doi}" if doi else ""),
        source=source,
        source_ids=source_ids,
        line=(entry.start_line or 0) + 1,
    )


_ERROR_LINE = re.compile(r"line (\d+)")


def parse_bibtex(content: str, *, source: str = "bibtex") -> Parsed:
    """Read the entries of a BibTeX file."""
    library = bibtexparser.parse_string(content, parse_stack=[])
    macros = {s.key.lower(): _resolve(s.value, {}) for s in library.strings}
    parsed = Parsed()
    for entry in library.entries:
        work = _work(entry, macros, source)
        if isinstance(work, str):
            parsed.skip(f"Entry {entry.key or '?'} (line {(entry.start_line or 0) + 1})", work)
        else:
            parsed.works.append(work)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        parsed.problems.append(
            f"The entry starting on line {line} is not valid BibTeX (an unclosed brace or "
            "quote, or a missing comma); it was left out."
        )
    if not library.entries:
        if library.failed_blocks:
            line = (library.failed_blocks[0].start_line or 0) + 1
            raise ImportFormatError(
                "This BibTeX file could not be read: the entry starting here has an unclosed "
                "brace or quote, or a missing comma",
                line=line,
            )
        raise ImportFormatError("No BibTeX entries (like @article{key, title = {...}}) were found.")
    return parsed
