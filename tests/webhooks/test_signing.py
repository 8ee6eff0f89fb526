"""The signature header: what a receiver recomputes (the same lines as the README's example)."""

import hashlib
import hmac
import time

from brandhub.api.webhooks import signing

SECRET = "whsec_" + "k" * 40
BODY = b'{"id":"e1","type":"brand.updated","v":1,"occurred_at":"2026-11-11T00:00:00Z","data":{}}'


def partner_verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The README's receiver code, kept here word for word."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_the_header_carries_a_timestamp_and_the_hmac_of_timestamp_dot_body():
    header = signing.sign(SECRET, BODY, timestamp=1_700_000_000)
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_signature_verifies_and_a_changed_body_or_secret_does_not():
    header = signing.sign(SECRET, BODY)
    assert signing.verify(SECRET, header, BODY) and partner_verify(SECRET, header, BODY)
    assert not signing.verify(SECRET, header, BODY + b" ") and not partner_verify(SECRET, header, BODY + b" ")
    assert not signing.verify("whsec_other" + "x" * 30, header, BODY)


def test_an_old_signature_is_refused():
    header = signing.sign(SECRET, BODY, timestamp=int(time.time()) - 3600)
    assert not signing.verify(SECRET, header, BODY) and not partner_verify(SECRET, header, BODY)


def test_a_malformed_header_is_refused():
    for header in ("", "v1=abc", "t=x,v1=abc", "t=1"):
        assert not signing.verify(SECRET, header, BODY)


def test_generated_secrets_are_long_and_distinct():
    first, second = signing.new_secret(), signing.new_secret()
    assert first != second and first.startswith("whsec_") and len(first) > 40
