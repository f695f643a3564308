"""Fixtures of the API tests."""

import pytest
from django.core.cache import cache

from tests.api.support import make_world


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """Start every test with empty rate counters; let webhooks reach a local test server."""
    cache.clear()
    settings.PEERLESS_WEBHOOKS_ALLOW_HTTP = True
    yield
    cache.clear()


@pytest.fixture
def private_allowed(settings):
    """Let webhook deliveries reach the local test servers on 127.0.0.1."""
    settings.PEERLESS_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def world(db):
    return make_world()
