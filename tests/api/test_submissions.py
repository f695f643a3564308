"""Submissions through the API: who lists, reads, creates, edits, revises and withdraws."""

import pytest
from rest_framework.test import APIClient

from journal.demo.workflow import pdf_file
from journal.enums import SubmissionState
from journal.models import AuditEvent, Submission
from journal.services.versions import version_upload
from tests.api.support import client_for, paper
from tests.factories import UserFactory, VenueFactory
from tests.pdfs import pdf_upload

S = SubmissionState
pytestmark = pytest.mark.django_db

LIST = "/api/v1/submissions/"


def detail(submission) -> str:
    return f"/api/v1/submissions/{submission.pk}/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_list_shows_each_role_what_the_rules_allow(world):
    other = paper(world.venue, UserFactory(), title="Someone else's draft")
    published = paper(world.venue, UserFactory(), title="Old news")
    world.drive(published, S.PUBLISHED)
    mine = {world.submission.pk, published.pk}
    assert ids(client_for(world.author).get(LIST)) == mine
    assert ids(client_for(world.chief).get(LIST)) == mine | {other.pk}
    assert ids(client_for(world.editor).get(LIST)) == mine
    assert ids(client_for(world.reviewer).get(LIST)) == mine
    assert ids(client_for(world.outsider).get(LIST)) == {published.pk}


def test_list_requires_authentication(world):
    response = client_for().get(LIST)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "errors": {},
    }


def test_list_filters_by_venue_state_and_keyword(world):
    elsewhere = paper(VenueFactory(), world.author, title="Graphs", keywords=["GNN"])
    client = client_for(world.author)
    assert ids(client.get(LIST, {"venue": world.venue.slug})) == {world.submission.pk}
    assert ids(client.get(LIST, {"state": "draft"})) == {elsewhere.pk}
    assert ids(client.get(LIST, {"keyword": "gnn"})) == {elsewhere.pk}
    assert ids(client.get(LIST, {"q": "sparse"})) == {world.submission.pk}
    response = client.get(LIST, {"state": "nonsense"})
    assert response.status_code == 400
    assert "state" in response.json()["errors"]


def test_list_orders_and_paginates(world):
    for n in range(3):
        paper(world.venue, world.author, title=f"Paper {n}")
    client = client_for(world.author)
    rows = client.get(LIST, {"ordering": "title", "page_size": 2}).json()
    assert rows["count"] == 4
    assert [r["title"] for r in rows["results"]] == ["Paper 0", "Paper 1"]
    assert rows["next"]


