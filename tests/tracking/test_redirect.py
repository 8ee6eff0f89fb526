"""``/q/<code>``: 302 to the stored destination only, friendly pages otherwise, no database write on the way."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.tracking import flush, recorder
from campaigns.tracking.models import Scan, TrackedLink
from campaigns.tracking.services import link_save, validate_destination

from .conftest import GOOGLEBOT, SAFARI_IPHONE, WECHAT_IPHONE, WsgiClient

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["django", "wsgi"])
def client(request, client):
    """Every case through Django's view alone, and through the WSGI application gunicorn runs, whose fast path
    answers the plain scan before Django (``campaigns/tracking/fastpath.py``)."""
    return client if request.param == "django" else WsgiClient()


def test_a_scan_redirects_to_the_destination_and_writes_nothing_to_the_database(client, make_link):
    link = make_link(destination="https://www.example.com/gelato?x=1")
    client.get(f"/q/{link.code}?s=qr")  # the first scan fills the Redis copy (one read)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/q/{link.code}?s=qr", HTTP_USER_AGENT=SAFARI_IPHONE)
    assert response.status_code == 302
    assert response["Location"] == "https://www.example.com/gelato?x=1"
    assert not [q for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    if settings.REDIS_URL:
        assert len(queries) == 0  # the link's copy and the scan: one Redis call, no database at all
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert flush.scans_flush().stored == 2


@pytest.mark.parametrize(
    "path",
    ["/q/{code}?next=https://evil.example", "/q/{code}?s=qr&url=//evil.example", "/q/{code}?destination=https://evil"],
)
def test_nothing_in_the_request_changes_where_a_code_goes(client, make_link, path):
    link = make_link(destination="https://shop.example.com/")
    response = client.get(path.format(code=link.code))
    assert response.status_code == 302 and response["Location"] == "https://shop.example.com/"


@pytest.mark.parametrize("path", ["/q/%2F%2Fevil.example", "/q/..%2F..%2Fadmin", "/q/https:evil.example"])
def test_addresses_that_are_not_a_code_answer_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "destination",
    [
        "javascript:alert(1)",
        "//evil.example/x",
        "/relative/path",
        "ftp://files.example/x",
        "data:text/html,hi",
        "https://",
    ],
)
def test_only_full_http_addresses_are_stored_as_destinations(destination):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        validate_destination(destination)
    assert "destination" in raised.value.message_dict


def test_a_service_refuses_a_bad_destination_and_stores_nothing(manager, event):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        link_save(user=manager, event=event, label="x", destination="javascript:alert(1)")
    assert not TrackedLink.objects.exists()


def test_an_edited_destination_applies_to_the_next_scan(client, manager, make_link, django_capture_on_commit_callbacks):
    link = make_link(destination="https://old.example.com/")
    assert client.get(f"/q/{link.code}")["Location"] == "https://old.example.com/"
    with django_capture_on_commit_callbacks(execute=True):
        link_save(user=manager, link=link, destination="https://new.example.com/")
    assert client.get(f"/q/{link.code}")["Location"] == "https://new.example.com/"
    assert TrackedLink.objects.get().code == link.code


def test_codes_are_unguessable_and_unambiguous(make_link):
    codes = {make_link(label=f"v{i}").code for i in range(40)}
    assert len(codes) == 40
    assert all(len(code) == 8 and not set(code) & set("0O1lI2Z5S8B") for code in codes)


def test_an_unknown_code_answers_a_small_404_page_in_chinese_by_default(client):
    response = client.get("/q/ZZZZZZZZ")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and "这个二维码不存在" in page
    assert len(response.content) < 4000


def _third_party(page: str) -> list[str]:
    import re

    return [url for url in re.findall(r'(?:src|href)="([^"]+)"', page) if url.startswith(("http", "//"))]


def test_an_expired_link_shows_the_brand_and_says_so_in_the_visitors_language(client, make_link):
    link = make_link(valid_until=timezone.now() - datetime.timedelta(hours=1))
    response = client.get(f"/q/{link.code}")
    page = response.content.decode()
    assert response.status_code == 410
    assert "奥雷利奥榨油坊" in page and "活动已结束" in page
    assert not _third_party(page) and len(response.content) < 4000
    italian = client.get(f"/q/{link.code}", HTTP_ACCEPT_LANGUAGE="it-IT,it;q=0.9").content.decode()
    assert "Frantoio Aurelio" in italian and "terminata" in italian


def test_a_link_not_yet_valid_and_a_paused_link_do_not_redirect(client, make_link, manager):
    early = make_link(valid_from=datetime.datetime(2030, 6, 1, 10, 0, tzinfo=datetime.UTC))
    response = client.get(f"/q/{early.code}")
    assert response.status_code == 410 and "北京时间 2030年6月1日 18:00 开始" in response.content.decode()
    paused = make_link(status=TrackedLink.Status.PAUSED)
    assert client.get(f"/q/{paused.code}").status_code == 503
    outcomes = dict(Scan.objects.values_list("link__code", "outcome")) if flush.scans_flush() else {}
    assert outcomes == {early.code: "not_started", paused.code: "paused"}


def test_a_capped_link_redirects_until_the_cap_then_says_the_offer_ran_out(client, make_link):
    link = make_link(scan_cap=3)
    answers = [client.get(f"/q/{link.code}").status_code for _ in range(5)]
    assert answers == [302, 302, 302, 410, 410]
    assert "送完" in client.get(f"/q/{link.code}").content.decode()


def test_the_cap_holds_across_a_flush(client, make_link):
    link = make_link(scan_cap=2)
    assert client.get(f"/q/{link.code}").status_code == 302
    flush.scans_flush()
    recorder.forget_link(link.code)
    assert [client.get(f"/q/{link.code}").status_code for _ in range(2)] == [302, 410]


def test_wechat_visitors_of_a_taobao_page_get_the_open_in_browser_page(client, make_link):
    link = make_link(destination="https://item.taobao.com/item.htm?id=42")
    response = client.get(f"/q/{link.code}?s=qr", HTTP_USER_AGENT=WECHAT_IPHONE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "在浏览器打开" in page and "https://item.taobao.com/item.htm?id=42" in page
    assert not _third_party(page)
    flush.scans_flush()
    assert Scan.objects.get().outcome == "interstitial"


@pytest.mark.parametrize(
    ("destination", "agent", "interstitial", "expected"),
    [
        ("https://item.taobao.com/item.htm?id=42", SAFARI_IPHONE, True, 302),  # not WeChat
        ("https://www.example.com/", WECHAT_IPHONE, True, 302),  # not a Taobao page
        ("https://detail.tmall.com/item.htm?id=1", WECHAT_IPHONE, False, 302),  # turned off for this link
        ("https://detail.tmall.com/item.htm?id=1", WECHAT_IPHONE, True, 200),
        ("https://nottaobao.com.evil.example/", WECHAT_IPHONE, True, 302),
    ],
)
def test_the_wechat_page_shows_for_wechat_and_taobao_only(
    client, make_link, destination, agent, interstitial, expected
):
    link = make_link(destination=destination, wechat_interstitial=interstitial)
    assert client.get(f"/q/{link.code}", HTTP_USER_AGENT=agent).status_code == expected


def test_bots_are_recorded_but_flagged(client, make_link):
    link = make_link()
    client.get(f"/q/{link.code}", HTTP_USER_AGENT=GOOGLEBOT)
    flush.scans_flush()
    scan = Scan.objects.get()
    assert scan.is_bot and scan.device == "bot"


def test_the_ip_is_never_stored(client, make_link):
    link = make_link()
    client.get(f"/q/{link.code}", REMOTE_ADDR="203.0.113.77")
    flush.scans_flush()
    scan = Scan.objects.get()
    assert "203.0.113.77" not in str(Scan.objects.values().get())
    assert scan.visitor and len(scan.visitor) == 32
