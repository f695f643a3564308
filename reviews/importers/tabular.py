"""CSV (or tab-separated) lists with a header row: ours, Google Scholar's, Zotero's, Scopus's.

Header names are matched loosely (case, spaces, punctuation), so "Title", "Article Title"
and "title" are one column; the delimiter (comma, semicolon, tab) is found from the header.
"""

from __future__ import annotations

import csv
import io
import re

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

_COLUMNS = {
    "title": ("title", "articletitle", "documenttitle", "papertitle", "ti"),
    "authors": ("coauthors", "authors", "author", "authorfullnames", "creators", "au"),
    "year": ("year", "publicationyear", "pubyear", "date", "py", "published"),
    "venue": ("venue", "publication", "publicationtitle", "sourcetitle", "journal",
              "booktitle", "conference", "so", "venuename", "publishedin"),
    "doi": ("doi", "di"),
    "url": ("url", "link", "href"),
    "abstract": ("abstract", "abstractnote", "ab"),
}


def _column_key(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.lower())


def split_names(text: str) -> list[str]:
    """Split an author cell: "A; B", "A and B", "I Rao, J Müller" or "Rao, I., Müller, J."."""
    text = text.strip()
    if not text:
        return []
    if ";" in text:
        return [p.strip() for p in text.split(";")]
    if " and " in text:
        return [p.strip() for p in text.split(" and ")]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    families = parts[::2]
    if len(parts) % 2 == 0 and all(len(f.split()) == 1 or f[0].islower() for f in families):
        # "Rao, Ishita K., van der Berg, Anna": family and given names in turn.
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    return parts


def parse_csv(content: str) -> Parsed:
    """Read CSV with a header row naming at least a title column."""
    text = content.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, [])
        columns: dict[str, int] = {}
        for position, name in enumerate(header):
            key = _column_key(name)
            for column, names in _COLUMNS.items():
                if key in names and column not in columns:
                    columns[column] = position
        if "title" not in columns:
            raise ImportFormatError(
                "The CSV needs a header row with a “title” column (also read: Title, "
                "Article Title, Document Title)",
                line=1,
            )
        parsed = Parsed()
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue

            def cell(column: str, row=row) -> str:
                position = columns.get(column)
                return row[position] if position is not None and position < len(row) else ""

            title = clean_title(cell("title"))
            if not title:
                parsed.skip(f"Row on line {line}", "has no title")
                continue
            doi = normalise_doi(cell("doi"))
            url = clean_url(cell("url"))
            parsed.works.append(
                Work(
                    title=title,
                    authors=clean_authors(split_names(cell("authors"))),
                    year=clean_year(cell("year")),
                    venue=clean_text(cell("venue"), limit=300),
                    abstract=" ".join(cell("abstract").split()),
                    doi=doi,
                    url=url or (f"https://doi.org/{doi}" if doi else ""),
                    source="csv",
                    line=line,
                )
            )
    except csv.Error as exc:
        raise ImportFormatError(f"The CSV could not be read: {exc}", line=reader.line_num) from None
    return parsed
