"""Fetching publication lists by id: the real fetch, parse and import on recorded answers."""

import time

import pytest

from journal.errors import DomainError
from reviews.importers.fetch import FetchError, clean_identifier, fetch_publications
from reviews.models import JobStatus, PublicationFetch
from reviews.services.publication_fetch import publication_fetch_run, publication_fetch_start
from reviews.services.publications import publication_add
from tests.factories import UserFactory
from tests.reviews.importers.recorded_server import closed_port_url, recorded_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    with recorded_server() as running:
        settings.PEERLESS_PUBLICATION_FETCH_URLS = dict.fromkeys(
            ("orcid", "dblp", "semantic_scholar"), running.url
        )
        yield running


def start(django_capture_on_commit_callbacks, **kwargs) -> PublicationFetch:
    with django_capture_on_commit_callbacks(execute=True):
        fetch = publication_fetch_start(**kwargs)
    fetch.refresh_from_db()
    return fetch


def test_dblp_fetch_adds_the_persons_publications(server, django_capture_on_commit_callbacks):
    user = UserFactory()
    fetch = start(
        django_capture_on_commit_callbacks,
        user=user,
        service="dblp",
        identifier="https://dblp.org/pid/123/4567.html",
    )
    assert fetch.identifier == "123/4567"
    assert (fetch.status, fetch.progress, fetch.added) == (JobStatus.DONE, 100, 3)
    assert fetch.message.startswith("Imported 3 new publication(s)")
    assert server.asked == ["/pid/123/4567.xml"]
    robust = user.publications.get(doi="10.5555/3666122.3666200")
    assert robust.coauthors == ["Ishita Rao", "Jörg Müller", "Ana de la Fuente"]
    assert robust.source == "dblp"


def test_orcid_then_semantic_scholar_complete_one_list(server, django_capture_on_commit_callbacks):
    user = UserFactory()
    orcid = start(
        django_capture_on_commit_callbacks,
        user=user,
        service="orcid",
        identifier="https://orcid.org/0000-0002-1825-0097",
    )
    assert (orcid.status, orcid.added, orcid.duplicates) == (JobStatus.DONE, 3, 0)
    assert server.asked == [
        "/v3.0/0000-0002-1825-0097/works",
        "/v3.0/0000-0002-1825-0097/works/141592653,27182818,31415",
    ]
    robust = user.publications.get(doi="10.5555/3666122.3666200")
    # The full works name the co-authors; the work the bulk read missed keeps its summary.
    assert robust.coauthors == ["Ishita Rao", "Müller, Jörg", "A. de la Fuente"]
    assert user.publications.get(title="A note on équité in peer review").coauthors == []
    scholar = start(
        django_capture_on_commit_callbacks,
        user=user,
        service="semantic_scholar",
        identifier="https://www.semanticscholar.org/author/Ishita-Rao/2110001",
    )
    # An abstract, a link and the co-authors of the preprint are new; nothing is added.
    assert (scholar.status, scholar.added, scholar.updated) == (JobStatus.DONE, 0, 3)
    assert user.publications.count() == 3
    robust.refresh_from_db()
    assert robust.abstract == "We assign reviewers when affinities are uncertain."
    fair = user.publications.get(title="Fair allocation of papers to reviewers")
    assert fair.coauthors == ["Ishita Rao", "Jean-Pierre Dupont"]


def test_semantic_scholar_pages_are_followed(server, django_capture_on_commit_callbacks):
    user = UserFactory()
    fetch = start(
        django_capture_on_commit_callbacks,
        user=user,
        service="semantic_scholar",
        identifier="3000001",
    )
    assert (fetch.status, fetch.added) == (JobStatus.DONE, 2)
    assert [p.split("offset=")[1] for p in server.asked] == ["0", "200"]


