"""The signature on every delivery: ``X-BrandHub-Signature: t=<unix time>,v1=<hex HMAC-SHA256>``.

The HMAC is computed with the endpoint's secret over ``f"{t}."`` followed by the exact body bytes, so a
receiver can tell the body is ours and unchanged, and refuse an old one replayed (``t`` too far from now).
``verify`` is what a receiver runs; the README gives the same few lines for partners.
"""

import hashlib
import hmac
import secrets
import time

HEADER = "X-BrandHub-Signature"
SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for ``body``, signed now (or at ``timestamp``)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE_SECONDS, now=None) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and is at most ``tolerance`` seconds old (or ahead)."""
    try:
        parts = dict(part.strip().split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), parts.get("v1", ""))
