"""`Idempotency-Key` on the API's creates: a retry replays the first answer, creating nothing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from journal.demo.workflow import pdf_file
from journal.models import IdempotencyKey, Submission, SubmissionVersion
from journal.services.idempotency import idempotency_keys_purge
from reviews.models import AssignmentRun, Comment, ReviewInvitation
from tests.api.support import client_for, token_for
from tests.factories import UserFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/submissions/"


def draft(world, title: str = "A retried idea") -> dict:
    return {
        "venue": world.venue.slug,
        "title": title,
        "abstract": "Abstract.",
        "hypothesis_claim": "It works.",
        "keywords": ["x"],
    }


def post(client, url, body, key, **kwargs):
    return client.post(url, body, format=kwargs.pop("format", "json"), HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_creates_once_and_replays_the_first_answer(world):
    client = client_for(world.author)
    before = Submission.objects.count()
    first = post(client, LIST, draft(world), "retry-1")
    again = post(client, LIST, draft(world), "retry-1")
    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Submission.objects.count() == before + 1
    assert Submission.objects.filter(title="A retried idea").count() == 1


def test_a_different_key_creates_again(world):
    client = client_for(world.author)
    one = post(client, LIST, draft(world), "key-a")
    two = post(client, LIST, draft(world), "key-b")
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]
    assert Submission.objects.filter(title="A retried idea").count() == 2


def test_without_a_key_every_post_creates(world):
    client = client_for(world.author)
    for _ in range(2):
        assert client.post(LIST, draft(world), format="json").status_code == 201
    assert Submission.objects.filter(title="A retried idea").count() == 2
    assert not IdempotencyKey.objects.exists()


def test_same_key_with_another_body_is_refused_and_creates_nothing(world):
    client = client_for(world.author)
    first = post(client, LIST, draft(world), "reused")
    count = Submission.objects.count()
    response = post(client, LIST, draft(world, title="Something else"), "reused")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "already used for a different request" in detail
    assert "Send a new key" in detail
    assert response.json()["errors"] == {}
    assert Submission.objects.count() == count
    assert not Submission.objects.filter(title="Something else").exists()
    # The key still answers its first request.
    assert post(client, LIST, draft(world), "reused").json() == first.json()


def test_keys_are_per_user_and_per_address(world):
    mine = post(client_for(world.author), LIST, draft(world), "shared-key")
    theirs = post(client_for(world.outsider), LIST, draft(world), "shared-key")
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    chief = client_for(world.chief)
    run = post(chief, "/api/v1/matching-runs/", {"venue": world.venue.slug}, "shared-key")
    assert run.status_code == 202, run.content


def test_a_refused_request_keeps_no_key_so_the_corrected_one_goes_through(world):
    client = client_for(world.author)
    bad = post(client, LIST, {**draft(world), "title": ""}, "fix-me")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    good = post(client, LIST, draft(world), "fix-me")
    assert good.status_code == 201, good.content
    assert Submission.objects.filter(title="A retried idea").count() == 1


def test_an_expired_key_is_new_again(world):
    client = client_for(world.author)
    post(client, LIST, draft(world), "old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = post(client, LIST, draft(world, title="Another day"), "old")
    assert again.status_code == 201, again.content
    assert "Idempotent-Replayed" not in again.headers
    assert Submission.objects.filter(title="Another day").count() == 1


def test_purge_deletes_only_expired_keys(world):
    client = client_for(world.author)
    post(client, LIST, draft(world), "stale")
    post(client, LIST, draft(world), "fresh")
    IdempotencyKey.objects.filter(key="stale").update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "naïve"])
def test_a_malformed_key_is_refused(world, key):
    response = post(client_for(world.author), LIST, draft(world), key)
    assert response.status_code == 400
    assert "Idempotency-Key must be 1 to 255 visible ASCII" in response.json()["detail"]
    assert not Submission.objects.filter(title="A retried idea").exists()


def multipart(world) -> dict:
    return {
        **draft(world, title="Uploaded twice"),
        "authors[0]name": "Friend",
        "authors[0]email": "friend@example.org",
        "pdf": pdf_file(pages=3),
    }


def test_a_multipart_retry_with_its_pdf_replays(world):
    client = client_for(world.author)
    first = post(client, LIST, multipart(world), "upload", format="multipart")
    again = post(client, LIST, multipart(world), "upload", format="multipart")
    assert first.status_code == 201, first.content
    assert again.json() == first.json()
    submission = Submission.objects.get(title="Uploaded twice")
    assert submission.versions.count() == 1
    other_pdf = {**multipart(world), "pdf": pdf_file(pages=5)}
    assert post(client, LIST, other_pdf, "upload", format="multipart").status_code == 422


def test_every_create_honours_the_key(world):
    """Versions, comments, invitations and matching runs: twice with one key, one row."""
    author, editor, chief = (client_for(u) for u in (world.author, world.editor, world.chief))
    base = f"/api/v1/submissions/{world.submission.pk}"
    invitee = VenueRoleFactory(venue=world.venue, role="reviewer").user
    cases = [
        (
            chief,
            "/api/v1/matching-runs/",
            {"venue": world.venue.slug, "per_paper": 1},
            "json",
            lambda: AssignmentRun.objects.count(),
        ),
        (
            editor,
            f"{base}/comments/",
            {"body": "Please check the ablation.", "audience": "everyone"},
            "json",
            lambda: Comment.objects.count(),
        ),
        (
            editor,
            f"{base}/invitations/",
            {"reviewer": invitee.pk, "note": "Your expertise fits."},
            "json",
            lambda: ReviewInvitation.objects.count(),
        ),
    ]
    for client, url, body, fmt, count in cases:
        before = count()
        first = post(client, url, body, f"k-{url}", format=fmt)
        assert first.status_code in {201, 202}, (url, first.content)
        again = post(client, url, body, f"k-{url}", format=fmt)
        assert (again.status_code, again.json()) == (first.status_code, first.json()), url
        assert count() == before + 1, url
    # A revision of a draft, uploaded twice under one key, is one version.
    draft_paper = post(author, LIST, draft(world), "paper").json()
    url = f"/api/v1/submissions/{draft_paper['id']}/versions/"
    for _ in range(2):
        response = post(author, url, {"pdf": pdf_file(pages=2)}, "v1", format="multipart")
        assert response.status_code == 201, response.content
    assert SubmissionVersion.objects.filter(submission_id=draft_paper["id"]).count() == 1


def test_the_schema_documents_the_header_on_the_creates(world):
    schema = client_for(world.author).get("/api/v1/schema/", {"format": "json"}).json()
    documented = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    }
    for path in [
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/versions/",
        "/api/v1/submissions/{id}/comments/",
        "/api/v1/submissions/{id}/invitations/",
        "/api/v1/matching-runs/",
        "/api/v1/affinity-runs/",
    ]:
        assert (path, "post") in documented, path
    assert ("/api/v1/submissions/{id}/versions/", "get") not in documented


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_create_once():
    author = UserFactory()
    venue = VenueRoleFactory(role="reviewer").venue
    token = token_for(author)
    body = {
        "venue": venue.slug,
        "title": "Sent four times at once",
        "abstract": "A.",
        "hypothesis_claim": "H.",
    }
    start = threading.Barrier(4)
    answers = []

    def send():
        from rest_framework.test import APIClient

        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            start.wait(timeout=10)
            answers.append(post(client, LIST, body, "at-once"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 3
    assert Submission.objects.filter(title="Sent four times at once").count() == 1
