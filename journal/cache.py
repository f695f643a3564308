"""The shared cache: on Redis, carrying on without it while Redis is unreachable; or in the
database, counting atomically.

The cache holds only counters (login rate limits, API throttles) and other values that can be
lost. When Redis is down or slow, a read answers "not cached", a write is dropped and both
are logged, so an outage of Redis degrades the limits instead of failing every request; the
readiness check (`/readyz`) still reports it.
"""

import base64
import logging
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router, transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _tolerant(name: str, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as exc:
            logger.warning("Cache unreachable (%s): %s", name, exc)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is unreachable."""

    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    add = _tolerant("add", False)
    incr = _tolerant("incr", lambda key, delta=1, version=None: 0)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", False)


class CountingDatabaseCache(DatabaseCache):
    """Django's database cache with an `incr` that holds across processes.

    Django's own reads the value and writes it back, so two processes counting at once can
    both write the same count; here the row is locked for the read and the write (on
    PostgreSQL; SQLite serialises writers itself), and its expiry is kept.
    """

    def incr(self, key, delta=1, version=None):
        made = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s{lock}", [made])
                found = cursor.fetchone() is not None
            value = self.get(key, version=version) if found else None
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET value = %s WHERE cache_key = %s",
                    [encoded.decode("latin1"), made],
                )
        return new_value
