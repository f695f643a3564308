"""Run a command against throwaway PostgreSQL and Redis servers started for it.

    python -m tests.servers pytest -q           # what `make test` runs

Each run gets its own data directory and free ports, so runs never share state and need no
system service. PostgreSQL refuses to run as root, so as root the server runs as the
`postgres` system user (created by Debian's package). An already set DATABASE_URL or
CELERY_BROKER_URL is used as it is instead of starting that server.
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

from tests.parallel import REDIS_DATABASES


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bindir() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if candidates:
        return candidates[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(os.path.realpath(initdb))
    raise SystemExit("PostgreSQL is not installed: apt-get install postgresql")


def _as_db_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextlib.contextmanager
def postgres(workdir: str) -> Iterator[str]:
    """Start a PostgreSQL server in `workdir`; yield its URL; stop it afterwards."""
    bindir = _pg_bindir()
    datadir = os.path.join(workdir, "pg")
    os.makedirs(datadir)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
        os.chown(datadir, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    subprocess.run(
        _as_db_user(
            [
                f"{bindir}/initdb",
                "-D",
                datadir,
                "-U",
                "peerless",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        _as_db_user(
            [
                f"{bindir}/pg_ctl",
                "-D",
                datadir,
                "-o",
                options,
                "-w",
                "-l",
                os.path.join(workdir, "pg.log"),
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        subprocess.run(
            _as_db_user(
                [
                    f"{bindir}/createdb",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "peerless",
                    "peerless",
                ]
            ),
            check=True,
        )
        yield f"postgres://peerless@127.0.0.1:{port}/peerless"
    finally:
        subprocess.run(
            _as_db_user([f"{bindir}/pg_ctl", "-D", datadir, "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


@contextlib.contextmanager
def redis(workdir: str) -> Iterator[str]:
    """Start a Redis server in `workdir`; yield its URL; stop it afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("Redis is not installed: apt-get install redis-server")
    port = _free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--databases",
            str(REDIS_DATABASES),
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("Redis did not start.")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    env = dict(os.environ)
    with contextlib.ExitStack() as stack:
        workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="peerless-test-"))
        os.chmod(workdir, 0o755)  # the database user must reach its folder inside
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(postgres(os.path.join(workdir, "db")))
        if not env.get("CELERY_BROKER_URL"):
            os.makedirs(os.path.join(workdir, "redis"))
            env["CELERY_BROKER_URL"] = stack.enter_context(redis(os.path.join(workdir, "redis")))
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
