"""A worker process killed with SIGKILL in the middle of publishing: exactly one publication after its restart."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection, transaction

from brandhub.celery import app
from campaigns.choices import ContentStatus as S
from campaigns.models import ContentItem, ContentTransition
from campaigns.publishing import services, tasks
from campaigns.publishing.models import Publication

from .conftest import in_thread, on_postgres, wait_for

pytestmark = [on_postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "publishing-kill-test"


def waiting_for_the_row_lock() -> int:
    """Database sessions blocked on a row lock: the worker's publish task, inside its transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


@pytest.fixture
def worker_process():
    """``celery worker`` in its own process (prefork pool, one child) on the test database and the broker."""
    db = settings.DATABASES["default"]
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    env = {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path="/" + db["NAME"]))}
    env["DJANGO_SETTINGS_MODULE"] = "brandhub.settings.test"
    app.control.purge()
    command = [sys.executable, "-m", "celery", "-A", "brandhub", "worker", "--pool", "prefork", "--concurrency", "1"]
    command += ["--loglevel", "WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat"]
    # A queue of its own: no other consumer left on the broker by an earlier test can take the task.
    command += ["--queues", QUEUE]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        for child in pool_children(process.pid):
            os.kill(child, signal.SIGKILL)
        process.kill()
        process.wait(5)


def test_a_worker_killed_mid_publish_leads_to_exactly_one_publication(scheduled, queued, worker_process):
    item = scheduled()
    services.publications_dispatch()  # claimed; the task is sent below, while the row is held
    assert queued == [item.pk]
    locked, release = threading.Event(), threading.Event()

    def someone_holds_the_row():
        with transaction.atomic():
            ContentItem.objects.select_for_update().get(pk=item.pk)
            locked.set()
            release.wait(120)

    holder = in_thread(someone_holds_the_row)
    try:
        assert locked.wait(10)
        tasks.publication_publish.apply_async((item.pk,), queue=QUEUE)
        # The pool's process has taken the task and waits on the row inside its transaction: kill it there.
        assert wait_for(lambda: waiting_for_the_row_lock() == 1, timeout=60), "the worker never took the task"
        (victim,) = pool_children(worker_process.pid)
        os.kill(victim, signal.SIGKILL)
        # The lost task is rejected back to the broker (reject_on_worker_lost); the pool's new process takes it.
        assert wait_for(lambda: victim not in pool_children(worker_process.pid) and pool_children(worker_process.pid))
    finally:
        release.set()
        holder.join(10)

    # No dispatcher runs here: only the redelivered task can publish the item (a slow machine may take a while).
    assert wait_for(lambda: ContentItem.objects.get(pk=item.pk).status == S.PUBLISHED, timeout=90), (
        "the killed task was not delivered again"
    )
    assert ContentTransition.objects.filter(item=item, action="publish").count() == 1
    assert Publication.objects.get(item=item).attempts == 1
