"""Give each pytest-xdist worker Redis databases of its own (loaded with `-p`, before Django).

`make test` runs the suite in several processes (`-n`). They share the one Redis that
`tests.servers` started, so each worker moves its Celery broker and its shared cache to a
pair of databases no other worker uses: worker N takes 2 + 2N (broker) and 3 + 2N (cache).
A Celery worker started by one test process then never takes another's tasks, and a test
clearing the cache never empties another's counters. Without xdist nothing changes
(broker 0, cache 1).
"""

import os
from urllib.parse import urlsplit

#: Databases the suite's Redis is started with (`tests.servers`): room for 31 workers.
REDIS_DATABASES = 64


def _redis_db(url: str, number: int) -> str:
    return urlsplit(url)._replace(path=f"/{number}").geturl()


def shared_cache_url() -> str:
    """The URL of this process's shared cache, as the settings chose it (CACHE_URL, or the
    database after the broker's)."""
    from django.conf import settings

    return settings.CACHES["default"]["LOCATION"]


def _isolate_worker() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not worker.startswith("gw") or not broker.startswith("redis"):
        return
    number = 2 + 2 * int(worker.removeprefix("gw"))
    if number + 1 >= REDIS_DATABASES:
        raise SystemExit(f"pytest-xdist worker {worker}: too many workers for one Redis")
    os.environ["CELERY_BROKER_URL"] = _redis_db(broker, number)
    os.environ["CACHE_URL"] = _redis_db(broker, number + 1)


_isolate_worker()
