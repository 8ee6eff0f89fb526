"""The API's use of Redis: one connection per process behind a circuit breaker, and the shared throttle counts.

Redis holds no key data and no answers: those are per-process copies (``hotcache``), so nothing stale can
survive in Redis while it is paused or cut off. Redis carries the invalidation messages and counts
requests for throttling; without Redis (the embedded mode) Django's cache counts them.

When Redis fails, the breaker opens for ``BREAKER_SECONDS``: the request path skips Redis at once instead
of each request waiting for a timeout. The API then answers from the database and throttling lets
requests through (availability first; /healthz reports the broker as down).
"""

from django.conf import settings
from django.core.cache import cache

from brandhub.redisclient import BREAKER_SECONDS, TIMEOUT, _breaker, degrade, redis_client, trip  # noqa: F401


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
