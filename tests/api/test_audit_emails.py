"""Audit events and the e-mail outbox: who may list and read them."""

import pytest

from journal.enums import SubmissionState
from journal.models import AuditEvent, OutboundEmail
from tests.api.support import client_for, paper
from tests.factories import UserFactory

S = SubmissionState
pytestmark = pytest.mark.django_db


def listed(client, url, **params) -> set[int]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_audit_events_per_role(world):
    events = AuditEvent.objects.filter(submission=world.submission)
    everything = set(events.values_list("pk", flat=True))
    for_authors = set(
        AuditEvent.objects.filter(submission=world.submission, visibility="authors").values_list(
            "pk", flat=True
        )
    )
    url = "/api/v1/audit-events/"
    assert listed(client_for(world.chief), url) >= everything
    assert listed(client_for(world.editor), url) == everything
    assert listed(client_for(world.author), url) == for_authors
    assert listed(client_for(world.reviewer), url) == set()
    assert listed(client_for(world.outsider), url) == set()
    assert for_authors < everything


def test_audit_event_detail_and_filters(world):
    event = AuditEvent.objects.filter(submission=world.submission, visibility="editors").first()
    url = f"/api/v1/audit-events/{event.pk}/"
    body = client_for(world.editor).get(url).json()
    assert body["action"] == event.action and body["actor"]
    assert client_for(world.author).get(url).status_code == 404
    rows = listed(client_for(world.chief), "/api/v1/audit-events/", action="submission.transition")
    assert rows and all(
        AuditEvent.objects.get(pk=pk).action == "submission.transition" for pk in rows
    )


def test_audit_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = client_for(world.chief)
    client.get("/api/v1/audit-events/")
    # includes a fixed 8 for the caller's conflicts of interest, one pass per request
    with django_assert_max_num_queries(12) as one:
        client.get("/api/v1/audit-events/")
    baseline = len(one.captured_queries)
    for n in range(3):
        world.drive(paper(world.venue, UserFactory(), title=f"P{n}"), S.SUBMITTED)
    with django_assert_max_num_queries(baseline):
        client.get("/api/v1/audit-events/")


def test_outbox_only_for_chiefs(world):
    venue_mail = set(OutboundEmail.objects.filter(venue=world.venue).values_list("pk", flat=True))
    assert venue_mail
    url = "/api/v1/emails/"
    assert listed(client_for(world.chief), url) == venue_mail
    for person in (world.editor, world.author, world.reviewer, world.outsider):
        assert listed(client_for(person), url) == set()
    one = next(iter(venue_mail))
    assert client_for(world.chief).get(f"{url}{one}/").json()["subject"]
    assert client_for(world.author).get(f"{url}{one}/").status_code == 404
    assert client_for(world.chief).post(url, {}).status_code == 405


def test_outbox_filters_and_query_count(world, django_assert_max_num_queries):
    client = client_for(world.chief)
    rows = client.get("/api/v1/emails/", {"status": "sent"}).json()["results"]
    assert all(r["status"] == "sent" for r in rows)
    client.get("/api/v1/emails/")
    # 8 for the page, 8 for the caller's conflicts of interest (one pass per request)
    with django_assert_max_num_queries(16) as one:
        client.get("/api/v1/emails/")
    baseline = len(one.captured_queries)
    for n in range(3):
        world.drive(paper(world.venue, UserFactory(), title=f"P{n}"), S.SUBMITTED)
    with django_assert_max_num_queries(baseline):
        client.get("/api/v1/emails/")
