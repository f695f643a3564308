"""Semantic Scholar author papers: the Graph API `/author/{id}/papers` JSON ({"data": [...]}),
or `/author/{id}?fields=papers...` ({"authorId": ..., "papers": [...]})."""

from __future__ import annotations

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


def is_semantic_scholar(data: object) -> bool:
    papers = None
    if isinstance(data, dict):
        papers = data.get("data") if "data" in data else data.get("papers")
    return isinstance(papers, list) and all(
        isinstance(p, dict) and ("paperId" in p or "externalIds" in p) for p in papers
    )


def parse_semantic_scholar(data: object) -> Parsed:
    """Read Semantic Scholar author papers JSON (already parsed)."""
    if not is_semantic_scholar(data):
        raise ImportFormatError(
            "This is not a Semantic Scholar author export (“data” or “papers” with paperId)."
        )
    papers = data.get("data") if "data" in data else data.get("papers")
    parsed = Parsed()
    for number, paper in enumerate(papers, start=1):
        title = clean_title(paper.get("title"))
        if not title:
            parsed.skip(f"Paper {paper.get('paperId') or number}", "has no title")
            continue
        external = paper.get("externalIds") or {}
        doi = normalise_doi(external.get("DOI"))
        ids = {"semantic_scholar": str(paper["paperId"])} if paper.get("paperId") else {}
        for key, name in (("ArXiv", "arxiv"), ("DBLP", "dblp"), ("CorpusId", "s2_corpus")):
            if external.get(key):
                ids[name] = str(external[key])
        venue = paper.get("venue") or (paper.get("publicationVenue") or {}).get("name") or (
            (paper.get("journal") or {}).get("name")
        )
        authors = [a.get("name") for a in paper.get("authors") or [] if isinstance(a, dict)]
        abstract = paper.get("abstract")
        parsed.works.append(
            Work(
                title=title,
                authors=clean_authors(authors),
                year=clean_year(paper.get("year") or paper.get("publicationDate")),
                venue=clean_text(venue if isinstance(venue, str) else "", limit=300),
                abstract=" ".join(abstract.split()) if isinstance(abstract, str) else "",
                doi=doi,
                url=clean_url(paper.get("url")) or (f"https://doi.org/{doi}" if doi else ""),
                source="semantic_scholar",
                source_ids=ids,
            )
        )
    return parsed
