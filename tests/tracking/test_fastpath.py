"""The scan fast path (``campaigns/tracking/fastpath.py``): the plain scan answered before Django with Django's own
headers, everything else handed to Django unchanged, every scan recorded once. On a Redis server of the test's own,
in both CI passes (the embedded mode has no Redis: there the fast path always hands over, as the redirect tests show).
"""

import re

import pytest
from django.core.handlers.wsgi import WSGIHandler

from campaigns.tracking import flush, recorder, redirect
from campaigns.tracking.fastpath import ScanFastPath
from campaigns.tracking.models import Scan, TrackedLink

from .conftest import SAFARI_IPHONE, WsgiClient

pytestmark = pytest.mark.django_db

# Headers about a body that a redirect has not: Django sets them on every answer, the fast path does not.
BODY_ONLY = {"Vary", "Content-Language"}


def _django_never_called(environ, start_response):
    raise AssertionError(f"Django answered {environ['PATH_INFO']}: the fast path should have")


def _masked(page: bytes) -> bytes:
    """A page without its per-answer tokens (CSP nonce, CSRF token)."""
    return re.sub(rb'(nonce|value)="[^"]{16,}"', rb'\1="-"', page)


def _same_headers(fast, django) -> None:
    assert "Expires" in fast.headers and "Expires" in django.headers
    ours = {k: v for k, v in fast.header_list if k != "Expires"}
    theirs = {k: v for k, v in django.header_list if k not in BODY_ONLY | {"Expires"}}
    if "Content-Security-Policy" in ours:  # the same directives (their order follows a set's)
        assert sorted(ours.pop("Content-Security-Policy").split("; ")) == sorted(
            theirs.pop("Content-Security-Policy").split("; ")
        )
    assert ours == theirs


@pytest.mark.parametrize(
    ("profile", "secure", "extra"),
    [
        ("plain HTTP (development)", False, {}),
        ("HTTPS with HSTS", True, {}),
        ("behind the proxy, which says HTTPS", False, {"HTTP_X_FORWARDED_PROTO": "https"}),
    ],
)
def test_the_plain_scan_is_answered_before_django_with_the_headers_django_sends(
    settings, own_redis, make_link, profile, secure, extra
):
    if profile != "plain HTTP (development)":
        settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD = 31536000, True
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_SSL_REDIRECT = True, True
    if extra:
        settings.BEHIND_PROXY, settings.SECURE_PROXY_SSL_HEADER = True, ("HTTP_X_FORWARDED_PROTO", "https")
    link = make_link(destination="https://www.example.com/gelato?città=milano&x=1")
    path = f"/q/{link.code}?s=qr"
    WsgiClient().get(path, secure=secure, **extra)  # the first scan reads the link and leaves its copy in Redis

    fast = WsgiClient(ScanFastPath(_django_never_called)).get(
        path, secure=secure, HTTP_USER_AGENT=SAFARI_IPHONE, **extra
    )
    django = WsgiClient(WSGIHandler()).get(path, secure=secure, HTTP_USER_AGENT=SAFARI_IPHONE, **extra)

    assert fast.status_code == django.status_code == 302 and fast.content == django.content == b""
    assert fast["Location"] == django["Location"] == "https://www.example.com/gelato?citt%C3%A0=milano&x=1"
    _same_headers(fast, django)
    assert ("Strict-Transport-Security" in fast.headers) is (profile != "plain HTTP (development)")
    assert flush.scans_flush().stored == 3
    assert set(Scan.objects.values_list("source", flat=True)) == {"qr"}


@pytest.mark.parametrize(
    ("case", "method", "path", "extra", "recorded"),
    [
        ("another method", "POST", "/q/{code}", {}, 0),
        ("a host not allowed", "GET", "/q/{code}", {"HTTP_HOST": "evil.example"}, 0),
        ("plain HTTP where HTTPS is required", "GET", "/q/{code}?s=qr", {"ssl_redirect": True}, 0),
        ("an unknown code", "GET", "/q/Zz9zZz9z", {}, 0),
        ("not a code", "GET", "/q/..%2Fadmin", {}, 0),
        ("a paused link", "GET", "/q/{paused}", {}, 1),
    ],
)
def test_what_the_fast_path_cannot_answer_goes_to_django_unchanged(
    settings, own_redis, make_link, case, method, path, extra, recorded
):
    settings.SECURE_SSL_REDIRECT = extra.pop("ssl_redirect", False)
    link = make_link()
    paused = make_link(status=TrackedLink.Status.PAUSED)
    path = path.format(code=link.code, paused=paused.code)
    for code in (link.code, paused.code):  # both links' copies in Redis, as after a first scan
        redirect.link_fields(code)

    ours = WsgiClient().request(method, path, **extra)
    django = WsgiClient(WSGIHandler()).request(method, path, **extra)

    assert ours.status_code == django.status_code != 302, case
    assert ours.headers.get("Location") == django.headers.get("Location")
    assert _masked(ours.content) == _masked(django.content)
    assert flush.scans_flush().stored == 2 * recorded


def test_a_failure_in_the_fast_path_leaves_the_scan_to_django_and_records_it_once(own_redis, make_link, monkeypatch):
    link = make_link()
    WsgiClient().get(f"/q/{link.code}")
    flush.scans_flush()
    link_copy, calls = recorder.link_copy, []

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("a bug")
        return link_copy(*args, **kwargs)

    monkeypatch.setattr(recorder, "link_copy", fails_once)

    assert WsgiClient().get(f"/q/{link.code}")["Location"] == link.destination
    assert len(calls) == 2 and flush.scans_flush().stored == 1


def test_with_redis_stopped_the_fast_path_hands_every_scan_to_django_and_none_is_lost(own_redis, make_link):
    link = make_link(destination="https://www.example.com/after")
    client, path = WsgiClient(), f"/q/{link.code}?s=qr"
    answered = [client.get(path)["Location"] for _ in range(5)]
    assert flush.scans_flush().stored == 5  # what beat flushes every few seconds
    own_redis.kill()
    answered += [client.get(path)["Location"] for _ in range(5)]  # Django's view: the database, the spool
    own_redis.start()
    answered += [client.get(path)["Location"] for _ in range(5)]

    assert answered == ["https://www.example.com/after"] * 15
    flush.scans_flush()
    flush.scans_flush()  # the web process may return its spool to Redis between the two
    assert Scan.objects.filter(link=link).count() == 15
    assert not list(recorder.settings.TRACKING_SPOOL_DIR.glob("*"))


def test_gunicorn_and_runserver_serve_the_fast_path():
    from brandhub.wsgi import application

    assert isinstance(application, ScanFastPath) and isinstance(application.app, WSGIHandler)
