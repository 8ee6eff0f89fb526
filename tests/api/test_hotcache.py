"""The API's in-memory copies: served without Redis round trips, dropped when another process says so.

These need Redis (they run in CI's PostgreSQL + Redis pass); "another process" is simulated by a Redis
client of its own that changes the data and publishes, without touching this process's copies.
"""

import time

import pytest
import redis
from django.conf import settings

from brandhub.api import store
from brandhub.api.hotcache import channel, hot
from brands.services import brand_update
from tests.factories import BrandFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: runs in CI's PostgreSQL + Redis pass"),
]


def other_process_publishes(message: str, generation: bool = False) -> None:
    other = redis.Redis.from_url(settings.REDIS_URL)
    if generation:
        other.incr(store.GENERATION)
    other.publish(channel(), message)


def wait_for(condition, seconds=3.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def warm(api, url, key):
    """Ask until the answer is held in memory (the listener subscribes on first use)."""
    api(url, key)
    assert wait_for(lambda: hot.alive)
    api(url, key)  # validated through Redis, copied into memory
    api(url, key)
    assert hot.responses, "the answer should be held in memory"


def test_repeated_request_costs_no_redis_round_trip(api, make_key, monkeypatch):
    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    first = api(url, key)  # from memory: reserves a batch of throttle tokens
    monkeypatch.setattr(store, "redis_client", lambda: _Fake())
    for _ in range(5):
        response = api(url, key)
        assert response.status_code == 200 and response.content == first.content


class _Fake:
    """Stands in for Redis: any use fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"Redis was called ({name})")


def test_a_change_in_another_process_is_seen_at_once(api, make_key):
    brand = BrandFactory(city="Firenze")
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    brand_update(brand=brand, user=None, fields={"city": "Lucca"})  # not committed here: no publish
    assert api(url, key).json()["city"] == "Firenze"  # still the copy, as no process said otherwise
    epoch = hot.epoch
    other_process_publishes("gen:", generation=True)
    assert wait_for(lambda: hot.epoch != epoch)
    assert api(url, key).json()["city"] == "Lucca"


def test_a_key_revoked_in_another_process_stops_at_once(api, make_key):
    from django.utils import timezone

    from brandhub.models import ApiKey

    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    key_hash = ApiKey.hash(key)
    ApiKey.objects.filter(key_hash=key_hash).update(revoked_at=timezone.now())
    redis.Redis.from_url(settings.REDIS_URL).delete(f"api:key:{key_hash}")
    epoch = hot.epoch
    other_process_publishes(f"key:{key_hash}")
    assert wait_for(lambda: hot.epoch != epoch)
    assert api(url, key).status_code == 401


def test_without_a_live_subscription_nothing_is_served_from_memory(api, make_key, monkeypatch):
    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    monkeypatch.setattr(hot, "alive", False)
    assert hot.get("any", "thing") is None
    assert api(url, key).status_code == 200  # answered through Redis instead


def test_silence_from_redis_stops_the_copies(api, make_key, monkeypatch):
    """A silent partition (no error, no messages) must not keep copies in use."""
    from brandhub.api import hotcache

    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    digest = next(iter(hot.responses))
    assert hot.get(next(iter(hot.keys)), digest) is not None
    monkeypatch.setattr(hot, "last_heard", time.monotonic() - hotcache.SILENCE_LIMIT - 1)
    assert hot.get(next(iter(hot.keys)), digest) is None


def test_memory_held_is_bounded(monkeypatch):
    from brandhub.api import hotcache

    monkeypatch.setattr(hotcache, "MAX_BYTES", 1000)
    monkeypatch.setattr(hot, "alive", True)
    for i in range(10):
        hot.put(hot.epoch, "k", {"scopes": []}, f"d{i}", ("etag", None, b"x" * 300, {}))
    assert hot.bytes <= 1000 and list(hot.responses) == ["d7", "d8", "d9"]


def test_a_key_read_before_its_revocation_is_not_cached_after_it():
    """Regression: a request that read the key just before revocation put it back in the cache for a minute."""
    store.key_info_delete("h" * 64)  # the revocation: tombstone, delete, publish
    store.key_info_set("h" * 64, {"id": 1, "scopes": ["brands:read"], "brand_ids": None, "expires_at": None})
    assert store.key_info_get("h" * 64) is None


def test_copies_are_used_for_a_bounded_time(api, make_key, monkeypatch):
    from brandhub.api import hotcache

    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    key_hash, digest = next(iter(hot.keys)), next(iter(hot.responses))
    assert hot.get(key_hash, digest) is not None
    monkeypatch.setattr(hotcache, "MAX_AGE", -1)
    assert hot.get(key_hash, digest) is None
