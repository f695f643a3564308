"""The settings profiles, read from the environment in a fresh process each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'email': settings.EMAIL_BACKEND, "
    "'debug': settings.DEBUG, 'hsts': getattr(settings, 'SECURE_HSTS_SECONDS', 0), "
    "'secure_cookies': getattr(settings, 'SESSION_COOKIE_SECURE', False), "
    "'hosts': settings.ALLOWED_HOSTS}))"
)
CLEARED = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "PEERLESS_ENV",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_BACKEND",
    "EMAIL_URL",
    "CACHE_URL",
}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base["DJANGO_SETTINGS_MODULE"] = "journal.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**env: str) -> dict:
    result = run(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_settings_default_is_embedded():
    found = settings_with()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["eager"] is True
    assert found["email"] == "django.core.mail.backends.console.EmailBackend"
    assert found["debug"] is True


def test_settings_urls_switch_to_postgres_and_redis():
    found = settings_with(
        DATABASE_URL="postgres://u:p@db.internal:5432/peerless",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["eager"] is False


def test_settings_rate_limit_counters_live_in_a_shared_cache():
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.CACHES['default']))"
    )
    alone = json.loads(run(probe).stdout)
    assert alone == {
        "BACKEND": "journal.cache.CountingDatabaseCache",
        "LOCATION": "peerless_cache",
    }
    with_broker = json.loads(run(probe, CELERY_BROKER_URL="redis://queue.internal:6379/0").stdout)
    assert with_broker["BACKEND"] == "journal.cache.TolerantRedisCache"
    assert with_broker["LOCATION"] == "redis://queue.internal:6379/1"
    result = run(probe, CACHE_URL="redis://cache.internal:6379/1")
    assert result.returncode == 0, result.stderr
    shared = json.loads(result.stdout)
    assert shared["BACKEND"] == "journal.cache.TolerantRedisCache"
    assert shared["LOCATION"] == "redis://cache.internal:6379/1"


def test_settings_production_is_hardened():
    found = settings_with(
        PEERLESS_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="review.example.org"
    )
    assert found["debug"] is False
    assert found["hsts"] >= 31536000
    assert found["secure_cookies"] is True
    assert found["hosts"] == ["review.example.org"]


def test_settings_production_requires_secret_key():
    result = run(PROBE, PEERLESS_ENV="production", ALLOWED_HOSTS="review.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_unknown_profile_is_refused():
    result = run(PROBE, PEERLESS_ENV="staging")
    assert result.returncode != 0
    assert "PEERLESS_ENV must be" in result.stderr


PRODUCTION = {
    "PEERLESS_ENV": "production",
    "SECRET_KEY": "k8#vQ2!mZr7@pL4$wX9^tN1&bH6*cJ3(fD5)gS0_eA8+yU2=iO7",
    "ALLOWED_HOSTS": "review.example.org",
}
PAGE_PROBE = (
    "import journal.wsgi; from django.test import Client; "
    "r = Client().get('/accounts/login/', HTTP_HOST='review.example.org', secure=True); "
    "print(r.status_code); print(r.content.decode())"
)


def test_production_start_without_collectstatic_fails_loudly(tmp_path):
    result = run(PAGE_PROBE, **PRODUCTION, STATIC_ROOT=str(tmp_path))
    assert result.returncode != 0
    assert "static files manifest" in result.stderr
    assert "collectstatic --noinput" in result.stderr


@pytest.mark.slow
def test_production_serves_pages_with_static_files_after_collectstatic(collected_static):
    result = run(PAGE_PROBE, **PRODUCTION, STATIC_ROOT=str(collected_static))
    assert result.returncode == 0, result.stderr
    status, page = result.stdout.split("\n", 1)
    assert status == "200"
    assert "/static/journal/peerless." in page  # the hashed name from the manifest


@pytest.mark.slow
def test_check_deploy_passes_in_production(collected_static):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(**PRODUCTION, STATIC_ROOT=str(collected_static))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_reports_a_missing_static_manifest(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(**PRODUCTION, STATIC_ROOT=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "peerless.E001" in result.stderr + result.stdout
