"""The frame every partner endpoint stands in: scopes, throttling, errors, language, cursors, conditional GETs.

Endpoints subclass ``ApiView`` (lists: ``CursorListView``) and set ``required_scope``. Bodies are JSON bytes,
pre-rendered (``brands.models.BrandDocument``) or rendered once per answer, so views answer ``HttpResponse``
objects directly and skip DRF's renderer; DRF still does authentication, permissions, throttling, errors and
the OpenAPI schema.
"""

import abc
import hashlib
from email.utils import formatdate, parsedate_to_datetime

import orjson
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.views import APIView

from .policies import error_body

LANGUAGES = ("all", "it", "en", "zh-hans", "zh-hant")


def json_error(status_code: int, code: str, message: str) -> HttpResponse:
    return HttpResponse(
        orjson.dumps(error_body(status_code, code, message)), status=status_code, content_type="application/json"
    )


# --- language, cursors, conditional requests -------------------------------------------------------


def negotiate_language_raw(asked: str | None, accept_language: str) -> str | None:
    """``asked`` (``?lang=``) wins; else the first supported ``Accept-Language``; else all three.

    None when ``asked`` is not a supported language.
    """
    if asked is not None:
        return asked if asked in LANGUAGES else None
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag in ("zh-hant", "zh-tw", "zh-hk", "zh-mo") or tag.startswith("zh-hant"):
            return "zh-hant"
        if tag in ("zh", "zh-cn", "zh-sg") or tag.startswith("zh-hans"):
            return "zh-hans"
        if tag.split("-")[0] in ("it", "en"):
            return tag.split("-")[0]
    return "all"


