"""Redis for the request path: one connection per process behind a circuit breaker shared by its users.

When Redis fails, the breaker opens for ``BREAKER_SECONDS``: callers skip Redis at once instead of each
request waiting for a timeout, and fall back to what they do without Redis (the API answers from the
database, the /q/ redirect spools its scans to files).
"""

import functools
import logging
import os
import time

from django.conf import settings
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
                logger.warning("Redis unavailable in %s", function.__name__, exc_info=True)
                return default

        return wrapper

    return decorate


def redis_client(ignore_breaker: bool = False):
    """A Redis client of our own (raw bytes), or None: the embedded mode, or the breaker is open."""
    if not settings.REDIS_URL or (not ignore_breaker and time.monotonic() < _breaker["open_until"]):
        return None
    try:
        return _client(os.getpid(), settings.REDIS_URL)
    except (RedisError, OSError):
        # A single-connection client connects as it is made: a process that first needs Redis while it is down
        # must get "no Redis", not an exception (a brand saved then would fail after its commit).
        trip()
        logger.warning("Redis unavailable: no client", exc_info=True)
        return None


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
