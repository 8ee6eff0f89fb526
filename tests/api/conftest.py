import datetime

import pytest
from django.utils import timezone

from brandhub.services import apikey_create


@pytest.fixture
def make_key(db):
    """``make_key(scopes=[...], brands=[...], expires_at=..., revoked=False)`` -> the key string."""

    def make(scopes=("brands:read", "calendar:read"), brands=(), expires_at=None, revoked=False):
        api_key, key = apikey_create(
            actor=None, name="Partner", scopes=list(scopes), brands=brands, expires_at=expires_at
        )
        if revoked:
            api_key.revoked_at = timezone.now()
            api_key.save()
        return key

    return make


@pytest.fixture
def api(client):
    """``api(url, key=None, **headers)``: a GET with a bearer key."""

    def get(url, key=None, method="get", **headers):
        if key:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        return getattr(client, method)(url, **headers)

    return get


@pytest.fixture
def yesterday():
    return timezone.now() - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _redis_breaker_closed():
    """A test that made Redis fail must not leave the next one skipping Redis."""
    from brandhub.api import store

    store._breaker["open_until"] = 0.0
    yield
    store._breaker["open_until"] = 0.0


@pytest.fixture
def own_redis(settings, tmp_path):
    """A ``redis-server`` of the test's own, which the API then uses; killed, paused and restarted at will."""
    import shutil

    from tests.api.servers import RedisServer

    if not settings.REDIS_URL:
        pytest.skip("needs Redis: runs in CI's PostgreSQL + Redis pass")
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not on PATH")
    server = RedisServer(tmp_path).start()
    settings.REDIS_URL = server.url  # the store's client and the listener follow the URL
    yield server
    server.kill()
