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
