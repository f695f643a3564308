"""Publication import and fetch through the API: every format, errors under their field."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.models import JobStatus, PublicationFetch
from tests.api.support import client_for
from tests.factories import UserFactory
from tests.reviews.importers.recorded_server import recorded_server

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/publications/import/"
FETCHES = "/api/v1/publication-fetches/"
FILES = Path(__file__).parents[1] / "reviews" / "importers" / "files"


@pytest.mark.parametrize(
    ("name", "fmt", "created"),
    [
        ("bibtex/google_scholar.bib", "bibtex", 3),
        ("ris/zotero.ris", "ris", 2),
        ("csv/zotero.csv", "csv", 2),
        ("csl_json/zotero.json", "csl_json", 2),
        ("orcid_xml/works_muller.xml", "orcid", 2),
        ("dblp_xml/oconnor.xml", "dblp", 3),
        ("openreview/notes_v2_rao.json", "openreview", 2),
        ("semantic_scholar/author_papers_rao.json", "semantic_scholar", 3),
    ],
)
def test_each_format_imports_as_text_with_auto_detection(name, fmt, created):
    user = UserFactory()
    content = (FILES / name).read_text(encoding="utf-8")
    response = client_for(user).post(IMPORT, {"content": content}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["format"], body["created"]) == (fmt, created)
    assert user.publications.count() == created


def test_a_file_upload_is_read_and_a_second_source_completes_it():
    user = UserFactory()
    client = client_for(user)
    ris = SimpleUploadedFile("scopus.ris", (FILES / "ris/scopus.ris").read_bytes())
    first = client.post(IMPORT, {"file": ris}, format="multipart")
    assert first.status_code == 201, first.content
    assert first.json()["created"] == 2
    csl = (FILES / "csl_json/zotero.json").read_text(encoding="utf-8")
    second = client.post(IMPORT, {"content": csl, "format": "json"}, format="json").json()
    assert (second["created"], second["updated"], second["duplicates"]) == (0, 0, 2)
    listed = client.get("/api/v1/publications/?ordering=year").json()["results"]
    assert [(p["doi"], p["source"]) for p in listed] == [
        ("10.18653/v1/2020.acl-main.99", "ris"),
        ("10.1109/tkde.2022.3141592", "ris"),
    ]


@pytest.mark.parametrize(
    ("payload", "multipart", "field", "message"),
    [
        ({"content": '{"title": "x",\n "year": }'}, False, "content", "line 2"),
        ({"file": ("me.json", b'{"title": "x",\n "year": }')}, True, "file", "line 2"),
        ({"content": "Dear editor"}, False, "content", "none of the formats"),
        ({"format": "docx", "content": "x"}, False, "format", ""),
        ({}, False, "content", "either as `content`"),
    ],
)
def test_bad_imports_are_400s_under_the_right_field(payload, multipart, field, message):
    user = UserFactory()
    client = client_for(user)
    if multipart:
        name, raw = payload["file"]
        response = client.post(
            IMPORT, {"file": SimpleUploadedFile(name, raw)}, format="multipart"
        )
    else:
        response = client.post(IMPORT, payload, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors
    assert message in " ".join(errors[field])
    assert not user.publications.exists()


def test_fetch_jobs_are_started_polled_and_private(settings, django_capture_on_commit_callbacks):
    user, other = UserFactory(), UserFactory()
    client = client_for(user)
    with recorded_server() as server:
        settings.PEERLESS_PUBLICATION_FETCH_URLS = {"dblp": server.url}
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(
                FETCHES, {"service": "dblp", "identifier": "123/4567"}, format="json"
            )
    assert started.status_code == 202, started.content
    job = client.get(f"{FETCHES}{started.json()['id']}/").json()
    assert (job["status"], job["added"], job["identifier"]) == ("done", 3, "123/4567")
    assert "Imported 3 new publication(s)" in job["message"]
    assert client.get(FETCHES).json()["count"] == 1
    other_client = client_for(other)
    assert other_client.get(FETCHES).json()["count"] == 0
    assert other_client.get(f"{FETCHES}{job['id']}/").status_code == 404


def test_a_bad_fetch_id_is_a_400_and_no_job(settings):
    user = UserFactory()
    response = client_for(user).post(
        FETCHES, {"service": "orcid", "identifier": "1234"}, format="json"
    )
    assert response.status_code == 400
    assert "Give an ORCID iD like" in response.json()["errors"]["identifier"][0]
    assert not PublicationFetch.objects.exists()


def test_fetch_list_query_count_does_not_grow(django_assert_max_num_queries):
    user = UserFactory()
    client = client_for(user)
    PublicationFetch.objects.create(user=user, service="dblp", identifier="1/1")
    with django_assert_max_num_queries(8) as one:
        client.get(FETCHES)
    baseline = len(one.captured_queries)
    for n in range(4):
        PublicationFetch.objects.create(
            user=user, service="orcid", identifier=f"x{n}", status=JobStatus.DONE
        )
    with django_assert_max_num_queries(baseline):
        assert client.get(FETCHES).json()["count"] == 5
