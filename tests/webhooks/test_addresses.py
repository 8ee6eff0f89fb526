"""Which URLs a webhook may call: in production only http(s) to public addresses, every resolved address checked."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from brandhub.api.webhooks import addresses
from brandhub.api.webhooks.services import webhook_endpoint_create

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "93.184.215.14"


def resolving(monkeypatch, *answers):
    """Patch name resolution at its edge (``socket.getaddrinfo``): call n answers ``answers[n]`` (the last one
    from then on). Each answer is a list of addresses. Returns the list of names looked up."""
    calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        found = answers[min(len(calls), len(answers) - 1)]
        calls.append(host)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in found]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


@pytest.fixture
def production(settings):
    """The production value of the rule (``brandhub.settings.production`` leaves it off)."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    return settings


REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.1.2.3:8080/hook",
    "http://10.0.0.5/hook",
    "http://10.255.1.1/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.10/hook",
    "http://100.64.0.1/hook",  # shared address space (carrier NAT)
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://240.0.0.1/hook",
    "http://[::1]/hook",
    "http://[::]/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:10.0.0.1]/hook",
    "http://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 of 169.254.169.254
    "http://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
    "http://localhost:8000/hook",  # /etc/hosts: 127.0.0.1 and ::1
    "http://2130706433/hook",  # 127.0.0.1 written as one number
]


@pytest.mark.parametrize("url", REFUSED)
def test_loopback_private_link_local_and_reserved_addresses_are_refused_in_production(production, url):
    with pytest.raises(addresses.RefusedURL, match="not a public address"):
        addresses.check(url)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/", "//x.com/"])
def test_only_http_and_https_are_accepted_whatever_the_setting(settings, url):
    for allow in (True, False):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = allow
        with pytest.raises(addresses.RefusedURL, match="http"):
            addresses.check(url)


def test_a_url_with_a_user_name_or_password_is_refused(settings):
    with pytest.raises(addresses.RefusedURL):
        addresses.check(f"https://user:pass@{PUBLIC}/hook")


def test_a_public_address_is_accepted_and_is_where_the_request_goes(production):
    target = addresses.check(f"https://{PUBLIC}:8443/hooks?x=1")
    assert (target.scheme, target.host, target.port, target.path, target.addresses) == (
        "https",
        PUBLIC,
        8443,
        "/hooks?x=1",
        (PUBLIC,),
    )


def test_a_name_is_resolved_once_and_every_address_it_has_is_checked(production, monkeypatch):
    calls = resolving(monkeypatch, [PUBLIC, "2606:2800:220:1::1"])
    target = addresses.check("https://hooks.partner.example/in")
    assert target.addresses == (PUBLIC, "2606:2800:220:1::1") and calls == ["hooks.partner.example"]

    resolving(monkeypatch, [PUBLIC, "10.1.2.3"])  # one public, one private: refused
    with pytest.raises(addresses.RefusedURL, match=r"10\.1\.2\.3"):
        addresses.check("https://hooks.partner.example/in")


def test_a_name_that_resolves_to_a_private_address_is_refused(production, monkeypatch):
    resolving(monkeypatch, ["192.168.0.7"])
    with pytest.raises(addresses.RefusedURL, match=r"192\.168\.0\.7"):
        addresses.check("https://intranet.partner.example/in")


def test_a_name_that_does_not_resolve_is_not_accepted(production, monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(addresses.UnresolvedHost):
        addresses.check("https://nowhere.partner.example/in")


def test_dev_and_test_settings_allow_private_addresses(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    assert addresses.check("http://127.0.0.1:9999/hook").addresses == ("127.0.0.1",)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/h", "http://10.1.1.1/h", "http://169.254.169.254/", "http://[::1]/h", "http://localhost/h"],
)
def test_registration_is_refused_for_a_private_address_in_production(production, url):
    with pytest.raises(ValidationError) as caught:
        webhook_endpoint_create(name="Partner", url=url, events=["brand.updated"])
    assert "url" in caught.value.message_dict


@pytest.mark.parametrize(
    ("module", "allowed"),
    [("brandhub.settings.production", "False"), ("brandhub.settings.dev", "True"), ("brandhub.settings.test", "True")],
)
def test_only_production_refuses_private_addresses_by_default(tmp_path, module, allowed):
    env = {k: v for k, v in os.environ.items() if k != "WEBHOOK_ALLOW_PRIVATE_ADDRESSES"}
    env.update(DJANGO_SETTINGS_MODULE=module, DJANGO_SECRET_KEY="x" * 50, BRANDHUB_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings; print(settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == allowed
