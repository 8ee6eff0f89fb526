"""The real URLs, plus bare views answering the API's and the /q/ redirect's exact bytes with no work of their own
(the framework's limit)."""

import os
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from brandhub.urls import urlpatterns as real_urlpatterns

SAMPLES = Path(os.environ.get("BENCH_SAMPLES", "/nonexistent"))


def _sample(name: str) -> tuple[bytes, str]:
    body = (SAMPLES / f"{name}.json").read_bytes() if (SAMPLES / f"{name}.json").exists() else b"{}"
    etag = (SAMPLES / f"{name}.etag").read_text() if (SAMPLES / f"{name}.etag").exists() else '"x"'
    return body, etag


# The destination of the tracking bench's links: the bare redirect answers the same 302 as /q/<code>.
REDIRECT_TO = "https://www.helloita.example/gelato?utm_source=bench"
LIST, LIST_ETAG = _sample("list")
DETAIL, DETAIL_ETAG = _sample("detail")


def bare_list(request):
    response = HttpResponse(LIST, content_type="application/json")
    response["ETag"] = LIST_ETAG
    return response


def bare_detail(request):
    response = HttpResponse(DETAIL, content_type="application/json")
    response["ETag"] = DETAIL_ETAG
    return response


def bare_304(request):
    response = HttpResponseNotModified()
    response["ETag"] = DETAIL_ETAG
    return response


@never_cache
@require_safe
def bare_redirect(request, code):
    """The 302 of /q/<code> (same decorators, same headers) without looking up or recording anything."""
    return HttpResponseRedirect(REDIRECT_TO)


urlpatterns = [
    path("bench/bare/q/<str:code>", bare_redirect),
    path("bench/bare/list", bare_list),
    path("bench/bare/detail", bare_detail),
    path("bench/bare/304", bare_304),
    *real_urlpatterns,
]
