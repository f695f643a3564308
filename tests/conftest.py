"""Shared fixtures. Tests run on the PostgreSQL and Redis that `tests.servers` starts."""

from collections import Counter

import pytest
from django.core import mail, serializers
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models.signals import post_migrate

from journal.celery import app as celery_app
from reviews.models import ReviewForm, ReviewFormField
from tests.deploy import stack as deploy_stack


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Refuse a collection where two tests share an id: the suite's processes (pytest-xdist)
    schedule by id, so all but one of them would silently not run. Then put the files marked
    `long_setup` first, so that the process that takes one is not the last to finish."""
    twice = [nodeid for nodeid, n in Counter(item.nodeid for item in items).items() if n > 1]
    if twice:
        raise pytest.UsageError(f"{len(twice)} test ids name more than one test: {twice[:3]}")
    items.sort(key=lambda item: item.get_closest_marker("long_setup") is None)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Keep each test's uploads in its own folder; hash test passwords cheaply."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


#: The models whose rows the migrations write (the shipped review forms): a fresh database has them.
MIGRATION_ROWS = (ReviewForm, ReviewFormField)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and after every flush the rows the migrations wrote, put back.

    A transactional test ends by emptying every table (then `post_migrate` is sent, as after
    `migrate`). The rows are read once here, before any test ran, and put back under their
    own keys, so every test starts from what `migrate` leaves, whatever ran before it in its
    process.
    """
    with django_db_blocker.unblock():
        rows = [serializers.serialize("python", m.objects.order_by("pk")) for m in MIGRATION_ROWS]

    def put_back(sender, using, **kwargs):
        if sender.label != ReviewForm._meta.app_label:
            return
        with transaction.atomic(using=using):
            if ReviewForm.objects.using(using).exists():
                return
            for batch in rows:
                for item in serializers.deserialize("python", batch, using=using):
                    item.save(using=using)
            with connections[using].cursor() as cursor:
                ops = connections[using].ops
                for sql in ops.sequence_reset_sql(no_style(), list(MIGRATION_ROWS)):
                    cursor.execute(sql)

    post_migrate.connect(put_back, weak=False, dispatch_uid="tests-migration-rows")
    yield
    post_migrate.disconnect(dispatch_uid="tests-migration-rows")


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
