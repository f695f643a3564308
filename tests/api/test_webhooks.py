"""Webhooks: registration by chiefs, signed deliveries to a real local server, retries."""

import hashlib
import hmac
import json
import time

import pytest
from django.utils import timezone

from journal.errors import DomainError
from journal.models import WebhookDelivery
from journal.models.api import DeliveryStatus
from journal.services.webhooks import (
    MAX_ATTEMPTS,
    backoff_seconds,
    webhook_create,
    webhook_deliver,
    webhook_emit_review,
    webhook_flush_due,
    webhook_url_check,
)
from journal.tasks import webhook_send
from reviews.models import Review
from tests.api.support import client_for, make_world, paper
from tests.api.webhook_servers import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(private_allowed):
    with Receiver() as server:
        yield server


def hook(world, url, events=("submission.state_changed", "decision.published")):
    return webhook_create(venue=world.venue, actor=world.chief, url=url, events=list(events))


def test_delivery_is_signed_and_recorded(world, receiver, django_capture_on_commit_callbacks):
    webhook = hook(world, receiver.url)
    submitted = world.drive(paper(world.venue, world.author), "draft")
    with django_capture_on_commit_callbacks(execute=True):
        world.drive(submitted, "submitted")
    headers, body = receiver.requests[-1]
    stamp = headers["X-Peerless-Timestamp"]
    expected = hmac.new(
        webhook.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Peerless-Signature"] == f"sha256={expected}"
    assert headers["X-Peerless-Event"] == "submission.state_changed"
    document = json.loads(body)
    assert document["data"]["to_state"] == "submitted"
    assert document["data"]["submission"]["id"] == submitted.pk
    assert "authors" not in json.dumps(document)
    delivery = WebhookDelivery.objects.get(pk=document["id"])
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.response_code == 200 and delivery.attempts == 1


def test_only_subscribed_events_are_sent(world, receiver, django_capture_on_commit_callbacks):
    hook(world, receiver.url, events=["version.uploaded"])
    with django_capture_on_commit_callbacks(execute=True):
        world.drive(paper(world.venue, world.author), "submitted")
    events = [h["X-Peerless-Event"] for h, _ in receiver.requests]
    assert events == ["version.uploaded"]


def test_rolled_back_change_sends_nothing(world, receiver):
    hook(world, receiver.url)
    draft = paper(world.venue, world.author)
    response = client_for(world.author).post(f"/api/v1/submissions/{draft.pk}/submit/")
    assert response.status_code == 409
    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


def test_failed_delivery_backs_off_then_gives_up(
    world, private_allowed, django_capture_on_commit_callbacks
):
    with Receiver(status=503) as failing:
        hook(world, failing.url)
        with django_capture_on_commit_callbacks(execute=True):
            world.drive(paper(world.venue, world.author), "submitted")
        delivery = WebhookDelivery.objects.get(event="submission.state_changed")
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
        delivery.refresh_from_db()
        assert delivery.response_code == 503
        assert delivery.next_retry_at > timezone.now()
        waits = [webhook_deliver(delivery_id=delivery.pk) for _ in range(MAX_ATTEMPTS - 1)]
    assert waits[:3] == [backoff_seconds(2), backoff_seconds(3), backoff_seconds(4)]
    assert waits[-1] is None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS
    assert len(failing.requests) == MAX_ATTEMPTS
    assert webhook_deliver(delivery_id=delivery.pk) is None


def test_backoff_grows_exponentially_and_is_capped():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(30) == 6 * 3600


def test_flush_resends_due_deliveries(world, receiver, django_capture_on_commit_callbacks):
    with Receiver(status=500) as failing:
        webhook = hook(world, failing.url)
        with django_capture_on_commit_callbacks(execute=True):
            world.drive(paper(world.venue, world.author), "submitted")
    delivery = WebhookDelivery.objects.get()
    webhook.url = receiver.url
    webhook.save()
    assert webhook_flush_due() == 0
    assert webhook_flush_due(now=delivery.next_retry_at) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2


def test_task_is_idempotent(world, receiver):
    hook(world, receiver.url)
    world.drive(paper(world.venue, world.author), "submitted")
    delivery = WebhookDelivery.objects.get()
    webhook_send.delay(delivery.pk)
    webhook_send.delay(delivery.pk)
    assert len(receiver.requests) == 1


@pytest.mark.worker
def test_real_worker_delivers_after_commit(celery_worker, receiver):
    world = make_world()
    hook(world, receiver.url, events=["submission.submitted"])
    world.drive(paper(world.venue, world.author), "submitted")
    deadline = time.monotonic() + 20
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [h["X-Peerless-Event"] for h, _ in receiver.requests] == ["submission.submitted"]
    delivery = WebhookDelivery.objects.get()
    deadline = time.monotonic() + 10
    while delivery.status == DeliveryStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.05)
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.org/x",
        "ftp://hooks.example.org/x",
        "https://10.0.0.5/x",
        "https://user:pw@hooks.example.org/x",
        "not a url",
    ],
)
def test_urls_must_be_public_https(url):
    with pytest.raises(DomainError):
        webhook_url_check(url)


def test_local_http_only_when_allowed(settings, private_allowed):
    settings.PEERLESS_WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(DomainError, match="https"):
        webhook_url_check("http://127.0.0.1:9000/x")
    settings.PEERLESS_WEBHOOKS_ALLOW_HTTP = True
    assert webhook_url_check("http://127.0.0.1:9000/x") == "http://127.0.0.1:9000/x"
    assert webhook_url_check("https://hooks.example.org/x") == "https://hooks.example.org/x"


