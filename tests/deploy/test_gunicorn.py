"""gunicorn on PostgreSQL and Redis, started as the image starts it (its CMD and ENV)."""

import json
import re
import subprocess

import httpx
import pytest

from tests.deploy import stack
from tests.deploy.files import ROOT, dockerfile, exec_form

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SITE = {"Host": stack.HOST, "X-Forwarded-Proto": "https"}


def test_gunicorn_answers_health_readiness_and_a_page_with_its_static_files(
    collected_static, broker_url, cache_url, tmp_path
):
    env = stack.production_env(
        static_root=collected_static,
        media_root=tmp_path / "media",
        broker_url=broker_url,
        cache_url=cache_url,
    )
    with stack.gunicorn(env, log=tmp_path / "gunicorn.log") as web:
        live = httpx.get(f"{web.url}/healthz")
        ready = httpx.get(f"{web.url}/readyz")
        page = httpx.get(f"{web.url}/accounts/login/", headers=SITE)
        css = re.search(r"/static/journal/peerless\.[0-9a-f]{12}\.css", page.text)
        style = httpx.get(f"{web.url}{css.group(0)}", headers=SITE) if css else None
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "broker": "ok",
        "cache": "ok",
    }
    assert page.status_code == 200
    assert "<h1>Log in</h1>" in page.text
    assert css, "the page links no hashed style sheet"
    assert style.status_code == 200
    assert style.headers["content-type"].startswith("text/css")
    assert "immutable" in style.headers["cache-control"]
    assert style.text == (ROOT / "journal/static/journal/peerless.css").read_text()

    lines = [json.loads(line) for line in web.output().splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("event") == "http.request"]
    login = next(line for line in access if line["path"] == "/accounts/login/")
    assert login["status"] == 200 and login["method"] == "GET"
    assert login["request_id"] == page.headers["Correlation-ID"]
    assert isinstance(login["duration_ms"], float)


def test_gunicorn_without_static_manifest_refuses_to_start(broker_url, tmp_path):
    env = stack.production_env(
        static_root=tmp_path / "empty",
        media_root=tmp_path / "media",
        broker_url=broker_url,
        cache_url=None,
        PORT=str(stack.free_port()),
    )
    (cmd,) = dockerfile()[-1].all("CMD")
    result = subprocess.run(
        stack.command(exec_form(cmd)),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "static files manifest" in output
    assert "collectstatic --noinput" in output
    assert "Booting worker" not in output
