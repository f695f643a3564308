"""Importing publication lists: every format stored, duplicates merged, limits held."""

from pathlib import Path

import pytest

from journal.errors import DomainError
from journal.limits import PUBLICATION_IMPORT_MAX_BYTES
from journal.services.submissions import AuthorInput, submission_create
from reviews.models import Publication
from reviews.selectors.conflicts import conflicts_for_pair
from reviews.services.publications import publication_add, publications_import
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parents[1] / "importers" / "files"


def upload(user, name: str, fmt: str = "auto"):
    path = FILES / name
    return publications_import(
        user=user, content=path.read_text(encoding="utf-8"), fmt=fmt, filename=path.name
    )


def test_bibtex_import_stores_doi_source_and_coauthors():
    user = UserFactory()
    result = upload(user, "bibtex/zotero.bib")
    assert (result.format, result.created, result.skipped) == ("bibtex", 2, 1)
    assert result.problems == [
        "Entry noauthor_untitled_2020 (line 35): has no title; it was left out."
    ]
    topics = user.publications.get(doi="10.18653/v1/2020.acl-main.99")
    assert topics.title == "Topic models of reviewer expertise"
    assert topics.coauthors == ["Anna van der Berg", "Siobhán O'Connor", "I. Rao"]
    assert topics.source == "bibtex" and topics.source_ids == {
        "bibtex_key": "van_der_berg_topic_2020"
    }


def test_a_second_source_completes_instead_of_duplicating():
    user = UserFactory()
    first = upload(user, "orcid_json/works_rao.json")
    assert (first.created, first.updated, first.duplicates) == (3, 0, 0)
    robust = user.publications.get(doi="10.5555/3666122.3666200")
    assert robust.coauthors == [] and robust.abstract == ""
    # DBLP: the same three papers, found by DOI or by title and year; the authors fill in.
    second = upload(user, "dblp_xml/rao.xml")
    assert (second.created, second.updated, second.duplicates) == (0, 3, 0)
    robust.refresh_from_db()
    assert robust.coauthors == ["Ishita Rao", "Jörg Müller", "Ana de la Fuente"]
    assert robust.source == "orcid"
    assert robust.source_ids == {"orcid_put_code": "141592653", "dblp": "conf/nips/RaoMF23"}
    # Semantic Scholar adds one abstract; nothing else is new.
    third = upload(user, "semantic_scholar/author_papers_rao.json")
    assert (third.created, third.updated, third.duplicates) == (0, 1, 2)
    robust.refresh_from_db()
    assert robust.abstract == "We assign reviewers when affinities are uncertain."
    assert user.publications.count() == 3
    again = upload(user, "semantic_scholar/author_papers_rao.json")
    assert (again.created, again.updated, again.duplicates) == (0, 0, 3)
    assert again.notes[0] == (
        "“Robust Reviewer Assignment under Bayesian Uncertainty” is already listed as "
        "“Robust Reviewer Assignment under Bayesian Uncertainty” (the same DOI)."
    )


def test_titles_match_folded_within_a_year_only():
    user = UserFactory()
    publication_add(user=user, title="Fair Allocation of Papers to Reviewers.", year=2020)
    near = publications_import(
        user=user, content="title,year\nfair allocation of papers to reviewers,2021\n", fmt="csv"
    )
    assert (near.created, near.duplicates) == (0, 1)
    assert "the same title and year" in near.notes[0]
    far = publications_import(
        user=user, content="title,year\nFair allocation of papers to reviewers,2015\n", fmt="csv"
    )
    assert far.created == 1
    assert user.publications.count() == 2


def test_one_file_with_the_same_paper_twice_stores_it_once():
    user = UserFactory()
    content = (
        "title,doi,year\n"
        "Graph embeddings,10.1007/ABC,2017\n"
        "Graph Embeddings (extended),https://doi.org/10.1007/abc,2018\n"
    )
    result = publications_import(user=user, content=content, fmt="csv")
    assert (result.created, result.duplicates) == (1, 1)
    assert user.publications.get().doi == "10.1007/abc"


