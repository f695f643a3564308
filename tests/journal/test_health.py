"""`/healthz` and `/readyz`: small JSON answers for probes, 503 naming the check that failed."""

import json
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client

from journal import health
from tests.deploy.files import ROOT
from tests.deploy.stack import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_redis_url():
    """A Redis URL where nothing listens: Redis stopped."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def hardened(settings):
    """Production's host list and HTTPS redirect, which a probe must get past."""
    settings.ALLOWED_HOSTS = ["review.example.org"]
    settings.SECURE_SSL_REDIRECT = True


def test_healthz_answers_on_the_container_address_over_plain_http(hardened):
    response = Client().get("/healthz", HTTP_HOST="172.18.0.5:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_reports_each_check(hardened):
    response = Client().get("/readyz", HTTP_HOST="172.18.0.5:8000")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"


def test_readyz_unavailable_while_the_broker_is_down(settings, dead_redis_url):
    settings.CELERY_BROKER_URL = dead_redis_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"] == "failed: ConnectionError"
    assert body["checks"]["database"] == "ok"
    assert "127.0.0.1" not in response.content.decode()  # no connection details


def test_redis_cache_down_pages_still_served_and_readyz_says_so(settings, dead_redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "journal.cache.TolerantRedisCache",
            "LOCATION": dead_redis_url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    page = Client().get("/accounts/login/")
    assert page.status_code == 200
    assert "<h1>Log in</h1>" in page.content.decode()
    assert cache.get("anything", "fallback") == "fallback"
    assert cache.add("anything", 1) is False
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["cache"].startswith("failed")


def test_readyz_only_for_get_and_head():
    assert Client().head("/readyz").status_code == 200
    assert Client().post("/healthz").status_code == 404
    assert health.PROBES.keys() == {"/healthz", "/readyz"}


def test_health_command_fails_on_a_database_without_migrations(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "journal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "health"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "unavailable"
    assert answer["checks"]["database"] == "ok"
    assert answer["checks"]["migrations"].endswith("migration(s) not applied")


def test_health_command_beat_check_fails_before_beat_ran():
    from django.core.management import call_command

    with pytest.raises(SystemExit) as exited:
        call_command("health", "--beat-within", "900")
    assert exited.value.code == 1
