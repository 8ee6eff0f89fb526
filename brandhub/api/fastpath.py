"""The API's fast path: a repeated read answered from this process's memory, before DRF runs.

The key's lookup and the answer come from ``hotcache``; throttling spends a token reserved in Redis; no
SQL runs (but the last-use mark, at most every few minutes). Anything else (a first request, an unknown,
expired or restricted key, a missing scope, an invalidated copy, an unhealthy channel) returns None and
the ordinary DRF view answers from the database, leaving its answer for the next time.

Answers are held per key (the key's hash is part of the request's identity), so a brand-restricted key is
never served another key's data. Off in the embedded mode (no Redis, so no invalidation channel).
"""

import hashlib
import time

import orjson
from django.http import HttpResponse, HttpResponseNotModified

from brandhub.models import ApiKey

from .auth import ApiKeyAuthentication, note_use
from .base import json_error, negotiate_language_raw, not_modified, validator_headers
from .hotcache import hot


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


def serve(request, kind: str, scope: str) -> HttpResponse | None:
    """The answer from memory, or None for the ordinary path."""
    if request.method != "GET":
        return None
    key_hash, digest = _identity(request, kind)
    if digest is None:
        return None
    held = hot.get(key_hash, digest)
    if held is None:
        return None
    info, answer = held
    now = time.time()
    if scope not in info["scopes"] or (info["expires_at"] is not None and info["expires_at"] <= now):
        return None
    retry_after = hot.throttle(key_hash, now)
    if retry_after is not None:
        response = json_error(429, "throttled", "Request was throttled.")
        response["Retry-After"] = str(max(1, round(retry_after)))
        return response
    note_use(info["id"], key_hash)
    etag, modified, body, headers = answer
    if not_modified(request, etag, modified):
        return HttpResponseNotModified(headers=headers)
    return HttpResponse(body, content_type="application/json", headers=headers)


CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def fill(request, view, *args, **kwargs) -> HttpResponse:
    """The ordinary path. A conditional request asks the view for the whole answer, so that it can be held
    (otherwise a partner polling with ``If-None-Match`` would never be answered from memory), then gets its
    304 if it matches."""
    if request.method != "GET" or not hot.healthy() or not any(name in request.META for name in CONDITIONS):
        return view(request, *args, **kwargs)
    conditions = {name: request.META.pop(name) for name in CONDITIONS if name in request.META}
    response = view(request, *args, **kwargs)
    request.META.update(conditions)
    modified = getattr(response, "api_last_modified", None)
    if response.status_code == 200 and not_modified(request, response["ETag"], modified):
        return HttpResponseNotModified(headers=validator_headers(response["ETag"], modified))
    return response


def remember(request, kind: str, epoch: int, response) -> None:
    """Hold a 200 answer of the ordinary path (unless an invalidation came after ``epoch``, read before the query)."""
    if response.status_code != 200:
        return
    digest = request_digest(request, kind)
    if digest is None:
        return
    etag, modified = response["ETag"], getattr(response, "api_last_modified", None)
    hot.put(epoch, digest, (etag, modified, response.content, validator_headers(etag, modified)))