def negotiate_language(request) -> str:
    language = negotiate_language_raw(request.query_params.get("lang"), request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    if language is None:
        raise exceptions.ValidationError({"lang": [_("Use one of: %(l)s.") % {"l": ", ".join(LANGUAGES)}]})
    return language


def encode_cursor(position: int) -> str:
    """The position after which the next page starts (the last id seen); any digits are a valid cursor."""
    return str(position)


def decode_cursor(value: str | None) -> int:
    if not value:
        return 0
    if not value.isdigit() or len(value) > 18:
        raise exceptions.ValidationError({"cursor": [_("This cursor is not valid; start again without it.")]})
    return int(value)


def page_size(request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return settings.API_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= settings.API_MAX_PAGE_SIZE:
        raise exceptions.ValidationError(
            {"page_size": [_("Give a number from 1 to %(max)s.") % {"max": settings.API_MAX_PAGE_SIZE}]}
        )
    return int(raw)


def strong_etag(*parts) -> str:
    digest = hashlib.sha1("\0".join(str(p) for p in parts).encode(), usedforsecurity=False).hexdigest()
    return f'"{digest}"'


def not_modified(request, etag: str, last_modified) -> bool:
    """``If-None-Match`` decides when present (RFC 9110); otherwise ``If-Modified-Since``."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return if_none_match.strip() == "*" or etag in [t.strip() for t in if_none_match.split(",")]
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if since and last_modified is not None:
        try:
            return int(last_modified.timestamp()) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def validator_headers(etag: str, last_modified) -> dict:
    """ETag, Last-Modified and the caching headers every readable API answer carries."""
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Accept-Language, Authorization"}
    if last_modified is not None:
        headers["Last-Modified"] = formatdate(last_modified.timestamp(), usegmt=True)
    return headers


def conditional(response: HttpResponse, etag: str, last_modified) -> HttpResponse:
    for name, value in validator_headers(etag, last_modified).items():
        response[name] = value
    response.api_last_modified = last_modified  # exact, for the copy ``fastpath.remember`` holds
    return response


def json_response(body: bytes, etag: str, last_modified) -> HttpResponse:
    return conditional(HttpResponse(body, content_type="application/json"), etag, last_modified)


def not_modified_response(etag: str, last_modified) -> HttpResponse:
    return conditional(HttpResponseNotModified(), etag, last_modified)


class ApiView(APIView):
    """Base of partner endpoints: read-only unless an endpoint says otherwise.

    Endpoints with a ``cache_kind`` leave their 200 answers for the fast path (``fastpath``); ``as_fast_view``
    puts the fast path in front of the view.
    """

    required_scope: str = ""
    http_method_names = ["get", "head", "options"]
    query_parameters: frozenset = frozenset()
    cache_kind: str = ""
    epoch = -1  # set by ``initial``; -1 matches no epoch, so an answer failing before it is never held

    @classmethod
    def as_fast_view(cls):
        from . import fastpath

        view = cls.as_view()

        def fast_view(request, *args, **kwargs):
            answer = fastpath.serve(request, cls.cache_kind, cls.required_scope)
            return answer or fastpath.fill(request, view, *args, **kwargs)

        # The schema generator and Django read these off DRF's own view function.
        fast_view.cls, fast_view.initkwargs, fast_view.csrf_exempt = cls, view.initkwargs, True
        return fast_view

    def initial(self, request, *args, **kwargs):
        from .hotcache import hot

        # Read before any query: an answer built from older data must not be held as current.
        self.epoch = hot.epoch
        super().initial(request, *args, **kwargs)
        # A misspelt filter would otherwise silently return everything; so would "?updated_since=".
        errors = {}
        for name, values in request.query_params.lists():
            if name not in self.query_parameters:
                errors[name or "?"] = [_("Unknown parameter.")]
            elif "" in values:
                errors[name] = [_("Give a value or leave the parameter out.")]
        if errors:
            raise exceptions.ValidationError(errors)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.cache_kind and request.method == "GET":
            from . import fastpath

            fastpath.remember(request, self.cache_kind, self.epoch, response)
        return response


class CursorListView(ApiView, metaclass=abc.ABCMeta):
    """Base of partner lists: rows in id order, paged by a cursor (the last id seen), with a strong ETag.

    The ETag is made of the language, the query (without the cursor), whether a next page exists, and each
    row's id and *version*: a value that changes whenever the row's JSON does. A subclass reads a page two
    ways: ``page_bodies`` (id, version, JSON bytes of each row) and, when its versions can be read without
    building the rows, ``page_versions`` (id, version): a conditional request then gets its 304 without any
    body being read or built. Without ``page_versions`` the page is built and the 304 decided on it.

    ``modified`` (the Last-Modified) is the latest change of anything the key may see in the list, not just
    of the page's rows, so a row leaving the page also moves it.
    """

    paging_parameters = frozenset({"cursor", "page_size"})

    def page_versions(self, queryset, limit: int) -> list[tuple] | None:
        return None

    @abc.abstractmethod
    def page_bodies(self, queryset, limit: int, language: str) -> list[tuple]:
        """(id, version, JSON bytes) of at most ``limit`` rows of ``queryset``, in its order."""

    def list_response(self, request, queryset, *, language: str, modified) -> HttpResponse:
        size = page_size(request)
        after = decode_cursor(request.query_params.get("cursor"))
        queryset = queryset.filter(pk__gt=after).order_by("pk")
        query = request.query_params.copy()
        query.pop("cursor", None)
        conditional = request.META.get("HTTP_IF_NONE_MATCH") or request.META.get("HTTP_IF_MODIFIED_SINCE")
        if conditional:
            versions = self.page_versions(queryset, size + 1)
            if versions is not None:
                etag = self._page_etag(versions, size, language, query)
                if not_modified(request, etag, modified):
                    return not_modified_response(etag, modified)
        rows = self.page_bodies(queryset, size + 1, language)
        etag = self._page_etag(rows, size, language, query)
        if conditional and not_modified(request, etag, modified):
            return not_modified_response(etag, modified)
        more = len(rows) > size
        rows = rows[:size]
        if more:
            query["cursor"] = encode_cursor(rows[-1][0])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}") if more else None
        body = b'{"next":' + orjson.dumps(next_url) + b',"results":[' + b",".join(r[2] for r in rows) + b"]}"
        return json_response(body, etag, modified)

    @staticmethod
    def _page_etag(rows, size, language, query) -> str:
        return strong_etag(language, query.urlencode(), len(rows) > size, *(f"{r[0]}:{r[1]}" for r in rows[:size]))


def body_version(body: bytes) -> str:
    """A row's version taken from its JSON, for lists whose rows have no cheaper one."""
    return hashlib.sha1(body, usedforsecurity=False).hexdigest()
