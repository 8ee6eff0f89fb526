"""The API's shared state: key lookups, rate counters, last-use marks and cached responses.

With Redis (production) these live in plain Redis keys, so the fast path (``fastpath``) reads all it
needs for a request in one pipelined round trip. Without Redis (the embedded mode) the same functions
use Django's cache and the fast path is off.

Cached responses are invalidated by a generation number bumped on every write to the registry: an
entry is served only if it was made under the current generation (checked in the same round trip).
"""

import functools
import logging
import os
import time

import orjson
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

KEY_INFO_SECONDS = 60
LAST_USED_SECONDS = 300
# Short enough to bound staleness if a generation bump was lost while Redis was unreachable.
RESPONSE_SECONDS = 10 * 60
GENERATION = "api:gen"
logger = logging.getLogger(__name__)


def degrade(default):
    """When Redis cannot be reached, answer ``default`` instead of failing the request.

    The API then runs its ordinary path: keys are checked in the database, nothing is cached, and
    throttling lets requests through (availability first; /healthz reports the broker as down).
    """

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except (RedisError, OSError):
                logger.warning("API store: Redis unavailable in %s", function.__name__, exc_info=True)
                return default() if callable(default) else default

        return wrapper

    return decorate


def redis_client():
    """A Redis client of our own (raw bytes, no pickling), or None in the embedded mode."""
    if not settings.REDIS_URL:
        return None
    try:
        return _client(os.getpid(), settings.REDIS_URL)
    except (RedisError, OSError):  # unreachable: behave as without Redis until it is back
        logger.warning("API store: cannot connect to Redis", exc_info=True)
        return None


@functools.cache
def _client(pid: int, url: str):
    """One connection per process, made after any fork (the pid is part of the cache key).

    A single connection skips the pool's bookkeeping (~25 µs a call); redis-py locks it for threads.
    """
    import redis

    # Short timeouts: an unreachable Redis must make requests fall back quickly, not hang.
    return redis.Redis.from_url(url, single_connection_client=True, socket_connect_timeout=0.5, socket_timeout=1)


def _key_info(key_hash: str) -> str:
    return f"api:key:{key_hash}"


def rate_key(key_hash: str, window: int) -> str:
    return f"api:rate:{key_hash}:{window}"


def used_key(key_hash: str) -> str:
    return f"api:used:{key_hash}"


def response_key(digest: str) -> str:
    return f"api:resp:{digest}"


@degrade(None)
def key_info_get(key_hash: str) -> dict | None:
    client = redis_client()
    if client is None:
        return cache.get(_key_info(key_hash))
    raw = client.get(_key_info(key_hash))
    return orjson.loads(raw) if raw else None


@degrade(None)
def revoked_key(key_hash: str) -> str:
    return f"api:revoked:{key_hash}"


# Store a key's lookup unless the key has been revoked meanwhile (atomic on the server): a request that
# read the key just before its revocation must not put it back in the cache afterwards.
_SET_UNLESS_REVOKED = """
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
"""


def key_info_set(key_hash: str, info: dict) -> None:
    client = redis_client()
    if client is None:
        cache.set(_key_info(key_hash), info, KEY_INFO_SECONDS)
    else:
        client.eval(
            _SET_UNLESS_REVOKED, 2, _key_info(key_hash), revoked_key(key_hash), orjson.dumps(info), KEY_INFO_SECONDS
        )


@degrade(None)
def key_info_delete(key_hash: str) -> None:
    client = redis_client()
    if client is None:
        cache.delete(_key_info(key_hash))
    else:
        from .hotcache import publish

        pipe = client.pipeline(transaction=True)
        pipe.set(revoked_key(key_hash), 1)  # a tombstone, checked by every cache fill and the fast path
        pipe.delete(_key_info(key_hash))
        pipe.execute()
        publish("key", key_hash)


@degrade(lambda: (0, float(settings.API_RATE_PERIOD)))
def rate_hit(key_hash: str) -> tuple[int, float]:
    """Count a request in the key's current window; returns (count, seconds until the window ends)."""
    period = settings.API_RATE_PERIOD
    now = time.time()
    window = int(now // period)
    key = rate_key(key_hash, window)
    client = redis_client()
    if client is None:
        cache.add(key, 0, period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, period + 1)
            count = 1
    else:
        pipe = client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, period + 1)
        count = pipe.execute()[0]
    return count, (window + 1) * period - now


@degrade(False)
def mark_used(key_hash: str) -> bool:
    """True at most once per ``LAST_USED_SECONDS`` per key: the caller then writes ``last_used_at``."""
    client = redis_client()
    if client is None:
        return cache.add(used_key(key_hash), 1, LAST_USED_SECONDS)
    return bool(client.set(used_key(key_hash), 1, nx=True, ex=LAST_USED_SECONDS))


@degrade(None)
def bump_generation() -> None:
    """Every cached API response is stale from now on (called after any write to brands)."""
    client = redis_client()
    if client is not None:
        from .hotcache import publish

        client.incr(GENERATION)
        publish("gen")


@degrade(None)
def generation() -> int:
    client = redis_client()
    if client is None:
        return 0
    return int(client.get(GENERATION) or 0)


@degrade(None)
def response_set(digest: str, gen: int, etag: str, last_modified: float | None, body: bytes) -> None:
    client = redis_client()
    if client is not None:
        header = orjson.dumps([gen, etag, last_modified])
        client.set(response_key(digest), header + b"\n" + body, ex=RESPONSE_SECONDS)
