"""Shared steps of the end-to-end flows: pages visited as each person, leak checks, mail."""

import time
from dataclasses import dataclass, field

from django.core import mail
from django.test import Client

from journal.enums import EmailStatus
from journal.models import OutboundEmail, User
from tests.reviews.workflow.world import COAUTHOR_NAME, World

AUTHOR_MARKERS = ("Quillfeather", "authors-lab", COAUTHOR_NAME, "Underwood")


@dataclass
class Visits:
    """Every response body each person received, by user id."""

    bodies: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    clients: dict[int, Client] = field(default_factory=dict)

    def client(self, user: User) -> Client:
        if user.pk not in self.clients:
            client = Client()
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def get(self, user: User, url: str, status: int = 200):
        response = self.client(user).get(url)
        assert response.status_code == status, (url, response.status_code)
        self._keep(user, url, response)
        return response

    def post(self, user: User, url: str, data: dict, status: int = 302):
        response = self.client(user).post(url, data)
        assert response.status_code == status, (url, response.status_code, _text(response))
        self._keep(user, url, response)
        if status == 302:
            self.get(user, response.url)
        return response

    def api(self, user: User, url: str):
        response = self.client(user).get(url, HTTP_ACCEPT="application/json")
        assert response.status_code < 500, (url, response.status_code)
        self._keep(user, url, response)
        return response

    def _keep(self, user, url, response):
        self.bodies.setdefault(user.pk, []).append((url, _text(response)))


API_LISTS = ["submissions", "invitations", "reviews", "comments", "decisions", "audit-events"]
API_OF_PAPER = ["", "invitations/", "reviews/", "comments/", "recommendation/"]


def visit_api(visits: Visits, world: World) -> None:
    """Read every API list and the paper's API endpoints as each reviewer and the author."""
    pk = world.submission.pk
    for person in [*world.reviewers, world.author]:
        for name in API_LISTS:
            visits.api(person, f"/api/v1/{name}/")
        for part in API_OF_PAPER:
            visits.api(person, f"/api/v1/submissions/{pk}/{part}")


def _text(response) -> str:
    content = getattr(response, "content", b"")
    return content.decode(errors="replace") if isinstance(content, bytes) else str(content)


def reviewer_markers(world: World) -> list[str]:
    markers = []
    for reviewer in world.reviewers:
        markers += [reviewer.display_name, reviewer.email, reviewer.email.split("@")[1]]
    return markers


def assert_no_leaks(world: World, visits: Visits) -> int:
    """Check no author identity reached a reviewer and no reviewer identity an author.

    Return how many responses were checked.
    """
    checked = 0
    for reviewer in world.reviewers:
        for url, body in visits.bodies.get(reviewer.pk, []):
            for marker in AUTHOR_MARKERS:
                assert marker not in body, f"{marker!r} reached {reviewer} on {url}"
            checked += 1
    for url, body in visits.bodies.get(world.author.pk, []):
        for marker in reviewer_markers(world):
            assert marker not in body, f"{marker!r} reached the author on {url}"
        checked += 1
    return checked


def assert_no_leaks_in_mail(world: World) -> None:
    """Check the same for every e-mail that went out."""
    reviewer_ids = {r.pk for r in world.reviewers}
    author_addresses = set(world.submission.authors.values_list("email", flat=True))
    for email in OutboundEmail.objects.all():
        text = email.subject + email.body
        if email.recipient_id in reviewer_ids:
            for marker in AUTHOR_MARKERS:
                assert marker not in text, f"{marker!r} mailed to a reviewer ({email.template})"
        if email.to in author_addresses:
            for marker in reviewer_markers(world):
                assert marker not in text, f"{marker!r} mailed to an author ({email.template})"


def wait_for_mail(timeout: float = 30) -> list[OutboundEmail]:
    """Wait until the worker has sent every queued message; return them all."""
    deadline = time.monotonic() + timeout
    while OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists():
        assert time.monotonic() < deadline, list(
            OutboundEmail.objects.exclude(status=EmailStatus.SENT).values_list(
                "template", "status", "error"
            )
        )
        time.sleep(0.1)
    emails = list(OutboundEmail.objects.order_by("pk"))
    sent_subjects = [m.subject for m in mail.outbox]
    for email in emails:
        assert email.subject in sent_subjects, email.subject
    return emails


def templates_to(emails: list[OutboundEmail], user: User) -> set[str]:
    return {e.template for e in emails if e.recipient_id == user.pk or e.to == user.email}
