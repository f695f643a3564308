"""Start the site's processes the way the image and compose.yaml do, without Docker.

The commands and environment come from the Dockerfile's runtime stage and compose.yaml, so a
test that runs them runs what the containers would: gunicorn with gunicorn.conf.py in
production settings, the Celery worker with the compose command line.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from django.db import connection

from tests.deploy.files import ROOT, compose, dockerfile, exec_form

SECRET_KEY = "k8#vQ2!mZr7@pL4$wX9^tN1&bH6*cJ3(fD5)gS0_eA8+yU2=iO7"
HOST = "review.example.org"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database the test process uses (the test database under pytest)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def production_env(
    *, static_root: Path, media_root: Path, broker_url: str, cache_url: str | None, **extra: str
) -> dict[str, str]:
    """The environment of a container: the image's ENV, the stack's URLs and the secrets."""
    image = dockerfile()[-1].env()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(image)
    env.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        DJANGO_SETTINGS_MODULE="journal.settings",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=broker_url,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    env.update(extra)
    return env


def collectstatic(env: dict[str, str]) -> None:
    """Run the image's build-time collectstatic into env's STATIC_ROOT."""
    build = dockerfile()[0]
    (step,) = [args for args in build.all("RUN") if "collectstatic" in args]
    command = step[step.index("python manage.py") :].split("&&")[0].split()
    subprocess.run(
        [sys.executable, *command[1:]], cwd=ROOT, env=env, check=True, capture_output=True
    )


@dataclass
class Process:
    proc: subprocess.Popen
    log: Path
    url: str = ""

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def command(args: list[str]) -> list[str]:
    """A container command with its program taken from this virtualenv."""
    program, *rest = args
    if program == "python":
        return [sys.executable, *rest]
    return [str(BIN / program), *rest]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, log: Path, workers: int = 2) -> Iterator[Process]:
    """Serve the site with the image's CMD; yield once /healthz answers."""
    port = free_port()
    (cmd,) = dockerfile()[-1].all("CMD")
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers)}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command(exec_form(cmd)), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    process = Process(proc=proc, log=log, url=f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"gunicorn exited {proc.returncode}:\n{process.output()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{process.url}/healthz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not answer:\n{process.output()}")
            time.sleep(0.2)
        yield process
    finally:
        _stop(proc)


@contextlib.contextmanager
def celery_worker(
    env: dict[str, str], *, log: Path, concurrency: int = 1, extra: tuple[str, ...] = ()
) -> Iterator[Process]:
    """Run the compose worker command; yield once the worker is ready for tasks."""
    args = list(compose()["services"]["worker"]["command"])
    index = args.index("--concurrency")
    args[index + 1] = str(concurrency)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command(args), "--without-gossip", "--without-mingle", *extra],
            cwd=ROOT,
            env={**env, "LOG_LEVEL": "INFO"},  # "ready." is logged at INFO
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    process = Process(proc=proc, log=log)
    try:
        deadline = time.monotonic() + 90
        while "ready." not in process.output():
            if proc.poll() is not None:
                raise AssertionError(f"the worker exited {proc.returncode}:\n{process.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker did not start:\n{process.output()}")
            time.sleep(0.2)
        yield process
    finally:
        _stop(proc)


class RedisServer:
    """A Redis server of the test's own, on a fixed port so it can be stopped and restarted."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(
                ("127.0.0.1", self.port), 0.2
            ):
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("Redis did not start.")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found