def test_manual_add_refuses_a_known_doi_and_a_folded_title():
    user = UserFactory()
    publication_add(user=user, title="Sparse models", doi="https://doi.org/10.1145/X")
    with pytest.raises(DomainError, match="this DOI"):
        publication_add(user=user, title="Another title", doi="10.1145/x")
    with pytest.raises(DomainError, match="already on your list"):
        publication_add(user=user, title="SPARSE  models!")
    with pytest.raises(DomainError, match="A DOI starts with"):
        publication_add(user=user, title="Third", doi="doi please")
    assert list(user.publications.values_list("title", "doi")) == [("Sparse models", "10.1145/x")]


def test_refused_files_change_nothing():
    user = UserFactory()
    publication_add(user=user, title="Kept")
    too_big = "title\n" + "x" * PUBLICATION_IMPORT_MAX_BYTES
    with pytest.raises(DomainError, match="at most 2 MB") as caught:
        publications_import(user=user, content=too_big, fmt="csv")
    assert caught.value.field == "file"
    with pytest.raises(DomainError, match="none of the formats") as caught:
        publications_import(user=user, content="Dear editor", fmt="auto")
    with pytest.raises(DomainError, match="Choose one of") as caught:
        publications_import(user=user, content="x", fmt="docx")
    assert caught.value.field == "format"
    many = "title\n" + "".join(f"Paper {i}\n" for i in range(2001))
    with pytest.raises(DomainError, match="at most 2,000 publications"):
        publications_import(user=user, content=many, fmt="csv")
    assert list(user.publications.values_list("title", flat=True)) == ["Kept"]


def test_a_bibtex_coauthor_written_last_first_conflicts_with_the_author():
    """The reported case: "Rao, Ishita" in a .bib is the author "Ishita Rao"."""
    reviewer = UserFactory(display_name="Tomás Reviewer")
    bib = (
        "@inproceedings{r2025,\n"
        "  title = {Joint work on matching},\n"
        "  author = {Reviewer, Tom{\\'a}s and Rao, Ishita},\n"
        "  year = {2025},\n}\n"
    )
    publications_import(user=reviewer, content=bib, fmt="auto", filename="mine.bib")
    paper = submission_create(
        venue=VenueFactory(),
        creator=UserFactory(),
        title="Sparse attention",
        abstract="An abstract.",
        hypothesis_claim="A claim.",
        authors=[AuthorInput(name="Ishita Rao", email="ishita@lab.example.org", affiliation="")],
    )
    reasons = conflicts_for_pair(submission=paper, reviewer=reviewer)
    assert [r.rule for r in reasons] == ["coauthor"]
    assert "Ishita Rao" in reasons[0].message
    stranger = UserFactory(display_name="Indira Rao")
    publication_add(user=stranger, title="Other work", year=2025, coauthors=["Indira Rao"])
    assert conflicts_for_pair(submission=paper, reviewer=stranger) == []


def test_an_author_lists_the_reviewer_by_initials():
    author = UserFactory(display_name="Ishita Rao", email="ishita@lab.example.org")
    publications_import(
        user=author,
        content=(FILES / "ris/scopus.ris").read_text(encoding="utf-8"),
        fmt="ris",
    )
    paper = submission_create(
        venue=VenueFactory(),
        creator=author,
        title="Sparse attention",
        abstract="An abstract.",
        hypothesis_claim="A claim.",
        authors=[AuthorInput(name="Ishita Rao", email="ishita@lab.example.org", affiliation="")],
    )
    Publication.objects.filter(user=author).update(year=2025)
    anna = UserFactory(display_name="Anna van der Berg")
    other_anna = UserFactory(display_name="Anna Smith")
    assert [r.rule for r in conflicts_for_pair(submission=paper, reviewer=anna)] == ["coauthor"]
    assert conflicts_for_pair(submission=paper, reviewer=other_anna) == []
