"""Publishing test data: items walked through the real workflow to *scheduled*, then made due by moving their hour."""

import datetime
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

from brandhub.celery import app
from campaigns.choices import ContentStatus
from campaigns.models import ContentItem
from campaigns.publishing import services
from tests.campaigns.conftest import ZH_TEXTS, china, make_campaign, make_item, move

on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks between sessions (skip_locked) need PostgreSQL; SQLite dispatchers take turns",
)


@pytest.fixture
def campaign(manager, brand):
    return make_campaign(user=manager, brands=[brand], year=timezone.now().year + 1)


@pytest.fixture
def scheduled(campaign, editor, manager, brand):
    """``scheduled(channel="short_video", late=timedelta(0))``: a scheduled item whose hour was ``late`` ago."""

    def make(channel="short_video", late=datetime.timedelta(0), **texts):
        item = make_item(
            campaign,
            author=editor,
            channel=channel,
            brands=[brand],
            scheduled_at=china(campaign.starts_on.year, 8, 8),
            **{**ZH_TEXTS, **texts},
        )
        item = move(item, to=ContentStatus.SCHEDULED, editor=editor, manager=manager)
        ContentItem.objects.filter(pk=item.pk).update(scheduled_at=timezone.now() - late)
        item.refresh_from_db()
        return item

    return make


@pytest.fixture
def queued(monkeypatch):
    """Publish tasks the services would send after their commit, collected instead (the tests without a worker)."""
    sent: list[int] = []
    lock = threading.Lock()

    def collect(item_id):
        with lock:
            sent.append(item_id)

    monkeypatch.setattr(services, "_queue_after_commit", collect)
    return sent


@pytest.fixture
def celery_worker():
    """A real worker (solo pool, in this process) on the configured broker: Redis, or the filesystem broker."""
    app.control.purge()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10) as worker:
        yield worker


def wait_for(condition, timeout=20.0):
    """Poll ``condition`` until it holds (True) or the time is up (its last value).

    The SQLite test database is in memory with a shared cache, where a read during the worker's write fails at
    once ("table is locked") instead of waiting: that poll counts as "not yet". (The embedded mode's file
    database in WAL mode lets readers read.)
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            value = False
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def in_thread(target, *args):
    """Run ``target`` in a thread with its own database connection (closed at the end); return the thread."""
    result = {}

    def run():
        try:
            result["value"] = target(*args)
        except BaseException as exc:  # re-raised by the test
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.result = result
    thread.start()
    return thread
