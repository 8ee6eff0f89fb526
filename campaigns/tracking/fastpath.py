"""The common scan answered before Django's request handling: ``/q/<code>`` in one Redis call and a few headers.

At a fair, codes are scanned by the hundred a minute. Most scans are the plain case: an active link inside its
window, no scan limit, no WeChat page. For those, Django's middleware (sessions, language, CSRF, messages, the
content security policy …) cost more than the scan itself: twice the time of the view, for a response with no
body that reads no cookie. ``ScanFastPath`` wraps the WSGI application (``brandhub/wsgi.py``): it begins the scan
exactly as the view does (``redirect.scan_begin``: the link's fields from the process's memory or Redis, the scan
appended to the spool file) and answers the 302 itself with the headers Django would send
(``tests/tracking/test_fastpath.py`` compares them).

Everything else goes to Django unchanged: another method, a host not allowed, plain HTTP where HTTPS is required,
no copy of the link (the embedded mode, Redis failing), a paused, expired, capped or WeChat-limited link. A scan it
has begun is handed to the view in the environ (``redirect.BEGUN``), so it is recorded once and Redis asked once.
"""

import functools
import logging
import re
import time

from django.conf import settings
from django.core.signals import setting_changed
from django.http.request import split_domain_port, validate_host
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date

from . import redirect

logger = logging.getLogger(__name__)

PREFIX = "/q/"
# What the URL pattern ``q/<str:code>`` accepts and a code can be; anything else is left to Django.
CODE = re.compile(r"[0-9A-Za-z_-]{1,64}")
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"  # Django's never_cache


class ScanFastPath:
    """WSGI middleware: the plain ``/q/`` redirect without Django's request handling; the rest to ``app``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(PREFIX):
            try:
                headers = answer(environ)
            except Exception:
                # Django answers it (a scan already recorded is handed over in the environ, not recorded again).
                logger.exception("tracking: the fast path failed on %s", environ.get("PATH_INFO"))
                headers = None
            if headers is not None:
                start_response("302 Found", headers)
                return [b""]
        return self.app(environ, start_response)


def answer(environ) -> list[tuple[str, str]] | None:
    """The 302's headers when the scan was recorded as a plain redirect; None: Django answers."""
    code = environ["PATH_INFO"][len(PREFIX) :]
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not CODE.fullmatch(code) or not _host_allowed(environ):
        return None
    secure = _is_secure(environ)
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None
    _record, data, recorded = environ[redirect.BEGUN] = redirect.scan_begin(code, environ)
    if not recorded:
        return None
    return [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Location", iri_to_uri(data["to"])),
        ("Expires", http_date(time.time())),
        ("Cache-Control", NEVER_CACHE),
        ("Content-Length", "0"),
        *_security_headers(secure),
    ]


def _host_allowed(environ) -> bool:
    """Django's ``request.get_host()`` check, without building a request (a bad host: Django answers its 400)."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


def _is_secure(environ) -> bool:
    """``request.is_secure()``: the proxy's header when one is configured, else the WSGI scheme."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return value.split(",")[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


@functools.cache
def _security_headers(secure: bool) -> tuple[tuple[str, str], ...]:
    """What ``SecurityMiddleware``, ``XFrameOptionsMiddleware`` and django-csp add to a redirect, from the
    settings (worked out once per process)."""
    from csp.utils import build_policy

    headers = []
    if settings.X_FRAME_OPTIONS:
        headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS.upper()))
    for name, report_only in (("Content-Security-Policy", False), ("Content-Security-Policy-Report-Only", True)):
        policy = build_policy(report_only=report_only)
        if policy:
            headers.append((name, policy))
    if secure and settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        hsts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        hsts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers.append(("Strict-Transport-Security", hsts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        headers.append(("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return tuple(headers)


def _settings_changed(**kwargs) -> None:
    _security_headers.cache_clear()


setting_changed.connect(_settings_changed)
