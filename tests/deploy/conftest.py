"""Fixtures for the tests that run the site's processes as its containers would."""

import contextlib
import os

import pytest

from tests.deploy import stack
from tests.parallel import shared_cache_url


@pytest.fixture
def broker_url():
    """The suite's Redis (from `tests.servers`), database 0: the Celery broker."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("CELERY_BROKER_URL is not set; run the suite through `make test`.")
    return url


@pytest.fixture
def cache_url(broker_url):
    """The same Redis, the next database: the shared cache, as in compose.yaml."""
    return shared_cache_url()


@pytest.fixture
def queued_tasks(broker_url):
    """Send tasks to the Redis broker (for worker processes) instead of running them here."""
    with tasks_queued():
        yield


@contextlib.contextmanager
def tasks_queued():
    """Within: tasks go to the broker, for a worker process, instead of running here."""
    from journal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


def worker_env(tmp_path, broker_url, **extra):
    """The environment of a worker container, on the test database and the given broker."""
    return stack.production_env(
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        broker_url=broker_url,
        cache_url=None,
        LOG_LEVEL="INFO",
        **extra,
    )
