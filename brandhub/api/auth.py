"""Partner API keys: ``Authorization: Bearer hita_<prefix>_<secret>``.

A key is looked up by its SHA-256 (one indexed query); the lookup is then held in this process's memory
for a few seconds, only while the invalidation channel is healthy (``hotcache``): a revocation drops it in
every process. Last use is written at most every few minutes per key, not on every request.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from brandhub.models import ApiKey

from .hotcache import hot, publish

KEY_PREFIX = "hita"
LAST_USED_SECONDS = 300


def generate_key() -> tuple[str, str]:
    """A new key and its visible prefix."""
    prefix = secrets.token_hex(4)
    return f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def forget(key_hash: str) -> None:
    """Drop a key's lookup in every process (after its revocation commits)."""
    publish("key", key_hash, must_arrive=True)


@dataclass(frozen=True)
class ApiClient:
    """The partner behind a request (``request.user`` and ``request.auth`` in API views)."""

    id: int
    key_hash: str
    name: str
    scopes: frozenset
    brand_ids: tuple | None  # None: every brand
    expires_at: float | None  # a timestamp, so the cached form stays plain data

    is_authenticated = True
    is_active = True
    is_agency_staff = False

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now().timestamp()


def client_for_key(key: str) -> ApiClient | None:
    return client_for_hash(ApiKey.hash(key))


def client_for_hash(key_hash: str) -> ApiClient | None:
    epoch = hot.epoch  # read before the query: a revocation from now on voids what we read
    info = hot.key(key_hash)
    if info is None:
        api_key = ApiKey.objects.filter(key_hash=key_hash, revoked_at__isnull=True).first()
        if api_key is None:
            return None
        brand_ids = tuple(api_key.brands.values_list("pk", flat=True))
        info = {
            "id": api_key.pk,
            "name": api_key.name,
            "scopes": list(api_key.scopes),
            "brand_ids": list(brand_ids) if brand_ids else None,
            "expires_at": api_key.expires_at.timestamp() if api_key.expires_at else None,
        }
        hot.put_key(epoch, key_hash, info)
    brand_ids = info["brand_ids"]
    return ApiClient(
        id=info["id"],
        key_hash=key_hash,
        name=info["name"],
        scopes=frozenset(info["scopes"]),
        brand_ids=tuple(brand_ids) if brand_ids is not None else None,
        expires_at=info["expires_at"],
    )


def note_use(key_id: int, key_hash: str) -> None:
    """Record the last use: one UPDATE per key every ``LAST_USED_SECONDS`` per process, at most, and its
    condition makes the row change at most once in that time whatever the number of processes."""
    if hot.due_for_last_use(key_hash, LAST_USED_SECONDS):
        now = timezone.now()
        recently = now - datetime.timedelta(seconds=LAST_USED_SECONDS)
        ApiKey.objects.filter(pk=key_id).exclude(last_used_at__gte=recently).update(last_used_at=now)


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _sep, key = header.partition(" ")
        key = key.strip()
        if scheme.lower() != self.keyword or not key:
            raise AuthenticationFailed(_("Send the key as: Authorization: Bearer <key>."))
        client = client_for_key(key)
        if client is None:
            raise AuthenticationFailed(_("The API key is not valid or has been revoked."))
        if client.expired:
            raise AuthenticationFailed(_("The API key has expired."))
        note_use(client.id, client.key_hash)
        return client, client

    def authenticate_header(self, request):
        return f'Bearer realm="{settings.API_REALM}"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A partner API key: `hita_…`."}
