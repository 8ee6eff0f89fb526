import datetime
import shutil

import pytest

from brandhub import redisclient
from campaigns.tracking import recorder
from campaigns.tracking.services import event_save, link_save

WECHAT_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"
)
ALIPAY_ANDROID = (
    "Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2227A Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.59 Mobile Safari/537.36 AliApp(AP/10.5.60.8000) "
    "AlipayClient/10.5.60.8000"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def spool(settings, tmp_path):
    """Each test spools scans to a folder of its own, and starts with an empty scan list in Redis."""
    settings.TRACKING_SPOOL_DIR = tmp_path / "spool"
    settings.TRACKING_SPOOL_DIR.mkdir()
    redisclient._breaker["open_until"] = 0.0
    client = redisclient.redis_client(ignore_breaker=True)
    if client is not None:
        client.delete(recorder.QUEUE)
        for key in client.scan_iter("tracking:*"):
            client.delete(key)
    yield settings.TRACKING_SPOOL_DIR
    redisclient._breaker["open_until"] = 0.0


@pytest.fixture
def own_redis(settings, tmp_path):
    """A ``redis-server`` of the test's own (never the shared one), used as REDIS_URL, in both CI passes."""
    from tests.api.servers import RedisServer

    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not on PATH")
    server = RedisServer(tmp_path).start()
    settings.REDIS_URL = server.url
    redisclient._breaker["open_until"] = 0.0
    yield server
    server.kill()
    redisclient._breaker["open_until"] = 0.0


@pytest.fixture
def event(manager, brand):
    return event_save(
        user=manager,
        title="Hema We are together",
        kind="supermarket",
        city="上海",
        venue="盒马 静安店",
        starts_on=datetime.date(2027, 6, 1),
        ends_on=datetime.date(2027, 6, 18),
        partner="Hema",
        reward_zh="送冰淇淋一杯",
        brands=[brand],
        products=[],
    )


@pytest.fixture
def make_link(manager, event):
    def make(**fields):
        fields.setdefault("label", "Jing'an entrance")
        fields.setdefault("destination", "https://frantoio-aurelio.tmall.hk/shop/view")
        return link_save(user=manager, event=event, **fields)

    return make


class WsgiResponse:
    def __init__(self, status: str, headers: list, content: bytes):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.header_list = headers
        self.content = content

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


class WsgiClient:
    """``get()`` through the WSGI application as gunicorn runs it (``brandhub/wsgi.py``: the scan fast path in
    front of Django), or through ``app`` given; the test's database connection is kept open."""

    def __init__(self, app=None):
        from django.core.handlers.wsgi import WSGIHandler

        from campaigns.tracking.fastpath import ScanFastPath

        self.app = app or ScanFastPath(WSGIHandler())

    def get(self, path: str, **extra) -> WsgiResponse:
        return self.request("GET", path, **extra)

    def request(self, method: str, path: str, secure: bool = False, **extra) -> WsgiResponse:
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections
        from django.test import RequestFactory

        environ = dict(RequestFactory().generic(method, path, secure=secure, **extra).environ)
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)

        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = self.app(environ, start_response)
            try:
                content = b"".join(body)
            finally:
                getattr(body, "close", lambda: None)()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return WsgiResponse(answer["status"], answer["headers"], content)
