"""Shared fixtures. Tests run on the PostgreSQL and Redis that `tests.servers` starts."""

import pytest
from django.core import mail

from journal.celery import app as celery_app
from tests.deploy import stack as deploy_stack


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Keep each test's uploads in its own folder; hash test passwords cheaply."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Run tasks in-process unless the test asked for the real worker."""
    if "celery_worker" in request.fixturenames:
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker(transactional_db):
    """Start a real Celery worker consuming from the test Redis broker.

    The worker runs in a thread of this process with its own database connection, so the
    test must commit what the worker should see (hence `transactional_db`).
    """
    from celery.contrib.testing.worker import start_worker

    if not celery_app.conf.broker_url or celery_app.conf.broker_url.startswith("memory"):
        pytest.skip("CELERY_BROKER_URL is not set; run the suite through `make test`.")
    celery_app.conf.task_always_eager = False
    with start_worker(
        celery_app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30
    ) as worker:
        yield worker


@pytest.fixture
def outbox():
    """The locmem outbox, emptied for this test."""
    mail.outbox.clear()
    return mail.outbox


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files and their manifest, collected once for the session as the image build does."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = deploy_stack.production_env(
        static_root=root, media_root=root / "unused", broker_url="memory://", cache_url=None
    )
    env.pop("DATABASE_URL")
    deploy_stack.collectstatic(env)
    return root
