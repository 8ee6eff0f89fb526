"""Redis is down when an event is written: the outbox keeps it, and it is delivered once Redis is back.

A ``redis-server`` of the test's own (never the shared one) is the broker and the cache of a real worker with
its embedded beat, in its own process; the change is made by another process while that Redis is stopped.
Both processes share the test database, so this runs on PostgreSQL + Redis (CI's first pass).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from brandhub.models import OutboxEvent, WebhookDelivery
from brands.services import brand_update
from tests.api.servers import RedisServer

from .conftest import endpoint_for, wait_for

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not settings.REDIS_URL,
        reason="two processes on one test database, and a Redis to stop: PostgreSQL + Redis",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]


def process_env(redis_url: str, var_dir: Path) -> dict:
    db = settings.DATABASES["default"]
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    return {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path="/" + db["NAME"])),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "brandhub.settings.test",
        "BRANDHUB_VAR_DIR": str(var_dir),
        "WEBHOOK_TICK_SECONDS": "1",
        "WEBHOOK_QUEUE": "",
        "PUBLISH_TICK_SECONDS": "3600",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not on PATH")
    server = RedisServer(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def worker_with_beat(own_redis, tmp_path):
    """``celery worker -B`` on the test's own Redis: relays every second, delivers, reconnects by itself."""
    command = [sys.executable, "-m", "celery", "-A", "brandhub", "worker", "-B", "--pool", "solo", "--loglevel",
               "WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=process_env(own_redis.url, tmp_path / "worker"))
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


WRITE = """
import django
django.setup()
from brands.models import Brand
from brands.services import brand_update
brand_update(brand=Brand.objects.get(slug={slug!r}), user=None, fields={{"city": "Cremona"}})
print("committed")
"""


def test_an_event_written_while_redis_is_down_is_delivered_when_redis_is_back(
    brand, receiver, own_redis, worker_with_beat, tmp_path
):
    endpoint_for(receiver, events=["brand.updated"])
    OutboxEvent.objects.update(relayed_at=None)
    brand_update(brand=brand, user=None, fields={"city": "Siena"})
    # Working as usual first: beat's tick on the own Redis relays (the kick went to the shared one).
    assert wait_for(lambda: receiver.count() == 2, timeout=60), "the worker never delivered"
    assert wait_for(lambda: not WebhookDelivery.objects.exclude(state="delivered").exists())

    own_redis.kill()
    writer = subprocess.run(
        [sys.executable, "-c", WRITE.format(slug=brand.slug)],
        cwd=ROOT,
        env=process_env(own_redis.url, tmp_path / "writer"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert writer.returncode == 0 and "committed" in writer.stdout, writer.stderr  # the change itself commits
    (event,) = OutboxEvent.objects.filter(relayed_at__isnull=True)
    assert event.data["brand"]["slug"] == brand.slug
    time.sleep(3)
    assert receiver.count() == 2 and OutboxEvent.objects.filter(pk=event.pk, relayed_at__isnull=True).exists()

    own_redis.start()  # the same port
    back = time.monotonic()
    assert wait_for(lambda: receiver.count() == 3, timeout=90), "not delivered after Redis came back"
    after = time.monotonic() - back

    last = receiver.received[-1]
    assert last.headers["X-BrandHub-Event-Id"] == str(event.uuid)
    assert last.json()["data"]["brand"]["slug"] == brand.slug
    assert wait_for(lambda: WebhookDelivery.objects.filter(event=event, state="delivered").count() == 1)
    time.sleep(2)
    assert receiver.count() == 3  # once
    print(f"\ndelivered {after:.1f} s after Redis came back")
