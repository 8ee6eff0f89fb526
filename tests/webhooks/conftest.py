"""Webhook tests: a local HTTP receiver in a thread (the only stand-in: everything else is real), a real Celery
worker on a queue of its own, and helpers to wait for what the worker does."""

import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, connection

from brandhub.api.webhooks import services
from brandhub.celery import app
from brandhub.models import WebhookEndpoint

# A queue no other test's worker consumes (nor one a killed worker left behind).
QUEUE = f"webhooks-test-{uuid.uuid4().hex[:8]}"
EVENTS = ["content.published", "content.failed", "campaign.status_changed", "brand.updated"]


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the partner's server got, and what it answers next (``answers``: status codes, then 200s)."""

    server: ThreadingHTTPServer
    received: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/brandhub"

    def count(self) -> int:
        with self.lock:
            return len(self.received)


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if receiver.delay:
                time.sleep(receiver.delay)
            with receiver.lock:
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
            payload = json.dumps({"ok": status < 300, "status": status}).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the sender gave up (a timeout test)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    receiver = Receiver(server=None)
    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.server.daemon_threads = True
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fast_retries(settings):
    """Retries a fraction of a second apart (the schedule's shape is the same: base × 4^n)."""
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.05
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    return settings


@pytest.fixture(autouse=True)
def own_queue(settings):
    """Every webhook task these tests cause goes to their queue, from the first event on."""
    settings.WEBHOOK_QUEUE = QUEUE


@pytest.fixture
def webhook_worker():
    """A real worker (solo pool, in this process) on the configured broker, on a queue of its own."""
    queues = app.amqp.queues
    # A worker started with queues narrows the app's own list of queues to consume from, and leaves it so:
    # give it back, or the next in-process worker (the publishing tests') would consume only this queue.
    consume_from = queues._consume_from
    _dirty_reads(True)
    try:
        with start_worker(
            app, pool="solo", queues=[QUEUE], perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        queues._consume_from = consume_from
        _dirty_reads(False)


def _dirty_reads(on: bool) -> None:
    """On the in-memory SQLite test database (one shared cache, table locks that fail at once instead of waiting),
    the test's polls must not lock the tables the worker writes: they read without read locks. PostgreSQL and the
    embedded mode's file database need nothing of the kind."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA read_uncommitted = {int(on)}")


def endpoint_for(receiver, events=EVENTS, brands=(), url=None, **fields) -> WebhookEndpoint:
    return services.webhook_endpoint_create(
        name="Tmall Global", url=url or receiver.url, events=events, brands=brands, secret="s" * 32, **fields
    )


def wait_for(condition, timeout=20.0, tick=None):
    """Poll ``condition`` until it holds or time is up (its last value). ``tick`` (beat's job here) runs on each
    poll. A read refused by the in-memory SQLite database while the worker writes counts as "not yet"."""
    deadline = time.monotonic() + timeout
    while True:
        if tick:
            tick()
        try:
            value = condition()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            value = False
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def retrying(write, timeout=10.0):
    """Run a write of the test's own while the worker works. The SQLite test database is in memory with a shared
    cache, where a write that meets the worker's lock fails at once instead of waiting ("table is locked"): try
    again. (PostgreSQL, and the embedded mode's file database, wait for the lock by themselves.)"""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def beat():
    """What beat does every WEBHOOK_TICK_SECONDS: queue a relay run."""
    from brandhub.api.webhooks.tasks import outbox_relay

    outbox_relay.apply_async(queue=QUEUE)


from tests.publishing.conftest import campaign, queued, scheduled  # noqa: E402, F401 - fixtures shared with publishing
