"""The staff pages of events and codes, and what a brand user sees of them."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.tracking import flush
from campaigns.tracking.models import OfflineEvent, TrackedLink

from .conftest import WECHAT_IPHONE

pytestmark = pytest.mark.django_db


def _event_form(brand, **extra):
    return {
        "title": "Slow Food training for chefs",
        "kind": "training",
        "city": "成都",
        "venue": "Slow Food Chengdu",
        "starts_on": "2027-03-10",
        "ends_on": "2027-03-12",
        "partner": "Slow Food",
        "brands": [brand.pk],
        "reward_zh": "送橄榄油小样",
        **extra,
    }


def test_staff_create_an_event_and_add_a_code(client_for, editor, brand):
    client = client_for(editor)
    response = client.post(reverse("tracking:event_create"), _event_form(brand))
    event = OfflineEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    response = client.post(
        reverse("tracking:link_create", args=[event.pk]),
        {"label": "Kitchen door", "destination": "https://frantoio.tmall.hk/", "status": "active",
         "wechat_interstitial": "on", "city": "成都", "brands": [brand.pk]},
    )  # fmt: skip
    link = TrackedLink.objects.get()
    assert response["Location"] == link.get_absolute_url()
    assert list(link.brands.all()) == [brand] and link.event == event


def test_an_event_that_ends_before_it_starts_is_refused_on_the_form(client_for, editor, brand):
    response = client_for(editor).post(reverse("tracking:event_create"), _event_form(brand, ends_on="2027-03-01"))
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not OfflineEvent.objects.exists()


def test_a_bad_destination_is_a_form_error(client_for, editor, event):
    response = client_for(editor).post(
        reverse("tracking:link_create", args=[event.pk]),
        {"label": "x", "destination": "javascript:alert(1)", "status": "active"},
    )
    assert response.status_code == 200 and not TrackedLink.objects.exists()
    assert 'class="error"' in response.content.decode()


CSV = "label,destination,city,venue,reward,scan_cap\n"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_bulk_codes_from_a_csv_all_or_nothing_with_a_row_report(client_for, editor, event, language):
    client = client_for(editor)
    client.cookies["django_language"] = language
    url = reverse("tracking:link_import", args=[event.pk])
    bad = (
        CSV
        + "Jing'an,https://a.example/,上海,盒马 静安店,,500\nXuhui,ftp://b.example/,上海,,,\nPudong,https://c/,,,,-3\n"
    )
    response = client.post(url, {"file": io.BytesIO(bad.encode())}, format="multipart")
    page = response.content.decode()
    assert response.status_code == 200 and not TrackedLink.objects.exists()
    assert "<td>3</td>" in page and "<td>4</td>" in page
    if language == "zh-hans":
        assert "未生成任何二维码" in page
    good = CSV + "Jing'an,https://a.example/,上海,盒马 静安店,,500\nXuhui,https://b.example/,上海,盒马 徐汇店,,\n"
    response = client.post(url, {"file": io.BytesIO(good.encode())}, format="multipart")
    assert response.status_code == 302
    assert sorted(TrackedLink.objects.values_list("venue", flat=True)) == ["盒马 徐汇店", "盒马 静安店"]
    assert TrackedLink.objects.get(venue="盒马 静安店").scan_cap == 500


@pytest.mark.parametrize("content", [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", b"PK\x03\x04\x14\x00\x06\x00"])
def test_a_pdf_or_a_workbook_given_to_the_import_is_told_it_is_not_a_csv(client_for, editor, event, content):
    response = client_for(editor).post(
        reverse("tracking:link_import", args=[event.pk]), {"file": io.BytesIO(content)}, format="multipart"
    )
    assert "not a CSV file" in response.content.decode() and not TrackedLink.objects.exists()


def test_the_qr_download_decodes_to_the_tracked_url(client_for, editor, make_link):
    import zxingcpp
    from PIL import Image

    link = make_link()
    response = client_for(editor).get(
        reverse("tracking:link_qr", args=[link.pk]),
        {"format": "png", "size_cm": "3", "dpi": "300", "foreground": "#8B1A1A", "background": "#FFF8E7",
         "caption": "扫码领取冰淇淋", "download": "1"},
    )  # fmt: skip
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    decoded = [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))]
    assert decoded == [link.tracked_url("qr")] and "s=qr" in decoded[0]


def test_colours_scanners_cannot_read_are_refused_with_400(client_for, editor, make_link):
    link = make_link()
    response = client_for(editor).get(
        reverse("tracking:link_qr", args=[link.pk]),
        {"format": "png", "size_cm": "3", "dpi": "300", "foreground": "#FFFF00", "background": "#FFFFFF"},
    )
    assert response.status_code == 400 and "contrast" in response.content.decode()


def test_the_event_page_shows_scans_by_app_and_venue_after_the_flush(client_for, client, editor, make_link, event):
    link = make_link(venue="盒马 静安店")
    for _ in range(3):
        client.get(f"/q/{link.code}?s=qr", HTTP_USER_AGENT=WECHAT_IPHONE)
    flush.scans_flush()
    page = client_for(editor).get(event.get_absolute_url()).content.decode()
    assert "<dd>3</dd>" in page and "WeChat" in page and "盒马 静安店" in page


def test_the_event_page_costs_the_same_queries_for_1_and_10_codes(client_for, editor, make_link, event, client):
    staff = client_for(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(event.get_absolute_url()).status_code == 200
        return len(queries)

    make_link(label="first")
    one = count()
    for i in range(9):
        make_link(label=f"more {i}", venue=f"venue {i}")
    assert count() == one


def test_scans_export_as_csv_for_a_date_range(client_for, client, editor, make_link, event):
    link = make_link()
    client.get(f"/q/{link.code}?s=qr", HTTP_USER_AGENT=WECHAT_IPHONE)
    flush.scans_flush()
    today = datetime.date.today()
    staff = client_for(editor)
    url = reverse("tracking:scan_export", args=[event.pk])
    days = {
        "from": (today - datetime.timedelta(days=1)).isoformat(),
        "to": (today + datetime.timedelta(days=1)).isoformat(),
    }
    body = b"".join(staff.get(url, days).streaming_content)
    lines = body.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and link.code in lines[1] and ",wechat," in lines[1]
    assert staff.get(url, {"from": "yesterday"}).status_code == 400


def test_events_appear_on_the_calendar_for_those_who_may_see_them(client_for, editor, event, brand_user, other_brand):
    from tests.factories import MembershipFactory, UserFactory

    url = reverse("campaigns:calendar_month", args=[2027, 6])
    assert "Hema We are together" in client_for(editor).get(url).content.decode()
    assert "Hema We are together" in client_for(brand_user).get(url).content.decode()
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, brand=other_brand)
    assert "Hema We are together" not in client_for(stranger).get(url).content.decode()


def test_a_code_of_a_shared_event_can_be_for_one_brand_only(
    client_for, editor, manager, brand, other_brand, brand_user
):
    from campaigns.tracking.services import event_save

    shared = event_save(
        user=manager, title="Shared fair", kind="fair", city="广州", starts_on=datetime.date(2027, 4, 1),
        ends_on=datetime.date(2027, 4, 3), brands=[brand, other_brand], products=[],
    )  # fmt: skip
    staff = client_for(editor)
    form = staff.get(reverse("tracking:link_create", args=[shared.pk])).content.decode()
    assert "Maglificio Bertazzi" in form and "Frantoio Aurelio" in form
    staff.post(
        reverse("tracking:link_create", args=[shared.pk]),
        {
            "label": "Bertazzi corner",
            "destination": "https://b.example/",
            "status": "active",
            "brands": [other_brand.pk],
        },
    )
    link = TrackedLink.objects.get(label="Bertazzi corner")
    assert list(link.brands.all()) == [other_brand]
    assert client_for(brand_user).get(link.get_absolute_url()).status_code == 404
    assert "Bertazzi corner" not in client_for(brand_user).get(shared.get_absolute_url()).content.decode()
