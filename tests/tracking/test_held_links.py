"""The common scan waits for nothing: the link held in the process's memory, the scan appended to the spool file,
which a thread of the process sends on to Redis. On a Redis server of the test's own, in both CI passes.

What must hold: an edit still takes effect on the next scan, in every worker; scans spooled while Redis is away
reach it when it is back without anything else happening; no line is read twice or lost, whoever claims the file.
"""

import json
import multiprocessing
import os
import threading
import time
import urllib.parse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brandhub import redisclient
from brandhub.api import hotcache
from brandhub.api.hotcache import hot
from campaigns.tracking import flush, recorder, redirect, spool
from campaigns.tracking.models import Scan
from campaigns.tracking.services import link_save
from tests.api.servers import wait_for

from .conftest import SAFARI_IPHONE, WsgiClient

pytestmark = pytest.mark.django_db


class _NoRedis:
    """Stands in for the request path's Redis client: any use fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the request path called Redis ({name})")


def _waiting_in_redis(server) -> int:
    return server.client().llen(recorder.QUEUE)


def test_a_repeated_scan_calls_neither_redis_nor_the_database(own_redis, make_link, monkeypatch, spool):
    link = make_link(destination="https://www.example.com/gelato")
    client, path = WsgiClient(), f"/q/{link.code}?s=qr"
    client.get(path)  # the database, then Redis's copy
    assert wait_for(hot.healthy)  # the invalidation channel is listened to
    client.get(path)  # Redis's copy, now held in memory
    monkeypatch.setattr(recorder, "redis_client", lambda **kw: _NoRedis())
    with CaptureQueriesContext(connection) as queries:
        answers = [client.get(path, HTTP_USER_AGENT=SAFARI_IPHONE)["Location"] for _ in range(5)]
    assert answers == ["https://www.example.com/gelato"] * 5 and len(queries) == 0
    # The mover sent the spooled lines on to Redis, with its own connection.
    assert wait_for(lambda: _waiting_in_redis(own_redis) == 7 and not list(spool.glob("*")))
    monkeypatch.undo()
    assert flush.scans_flush().stored == 7


def test_scans_spooled_while_redis_is_away_reach_it_when_it_is_back_with_no_flush(own_redis, make_link, spool):
    link = make_link()
    client, path = WsgiClient(), f"/q/{link.code}"
    answered = [client.get(path).status_code for _ in range(3)]
    assert wait_for(lambda: _waiting_in_redis(own_redis) == 3)
    own_redis.kill()
    for _ in range(4):  # over 3 s of outage: the file is not claimed again and again (one file, not one a second)
        answered.append(client.get(path).status_code)
        time.sleep(0.75)
    assert len(list(spool.glob("*"))) <= 2  # this process's file, and at most one claimed as Redis went away
    assert len([line for name in spool.glob("*") for line in name.read_bytes().splitlines()]) == 4  # kept on disk
    own_redis.start()  # empty: what Redis held before is gone with it (the flush had not run)
    assert wait_for(lambda: _waiting_in_redis(own_redis) == 4 and not list(spool.glob("*")), 10)
    assert answered == [302] * 7
    assert flush.scans_flush().stored == 4


def test_a_spool_file_left_by_a_process_that_ended_is_sent_on(own_redis, make_link, spool):
    link = make_link()
    line = {"t": "f" * 32, "c": link.code, "at": time.time(), "ua": "", "lang": "", "ip": "x", "s": "qr",
            "o": "redirect"}  # fmt: skip
    (spool / "scans-999999999.jsonl").write_bytes(json.dumps(line).encode() + b"\n")
    WsgiClient().get(f"/q/{link.code}")  # this process's mover starts with its first scan
    assert wait_for(lambda: _waiting_in_redis(own_redis) == 2 and not list(spool.glob("*")), 5)
    assert flush.scans_flush().stored == 2


def test_without_its_spool_folder_a_scan_goes_to_redis_directly(own_redis, make_link, settings, tmp_path):
    link = make_link()
    settings.TRACKING_SPOOL_DIR = tmp_path / "removed"
    assert [WsgiClient().get(f"/q/{link.code}").status_code for _ in range(3)] == [302] * 3
    assert _waiting_in_redis(own_redis) == 3
    assert flush.scans_flush().stored == 3


def _write(count: int) -> None:
    for i in range(count):
        spool.append(f"{os.getpid()}-{i}".encode())
    os._exit(0)


def _drain(until: float, out: str) -> None:
    read = []
    while time.monotonic() < until:
        spool.claim_all()
        for claimed in spool.claimed():
            with spool.draining(claimed) as batches:
                read += [line for lines in (batches(500) if batches else ()) for line in lines]
    with open(out, "wb") as handle:
        handle.write(b"\n".join(read))
    os._exit(0)


def test_writers_and_two_drainers_at_once_read_every_line_exactly_once(tmp_path):
    fork = multiprocessing.get_context("fork")
    drain_until = time.monotonic() + 4
    drainers = [fork.Process(target=_drain, args=(drain_until, str(tmp_path / f"read-{i}"))) for i in range(2)]
    writers = [fork.Process(target=_write, args=(3000,)) for _ in range(4)]
    for process in drainers + writers:
        process.start()
    for process in writers + drainers:
        process.join(30)
        assert process.exitcode == 0
    read = [line for i in range(2) for line in (tmp_path / f"read-{i}").read_bytes().split(b"\n") if line]
    spool.claim_all()  # what the drainers left when they stopped
    for claimed in spool.claimed():
        with spool.draining(claimed) as batches:
            read += [line for lines in (batches(500) if batches else ()) for line in lines]
    expected = {f"{process.pid}-{i}".encode() for process in writers for i in range(3000)}
    assert len(read) == len(expected) == 12000 and set(read) == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_under_gunicorn_an_edit_takes_effect_on_the_next_scan_in_every_worker(
    own_redis, manager, make_link, settings, tmp_path
):
    import http.client

    from tests.api.servers import Gunicorn
    from tests.api.test_redis_failure import database_url

    if connection.vendor != "postgresql":
        pytest.skip("gunicorn workers need a database server")
    link = make_link(destination="https://www.example.com/before")
    server = Gunicorn(database_url(), own_redis.url, tmp_path).start()
    answered = []

    def location() -> str:
        scan = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        scan.request("GET", f"/q/{link.code}?s=qr")
        answer = scan.getresponse()
        scan.close()
        answered.append(answer.status)
        return answer.getheader("Location")

    try:
        channel = hotcache.channel(own_redis.url)
        assert wait_for(lambda: [location() for _ in range(10)] and own_redis.subscribers(channel) == 2, 20, every=0.1)
        assert [location() for _ in range(20)] == ["https://www.example.com/before"] * 20  # held by both workers
        link_save(user=manager, link=link, destination="https://www.example.com/after")  # on commit: the message
        assert [location() for _ in range(20)] == ["https://www.example.com/after"] * 20
    finally:
        server.stop()
    # Every scan answered is stored: what the workers' movers had not sent on yet is in their spool folder.
    settings.TRACKING_SPOOL_DIR = tmp_path / "scans"
    flush.scans_flush()
    assert set(answered) == {302} and Scan.objects.filter(link=link).count() == len(answered)


def test_the_link_is_held_only_while_the_channel_is_healthy(own_redis, make_link):
    link = make_link()
    WsgiClient().get(f"/q/{link.code}")
    assert wait_for(hot.healthy)
    WsgiClient().get(f"/q/{link.code}")
    assert hot.held(recorder.HELD, link.code) is not None
    own_redis.pause()
    try:
        assert wait_for(lambda: hot.held(recorder.HELD, link.code) is None, hotcache.SILENCE_LIMIT + 1)
    finally:
        own_redis.resume()


def test_a_copy_read_while_the_link_was_saved_is_not_held(own_redis, make_link, monkeypatch):
    link = make_link()
    WsgiClient().get(f"/q/{link.code}")
    assert wait_for(hot.healthy)
    cached_link = recorder.cached_link

    def saved_meanwhile(code):
        data = cached_link(code)  # the old fields, read just before the save's message arrives
        hot.invalidate("drop", f"{recorder.HELD}/{code}")
        return data

    monkeypatch.setattr(recorder, "cached_link", saved_meanwhile)
    WsgiClient().get(f"/q/{link.code}")
    assert hot.held(recorder.HELD, link.code) is None
    assert urllib.parse.urlsplit(link.destination).scheme == "https"


def test_a_scan_never_waits_for_whoever_drains_its_file():
    spool.append(b"first")
    claimed = spool.claim(spool.path())
    with spool.draining(claimed) as batches:  # a flush or a mover has the file, and is slow (a paused Redis)
        writer = threading.Thread(target=spool.append, args=(b"second",))
        writer.start()
        writer.join(2)
        assert not writer.is_alive(), "the scan waited for the drainer"
        assert [line for lines in batches(10) for line in lines] == [b"first"]
    with open(spool.path(), "rb") as handle:
        assert handle.read() == b"second\n"  # a new file of its own


def _append_past_the_file_size_limit(folder: str, out: str) -> None:
    import resource
    import signal

    from django.conf import settings

    settings.TRACKING_SPOOL_DIR = folder
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))  # the disk takes 100 bytes of this process's file
    outcome = []
    for line in (b"a" * 59, b"b" * 59):
        try:
            spool.append(line)
            outcome.append("kept")
        except OSError:
            outcome.append("refused")
    with open(out, "w") as handle:
        handle.write(" ".join(outcome))
    os._exit(0)


def test_a_line_the_disk_takes_only_part_of_is_refused_and_taken_back(tmp_path, spool):
    child = multiprocessing.get_context("fork").Process(
        target=_append_past_the_file_size_limit, args=(str(spool), str(tmp_path / "outcome"))
    )
    child.start()
    child.join(10)
    assert (tmp_path / "outcome").read_text() == "kept refused"  # the caller sends the refused one to Redis
    (written,) = spool.glob("scans-*.jsonl")
    assert written.read_bytes() == b"a" * 59 + b"\n"  # no torn line for the flush to skip


def test_a_database_read_from_before_a_save_is_not_copied_into_redis(own_redis, make_link):
    link = make_link(destination="https://www.example.com/before")
    version = recorder.link_version(link.code)  # a scan reads the version, then the database ...
    old = redirect.redirect_fields(link)
    recorder.forget_link(link.code)  # ... the link is saved and its copy dropped meanwhile ...
    recorder.cache_link(link.code, old, version)  # ... and the scan would put the old fields back for a minute
    assert recorder.cached_link(link.code) is False
    recorder.cache_link(link.code, old, recorder.link_version(link.code))
    assert recorder.cached_link(link.code)["to"] == "https://www.example.com/before"


def test_a_save_tells_every_process_even_while_this_ones_breaker_is_open(own_redis, make_link):
    link = make_link()
    listener = own_redis.client().pubsub()
    listener.subscribe(hotcache.channel(own_redis.url))
    assert listener.get_message(timeout=1)["type"] == "subscribe"
    redisclient.trip()  # a Redis call of this process failed a moment ago
    recorder.forget_link(link.code)
    message = listener.get_message(timeout=2)
    assert message and message["data"] == f"drop:{recorder.HELD}/{link.code}".encode()


def test_without_a_thread_to_move_them_scans_are_kept_and_counted_once(own_redis, make_link, monkeypatch, spool):
    link = make_link()

    def no_thread(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(recorder.mover, "source", None)
    monkeypatch.setattr(threading.Thread, "start", no_thread)
    assert [WsgiClient().get(f"/q/{link.code}").status_code for _ in range(3)] == [302] * 3
    monkeypatch.undo()
    assert flush.scans_flush().stored == 3


def test_only_a_changed_link_is_announced_so_a_bulk_import_never_waits_for_redis(
    manager, event, django_capture_on_commit_callbacks
):
    """Announcing a save is retried for up to 2 s while Redis is away: a new code has nothing to announce."""
    with django_capture_on_commit_callbacks() as created:
        link = link_save(user=manager, event=event, label="Stand 1", destination="https://www.example.com/")
    with django_capture_on_commit_callbacks() as changed:
        link_save(user=manager, link=link, destination="https://www.example.com/after")
    announced = [getattr(callback, "func", None) for callback in created + changed]
    assert announced.count(recorder.forget_link) == 1 and getattr(changed[-1], "func", None) is recorder.forget_link


def test_a_redis_that_answers_but_refuses_writes_gets_no_new_file_a_second(own_redis, make_link, spool):
    link = make_link()
    client, path = WsgiClient(), f"/q/{link.code}"
    client.get(path)
    assert wait_for(lambda: _waiting_in_redis(own_redis) == 1)
    admin = own_redis.client()
    admin.config_set("maxmemory-policy", "noeviction")
    admin.config_set("maxmemory", "1")  # PING answers, every write is refused (OOM)
    try:
        for _ in range(4):
            assert client.get(path).status_code == 302
            time.sleep(0.75)
        assert len(list(spool.glob("*"))) <= 2
    finally:
        admin.config_set("maxmemory", "0")
    assert wait_for(lambda: _waiting_in_redis(own_redis) == 5 and not list(spool.glob("*")), 10)
