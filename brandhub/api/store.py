"""The API's use of Redis: one connection per process behind a circuit breaker, and the shared throttle counts.

Redis holds no key data and no answers: those are per-process copies (``hotcache``), so nothing stale can
survive in Redis while it is paused or cut off. Redis carries the invalidation messages and counts
requests for throttling; without Redis (the embedded mode) Django's cache counts them.

When Redis fails, the breaker opens for ``BREAKER_SECONDS``: the request path skips Redis at once instead
of each request waiting for a timeout. The API then answers from the database and throttling lets
requests through (availability first; /healthz reports the broker as down).
"""

import functools
import logging
import os
import time

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

BREAKER_SECONDS = 2.0
TIMEOUT = 0.25  # seconds; Redis answers in well under a millisecond when it is well
logger = logging.getLogger(__name__)
_breaker = {"open_until": 0.0}


def trip() -> None:
    """Redis failed: skip it for the next ``BREAKER_SECONDS``."""
    _breaker["open_until"] = time.monotonic() + BREAKER_SECONDS


def degrade(default):
    """When Redis fails, open the breaker and answer ``default`` instead of failing the request."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except (RedisError, OSError):
                trip()
                logger.warning("API store: Redis unavailable in %s", function.__name__, exc_info=True)
                return default

        return wrapper

    return decorate


def redis_client(ignore_breaker: bool = False):
    """A Redis client of our own (raw bytes), or None: the embedded mode, or the breaker is open."""
    if not settings.REDIS_URL or (not ignore_breaker and time.monotonic() < _breaker["open_until"]):
        return None
    return _client(os.getpid(), settings.REDIS_URL)


@functools.cache
def _client(pid: int, url: str):
    """One connection per process, made after any fork (the pid is part of the cache key).

    A single connection skips the pool's bookkeeping (~25 µs a call); redis-py locks it for threads and
    reconnects it on the next call after a failure.
    """
    import redis

    return redis.Redis.from_url(
        url, single_connection_client=True, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
    )


@degrade(None)
def count_requests(key_hash: str, window: int, n: int) -> int | None:
    """Add ``n`` requests to a key's count in a throttle window; the new total, or None when not counted."""
    key, period = f"api:rate:{key_hash}:{window}", settings.API_RATE_PERIOD
    if not settings.REDIS_URL:
        cache.add(key, 0, period + 1)
        try:
            return cache.incr(key, n)
        except ValueError:  # expired between add and incr
            cache.add(key, n, period + 1)
            return n
    client = redis_client()
    if client is None:
        return None
    pipe = client.pipeline(transaction=False)
    pipe.incrby(key, n)
    pipe.expire(key, period + 1)
    return pipe.execute()[0]
