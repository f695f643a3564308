"""Fixtures for the tests that run the site's processes as its containers would."""

import os

import pytest

from tests.deploy import stack


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files and their manifest, collected once for the session as the image build does."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = stack.production_env(
        static_root=root, media_root=root / "unused", broker_url="memory://", cache_url=None
    )
    env.pop("DATABASE_URL")
    stack.collectstatic(env)
    return root


@pytest.fixture
def broker_url():
    """The suite's Redis (from `tests.servers`), database 0: the Celery broker."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("CELERY_BROKER_URL is not set; run the suite through `make test`.")
    return url


@pytest.fixture
def cache_url(broker_url):
    """The same Redis, database 1: the shared cache, as in compose.yaml."""
    return broker_url.rsplit("/", 1)[0] + "/1"
