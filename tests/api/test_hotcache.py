"""The API's in-memory copies: served without SQL or Redis, dropped when another process says so, and
trusted only while the invalidation channel is healthy and for ``MAX_AGE`` seconds at most.

These need Redis (they run in CI's PostgreSQL + Redis pass); "another process" is simulated by a Redis
client of its own that publishes, without touching this process's copies.
"""

import datetime
import time

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brandhub.api import hotcache, store
from brandhub.api.hotcache import channel, hot
from brandhub.models import ApiKey
from brands.services import brand_update
from tests.api.servers import wait_for
from tests.factories import BrandFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: runs in CI's PostgreSQL + Redis pass"),
]


def other_process_publishes(message: str) -> None:
    redis.Redis.from_url(settings.REDIS_URL).publish(channel(), message)


def warm(api, url, key):
    """Ask until the answer is held in memory (the listener subscribes on first use)."""
    api(url, key)
    assert wait_for(hot.healthy)
    api(url, key)  # from the database, copied into memory
    assert hot.responses and hot.keys, "the answer and the key should be held in memory"


class _Fake:
    """Stands in for Redis: any use fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"Redis was called ({name})")


def test_repeated_request_costs_no_sql_and_no_redis_round_trip(api, make_key, monkeypatch):
    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    first = api(url, key)  # from memory: reserves a batch of throttle tokens
    monkeypatch.setattr(store, "redis_client", lambda **kw: _Fake())
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(5):
            response = api(url, key)
            assert response.status_code == 200 and response.content == first.content
    assert ctx.captured_queries == []


def test_a_change_in_another_process_is_seen_at_once(api, make_key):
    brand = BrandFactory(city="Firenze")
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    brand_update(brand=brand, user=None, fields={"city": "Lucca"})  # not committed here: no publish
    assert api(url, key).json()["city"] == "Firenze"  # still the copy, as no process said otherwise
    epoch = hot.epoch
    other_process_publishes("gen:")
    assert wait_for(lambda: hot.epoch != epoch)
    assert api(url, key).json()["city"] == "Lucca"


def test_a_key_revoked_in_another_process_stops_at_once(api, make_key):
    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    key_hash = ApiKey.hash(key)
    ApiKey.objects.filter(key_hash=key_hash).update(revoked_at=timezone.now())
    epoch = hot.epoch
    other_process_publishes(f"key:{key_hash}")
    assert wait_for(lambda: hot.epoch != epoch)
    assert api(url, key).status_code == 401


def test_without_a_healthy_channel_no_copy_is_used(api, make_key, monkeypatch):
    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    key_hash, digest = next(iter(hot.keys)), next(iter(hot.responses))
    monkeypatch.setattr(hot, "alive", False)
    assert hot.get(key_hash, digest) is None and hot.key(key_hash) is None
    ApiKey.objects.filter(key_hash=key_hash).update(revoked_at=timezone.now())
    assert api(url, key).status_code == 401  # the key was checked in the database


def test_silence_from_redis_stops_the_copies(api, make_key, monkeypatch):
    """A silent partition or a paused Redis (no error, no messages) must not keep copies in use."""
    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    key_hash, digest = next(iter(hot.keys)), next(iter(hot.responses))
    assert hot.get(key_hash, digest) is not None
    monkeypatch.setattr(hot, "last_heard", time.monotonic() - hotcache.SILENCE_LIMIT - 0.1)
    assert hot.get(key_hash, digest) is None and hot.key(key_hash) is None


def test_memory_held_is_bounded(monkeypatch):
    monkeypatch.setattr(hotcache, "MAX_BYTES", 1000)
    monkeypatch.setattr(hot, "healthy", lambda: True)
    for i in range(10):
        hot.put(hot.epoch, f"d{i}", ("etag", None, b"x" * 300, {}))
    assert hot.bytes <= 1000 and list(hot.responses) == ["d7", "d8", "d9"]


def test_a_key_read_before_its_revocation_is_not_held_after_it(monkeypatch):
    """Regression: a request that read the key just before revocation put it back in the cache for a minute."""
    monkeypatch.setattr(hot, "healthy", lambda: True)
    epoch = hot.epoch  # the request reads the epoch, then the key from the database ...
    hotcache.publish("key", "h" * 64)  # ... the revocation commits and is published ...
    hot.put_key(epoch, "h" * 64, {"id": 1, "scopes": ["brands:read"], "brand_ids": None, "expires_at": None})
    assert "h" * 64 not in hot.keys  # ... and the lookup read before it is not held


def test_copies_are_used_for_five_seconds_at_most(api, make_key, monkeypatch):
    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    key_hash, digest = next(iter(hot.keys)), next(iter(hot.responses))
    assert hotcache.MAX_AGE <= 5
    real = time.monotonic
    monkeypatch.setattr(time, "monotonic", lambda: real() + hotcache.MAX_AGE + 0.01)
    monkeypatch.setattr(hot, "last_heard", time.monotonic())
    assert hot.get(key_hash, digest) is None and hot.key(key_hash) is None


def test_a_key_revoked_with_raw_sql_stops_within_5_seconds(api, make_key):
    """A revocation that bypasses the services (no message) is seen once the copy expires."""
    brand = BrandFactory()
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE brandhub_apikey SET revoked_at = %s WHERE key_hash = %s", [timezone.now(), ApiKey.hash(key)]
        )
    revoked_at = time.monotonic()
    assert wait_for(lambda: api(url, key).status_code == 401, seconds=6, every=0.1)
    assert time.monotonic() - revoked_at <= 5.0 + 0.3


def test_a_document_changed_with_raw_sql_is_served_within_5_seconds(api, make_key):
    brand = BrandFactory(city="Firenze")
    key = make_key()
    url = f"/api/v1/brands/{brand.slug}/"
    warm(api, url, key)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE brands_branddocument SET body_all = replace(body_all, 'Firenze', 'Lucca')")
    changed_at = time.monotonic()
    assert wait_for(lambda: api(url, key).json()["city"] == "Lucca", seconds=6, every=0.1)
    assert time.monotonic() - changed_at <= 5.0 + 0.3


def test_no_key_data_and_no_answers_are_held_in_redis(api, make_key, own_redis):
    brand = BrandFactory()
    key = make_key()
    for url in (f"/api/v1/brands/{brand.slug}/", "/api/v1/brands/"):
        warm(api, url, key)
        api(url, key)
    assert {tuple(k.decode().split(":")[:2]) for k in own_redis.client().keys("*")} == {("api", "rate")}


def test_last_use_is_written_once_per_5_minutes_whatever_the_number_of_processes(api, make_key):
    BrandFactory()
    key = make_key()
    api("/api/v1/brands/", key)
    api_key = ApiKey.objects.get(key_hash=ApiKey.hash(key))
    first = api_key.last_used_at
    assert first is not None
    hot.used_at.clear()  # as if another process served the key now: it writes, but the row stays
    api("/api/v1/brands/", key)
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=first - datetime.timedelta(minutes=6))
    hot.used_at.clear()
    api("/api/v1/brands/", key)
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at > first


def test_a_partner_polling_with_if_none_match_is_answered_from_memory(api, make_key):
    """Regression: copies were made of 200 answers only, so a partner that only ever polled with
    If-None-Match was answered from the database every time once its copy had expired."""
    brand = BrandFactory()
    key = make_key()
    for url in (f"/api/v1/brands/{brand.slug}/", "/api/v1/brands/"):
        etag = api(url, key)["ETag"]
        assert wait_for(hot.healthy)
        hot.invalidate()  # the copy is gone (expired, or dropped by an unrelated change)
        first = api(url, key, HTTP_IF_NONE_MATCH=etag)
        assert first.status_code == 304 and first["ETag"] == etag and first.content == b""
        with CaptureQueriesContext(connection) as ctx:
            assert api(url, key, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert ctx.captured_queries == []
        hot.invalidate()
        assert api(url, key, HTTP_IF_NONE_MATCH='"other"').status_code == 200
