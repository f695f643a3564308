"""Webhooks reach public endpoints only: addresses checked at every attempt, no redirects,
one message for every network failure."""

import ipaddress

import pytest
import trustme

from journal.models import AuditEvent, Webhook, WebhookDelivery
from journal.models.api import DeliveryStatus
from journal.services.webhook_http import address_is_public
from journal.services.webhooks import UNREACHABLE, webhook_create, webhook_deliver, webhook_emit
from tests.api.support import client_for
from tests.api.webhook_servers import (
    Receiver,
    closed_port,
    connections,
    silent_listener,
    tls_server_context,
)

pytestmark = pytest.mark.django_db

PUBLIC_ONLY = (
    "Webhooks are delivered to public addresses only, not to local, private or reserved ones."
)


def hook(world, url):
    return webhook_create(
        venue=world.venue, actor=world.chief, url=url, events=["submission.submitted"]
    )


def deliver_once(world) -> list[WebhookDelivery]:
    """Emit one event to every webhook of the venue and make one attempt at each delivery."""
    deliveries = webhook_emit(venue=world.venue, event="submission.submitted", payload={"n": 1})
    for delivery in deliveries:
        webhook_deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
    return deliveries


def test_webhook_ssrf_name_resolving_to_loopback_refused_at_delivery(world, settings):
    with silent_listener() as listener:
        port = listener.getsockname()[1]
        settings.PEERLESS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
        hook(world, f"http://localhost:{port}/hook")
        settings.PEERLESS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
        [delivery] = deliver_once(world)
        assert connections(listener) == 0
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.response_code is None
    assert delivery.error == UNREACHABLE
    assert "127.0.0.1" not in delivery.error and "localhost" not in delivery.error


def test_webhook_ssrf_private_ip_literal_refused_at_save(world):
    client = client_for(world.chief)
    existing = hook(world, "https://hooks.example.org/x")
    audit_before = AuditEvent.objects.count()
    urls = [
        "http://127.0.0.1:8000/x",
        "https://0.0.0.0/x",
        "https://10.1.2.3/x",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/x",
        "https://224.0.0.1/x",
        "https://240.0.0.1/x",
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://[::ffff:a9fe:a9fe]/x",
        "https://[64:ff9b::a00:1]/x",
        "https://[fd00::1]/x",
        "https://[fe80::1]/x",
        "https://[ff02::1]/x",
    ]
    for url in urls:
        created = client.post(
            "/api/v1/webhooks/",
            {"venue": world.venue.slug, "url": url, "events": ["decision.published"]},
            format="json",
        )
        assert created.status_code == 400, url
        assert created.json()["errors"] == {"url": [PUBLIC_ONLY]}, url
        changed = client.patch(f"/api/v1/webhooks/{existing.pk}/", {"url": url}, format="json")
        assert changed.status_code == 400, url
        assert changed.json()["errors"] == {"url": [PUBLIC_ONLY]}, url
    assert list(Webhook.objects.values_list("url", flat=True)) == ["https://hooks.example.org/x"]
    assert AuditEvent.objects.count() == audit_before


def test_webhook_ssrf_redirect_not_followed(world, private_allowed):
    with Receiver() as target, Receiver(status=302, location=target.url) as redirecting:
        hook(world, redirecting.url)
        [delivery] = deliver_once(world)
    assert len(redirecting.requests) == 1
    assert target.requests == []
    assert delivery.status == DeliveryStatus.PENDING and delivery.response_code == 302
    assert delivery.error == "The endpoint answered HTTP 302; redirects are not followed."


def test_webhook_ssrf_refused_and_timeout_errors_identical(world, private_allowed, settings):
    settings.PEERLESS_WEBHOOKS_TIMEOUT_SECONDS = 0.5
    with silent_listener() as listener:
        hook(world, f"http://127.0.0.1:{closed_port()}/refused")
        hook(world, f"http://127.0.0.1:{listener.getsockname()[1]}/silent")
        refused, timed_out = deliver_once(world)
        assert connections(listener) == 1
    assert refused.error == timed_out.error == UNREACHABLE
    assert refused.response_code is timed_out.response_code is None
    for delivery in (refused, timed_out):
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
        assert delivery.next_retry_at is not None
    rows = client_for(world.chief).get("/api/v1/webhook-deliveries/").json()["results"]
    assert [row["error"] for row in rows] == [UNREACHABLE, UNREACHABLE]
    shown = " ".join(row["error"] for row in rows).lower()
    assert "refused" not in shown and "timed out" not in shown and "errno" not in shown


def test_https_delivery_over_the_pinned_address_verifies_the_host_name(
    world, private_allowed, monkeypatch, tmp_path
):
    ca = trustme.CA()
    ca.cert_pem.write_to_path(tmp_path / "ca.pem")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    with Receiver(tls=tls_server_context(ca, "localhost"), host="localhost") as server:
        hook(world, server.url)
        [delivery] = deliver_once(world)
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.response_code == 200
    assert server.sni == ["localhost"]
    assert server.requests[0][0]["Host"] == server.url.split("/")[2]


def test_https_delivery_refuses_a_certificate_for_another_name(
    world, private_allowed, monkeypatch, tmp_path
):
    ca = trustme.CA()
    ca.cert_pem.write_to_path(tmp_path / "ca.pem")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    with Receiver(tls=tls_server_context(ca, "hooks.example.org"), host="localhost") as server:
        hook(world, server.url)
        [delivery] = deliver_once(world)
    assert server.requests == []
    assert delivery.status == DeliveryStatus.PENDING and delivery.error == UNREACHABLE


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("::ffff:93.184.215.14", True),
        ("64:ff9b::93.184.215.14", True),
        ("127.0.0.1", False),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("224.0.0.251", False),
        ("239.255.255.250", False),
        ("255.255.255.255", False),
        ("::", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::7f00:1", False),
        ("2002:7f00:1::", False),
        ("fc00::1", False),
        ("fe80::1", False),
        ("fec0::1", False),
        ("ff02::1", False),
    ],
)
def test_only_public_addresses_receive_deliveries(address, public):
    assert address_is_public(ipaddress.ip_address(address)) is public
