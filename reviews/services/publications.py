"""Add a reviewer's publications by hand, or import them from the files people have.

Publications feed the expertise model used for matching and the co-author conflicts, so
imports are forgiving about format (missing years, odd fields, LaTeX accents) but strict
about what makes a record: a title. `reviews.importers` reads the files; this module
stores what they read, de-duplicated against the person's list: the same DOI, else the same
title (folded) within a year, is one publication, and a second import fills in what the
first lacked (an abstract, a DOI, the co-authors) instead of adding it twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from journal.errors import DomainError
from journal.limits import PUBLICATION_IMPORT_MAX_BYTES, PUBLICATION_IMPORT_MAX_RECORDS
from journal.models import User
from reviews.enums import PublicationSource
from reviews.importers import FORMATS, ImportFormatError, Work, normalise_doi, parse
from reviews.importers.records import clean_authors, clean_text, clean_title, clean_url
from reviews.models import Publication
from reviews.selectors.conflict_keys import title_key
from reviews.services.editor_conflicts import editor_conflicts_person_changed
from reviews.services.embeddings import embeddings_queue

__all__ = [
    "FORMATS",
    "ImportResult",
    "publication_add",
    "publication_delete",
    "publications_import",
    "publications_store",
]

#: Years apart two records of one title may be and still be one publication (a preprint
#: and its proceedings version).
YEAR_TOLERANCE = 1
#: Notes about duplicates kept in a result (the counts are always complete).
MAX_NOTES = 50
_FILLED = ("abstract", "year", "venue_name", "doi", "url", "coauthors")


@dataclass
class ImportResult:
    """What an import did: counts, and a sentence for each row left out or merged."""

    format: str = ""
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Imported {self.created} new publication(s); {self.updated} already listed were "
            f"completed, {self.duplicates} were duplicates, {self.skipped} could not be read."
        )


def _source(work: Work, fallback: str) -> str:
    values = set(PublicationSource.values)
    return work.source if work.source in values else (fallback if fallback in values else "")


def _same_doi_family(a: str, b: str) -> bool:
    """Return whether two DOIs could name one work (equal, or one is an arXiv DOI)."""
    return not a or not b or a == b or "arxiv" in a or "arxiv" in b


def _find(
    work: Work,
    *,
    by_doi: dict[str, Publication],
    by_title: dict[str, list[Publication]],
    by_exact: dict[str, Publication],
) -> tuple[Publication | None, str]:
    if work.doi and (found := by_doi.get(work.doi)):
        return found, "the same DOI"
    for candidate in by_title.get(title_key(work.title), ()):
        near = candidate.year is None or work.year is None or (
            abs(candidate.year - work.year) <= YEAR_TOLERANCE
        )
        if near and _same_doi_family(candidate.doi, work.doi):
            return candidate, "the same title and year"
    if found := by_exact.get(work.title):
        return found, "the same title"
    return None, ""


def _fill(publication: Publication, work: Work) -> tuple[bool, bool]:
    """Fill the fields `publication` lacks from `work` and merge its ids.

    Return (whether a field a person reads was filled, whether the ids grew).
    """
    incoming = {
        "abstract": work.abstract,
        "year": work.year,
        "venue_name": work.venue,
        "doi": work.doi,
        "url": work.url,
        "coauthors": work.authors,
    }
    filled = False
    for name in _FILLED:
        if incoming[name] and not getattr(publication, name):
            setattr(publication, name, incoming[name])
            filled = True
    merged = {**work.source_ids, **(publication.source_ids or {})}
    grew = merged != (publication.source_ids or {})
    publication.source_ids = merged
    return filled, grew


def publications_store(*, user: User, works: Iterable[Work], source: str = "") -> ImportResult:
    """Add `works` to `user`'s list, merging those already on it; one transaction."""
    result = ImportResult(format=source)
    with transaction.atomic():
        existing = list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        if not existing:
            raise DomainError("This account no longer exists.")
        known = list(user.publications.all())
        by_doi = {p.doi: p for p in known if p.doi}
        by_title: dict[str, list[Publication]] = defaultdict(list)
        for publication in known:
            by_title[title_key(publication.title)].append(publication)
        by_exact = {p.title: p for p in known}
        new: list[Publication] = []
        changed: dict[int, Publication] = {}
        completed: set[int] = set()
        for work in works:
            match, why = _find(work, by_doi=by_doi, by_title=by_title, by_exact=by_exact)
            if match is None:
                match = Publication(
                    user=user,
                    title=work.title,
                    abstract=work.abstract,
                    year=work.year,
                    venue_name=work.venue,
                    coauthors=work.authors,
                    url=work.url,
                    doi=work.doi,
                    source=_source(work, source) or PublicationSource.MANUAL,
                    source_ids=work.source_ids,
                )
                new.append(match)
                by_title[title_key(work.title)].append(match)
                by_exact[work.title] = match
            else:
                filled, grew = _fill(match, work)
                if match.pk is not None and (filled or grew):
                    changed[match.pk] = match
                if filled and match.pk is not None and match.pk not in completed:
                    completed.add(match.pk)
                else:
                    result.duplicates += 1
                    if len(result.notes) < MAX_NOTES:
                        result.notes.append(
                            f"“{work.title}” is already listed as “{match.title}” ({why})."
                        )
            if match.doi:
                by_doi.setdefault(match.doi, match)
        Publication.objects.bulk_create(new)
        if changed:
            Publication.objects.bulk_update(list(changed.values()), [*_FILLED, "source_ids"])
        result.created = len(new)
        result.updated = len(completed)
        if new or changed:
            editor_conflicts_person_changed(user=user)
        embeddings_queue(kind="publication", ids=[p.pk for p in new] + list(changed))
    return result


