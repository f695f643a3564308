"""The Django admin refuses what the application's own services refuse."""

import pytest
from django.test import Client

from journal.models import Webhook
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_webhook_ssrf_private_ip_literal_refused_in_admin():
    venue = VenueFactory()
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = {"venue": venue.pk, "events": '["decision.published"]', "active": "on"}

    refused = client.post(
        "/admin/journal/webhook/add/", {**form, "url": "https://169.254.169.254/latest/"}
    )

    assert refused.status_code == 200
    assert "Webhooks are delivered to public addresses only" in refused.content.decode()
    assert not Webhook.objects.exists()
    accepted = client.post("/admin/journal/webhook/add/", {**form, "url": "https://h.example.org/"})
    assert accepted.status_code == 302
    assert list(Webhook.objects.values_list("url", flat=True)) == ["https://h.example.org/"]



@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("journal/venue", "phase"),
        ("reviews/reviewinvitation", "state"),
        ("reviews/review", "state"),
        ("reviews/reviewflag", "state"),
        ("reviews/affinityrun", "status"),
        ("reviews/assignmentrun", "status"),
    ],
)
def test_admin_shows_workflow_states_read_only(page, field):
    """States move through their transition services only, never through the admin."""
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/{page}/add/")
    assert response.status_code == 200
    assert f'name="{field}"' not in response.content.decode()
