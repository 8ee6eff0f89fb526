"""The API's fast path: a repeated read answered from Redis in one round trip, before DRF runs.

One pipelined round trip fetches the key's cached lookup, counts the request for throttling, marks the
last use, and reads the cached response with the registry's current generation. If everything is
there and valid, the answer (200, or 304 for a matching conditional request) goes out at once.
Anything unusual (unknown key, missing scope, expired key, stale or absent response, bad parameters)
returns None and the ordinary DRF view answers, and caches its answer for the next time.

Responses are cached per key (the key's hash is part of the cache key), so a brand-restricted key can
never be served another key's data. Off in the embedded mode (no Redis).
"""

import datetime
import functools
import hashlib
import logging
import time
from email.utils import parsedate_to_datetime

import orjson
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from redis.exceptions import RedisError

from brandhub.models import ApiKey

from . import store
from .auth import ApiKeyAuthentication
from .base import json_error, negotiate_language_raw, not_modified, validator_headers
from .hotcache import hot

logger = logging.getLogger(__name__)


def _key_hash(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != ApiKeyAuthentication.keyword or not key:
        return None
    return ApiKey.hash(key)


_DIGESTS: dict[tuple, tuple] = {}
_DIGESTS_MAX = 10_000


def _identity(request, kind: str) -> tuple[str | None, str | None]:
    """(key hash, digest) of a request, remembered per exact request line and headers (hashing costs ~15 µs)."""
    meta = request.META
    line = (kind, meta.get("HTTP_AUTHORIZATION", ""), request.path, meta.get("QUERY_STRING", ""),
            meta.get("HTTP_ACCEPT_LANGUAGE", ""), meta.get("HTTP_HOST", ""), request.scheme)  # fmt: skip
    known = _DIGESTS.get(line)
    if known is None:
        key_hash = _key_hash(request)
        known = (key_hash, request_digest(request, kind, key_hash) if key_hash else None)
        if len(_DIGESTS) >= _DIGESTS_MAX:
            _DIGESTS.clear()
        _DIGESTS[line] = known
    return known


def request_digest(request, kind: str, key_hash: str | None = None) -> str | None:
    """The cache identity of a request: endpoint, path, normalized query, language and key."""
    key_hash = key_hash or _key_hash(request)
    if key_hash is None:
        return None
    language = negotiate_language_raw(request.GET.get("lang"), request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    if language is None:
        return None
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    # Host and scheme too: a list's "next" link is absolute.
    raw = orjson.dumps([kind, request.get_host(), request.scheme, request.path, query, language, key_hash])
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()


# Everything the fast path needs, in one server-side step: the key's cached lookup, the throttle count,
# the last-use mark, the registry generation and the cached response.
_LUA = """
local count = redis.call('INCR', KEYS[2])
if count == 1 then redis.call('EXPIRE', KEYS[2], ARGV[1]) end
local first_use = redis.call('SET', KEYS[3], 1, 'NX', 'EX', ARGV[2])
local info = false
if redis.call('EXISTS', KEYS[6]) == 0 then info = redis.call('GET', KEYS[1]) end
return {info, count, first_use and 1 or 0, redis.call('GET', KEYS[4]), redis.call('GET', KEYS[5])}
"""


@functools.cache
def _script(client):
    return client.register_script(_LUA)


def serve(request, kind: str, scope: str) -> HttpResponse | None:
    """The fast answer, or None for the ordinary path (which also covers Redis being unreachable)."""
    if request.method != "GET" or store.redis_client() is None:
        return None
    try:
        return _serve(request, kind, scope)
    except (RedisError, OSError):
        logger.warning("API fast path: Redis unavailable", exc_info=True)
        return None


def _serve(request, kind: str, scope: str) -> HttpResponse | None:
    hot.ensure_listening()
    key_hash, digest = _identity(request, kind)
    if digest is None:
        return None
    now = time.time()
    held = hot.get(key_hash, digest)
    if held is not None and _usable(held[0], scope, now):
        return _from_memory(request, key_hash, held, now)
    epoch = hot.epoch  # read before validating: an invalidation from now on voids what we copy
    period = settings.API_RATE_PERIOD
    window_end = (int(now // period) + 1) * period
    info, count, first_use, gen, cached = _script(store.redis_client())(
        keys=[
            f"api:key:{key_hash}",
            store.rate_key(key_hash, int(now // period)),
            store.used_key(key_hash),
            store.GENERATION,
            store.response_key(digest),
            store.revoked_key(key_hash),
        ],
        args=[period + 1, store.LAST_USED_SECONDS],
    )
    # If the slow path takes over, it must not count this request again nor lose the last-use mark.
    request.api_fast_state = {"count": count, "retry_after": window_end - now, "first_use": bool(first_use)}
    if info is None:
        return None
    info = orjson.loads(info)
    if not _usable(info, scope, now):
        return None
    if first_use:
        ApiKey.objects.filter(pk=info["id"]).update(last_used_at=timezone.now())
        request.api_fast_state["first_use"] = False
    if count > settings.API_RATE_LIMIT:
        return _throttled(window_end - now)
    if cached is None:
        return None
    header, _newline, body = cached.partition(b"\n")
    cached_gen, etag, last_modified = orjson.loads(header)
    if cached_gen != int(gen or 0):
        return None
    modified = datetime.datetime.fromtimestamp(last_modified, tz=datetime.UTC) if last_modified else None
    answer = (etag, modified, body, validator_headers(etag, modified))
    hot.put(epoch, key_hash, info, digest, answer)
    return _answer(request, answer)


def _usable(info: dict, scope: str, now: float) -> bool:
    return scope in info["scopes"] and (info["expires_at"] is None or info["expires_at"] > now)


def _from_memory(request, key_hash: str, held, now: float) -> HttpResponse:
    """The in-memory answer: a reserved throttle token, at most one last-use write per few minutes."""
    info, answer = held
    if hot.take_token(key_hash, now) is None and not hot.reserve(key_hash, now):
        period = settings.API_RATE_PERIOD
        return _throttled((int(now // period) + 1) * period - now)
    if hot.due_for_last_use(key_hash, now) and store.mark_used(key_hash):
        ApiKey.objects.filter(pk=info["id"]).update(last_used_at=timezone.now())
    return _answer(request, answer)


def _answer(request, answer) -> HttpResponse:
    etag, modified, body, headers = answer
    if not_modified(request, etag, modified):
        return HttpResponseNotModified(headers=headers)
    return HttpResponse(body, content_type="application/json", headers=headers)


def _throttled(retry_after: float) -> HttpResponse:
    response = json_error(429, "throttled", "Request was throttled.")
    response["Retry-After"] = str(max(1, round(retry_after)))
    return response


def remember(request, kind: str, gen: int | None, response) -> None:
    """Cache a 200 answer of the slow path for the fast path (under the generation read before the query)."""
    if gen is None or store.redis_client() is None or response.status_code != 200:
        return
    digest = request_digest(request, kind)
    if digest is None:
        return
    modified = response.get("Last-Modified")
    timestamp = parsedate_to_datetime(modified).timestamp() if modified else None
    store.response_set(digest, gen, response["ETag"], timestamp, response.content)
