"""The flush: every scan answered becomes exactly one row, whatever dies on the way (Redis, the flush itself)."""

import concurrent.futures
import http.client
import json
import urllib.parse

import pytest
from django.db.models import Sum

from campaigns.tracking import flush, recorder, spool
from campaigns.tracking.models import Scan, ScanHour
from tests.api.servers import wait_for

from .conftest import ALIPAY_ANDROID, GOOGLEBOT, SAFARI_IPHONE, WECHAT_IPHONE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("agent", "app", "device", "os", "bot"),
    [
        (WECHAT_IPHONE, "wechat", "phone", "iOS", False),
        (ALIPAY_ANDROID, "alipay", "phone", "Android", False),
        (SAFARI_IPHONE, "browser", "phone", "iOS", False),
        (GOOGLEBOT, "browser", "bot", "", True),
        ("", "browser", "bot", "", True),
        (
            "Mozilla/5.0 (Linux; Android 12; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0 Mobile "
            "Safari/537.36 AliApp(TB/10.30.0) TTID/600000@taobao_android_10.30.0 WindVane/8.5.0",
            "taobao", "phone", "Android", False,
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; V2244A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110 Mobile "
            "Safari/537.36 aweme_270000 JsSdk/1.0 NetType/WIFI Channel/vivo_1128_64 app_version/27.0.0 "
            "ByteLocale/zh-CN Region/CN AppSkin/white AppTheme/light BytedanceWebview/d8a21c6",
            "douyin", "phone", "Android", False,
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
            "Safari/605.1.15",
            "browser", "desktop", "Mac OS X", False,
        ),
    ],
)  # fmt: skip
def test_user_agents_are_classified_with_the_scanning_app(agent, app, device, os, bot):
    result = flush.classify(agent)
    assert (result.app, result.device, result.os, result.is_bot) == (app, device, os, bot)


def test_scans_become_rows_and_hourly_rollups_with_unique_visitors(client, make_link):
    link = make_link()
    for _ in range(3):
        client.get(f"/q/{link.code}?s=qr", HTTP_USER_AGENT=WECHAT_IPHONE, REMOTE_ADDR="198.51.100.1")
    client.get(f"/q/{link.code}", HTTP_USER_AGENT=SAFARI_IPHONE, REMOTE_ADDR="198.51.100.2")
    result = flush.scans_flush()
    assert (result.stored, result.remaining) == (4, 0)
    assert Scan.objects.count() == 4
    totals = ScanHour.objects.aggregate(scans=Sum("scans"), uniques=Sum("uniques"))
    assert totals == {"scans": 4, "uniques": 2}
    by_source = dict(ScanHour.objects.values_list("source").annotate(n=Sum("scans")))
    assert by_source == {"qr": 3, "link": 1}


def test_a_batch_stored_twice_counts_once(client, make_link):
    """A flush that dies after its commit but before it trims Redis: the next flush sees the same lines."""
    link = make_link()
    for _ in range(5):
        client.get(f"/q/{link.code}")
    client = recorder.redis_client()
    if client is not None:
        # The web process's mover sends its spool file on to Redis within MOVE_EVERY.
        assert wait_for(lambda: not list(recorder.settings.TRACKING_SPOOL_DIR.glob("*")))
        lines = client.lrange(recorder.QUEUE, 0, -1)
    else:  # embedded mode: the spool file
        with open(spool.path(), "rb") as handle:
            lines = handle.read().splitlines()
    assert flush.store(lines).stored == 5
    result = flush.scans_flush()
    assert (result.stored, result.skipped) == (0, 5)
    assert Scan.objects.count() == 5
    assert ScanHour.objects.aggregate(n=Sum("scans"))["n"] == 5


def test_a_flush_killed_half_way_leaves_the_batch_to_the_next_one(client, make_link, monkeypatch):
    link = make_link()
    for _ in range(4):
        client.get(f"/q/{link.code}")

    def die(scans):
        raise SystemExit("killed")

    monkeypatch.setattr(flush, "_add_to_rollups", die)
    with pytest.raises(SystemExit):
        flush.scans_flush()
    assert not Scan.objects.exists()  # rolled back: rows and rollups go together
    monkeypatch.undo()
    if recorder.redis_client() is None:
        # The spool file was claimed (renamed) by the dead flush: the next one takes claimed files too.
        assert list(recorder.settings.TRACKING_SPOOL_DIR.glob("*.draining"))
    assert flush.scans_flush().stored == 4
    assert ScanHour.objects.aggregate(n=Sum("scans"))["n"] == 4


def test_torn_and_foreign_lines_are_skipped(make_link):
    link = make_link()
    good = json.dumps({"t": "a" * 32, "c": link.code, "at": 1.8e9, "ua": "", "lang": "", "ip": "x", "s": "qr",
                       "o": "redirect"}).encode()  # fmt: skip
    unknown = good.replace(link.code.encode(), b"NOSUCHCD").replace(b"a" * 32, b"b" * 32)
    result = flush.store([good, b'{"t": "torn', unknown])
    assert (result.stored, result.skipped) == (1, 2)


def _get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_scans_give_exactly_as_many_rows(live_server, make_link):
    link = make_link()
    port = urllib.parse.urlsplit(live_server.url).port
    n = 200
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda i: _get(port, f"/q/{link.code}?s=qr", {"User-Agent": f"agent {i}"}), range(n)))
    assert statuses == [302] * n
    flush.scans_flush()
    assert Scan.objects.filter(link=link).count() == n
    assert ScanHour.objects.aggregate(n=Sum("scans"))["n"] == n


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_stopped_every_scan_is_answered_and_counted_after_it_is_back(live_server, make_link, own_redis):
    link = make_link(destination="https://www.example.com/after")
    port = urllib.parse.urlsplit(live_server.url).port
    path = f"/q/{link.code}?s=qr"
    answered = [_get(port, path) for _ in range(20)]
    assert flush.scans_flush().stored == 20  # what beat flushes every few seconds (Redis keeps the rest: AOF)
    own_redis.kill()
    answered += [_get(port, path) for _ in range(30)]  # Redis is gone: the spool takes them
    own_redis.start()
    answered += [_get(port, path) for _ in range(20)]
    assert answered == [302] * 70
    flush.scans_flush()
    flush.scans_flush()  # the web process may return its spool to Redis between the two
    assert Scan.objects.filter(link=link).count() == 70
    assert not list(recorder.settings.TRACKING_SPOOL_DIR.glob("*"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_the_flush_task(client, make_link):
    from celery.contrib.testing.worker import start_worker

    from brandhub.celery import app
    from campaigns.tracking.tasks import scans_flush
    from tests.publishing.conftest import wait_for

    link = make_link()
    for _ in range(7):
        client.get(f"/q/{link.code}?s=qr", HTTP_USER_AGENT=WECHAT_IPHONE)
    app.control.purge()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        scans_flush.delay()
        assert wait_for(lambda: Scan.objects.filter(link=link).count() == 7)
