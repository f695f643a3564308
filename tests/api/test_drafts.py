"""Creating and deleting drafts: the `submission.created` event, and deleting a draft through
the API and its page (authors only, drafts only, recorded in the audit log)."""

import json

import pytest

from journal.models import AuditEvent, Submission, WebhookDelivery
from journal.services.webhooks import webhook_create
from tests.api.support import client_for, paper
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creating_a_draft_raises_submission_created(world, django_capture_on_commit_callbacks):
    webhook_create(
        venue=world.venue,
        actor=world.chief,
        url="https://hooks.example.org/hook",
        events=["submission.created"],
    )
    with django_capture_on_commit_callbacks() as callbacks:
        draft = paper(world.venue, world.author, title="Brand new")
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "submission.created" and callbacks
    assert delivery.payload["submission"]["id"] == draft.pk
    assert delivery.payload["submission"]["state"] == "draft"
    assert world.author.email not in json.dumps(delivery.payload)


def test_webhooks_accept_the_created_event(world):
    response = client_for(world.chief).post(
        "/api/v1/webhooks/",
        {
            "venue": world.venue.slug,
            "url": "https://hooks.example.org/x",
            "events": ["submission.created"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content


def test_author_deletes_their_draft(world):
    draft = paper(world.venue, world.author, title="Abandoned")
    url = f"/api/v1/submissions/{draft.pk}/"
    assert client_for(world.chief).delete(url).status_code == 403
    assert client_for(world.outsider).delete(url).status_code == 404
    assert client_for(world.author, scope="read").delete(url).status_code == 403
    response = client_for(world.author).delete(url)
    assert response.status_code == 204, response.content
    assert not Submission.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action="submission.draft_deleted")
    assert event.actor == world.author and event.data["title"] == "Abandoned"
    assert client_for(world.author).delete(url).status_code == 404


def test_a_submitted_paper_cannot_be_deleted(world):
    url = f"/api/v1/submissions/{world.submission.pk}/"
    response = client_for(world.author).delete(url)
    assert response.status_code == 403 and "draft" in response.json()["detail"]
    assert Submission.objects.filter(pk=world.submission.pk).exists()


def test_delete_page_asks_then_deletes(world, client):
    draft = paper(world.venue, world.author, title="Abandoned")
    page = f"/submissions/{draft.pk}/delete/"
    client.force_login(world.author)
    detail = client.get(draft.get_absolute_url())
    assert page in detail.content.decode()
    confirm = client.get(page)
    assert confirm.status_code == 200 and "Delete this draft?" in confirm.content.decode()
    response = client.post(page)
    assert response.status_code == 302
    assert not Submission.objects.filter(pk=draft.pk).exists()


def test_delete_page_refuses_others_and_submitted_papers(world, client):
    draft = paper(world.venue, world.author, title="Abandoned")
    client.force_login(UserFactory())
    assert client.post(f"/submissions/{draft.pk}/delete/").status_code == 404
    client.force_login(world.author)
    submitted = f"/submissions/{world.submission.pk}/delete/"
    assert client.get(submitted).status_code == 403
    assert page_link_absent(client, world.submission)
    assert Submission.objects.filter(pk=draft.pk).exists()


def page_link_absent(client, submission) -> bool:
    return "/delete/" not in client.get(submission.get_absolute_url()).content.decode()
