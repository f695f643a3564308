"""Rate limits hold across processes: two real processes share one count in the shared cache.

Each process is a separate Python interpreter with the settings a web worker would read from
its environment, on this test's database; one limit is spent half in each.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from tests.api.support import token_for
from tests.factories import UserFactory
from tests.journal.portal.conftest import verified_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(params=["redis", "database"])
def worker_env(request):
    """The environment of a web process whose shared cache is Redis, or the database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CACHE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="journal.settings",
        DATABASE_URL=database_url(),
        API_THROTTLE_USER="5/minute",
    )
    if request.param == "redis":
        if not env.get("CELERY_BROKER_URL", "").startswith("redis"):
            pytest.skip("No test Redis: run the tests through `python -m tests.servers`.")
    else:
        env.pop("CELERY_BROKER_URL", None)
    probe = "import json, django; django.setup(); from django.conf import settings; " + (
        "print(json.dumps(settings.CACHES['default']))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    backend = json.loads(found.stdout)["BACKEND"]
    assert ("Redis" in backend) == (request.param == "redis"), backend
    _empty_counters(env, backend)
    env["PEERLESS_TEST_CACHE_BACKEND"] = backend
    return env


def _empty_counters(env, backend: str) -> None:
    if "Redis" in backend:
        code = "import django; django.setup(); from django.core.cache import cache; cache.clear()"
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM peerless_cache")


def probe(env, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.journal.limit_probe", *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def answers(process: subprocess.Popen) -> list:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_api_throttle_is_one_count_across_two_processes(worker_env):
    token = token_for(UserFactory())
    first = answers(probe(worker_env, "api", token, 3))
    second = answers(probe(worker_env, "api", token, 4))
    assert first == [200, 200, 200]
    assert second == [200, 200, 429, 429]


def test_api_throttle_holds_with_two_processes_at_once(worker_env, tmp_path):
    token = token_for(UserFactory())
    go = tmp_path / "go"
    processes = [probe(worker_env, "api", token, 6, go) for _ in range(2)]
    go.touch()
    codes = answers(processes[0]) + answers(processes[1])
    assert sorted(codes) == [200] * 5 + [429] * 7


def test_login_limit_is_one_count_across_two_processes(worker_env):
    owner = verified_user()
    # 5 failures per account and client in 15 minutes: 3 in one process, then 3 in another.
    assert answers(probe(worker_env, "login", owner.email, 3)) == [False, False, False]
    assert answers(probe(worker_env, "login", owner.email, 3)) == [False, False, True]


def test_the_in_process_cache_is_the_shared_one():
    """Tests run with the cache a worker would get from the same environment."""
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "journal.cache.TolerantRedisCache",
        "journal.cache.CountingDatabaseCache",
    }
    caches["default"].set("peerless:probe", "1", 5)
    assert caches["default"].get("peerless:probe") == "1"
