"""Fixtures of the API tests."""

import pytest
from django.core.cache import cache
from schemathesis.pytest.plugin import SchemathesisFunction

from tests.api.support import make_world


def pytest_collection_modifyitems(items):
    """Give each Schemathesis case its operation in its test id.

    pytest 9 builds an item's id from its function name and parameters, so every
    operation's case had the id of the function: the suite's processes (pytest-xdist)
    schedule by id and would run one operation in place of all of them.
    """
    for item in items:
        if isinstance(item, SchemathesisFunction) and item.id.params is None:
            item._id = item.id.with_params(item.operation_label)


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
