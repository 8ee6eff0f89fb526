"""Partner API keys: ``Authorization: Bearer hita_<prefix>_<secret>``.

A key is looked up by its SHA-256 (one indexed query, then cached for a minute in the shared cache;
revoking or changing a key clears that entry, so it takes effect at once in every process). Last use
is written at most every few minutes per key, not on every request.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from brandhub.models import ApiKey

from . import store

KEY_PREFIX = "hita"


def generate_key() -> tuple[str, str]:
    """A new key and its visible prefix."""
    prefix = secrets.token_hex(4)
    return f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def forget(key_hash: str) -> None:
    store.key_info_delete(key_hash)


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


def client_for_hash(key_hash: str, cached: dict | None = None) -> ApiClient | None:
    cached = cached or store.key_info_get(key_hash)
    if cached is None:
        api_key = ApiKey.objects.filter(key_hash=key_hash, revoked_at__isnull=True).first()
        if api_key is None:
            return None
        brand_ids = tuple(api_key.brands.values_list("pk", flat=True))
        cached = {
            "id": api_key.pk,
            "name": api_key.name,
            "scopes": list(api_key.scopes),
            "brand_ids": list(brand_ids) if brand_ids else None,
            "expires_at": api_key.expires_at.timestamp() if api_key.expires_at else None,
        }
        store.key_info_set(key_hash, cached)
    brand_ids = cached["brand_ids"]
    return ApiClient(
        id=cached["id"],
        key_hash=key_hash,
        name=cached["name"],
        scopes=frozenset(cached["scopes"]),
        brand_ids=tuple(brand_ids) if brand_ids is not None else None,
        expires_at=cached["expires_at"],
    )


def note_use(key_id: int, key_hash: str, fast_state: dict | None = None) -> None:
    """Record the last use at most once every few minutes per key (an atomic set-if-absent decides).

    When the fast path already made that decision for this request, ``fast_state`` carries it.
    """
    first_use = fast_state["first_use"] if fast_state else store.mark_used(key_hash)
    if first_use:
        ApiKey.objects.filter(pk=key_id).update(last_used_at=timezone.now())


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
        note_use(client.id, client.key_hash, getattr(request._request, "api_fast_state", None))
        return client, client

    def authenticate_header(self, request):
        return f'Bearer realm="{settings.API_REALM}"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A partner API key: `hita_…`."}
