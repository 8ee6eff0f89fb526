"""Which webhook URLs may be called, and a connection made to the very address that was checked (SSRF).

A partner's URL is checked when it is registered and again before every attempt: the scheme must be http or
https, and every address its host resolves to must be public (not loopback, private, shared, link-local,
multicast, reserved or unspecified; IPv6 addresses that embed an IPv4 one are judged by it too). The request
then goes to one of those checked addresses, never to a second lookup of the name, so a name that answers a
public address to the check and 127.0.0.1 to the connection (DNS rebinding) cannot switch. No proxy from the
environment is used and redirects are not followed. ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` (dev and test) lifts
the address rule, never the scheme rule.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCHEMES = {"http": 80, "https": 443}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
MAX_RESPONSE_BYTES = 16 * 1024
USER_AGENT = "helloITA-BrandHub-Webhooks/1"


class RefusedURL(ValidationError):
    """The URL may not be called: not http(s), or its host is (or resolves to) an address that is not public."""

    def __init__(self, message):
        super().__init__(message, code="refused")


class UnresolvedHost(ValidationError):
    """The host name has no address now (refused at registration; a retryable failure at send time)."""

    def __init__(self, message):
        super().__init__(message, code="unresolved")


class SendError(Exception):
    """The request did not get an answer: refused connection, timeout, TLS failure, broken response."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``addresses``, all checked) and what to send as Host and path."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    ms: int


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_is_public(address: str) -> bool:
    """Whether an IP address (as text; an IPv6 zone is ignored) is one the internet routes to a host."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        inner = _embedded_ipv4(ip)
        if inner is not None and not address_is_public(str(inner)):
            return False
    return ip.is_global and not (
        ip.is_multicast or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified
    )


def _parse(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise RefusedURL(_("Only http:// and https:// URLs are accepted."))
    if parts.username is not None or parts.password is not None:
        raise RefusedURL(_("A webhook URL may not carry a user name or a password."))
    host = parts.hostname
    if not host:
        raise RefusedURL(_("The URL has no host."))
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError as exc:
        raise RefusedURL(_("The URL's port is not valid.")) from exc
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, path


def check(url: str, *, allow_private: bool | None = None) -> Target:
    """Resolve ``url``'s host once and check every address; raise ``RefusedURL`` or ``UnresolvedHost``."""
    scheme, host, port, path = _parse(url)
    allow = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES if allow_private is None else allow_private
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError) as exc:
            raise UnresolvedHost(_("The host %(host)s could not be resolved.") % {"host": host}) from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnresolvedHost(_("The host %(host)s could not be resolved.") % {"host": host})
    if not allow:
        refused = [a for a in addresses if not address_is_public(a)]
        if refused:
            raise RefusedURL(
                _("%(host)s is or resolves to %(address)s, which is not a public address: refused.")
                % {"host": host, "address": refused[0]}
            )
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=tuple(addresses))


class _Pinned:
    """Connects to the checked addresses in turn (never to the name); ``abort`` cuts the connection from a
    watchdog thread, so a receiver trickling bytes cannot hold a worker past the total deadline."""

    def __init__(self, host, port, *, addresses, timeout, deadline, **kwargs):
        super().__init__(host, port, timeout=timeout, **kwargs)
        self._addresses, self._deadline = addresses, deadline

    def _open(self):
        error = None
        for address in self._addresses:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                sock = socket.create_connection((address, self.port), min(self.timeout, remaining))
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return sock
            except OSError as exc:
                error = exc
        raise error or TimeoutError("timed out")

    def abort(self):
        sock = self.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    def connect(self):
        self.sock = self._open()


class PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    def connect(self):
        # The certificate is checked against the URL's host name (SNI too), not against the address.
        self.sock = self._context.wrap_socket(self._open(), server_hostname=self.host)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS: {exc.reason or exc}"[:200]
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:200]


def post(target: Target, body: bytes, headers: dict, *, timeout: float) -> Answer:
    """POST ``body`` to the checked target; the answer (status, first bytes of the body, time) or ``SendError``.

    ``timeout`` bounds connecting and each read; the whole exchange is cut at three times that.
    """
    start = time.monotonic()
    deadline = start + 3 * timeout
    cls = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    connection = cls(target.host, target.port, addresses=target.addresses, timeout=timeout, deadline=deadline)
    watchdog = threading.Timer(3 * timeout, connection.abort)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("POST", target.path, body=body, headers={"User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        data = response.read(MAX_RESPONSE_BYTES)
        return Answer(status=response.status, body=data, ms=int((time.monotonic() - start) * 1000))
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise SendError("timed out") from exc
        raise SendError(_describe(exc)) from exc
    finally:
        watchdog.cancel()
        connection.close()
