"""The shared cache on Redis, carrying on without it while Redis is unreachable.

The cache holds only counters (login rate limits, API throttles) and other values that can be
lost. When Redis is down or slow, a read answers "not cached", a write is dropped and both
are logged, so an outage of Redis degrades the limits instead of failing every request; the
readiness check (`/readyz`) still reports it.
"""

import logging

from django.core.cache.backends.redis import RedisCache
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
