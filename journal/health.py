"""Liveness and readiness answers for load balancers and container health checks.

`/healthz` says the process is up and answering, touching nothing else. `/readyz` says it can
serve: the database answers, every migration of this code is applied, and Redis (the Celery
broker and, when configured, the shared cache) answers. Both are small JSON objects; a failed
check answers 503 and names the check, without connection details.

They are answered by a middleware placed first, before host validation and the HTTPS
redirect, so a probe on the container's own address over plain HTTP gets the real answer.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 2.0
_migrations_applied = False  # once true for this code, it stays true for this process


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_migrations() -> str | None:
    """Return why the database is behind this code, or None."""
    global _migrations_applied
    if _migrations_applied:
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} migration(s) not applied"
    _migrations_applied = True
    return None


def check_broker() -> str | None:
    """Ping the Celery broker when tasks go through one; None when it answers or is unused."""
    url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return None


def check_cache() -> None:
    """Write and read a key when the cache is shared (Redis); per-process caches always work."""
    cache = caches["default"]
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return
    key = "peerless:readyz"
    cache.set(key, "1", timeout=30)
    if cache.get(key) != "1":
        raise ConnectionError("the cache did not keep a value")


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
    "cache": check_cache,
}


def readiness() -> tuple[bool, dict[str, str]]:
    """Run every readiness check; return whether all passed and each one's answer."""
    answers: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "migrations" and answers.get("database") != "ok":
            answers[name] = "skipped"
            continue
        try:
            problem = check()
        except Exception as exc:
            logger.warning("Readiness check %s failed: %s", name, exc)
            answers[name] = f"failed: {type(exc).__name__}"
        else:
            answers[name] = f"failed: {problem}" if problem else "ok"
    ok = all(answer == "ok" for answer in answers.values())
    return ok, answers


def liveness_response() -> JsonResponse:
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readiness_response() -> JsonResponse:
    started = time.perf_counter()
    ok, answers = readiness()
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": answers,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if ok else 503, headers={"Cache-Control": "no-store"})


PROBES = {"/healthz": liveness_response, "/readyz": readiness_response}


class HealthCheckMiddleware:
    """Answer GET/HEAD `/healthz` and `/readyz` before anything else runs."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is not None and request.method in {"GET", "HEAD"}:
            return probe()
        return self.get_response(request)
