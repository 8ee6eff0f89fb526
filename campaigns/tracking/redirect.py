"""``GET /q/<code>``: a 302 to the link's stored destination in well under a millisecond of our own work.

The request path reads the link (the process's copy, else Redis's, else one indexed read), records the raw
scan (``recorder``) and answers. It never writes to PostgreSQL and never parses the user agent beyond one
substring test.
Visitors who cannot be sent on get a small page of their own language (Chinese when the browser says
nothing), with nothing loaded from another host.
"""

import datetime
import zoneinfo
from urllib.parse import parse_qs, urlsplit

from django.db.models import Sum
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from brandhub.ratelimit import client_address

from . import recorder
from .models import Outcome, ScanHour, Source, TrackedLink

# Hosts whose pages WeChat's built-in browser limits (a "copy the link" prompt, no Alipay checkout).
LIMITED_IN_WECHAT = ("taobao.com", "tmall.com", "tmall.hk", "tb.cn", "m.tb.cn", "alipay.com")
COUNTED = (Outcome.REDIRECT, Outcome.INTERSTITIAL)
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def limited_in_wechat(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in LIMITED_IN_WECHAT)


def redirect_fields(link: TrackedLink) -> dict:
    """What the redirect needs of a link, kept in Redis as one small JSON value."""
    brand = link.brands.first() or (link.event.brands.first() if link.event_id else None)
    return {
        "to": link.destination,
        "status": link.status,
        "from": link.valid_from.timestamp() if link.valid_from else None,
        "until": link.valid_until.timestamp() if link.valid_until else None,
        "cap": link.scan_cap,
        "wechat": link.wechat_interstitial and limited_in_wechat(link.destination),
        "brand": {
            language: getattr(brand, f"name_{language.replace('-', '_')}") or "" for language in ("it", "en", "zh-hans")
        }
        if brand
        else {},
        "reward": link.reward or (link.event.reward if link.event_id else ""),
    }


def counted_scans(code: str) -> int:
    """Scans already stored that use up a capped link (a read: the request path writes nothing here)."""
    return (
        ScanHour.objects.filter(link__code=code, outcome__in=COUNTED, is_bot=False).aggregate(n=Sum("scans"))["n"] or 0
    )


def link_fields(code: str) -> dict | None:
    """The link's redirect fields from the database (None: no such code), copied into Redis for the next scans."""
    version = recorder.link_version(code)  # before the database: a save in between leaves Redis without a copy
    link = TrackedLink.objects.select_related("event").filter(code=code).first()
    data = None if link is None else redirect_fields(link)
    if data is not None and data["cap"]:
        data["base"] = counted_scans(code)
    recorder.cache_link(code, data, version)
    return data


def visitor_language(request) -> str:
    """The visitor's language among ours; Chinese when the browser sends no preference we know."""
    if request.META.get("HTTP_ACCEPT_LANGUAGE"):
        language = translation.get_language_from_request(request)
        accepted = request.META["HTTP_ACCEPT_LANGUAGE"].lower()
        if language != "en" or "en" in accepted:
            return language
    return "zh-hans"


def _outcome(data: dict, now: float, *, meta, code: str) -> str:
    """What a scan of the link at ``now`` leads to (``meta``: the request's, for the WeChat test)."""
    if data["status"] != TrackedLink.Status.ACTIVE:
        return Outcome.PAUSED
    if data["from"] and now < data["from"]:
        return Outcome.NOT_STARTED
    if data["until"] and now >= data["until"]:
        return Outcome.EXPIRED
    if data["cap"]:
        count = recorder.count_scan(code, data.get("base", 0))
        if count is None:
            count = counted_scans(code) + 1
        if count > data["cap"]:
            return Outcome.CAPPED
    if data["wechat"] and "MicroMessenger" in meta.get("HTTP_USER_AGENT", ""):
        return Outcome.INTERSTITIAL
    return Outcome.REDIRECT


# The WSGI environ key under which the fast path hands a scan it has begun to the view.
BEGUN = "brandhub.tracking.scan"


def scan_begin(code: str, meta) -> tuple[dict, dict | bool | None, bool]:
    """The scan's raw record, the link's fields without the database (``recorder.link_copy``), and whether
    the scan was recorded as a plain redirect: an active link inside its window, without a scan limit (only
    the view counts) or a WeChat page for this visitor. ``meta`` is ``request.META`` or the WSGI environ."""
    source = Source.QR if parse_qs(meta.get("QUERY_STRING", "")).get("s", [""])[-1] == "qr" else Source.LINK
    record = recorder.scan_record(
        code=code, meta=meta, ip=client_address(meta), source=source, outcome=Outcome.REDIRECT
    )
    data = recorder.link_copy(code)
    plain = (
        isinstance(data, dict)
        and not data["cap"]
        and _outcome(data, record["at"], meta=meta, code=code) == Outcome.REDIRECT
    )
    if plain:
        recorder.record(record)
    return record, data, plain


@never_cache
@require_safe
def scan(request, code: str):
    # Begun by the fast path (``fastpath.py``) when it could not answer alone, else begun here.
    record, data, recorded = request.META.pop(BEGUN, None) or scan_begin(code, request.META)
    if recorded:
        return HttpResponseRedirect(data["to"])
    if data is False:
        data = link_fields(code)
    if data is None:
        with translation.override(visitor_language(request)):
            return render(request, "tracking/q_unknown.html", status=404)
    outcome = _outcome(data, record["at"], meta=request.META, code=code)
    recorder.record({**record, "o": outcome})
    if outcome == Outcome.REDIRECT:
        return HttpResponseRedirect(data["to"])
    with translation.override(visitor_language(request)):
        language = translation.get_language()
        context = {
            "brand": data["brand"].get(language) or data["brand"].get("it", ""),
            "reward": data["reward"],
            "destination": data["to"],
            "outcome": outcome,
            "starts_at": datetime.datetime.fromtimestamp(data["from"], CHINA) if data["from"] else None,
        }
        if outcome == Outcome.INTERSTITIAL:
            return render(request, "tracking/q_wechat.html", context)
        status = 503 if outcome == Outcome.PAUSED else 410
        return render(request, "tracking/q_unavailable.html", context, status=status)