def _session_client(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("signed_in", [client_for, _session_client], ids=["token", "session"])
def test_list_query_count_does_not_grow(world, signed_in, django_assert_max_num_queries):
    """The same for a token and for a browser's session, whose user is a lazy proxy."""
    client = signed_in(world.chief)
    client.get(LIST)
    # 7 for the page itself, 8 for the editor's conflicts of interest (one pass per request)
    with django_assert_max_num_queries(15) as one:
        assert client.get(LIST).status_code == 200
    baseline = len(one.captured_queries)
    for n in range(5):
        world.drive(paper(world.venue, UserFactory(), title=f"P{n}"), S.SUBMITTED)
    with django_assert_max_num_queries(baseline):
        assert len(client.get(LIST).json()["results"]) == 6


def test_create_draft_from_json(world):
    response = client_for(world.author).post(
        LIST,
        {
            "venue": world.venue.slug,
            "title": "A new idea",
            "abstract": "Abstract.",
            "hypothesis_claim": "It works.",
            "keywords": ["x"],
            "authors": [{"name": "Friend", "email": "friend@example.org"}],
            "benchmark_claims": [{"dataset": "MNIST", "metric": "acc", "value": 99.1}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["number"] == 2
    assert [a["email"] for a in body["authors"]] == [world.author.email, "friend@example.org"]
    assert body["benchmark_claims"][0]["dataset"] == "MNIST"
    assert body["latest_version"] is None
    assert response.headers["ETag"]


def test_create_with_pdf_in_multipart(world):
    response = client_for(world.author).post(
        LIST,
        {
            "venue": world.venue.slug,
            "title": "Uploaded at once",
            "abstract": "A.",
            "hypothesis_claim": "H.",
            "keywords": ["one", "two"],
            "authors[0]name": "Friend",
            "authors[0]email": "friend@example.org",
            "pdf": pdf_file(pages=4),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["keywords"] == ["one", "two"]
    assert body["latest_version"]["page_count"] == 4
    assert [a["name"] for a in body["authors"]][1] == "Friend"


def test_create_with_a_broken_pdf_creates_nothing(world):
    response = client_for(world.author).post(
        LIST,
        {
            "venue": world.venue.slug,
            "title": "Broken",
            "abstract": "A.",
            "hypothesis_claim": "H.",
            "pdf": pdf_file(name="x.pdf").__class__(b"not a pdf", name="x.pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"].get("pdf")
    assert not Submission.objects.filter(title="Broken").exists()


def test_create_reports_field_errors(world):
    response = client_for(world.author).post(
        LIST, {"venue": "nowhere", "title": "", "authors": [{"email": "bad"}]}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"venue", "title", "abstract", "authors.0.email", "authors.0.name"} <= set(errors)


def test_create_refused_when_venue_closed(world):
    world.venue.accepting_submissions = False
    world.venue.save()
    response = client_for(world.author).post(
        LIST,
        {"venue": world.venue.slug, "title": "T", "abstract": "A", "hypothesis_claim": "H"},
        format="json",
    )
    assert response.status_code == 400
    assert "not accepting submissions" in response.json()["detail"]


def test_retrieve_is_404_for_those_who_may_not_see_it(world):
    assert client_for(world.outsider).get(detail(world.submission)).status_code == 404
    assert client_for(world.author).get(detail(world.submission)).status_code == 200
    assert client_for().get(detail(world.submission)).status_code == 401
    assert client_for(world.author).get("/api/v1/submissions/99999999999/").status_code == 404


def test_update_needs_if_match(world):
    draft = paper(world.venue, world.author)
    client = client_for(world.author)
    read = client.get(detail(draft))
    etag = read.headers["ETag"]
    missing = client.patch(detail(draft), {"title": "New"}, format="json")
    assert missing.status_code == 428
    stale = client.patch(detail(draft), {"title": "New"}, format="json", HTTP_IF_MATCH='"x"')
    assert stale.status_code == 412
    ok = client.patch(detail(draft), {"title": "New"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok.json()["title"] == "New"
    assert ok.headers["ETag"] != etag
    again = client.patch(detail(draft), {"title": "Newer"}, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412


def test_update_refused_to_non_authors_and_outside_editable_states(world):
    response = client_for(world.chief).patch(
        detail(world.submission), {"title": "X"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 403
    response = client_for(world.author).patch(
        detail(world.submission), {"title": "X"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 403


def test_update_replaces_authors_and_conflicts(world):
    draft = paper(world.venue, world.author)
    client = client_for(world.author)
    response = client.patch(
        detail(draft),
        {
            "authors": [{"name": "Only Friend", "email": "only@example.org"}],
            "conflicts": [{"kind": "domain", "value": "rival.example.org", "reason": "Rival"}],
        },
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 200, response.content
    emails = [a["email"] for a in response.json()["authors"]]
    assert emails == [world.author.email, "only@example.org"]
    conflicts = client.get(detail(draft) + "conflicts/").json()
    assert conflicts == [{"kind": "domain", "value": "rival.example.org", "reason": "Rival"}]


def test_submit_then_withdraw(world):
    draft = paper(world.venue, world.author)
    client = client_for(world.author)
    assert client.post(detail(draft) + "submit/").status_code == 409
    upload = client.post(detail(draft) + "versions/", {"pdf": pdf_file()}, format="multipart")
    assert upload.status_code == 201, upload.content
    submitted = client.post(detail(draft) + "submit/")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    again = client.post(detail(draft) + "submit/")
    assert again.status_code == 409
    assert "cannot become submitted" in again.json()["detail"]
    withdrawn = client.post(detail(draft) + "withdraw/", {"note": "Found a bug."}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"


def test_withdraw_refused_to_editors_and_reviewers(world):
    for person in (world.chief, world.editor, world.reviewer):
        response = client_for(person).post(detail(world.submission) + "withdraw/")
        assert response.status_code == 403


def test_transition_follows_the_role(world):
    submitted = world.drive(paper(world.venue, world.author), S.SUBMITTED)
    body = {"to_state": "desk_rejected", "note": "Out of scope."}
    url = detail(submitted) + "transition/"
    assert client_for(world.author).post(url, body, format="json").status_code == 403
    assert client_for(world.reviewer).post(url, body, format="json").status_code == 404
    response = client_for(world.chief).post(url, body, format="json")
    assert response.status_code == 200 and response.json()["state"] == "desk_rejected"


def test_transition_leaves_decisions_to_the_decision_workflow(world):
    response = client_for(world.editor).post(
        detail(world.submission) + "transition/", {"to_state": "accepted"}, format="json"
    )
    assert response.status_code == 403


def test_transition_honours_if_match(world):
    submitted = world.drive(paper(world.venue, world.author), S.SUBMITTED)
    response = client_for(world.chief).post(
        detail(submitted) + "transition/",
        {"to_state": "desk_rejected", "note": "No."},
        format="json",
        HTTP_IF_MATCH='"stale"',
    )
    assert response.status_code == 412


def test_revise_uploads_a_version_with_summary(world):
    client = client_for(world.author)
    url = detail(world.submission) + "versions/"
    missing = client.post(url, {"pdf": pdf_file()}, format="multipart")
    assert missing.status_code == 400
    summary = ["Summarise what changed in this version."]
    assert missing.json()["errors"] == {"change_summary": summary}
    response = client.post(
        url, {"pdf": pdf_file(pages=5), "change_summary": "Fixed typos."}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    listed = client.get(url).json()
    assert [v["number"] for v in listed] == [1, 2]
    assert (
        client_for(world.reviewer)
        .post(url, {"pdf": pdf_file(), "change_summary": "x"}, format="multipart")
        .status_code
        == 403
    )


def test_pdf_download_checks_permission(world):
    version = world.submission.versions.get()
    url = f"/api/v1/versions/{version.pk}/pdf/"
    response = client_for(world.reviewer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.outsider).get(f"/api/v1/versions/{version.pk}/").status_code == 404
    supplement = client_for(world.author).get(f"/api/v1/versions/{version.pk}/supplement/")
    assert supplement.status_code == 404


def test_permissions_block_tells_what_the_caller_may_do(world):
    author = client_for(world.author).get(detail(world.submission)).json()["permissions"]
    assert author == {"change": False, "upload_version": True, "submit": True, "withdraw": True}
    chief = client_for(world.chief).get(detail(world.submission)).json()["permissions"]
    assert not any(chief.values())


NAMED_ON_PAGE_2 = [["Sparse attention is enough", "Anonymous authors"], ["Ada Author, Lab"]]


def test_api_submit_naming_the_author_at_double_blind_venue_refused(world):
    draft = paper(world.venue, world.author, title="Named")
    version = version_upload(submission=draft, actor=world.author, pdf=pdf_upload(NAMED_ON_PAGE_2))
    events = AuditEvent.objects.filter(submission=draft).count()
    client = client_for(world.author)
    response = client.post(detail(draft) + "submit/")
    assert response.status_code == 400
    body = response.json()
    assert "double-blind" in body["detail"]
    assert "Author name 'Ada Author' on page 2" in body["detail"]
    assert body["errors"]["pdf"] == [body["detail"]]
    draft.refresh_from_db()
    version.refresh_from_db()
    assert draft.state == S.DRAFT and draft.submitted_at is None
    assert version.submitted_at is None
    assert AuditEvent.objects.filter(submission=draft).count() == events
    assert client_for(world.chief).get(f"/api/v1/versions/{version.pk}/").status_code == 404

    confirmed = client.post(
        detail(draft) + "submit/", {"acknowledge_anonymity": True}, format="json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "submitted"
    version.refresh_from_db()
    assert version.anonymity_findings == ["Author name 'Ada Author' on page 2"]
    assert version.anonymity_acknowledged


def test_api_revision_naming_the_author_refused(world):
    client = client_for(world.author)
    url = detail(world.submission) + "versions/"
    named = {"pdf": pdf_upload(NAMED_ON_PAGE_2), "change_summary": "Typos."}
    response = client.post(url, named, format="multipart")
    assert response.status_code == 400
    assert "Author name 'Ada Author' on page 2" in response.json()["detail"]
    assert [v["number"] for v in client.get(url).json()] == [1]
    assert world.submission.versions.count() == 1

    world.drive(world.submission, S.REVISION_REQUESTED)
    named["pdf"] = pdf_upload(NAMED_ON_PAGE_2)
    assert client.post(url, named, format="multipart").status_code == 201
    assert [v["number"] for v in client_for(world.reviewer).get(url).json()] == [1]
    response = client.post(detail(world.submission) + "submit/")
    assert response.status_code == 400
    assert "Author name 'Ada Author' on page 2" in response.json()["detail"]
    world.submission.refresh_from_db()
    assert world.submission.state == S.REVISION_REQUESTED
