"""The common scan waits for nothing: the link held in the process's memory, the scan appended to the spool file,
which a thread of the process sends on to Redis. On a Redis server of the test's own, in both CI passes.

What must hold: an edit still takes effect on the next scan, in every worker; scans spooled while Redis is away
reach it when it is back without anything else happening; no line is read twice or lost, whoever claims the file.
"""

import json
import multiprocessing
import os
import time
import urllib.parse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brandhub.api import hotcache
from brandhub.api.hotcache import hot
from campaigns.tracking import flush, recorder, spool
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
    answered += [client.get(path).status_code for _ in range(4)]
    time.sleep(0.5)
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
            with spool.draining(claimed) as lines:
                read += lines or []
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
        with spool.draining(claimed) as lines:
            read += lines or []
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