def publications_import(
    *, user: User, content: str, fmt: str = "auto", filename: str = ""
) -> ImportResult:
    """Read `content` (in `fmt`, or found out from it and `filename`) and store it."""
    if fmt not in FORMATS:
        raise DomainError(f"Choose one of: {', '.join(FORMATS)}.", field="format")
    size = len(content.encode("utf-8", errors="replace"))
    if size > PUBLICATION_IMPORT_MAX_BYTES:
        raise DomainError(
            f"Import files may be at most {PUBLICATION_IMPORT_MAX_BYTES // (1024 * 1024)} MB; "
            f"this one has {size / (1024 * 1024):.1f} MB.",
            field="file",
        )
    try:
        parsed = parse(content, fmt=fmt, filename=filename)
    except ImportFormatError as exc:
        raise DomainError(exc.message, field="file") from None
    if len(parsed.works) > PUBLICATION_IMPORT_MAX_RECORDS:
        raise DomainError(
            f"Import at most {PUBLICATION_IMPORT_MAX_RECORDS:,} publications at once; this "
            f"file has {len(parsed.works):,}.",
            field="file",
        )
    source = parsed.works[0].source if parsed.works else fmt
    result = publications_store(user=user, works=parsed.works, source=source)
    result.format = source
    result.skipped = len(parsed.problems)
    result.problems = parsed.problems
    return result


def publication_add(
    *,
    user: User,
    title: str,
    year: int | None = None,
    venue_name: str = "",
    coauthors: Iterable[str] = (),
    url: str = "",
    abstract: str = "",
    doi: str = "",
) -> Publication:
    """Add one publication to `user`'s list; refuse one they already listed."""
    cleaned_title = clean_title(title)
    if not cleaned_title:
        raise DomainError("Give the publication's title.", field="title")
    clean_doi = normalise_doi(doi)
    if doi.strip() and not clean_doi:
        raise DomainError("A DOI starts with 10. (e.g. 10.1145/3292500.3330701).", field="doi")
    if clean_doi and user.publications.filter(doi=clean_doi).exists():
        raise DomainError("A publication with this DOI is already on your list.", field="doi")
    key = title_key(cleaned_title)
    if any(title_key(t) == key for t in user.publications.values_list("title", flat=True)):
        raise DomainError("This publication is already on your list.", field="title")
    with transaction.atomic():
        publication = Publication.objects.create(
            user=user,
            title=cleaned_title,
            year=year if year is None or 1900 <= year <= 2100 else None,
            venue_name=clean_text(venue_name, limit=300),
            coauthors=clean_authors(list(coauthors)),
            url=clean_url(url),
            abstract=(abstract or "").strip(),
            doi=clean_doi,
            source=PublicationSource.MANUAL,
        )
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
