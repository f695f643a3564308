"""Readers of the publication lists people already have, into one record shape.

Pure text-in, records-out code (no Django): `parse(content, fmt=...)` reads BibTeX (DBLP's
too), RIS, CSV, JSON (ours and CSL-JSON), ORCID works (JSON and XML), DBLP person XML,
OpenReview notes and Semantic Scholar author papers, each into `Work` records; a file that
is none of them, or is broken, raises `ImportFormatError` with a message for the person
(and the line, where one is known). `reviews.services.publications` stores the records.
"""

from reviews.importers.detect import FORMAT_LABELS, FORMATS, detect_format, parse
from reviews.importers.records import ImportFormatError, Parsed, Work, normalise_doi

__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "ImportFormatError",
    "Parsed",
    "Work",
    "detect_format",
    "normalise_doi",
    "parse",
]
