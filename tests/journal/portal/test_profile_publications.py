"""The profile page's publication import (every format) and fetch by id."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import JobStatus, PublicationFetch
from tests.factories import UserFactory
from tests.reviews.importers.recorded_server import recorded_server

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parents[2] / "reviews" / "importers" / "files"


def test_a_ris_file_is_found_out_and_imported(client, author):
    client.force_login(author)
    upload = SimpleUploadedFile("scopus.ris", (FILES / "ris/scopus.ris").read_bytes())
    response = client.post(
        reverse("journal:publication-import"), {"format": "auto", "file": upload}, follow=True
    )
    page = response.content.decode()
    assert "Imported 2 new publication(s)" in page
    assert "Topic models of reviewer expertise" in page
    assert "van der Berg, A." in page


def test_an_unreadable_file_is_refused_on_the_page(client, author):
    client.force_login(author)
    upload = SimpleUploadedFile("notes.txt", b"Dear editor, my papers are great.")
    response = client.post(
        reverse("journal:publication-import"), {"format": "auto", "file": upload}
    )
    assert response.status_code == 400
    assert "none of the formats read here" in response.content.decode()
    assert not author.publications.exists()


def test_the_page_fetches_from_dblp_and_shows_the_job(
    client, author, settings, django_capture_on_commit_callbacks
):
    client.force_login(author)
    with recorded_server() as server:
        settings.PEERLESS_PUBLICATION_FETCH_URLS = {"dblp": server.url}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("journal:publication-fetch"),
                {"service": "dblp", "identifier": "https://dblp.org/pid/123/4567.html"},
            )
    assert response["Location"].endswith("#publication-fetches")
    page = client.get(response["Location"]).content.decode()
    assert "Fetching your publications from DBLP pid 123/4567" in page
    assert "Imported 3 new publication(s)" in page
    assert "Fair Allocation of Papers to Reviewers" in page
    assert author.publications.count() == 3


def test_a_running_fetch_polls_for_news_and_a_bad_id_is_refused(client, author):
    client.force_login(author)
    PublicationFetch.objects.create(
        user=author, service="orcid", identifier="0000-0002-1825-0097", status=JobStatus.RUNNING
    )
    PublicationFetch.objects.create(user=UserFactory(), service="dblp", identifier="9/9")
    fragment = client.get(reverse("journal:publication-fetches")).content.decode()
    assert 'hx-trigger="every 3s"' in fragment and "0000-0002-1825-0097" in fragment
    assert "9/9" not in fragment
    refused = client.post(
        reverse("journal:publication-fetch"), {"service": "orcid", "identifier": "12"}
    )
    assert refused.status_code == 400
    assert "Give an ORCID iD like" in refused.content.decode()
    assert PublicationFetch.objects.filter(user=author).count() == 1
