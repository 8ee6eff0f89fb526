"""Password-reset mails are limited per address and per client address; the page never tells anything."""

import logging
import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_long_window(settings):
    """Counters live in fixed windows: one that spans years keeps a test from straddling two of them."""
    settings.PASSWORD_RESET_LIMIT_PERIOD = 10**8


def ask(client, email, address="203.0.113.7", **extra):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address, **extra)


def page(client, response) -> str:
    """The page the answer leads to, without the parts that change on every request (tokens, nonces)."""
    html = client.get(response["Location"]).content.decode()
    return re.sub(r'(value|nonce)="[^"]*"', "", html)


def test_forty_requests_for_one_address_send_at_most_the_limit(client, editor, mailoutbox, settings):
    for _ in range(40):
        assert ask(client, editor.email).status_code == 302
    assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL == 3


def test_the_address_limit_holds_across_client_addresses_and_letter_case(client, editor, mailoutbox):
    for n in range(10):
        ask(client, editor.email.upper() if n % 2 else editor.email, address=f"198.51.100.{n}")
    assert len(mailoutbox) == 3


def test_different_addresses_from_one_client_are_limited_too(client, mailoutbox, settings):
    users = [UserFactory(username=f"user{n}", email=f"user{n}@example.com") for n in range(15)]
    for user in users:
        ask(client, user.email)
    assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_CLIENT == 10
    ask(client, users[-1].email, address="192.0.2.1")  # Another client is not held back by the first one.
    assert len(mailoutbox) == 11


def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw(client, settings, mailoutbox):
    settings.BEHIND_PROXY = True
    users = [UserFactory(username=f"user{n}", email=f"user{n}@example.com") for n in range(12)]
    for n, user in enumerate(users):  # The first X-Forwarded-For entry is the client's to choose: never trusted.
        ask(client, user.email, address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.9")
    assert len(mailoutbox) == 10


def test_the_answer_is_the_same_for_known_unknown_and_limited_addresses(client, editor, mailoutbox):
    known = ask(client, editor.email, address="192.0.2.10")
    unknown = ask(client, "nobody@example.com", address="192.0.2.11")
    for _ in range(5):
        limited = ask(client, editor.email, address="192.0.2.12")
    assert len(mailoutbox) == 3
    assert known.status_code == unknown.status_code == limited.status_code == 302
    assert known["Location"] == unknown["Location"] == limited["Location"] == reverse("password_reset_done")
    assert known.content == unknown.content == limited.content
    assert page(client, known) == page(client, unknown) == page(client, limited)
    assert "try again later" in page(client, known)


def test_without_a_reachable_cache_no_mail_is_sent_and_the_page_is_the_same(
    client, editor, mailoutbox, settings, caplog
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with caplog.at_level(logging.ERROR, logger="brandhub.ratelimit"):
        response = ask(client, editor.email)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []
    assert "rate limiter's cache is unavailable" in caplog.text