def test_chief_manages_webhooks_through_the_api(world):
    client = client_for(world.chief)
    created = client.post(
        "/api/v1/webhooks/",
        {
            "venue": world.venue.slug,
            "url": "https://hooks.example.org/peerless",
            "events": ["decision.published"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert len(body["secret"]) == 64
    url = f"/api/v1/webhooks/{body['id']}/"
    read = client.get(url)
    stale = client.patch(url, {"active": False}, format="json", HTTP_IF_MATCH='"old"')
    assert stale.status_code == 412
    changed = client.patch(
        url, {"active": False}, format="json", HTTP_IF_MATCH=read.headers["ETag"]
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    rotated = client.patch(url, {"rotate_secret": True}, format="json")
    assert rotated.json()["secret"] != body["secret"]
    assert client.get(url + "deliveries/").json()["count"] == 0
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_webhook_create_validates(world):
    response = client_for(world.chief).post(
        "/api/v1/webhooks/",
        {"venue": world.venue.slug, "url": "http://evil.example.org", "events": ["nope"]},
        format="json",
    )
    assert response.status_code == 400
    assert "events.0" in response.json()["errors"]
    response = client_for(world.chief).post(
        "/api/v1/webhooks/",
        {"venue": world.venue.slug, "url": "http://evil.example.org", "events": []},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"url": ["Webhooks are delivered over https:// only."]}


@pytest.mark.parametrize("who", ["editor", "author", "reviewer", "outsider"])
def test_only_chiefs_manage_webhooks(world, who):
    person = getattr(world, who)
    webhook = hook(world, "https://hooks.example.org/x")
    client = client_for(person)
    response = client.post(
        "/api/v1/webhooks/",
        {"venue": world.venue.slug, "url": "https://h.example.org", "events": ["version.uploaded"]},
        format="json",
    )
    assert response.status_code == 403
    assert client.get("/api/v1/webhooks/").json()["count"] == 0
    assert client.get(f"/api/v1/webhooks/{webhook.pk}/").status_code == 404
    assert client.get("/api/v1/webhook-deliveries/").json()["count"] == 0


def test_deliveries_are_listed_with_status(
    world, receiver, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    hook(world, receiver.url)
    client = client_for(world.chief)
    with django_capture_on_commit_callbacks(execute=True):
        world.drive(paper(world.venue, world.author), "submitted")
    client.get("/api/v1/webhook-deliveries/")
    with django_assert_max_num_queries(8) as one:
        rows = client.get("/api/v1/webhook-deliveries/").json()["results"]
    baseline = len(one.captured_queries)
    assert {r["status"] for r in rows} == {"succeeded"}
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            world.drive(paper(world.venue, world.author, title=f"P{n}"), "submitted")
    with django_assert_max_num_queries(baseline):
        rows = client.get("/api/v1/webhook-deliveries/", {"status": "succeeded"}).json()
    assert rows["count"] == 4


def test_review_event_names_the_reviewer_by_number_only(world):
    hook(world, "https://hooks.example.org/x", events=["review.submitted"])
    review = Review.objects.select_related("invitation", "round", "submission__venue").get()
    [delivery] = webhook_emit_review(review=review, first=True)
    assert delivery.payload["review"]["reviewer"] == "Reviewer 1"
    assert world.reviewer.display_name not in json.dumps(delivery.payload)
    assert world.reviewer.email not in json.dumps(delivery.payload)


def test_submitting_a_review_emits_the_event(world, receiver, django_capture_on_commit_callbacks):
    from reviews.services.reviews import review_submit
    from tests.factories import review_answers

    hook(world, receiver.url, events=["review.submitted"])
    review = Review.objects.get(submission=world.submission, reviewer=world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        review_submit(review=review, actor=world.reviewer, raw=review_answers(review))
    [(headers, body)] = receiver.requests
    assert headers["X-Peerless-Event"] == "review.submitted"
    document = json.loads(body)
    assert document["data"]["review"]["reviewer"] == "Reviewer 1"
    assert document["data"]["review"]["first_submission"] is True
    assert world.reviewer.email not in body.decode()


def test_answering_an_invitation_emits_the_event(
    world, receiver, django_capture_on_commit_callbacks
):
    from reviews.services.invitations import (
        invitation_accept,
        invitation_create,
        invitation_decline,
    )
    from tests.factories import VenueRoleFactory

    hook(world, receiver.url, events=["invitation.accepted", "invitation.declined"])
    yes, no = (VenueRoleFactory(venue=world.venue, role="reviewer").user for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        for person in (yes, no):
            invitation_create(submission=world.submission, reviewer=person, invited_by=world.editor)
        invitations = world.submission.review_invitations
        invitation_accept(invitation=invitations.get(reviewer=yes), actor=yes)
        invitation_decline(invitation=invitations.get(reviewer=no), actor=no, reason="Busy.")
    events = [
        (h["X-Peerless-Event"], json.loads(b)["data"]["invitation"]["reviewer"])
        for h, b in receiver.requests
    ]
    assert events == [("invitation.accepted", "Reviewer 2"), ("invitation.declined", None)]
    bodies = b"".join(b for _, b in receiver.requests).decode()
    assert yes.email not in bodies and no.email not in bodies and "Busy." not in bodies
