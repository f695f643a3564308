"""Profile and publications: by hand, and imported from BibTeX, CSV and JSON."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from journal.errors import DomainError
from reviews.importers import parse
from reviews.models import Publication
from reviews.services.publications import publications_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BIBTEX = r"""
@string{icml = "ICML"}
@inproceedings{vaswani2017,
  title = {Attention Is {All} You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  booktitle = "Advances in " # "Neural Information Processing Systems",
  year = 2017,
  url = {https://arxiv.org/abs/1706.03762},
}
@article{nokey, title="Deep Residual Learning", year={2016}, journal={CVPR}}
@comment{ignored}
@misc{notitle, year = 2020}
"""


def test_parse_bibtex_reads_braces_quotes_and_concatenation():
    parsed = parse(BIBTEX, fmt="bibtex")
    titles = [w.title for w in parsed.works]
    assert titles == ["Attention Is All You Need", "Deep Residual Learning"]
    assert parsed.works[0].venue == "Advances in Neural Information Processing Systems"
    assert parsed.works[0].year == 2017
    assert parsed.problems == ["Entry notitle (line 12): has no title; it was left out."]


def test_import_bibtex_adds_and_skips():
    user = UserFactory()
    result = publications_import(user=user, content=BIBTEX, fmt="bibtex")
    assert (result.created, result.skipped) == (2, 1)
    attention = user.publications.get(year=2017)
    assert attention.title == "Attention Is All You Need"
    assert attention.coauthors == ["Ashish Vaswani", "Noam Shazeer"]
    assert attention.venue_name == "Advances in Neural Information Processing Systems"
    again = publications_import(user=user, content=BIBTEX, fmt="bibtex")
    assert (again.created, again.duplicates, again.skipped) == (0, 2, 1)


def test_import_csv_and_json():
    user = UserFactory()
    csv_text = "Title,Year,Venue,Coauthors\nSparse Models,2021,JMLR,Ann Lee; Bo Chen\n,2020,,\n"
    result = publications_import(user=user, content=csv_text, fmt="csv")
    assert (result.created, result.skipped) == (1, 1)
    assert user.publications.get().coauthors == ["Ann Lee", "Bo Chen"]
    data = json.dumps(
        [{"title": "Graph Nets", "year": "2019", "authors": ["X Y"], "url": "ftp://x"}]
    )
    publications_import(user=user, content=data, fmt="json")
    graph = user.publications.get(title="Graph Nets")
    assert graph.year == 2019 and graph.url == "" and graph.coauthors == ["X Y"]


@pytest.mark.parametrize(
    ("fmt", "content", "message"),
    [
        ("json", "{not json", "not valid JSON"),
        ("json", '{"a": 1}', "must be a list"),
        ("csv", "name,year\nx,1\n", "title"),
        ("bibtex", "just some text", "No BibTeX entries"),
    ],
)
def test_import_bad_files_say_why(fmt, content, message):
    with pytest.raises(DomainError, match=message):
        publications_import(user=UserFactory(), content=content, fmt=fmt)


def test_profile_page_saves_fields(client, author):
    client.force_login(author)
    url = reverse("journal:profile")
    assert 'for="id_orcid"' in client.get(url).content.decode()
    data = {
        "display_name": "Grace B. Hopper",
        "affiliation": "Navy",
        "orcid": "https://orcid.org/0000-0002-1825-0097",
        "email_domains": "navy.mil, @Yale.edu",
    }
    assert client.post(url, data)["Location"] == url
    author.refresh_from_db()
    assert author.orcid == "0000-0002-1825-0097"
    assert author.email_domains == ["navy.mil", "yale.edu"]


def test_profile_rejects_bad_orcid(client, author):
    client.force_login(author)
    response = client.post(reverse("journal:profile"), {"display_name": "G", "orcid": "123"})
    assert response.status_code == 400
    assert "An ORCID iD looks like" in response.content.decode()


def test_add_import_and_remove_publications_through_pages(client, author):
    client.force_login(author)
    add = reverse("journal:publication-add")
    client.post(add, {"title": "Compilers", "year": "1952", "coauthors": "A; B"})
    duplicate = client.post(add, {"title": "compilers"})
    assert "already on your list" in duplicate.content.decode()
    upload = SimpleUploadedFile("refs.bib", BIBTEX.encode())
    response = client.post(
        reverse("journal:publication-import"), {"format": "bibtex", "file": upload}, follow=True
    )
    assert "Imported 2 new publication(s)" in response.content.decode()
    assert author.publications.count() == 3
    other = Publication.objects.create(user=UserFactory(), title="Not yours")
    client.post(reverse("journal:publication-delete", kwargs={"pk": other.pk}))
    assert Publication.objects.filter(pk=other.pk).exists()
    mine = author.publications.get(title="Compilers")
    client.post(reverse("journal:publication-delete", kwargs={"pk": mine.pk}))
    assert author.publications.count() == 2


@pytest.mark.parametrize(
    ("content", "created"),
    [("title,author\nA\n", 1), ("title,year\r\nA,2020\r\nB\rC,2021\n", 3)],
)
def test_import_ragged_csv_is_read(content, created):
    result = publications_import(user=UserFactory(), content=content, fmt="csv")
    assert result.created == created


def test_import_broken_csv_says_why():
    with pytest.raises(DomainError, match="could not be read"):
        publications_import(user=UserFactory(), content="title\n" + "x" * 200_000, fmt="csv")
