"""Counting requests in Django's cache, for limits that must hold across web hosts (password-reset mails).

Counters live in fixed windows of ``period`` seconds: a key per subject and window, created with the window's
lifetime and incremented (atomic on Redis). ``touch`` after the increment keeps the lifetime on the cache
backends whose ``incr`` is a read and a write with the default timeout (the embedded mode's file cache).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


class LimiterUnavailable(Exception):
    """The cache could not count: the caller decides whether to let the action through."""


def hit(kind: str, subject: str, *, period: int) -> int:
    """Count one request of ``subject`` in the current window and return the window's count so far."""
    window = int(time.time() // period)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]  # No address or e-mail in the cache's keys.
    key = f"ratelimit:{kind}:{digest}:{window}"
    try:
        cache.add(key, 0, timeout=period)
        count = cache.incr(key)
        cache.touch(key, timeout=period)
    except Exception as exc:  # Redis down, timeouts, a key evicted between add and incr: nothing was counted.
        raise LimiterUnavailable(f"{type(exc).__name__}: {exc}") from exc
    return count


def client_address(meta) -> str:
    """The client's IP address from a request's ``META`` (or a WSGI environ): behind our proxy
    (``DJANGO_BEHIND_PROXY``) the last X-Forwarded-For entry, which is the one our proxy added (earlier entries
    come from the client and can be anything)."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return meta.get("REMOTE_ADDR", "")


def password_reset_allowed(*, email: str, client: str) -> bool:
    """Whether a reset mail may go to ``email`` for a request from ``client``; every request counts.

    At most ``PASSWORD_RESET_LIMIT_PER_EMAIL`` per address and ``PASSWORD_RESET_LIMIT_PER_CLIENT`` per client
    address in each ``PASSWORD_RESET_LIMIT_PERIOD``, known address or not. Fails closed: without a cache to
    count in, no mail goes out (a reset can wait; a mail bomb through us cannot be taken back).
    """
    period = settings.PASSWORD_RESET_LIMIT_PERIOD
    try:
        per_email = hit("password-reset-email", email.strip().lower(), period=period)
        per_client = hit("password-reset-client", client, period=period)
    except LimiterUnavailable as exc:
        logger.error("Password reset: no mail sent, the rate limiter's cache is unavailable (%s)", exc)
        return False
    allowed = (
        per_email <= settings.PASSWORD_RESET_LIMIT_PER_EMAIL and per_client <= settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    )
    if not allowed:
        logger.warning(
            "Password reset: limit reached (%d for the address, %d for client %s)", per_email, per_client, client
        )
    return allowed
