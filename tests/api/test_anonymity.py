"""Anonymity through the API: what reviewers' and authors' tokens reveal, per venue policy."""

import json

import pytest

from journal.demo.workflow import pdf_file
from journal.enums import Anonymity, SubmissionState, VersionKind
from journal.services.versions import version_upload
from journal.services.workflow import submission_transition
from tests.api.support import client_for, make_world, paper

S = SubmissionState
pytestmark = pytest.mark.django_db


def everything_seen_by(client, submission) -> str:
    """Return every response body a token can fetch about the submission, as one text."""
    base = f"/api/v1/submissions/{submission.pk}/"
    bodies = [
        client.get("/api/v1/submissions/"),
        client.get(base),
        client.get(base + "versions/"),
        client.get(base + "authors/"),
        client.get(base + "conflicts/"),
        client.get("/api/v1/audit-events/"),
        client.get("/api/v1/emails/"),
    ]
    for version in submission.versions.all():
        bodies.append(client.get(f"/api/v1/versions/{version.pk}/"))
    return "\n".join(b.content.decode() for b in bodies)


def test_reviewer_token_never_reveals_authors_under_double_blind(world):
    client = client_for(world.reviewer, scope="read")
    body = client.get(f"/api/v1/submissions/{world.submission.pk}/").json()
    assert body["authors"] is None
    assert client.get(f"/api/v1/submissions/{world.submission.pk}/authors/").status_code == 403
    text = everything_seen_by(client, world.submission)
    for author in world.submission.authors.all():
        assert author.name not in text
        assert author.email not in text
    assert world.author.display_name not in text
    version = client.get(f"/api/v1/submissions/{world.submission.pk}/versions/").json()[0]
    assert "authors" not in version["metadata"] and version["metadata"]["title"]


def test_reviewer_never_sees_the_de_anonymised_camera_ready(world):
    world.drive(world.submission, S.ACCEPTED)
    camera = version_upload(
        submission=world.submission,
        actor=world.author,
        pdf=pdf_file(name="camera.pdf"),
        kind=VersionKind.CAMERA_READY,
    )
    client = client_for(world.reviewer)
    listed = client.get(f"/api/v1/submissions/{world.submission.pk}/versions/").json()
    assert [v["kind"] for v in listed] == ["submission"]
    assert client.get(f"/api/v1/versions/{camera.pk}/").status_code == 404
    assert client.get(f"/api/v1/versions/{camera.pk}/pdf/").status_code == 404
    latest = client.get(f"/api/v1/submissions/{world.submission.pk}/").json()["latest_version"]
    assert latest["kind"] == "submission"
    editor = client_for(world.editor)
    assert editor.get(f"/api/v1/versions/{camera.pk}/").status_code == 404  # not handed in
    submission_transition(submission=world.submission, to_state=S.CAMERA_READY, actor=world.author)
    assert editor.get(f"/api/v1/versions/{camera.pk}/").status_code == 200
    assert client.get(f"/api/v1/versions/{camera.pk}/pdf/").status_code == 404


def test_reviewer_sees_author_names_but_not_addresses_under_single_blind(db):
    world = make_world(anonymity=Anonymity.SINGLE_BLIND)
    client = client_for(world.reviewer)
    authors = client.get(f"/api/v1/submissions/{world.submission.pk}/authors/").json()
    assert [a["name"] for a in authors] == ["Ada Author", "Co Author"]
    assert {a["email"] for a in authors} == {None}


def test_author_token_never_reveals_reviewers_or_editor_only_events(world):
    client = client_for(world.author, scope="read")
    text = everything_seen_by(client, world.submission)
    assert world.reviewer.display_name not in text
    assert world.reviewer.email not in text
    events = client.get("/api/v1/audit-events/").json()["results"]
    assert events and {e["action"] for e in events} <= {
        "submission.created",
        "submission.transition",
        "version.uploaded",
        "submission.updated",
    }
    assert all(e["actor"] is None or e["actor"]["id"] == world.author.pk for e in events)
    assert all(not e["action"].startswith("invitation.") for e in events)


def test_author_sees_own_contacts_and_conflicts(world):
    client = client_for(world.author)
    authors = client.get(f"/api/v1/submissions/{world.submission.pk}/authors/").json()
    assert authors[0]["email"] == world.author.email
    assert client.get(f"/api/v1/submissions/{world.submission.pk}/conflicts/").status_code == 200
    assert (
        client_for(world.reviewer)
        .get(f"/api/v1/submissions/{world.submission.pk}/conflicts/")
        .status_code
        == 403
    )


def test_published_paper_names_authors_to_anyone_without_addresses(world):
    world.drive(world.submission, S.PUBLISHED)
    body = client_for(world.outsider).get(f"/api/v1/submissions/{world.submission.pk}/").json()
    assert [a["name"] for a in body["authors"]] == ["Ada Author", "Co Author"]
    assert {a["email"] for a in body["authors"]} == {None}


def test_chief_who_is_an_author_is_treated_as_an_author(world):
    own = paper(world.venue, world.chief, title="The chief's own paper")
    world.drive(own, S.SUBMITTED)
    client = client_for(world.chief)
    events = client.get("/api/v1/audit-events/", {"submission": own.pk}).json()["results"]
    assert {e["action"] for e in events} <= {
        "submission.created",
        "submission.transition",
        "version.uploaded",
    }
    emails = client.get("/api/v1/emails/", {"submission": own.pk}).json()
    assert emails["count"] == 0
    body = client.get(f"/api/v1/submissions/{own.pk}/").json()
    assert body["permissions"]["withdraw"] is True


def test_webhook_payloads_never_name_authors(world, django_capture_on_commit_callbacks):
    from journal.models import WebhookDelivery
    from journal.services.webhooks import webhook_create

    webhook_create(
        venue=world.venue,
        actor=world.chief,
        url="https://hooks.example.org/x",
        events=["submission.state_changed", "version.uploaded"],
    )
    world.drive(paper(world.venue, world.author), S.SUBMITTED)
    payloads = json.dumps([d.payload for d in WebhookDelivery.objects.all()])
    assert payloads and world.author.email not in payloads
    assert "Ada Author" not in payloads