@pytest.mark.parametrize(
    ("service", "identifier", "message"),
    [
        ("dblp", "77/77", "DBLP has no such person"),
        ("dblp", "1/1", "DBLP sent us to another site"),
        ("dblp", "3/3", "This XML is not a DBLP person page"),
        ("semantic_scholar", "429", "Semantic Scholar asks us to wait"),
    ],
)
def test_a_failed_fetch_says_why_and_changes_nothing(
    server, django_capture_on_commit_callbacks, service, identifier, message
):
    user = UserFactory()
    publication_add(user=user, title="Kept as it was", year=2020)
    fetch = start(
        django_capture_on_commit_callbacks, user=user, service=service, identifier=identifier
    )
    assert fetch.status == JobStatus.FAILED
    assert message in fetch.message
    assert fetch.finished_at is not None
    assert list(user.publications.values_list("title", flat=True)) == ["Kept as it was"]


def test_a_redirect_on_the_same_host_is_followed(server, django_capture_on_commit_callbacks):
    fetch = start(
        django_capture_on_commit_callbacks, user=UserFactory(), service="dblp", identifier="2/2"
    )
    assert (fetch.status, fetch.added) == (JobStatus.DONE, 3)


def test_without_a_network_the_fetch_fails_clearly(settings, django_capture_on_commit_callbacks):
    settings.PEERLESS_PUBLICATION_FETCH_URLS = {"dblp": closed_port_url()}
    user = UserFactory()
    fetch = start(
        django_capture_on_commit_callbacks, user=user, service="dblp", identifier="123/4567"
    )
    assert fetch.status == JobStatus.FAILED
    assert "DBLP could not be reached from this server" in fetch.message
    assert "import the file instead" in fetch.message
    assert not user.publications.exists()


def test_running_twice_and_asking_twice_are_safe(server, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = publication_fetch_start(user=user, service="dblp", identifier="123/4567")
        second = publication_fetch_start(user=user, service="dblp", identifier="98/7654-1")
    assert second.pk == first.pk and len(queued) == 1
    assert PublicationFetch.objects.filter(user=user).count() == 1
    assert publication_fetch_run(fetch_id=first.pk) == JobStatus.DONE
    assert publication_fetch_run(fetch_id=first.pk) == JobStatus.DONE
    assert user.publications.count() == 3 and len(server.asked) == 1
    assert publication_fetch_run(fetch_id=999_999) == "missing"


@pytest.mark.parametrize(
    ("service", "identifier", "message"),
    [
        ("orcid", "0000-0002-1825-0098", "Give an ORCID iD like"),
        ("orcid", "me", "Give an ORCID iD like"),
        ("dblp", "../../etc/passwd", "Give a DBLP pid"),
        ("semantic_scholar", "Ishita Rao", "Give a Semantic Scholar author id"),
        ("scholar", "123", "Choose ORCID, DBLP or Semantic Scholar"),
    ],
)
def test_bad_identifiers_are_refused_before_any_job(service, identifier, message):
    user = UserFactory()
    with pytest.raises(DomainError, match=message):
        publication_fetch_start(user=user, service=service, identifier=identifier)
    assert not PublicationFetch.objects.exists()


@pytest.mark.parametrize(
    ("service", "raw", "clean"),
    [
        ("orcid", "https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("orcid", "0000-0002-1694-209x", "0000-0002-1694-209X"),
        ("dblp", "https://dblp.org/pid/98/7654-1.html", "98/7654-1"),
        ("dblp", "h/GeoffreyEHinton", "h/GeoffreyEHinton"),
        ("semantic_scholar", "https://www.semanticscholar.org/author/X/2110001", "2110001"),
    ],
)
def test_identifiers_are_read_from_ids_and_profile_addresses(service, raw, clean):
    assert clean_identifier(service, raw) == clean


def test_an_answer_over_the_size_cap_is_refused(server):
    with pytest.raises(FetchError, match="larger than 100 bytes"):
        fetch_publications(
            service="dblp",
            identifier="123/4567",
            base_url=server.url,
            timeout=5,
            max_bytes=100,
            max_records=10,
        )


def test_the_task_runs_on_a_real_worker(server, celery_worker):
    user = UserFactory()
    fetch = publication_fetch_start(user=user, service="dblp", identifier="98/7654-1")
    for _ in range(100):
        fetch.refresh_from_db()
        if fetch.status not in JobStatus.ACTIVE:
            break
        time.sleep(0.1)
    assert (fetch.status, fetch.added) == (JobStatus.DONE, 2)
    assert sorted(user.publications.values_list("year", flat=True)) == [2019, 2022]
