"""Livestream sessions: a content item of the livestream channel with its session data, on the calendar and through
the publishing workflow like any item; its hosts, products and run sheet (on a phone, printed, as a PDF) and what a
brand user sees of a session shared with other brands."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import kol_selectors
from campaigns.choices import Channel, ContentStatus
from campaigns.livestreams import livestream_save, run_sheet_save
from campaigns.models import ContentItem, LivestreamSession
from campaigns.publishing import services as publishing
from campaigns.publishing.models import Publication
from campaigns.selectors import month_calendar
from campaigns.tracking.services import link_save
from tests.campaigns.conftest import ZH_TEXTS, make_campaign, move
from tests.campaigns.kol_data import CHINA, make_kol, make_run_sheet, make_session, published
from tests.factories import BrandFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
NEXT_YEAR = timezone.now().year + 1


@pytest.fixture
def brands(db):
    """Three brands of a Double 11 session, each with two SKUs."""
    made = []
    for slug, name, zh, codes in (
        ("cantina-aurelia", "Cantina Aurelia", "奥雷利亚酒庄", ("CA-BRU-750", "CA-VER-750")),
        ("frantoio-aurelio", "Frantoio Aurelio", "奥雷利奥榨油坊", ("FA-EVO-500", "FA-EVO-250")),
        ("maglificio-bertazzi", "Maglificio Bertazzi", "贝尔塔齐针织", ("MB-KNIT-01", "MB-KNIT-02")),
    ):
        products = [{"code": c, "name_it": f"{name} {c}", "name_zh_hans": f"{zh}{c[-3:]}", "price_cny": "268"}
                    for c in codes]  # fmt: skip
        made.append(BrandFactory(slug=slug, name_it=name, name_zh_hans=zh, products=products))
    return made


@pytest.fixture
def double11(manager, brands):
    return make_campaign(user=manager, brands=brands, festival_key="double-11", year=NEXT_YEAR)


@pytest.fixture
def lily(manager):
    return make_kol(manager)


@pytest.fixture
def session(editor, double11, brands, lily):
    """Planned by the editor (a manager approves it)."""
    products = [p for brand in brands for p in brand.products.order_by("code")]
    return make_session(
        user=editor,
        campaign=double11,
        brands=brands,
        products=products,
        when=datetime.datetime(NEXT_YEAR, 11, 10, 20, tzinfo=CHINA),
        hosts=[{"kol": lily, "role": "主播"}, {"name": "Giovanni Rossi", "brand": brands[0], "role": "winemaker"}],
    )


def _products(brand):
    return list(brand.products.order_by("code"))


def test_a_session_is_a_livestream_item_with_its_session_data(session, brands, lily):
    item = session.item
    assert item.channel == Channel.LIVESTREAM and item.status == ContentStatus.DRAFT
    assert item.kol == lily  # the first KOL host is the item's KOL
    assert set(item.brands.all()) == set(brands) and session.products.count() == 6
    assert [str(h) for h in session.hosts.all()] == ["意式生活家Lily", "Giovanni Rossi"]
    assert session.ends_at - session.starts_at == datetime.timedelta(minutes=120)


def test_a_product_of_another_brand_is_refused(manager, double11, brands):
    stranger = BrandFactory(products=[{"code": "XX-1", "name_it": "Altro"}])
    with pytest.raises(ValidationError):
        make_session(user=manager, campaign=double11, brands=brands[:1], products=_products(stranger))
    with pytest.raises(ValidationError):  # a brand of the campaign, but not of this session
        make_session(user=manager, campaign=double11, brands=brands[:1], products=_products(brands[1]))
    assert not ContentItem.objects.exists()  # nothing half-written


def test_a_host_of_a_brand_outside_the_session_is_refused(manager, double11, brands):
    with pytest.raises(ValidationError):
        make_session(user=manager, campaign=double11, brands=brands[:1], hosts=[{"name": "Anna", "brand": brands[2]}])


def test_a_session_is_on_the_calendar(manager, session):
    month = month_calendar(manager, NEXT_YEAR, 11)
    day = next(d for week in month.weeks for d in week if d.date == datetime.date(NEXT_YEAR, 11, 10))
    assert session.pk in day.item_ids


def test_a_session_goes_live_through_the_publishing_workflow(manager, editor, session, monkeypatch):
    monkeypatch.setattr(publishing, "_queue_after_commit", lambda item_id: None)
    item = ContentItem.objects.get(pk=session.pk)
    ContentItem.objects.filter(pk=item.pk).update(author=editor)
    item = move(ContentItem.objects.get(pk=item.pk), to=ContentStatus.SCHEDULED, editor=editor, manager=manager)
    ContentItem.objects.filter(pk=item.pk).update(scheduled_at=timezone.now())
    publishing.publications_dispatch()
    assert publishing.publication_publish(item_id=item.pk) == Publication.State.DUE  # livestream: a manual go-live
    publishing.publication_confirm(item=item, user=editor, url="https://m.tb.cn/live/42")
    item.refresh_from_db()
    assert item.status == ContentStatus.PUBLISHED and item.publication.url == "https://m.tb.cn/live/42"


def test_a_new_time_sends_an_approved_session_back_to_review_and_new_hosts_do_not(manager, editor, session, lily):
    ContentItem.objects.filter(pk=session.pk).update(author=editor, **ZH_TEXTS)
    item = move(ContentItem.objects.get(pk=session.pk), to=ContentStatus.APPROVED, editor=editor, manager=manager)
    livestream_save(user=manager, campaign=item.campaign, item=item, hosts=[{"kol": lily}], products=[])
    item.refresh_from_db()
    assert item.status == ContentStatus.APPROVED
    later = item.scheduled_at + datetime.timedelta(hours=1)
    livestream_save(user=manager, campaign=item.campaign, item=item, scheduled_at=later)
    item.refresh_from_db()
    assert item.status == ContentStatus.IN_REVIEW


def test_a_session_gone_out_keeps_its_time_but_its_products_can_be_put_right(manager, editor, session, brands):
    item = published(ContentItem.objects.get(pk=session.pk), editor=editor, manager=manager)
    livestream_save(user=manager, campaign=item.campaign, item=item, products=_products(brands[0]),
                    scheduled_at=item.scheduled_at + datetime.timedelta(days=1))  # fmt: skip
    item.refresh_from_db()
    assert item.status == ContentStatus.PUBLISHED and item.scheduled_at.astimezone(CHINA).day == 10
    assert session.products.count() == 2


# --- the run sheet ----------------------------------------------------------------------------------------------------


def test_run_sheet_steps_get_their_time_slots_from_the_steps_before_them(manager, session, brands):
    oil, wine = _products(brands[1])[0], _products(brands[0])[0]
    warnings = make_run_sheet(manager, session, [(10, "开场"), (20, oil, "买二赠一"), (15, wine), (5, "抽奖")])
    assert warnings == []
    slots = kol_selectors.run_sheet(manager, LivestreamSession.objects.get(pk=session.pk))
    times = [(s.starts_at.astimezone(CHINA).strftime("%H:%M"), s.ends_at.astimezone(CHINA).strftime("%H:%M"))
             for s in slots]  # fmt: skip
    assert times == [("20:00", "20:10"), ("20:10", "20:30"), ("20:30", "20:45"), ("20:45", "20:50")]


def test_a_run_sheet_longer_than_the_session_is_saved_with_a_warning(manager, session):
    assert "150 minutes: 30 past" in make_run_sheet(manager, session, [(100, "开场"), (50, "抽奖")])[0]


def test_a_run_sheet_refuses_products_not_featured_and_codes_it_cannot_show(manager, session, double11, brands):
    stranger = BrandFactory(products=[{"code": "XX-1", "name_it": "Altro"}]).products.get()
    with pytest.raises(ValidationError) as error:
        run_sheet_save(user=manager, session=session, steps=[{"minutes": 10, "product": stranger}])
    assert "Step 1" in str(error.value)
    with pytest.raises(ValidationError):
        run_sheet_save(user=manager, session=session, steps=[{"minutes": 10, "title": "开场", "link_code": "NOPE"}])
    link = link_save(user=manager, label="Live QR", destination="https://example.com/live", campaign=double11)
    run_sheet_save(user=manager, session=session, steps=[{"minutes": 10, "title": "开场", "link_code": link.code}])
    assert session.steps.get().link_code == link.code


def test_a_run_sheet_closes_when_the_session_has_gone_out(manager, editor, session):
    published(ContentItem.objects.get(pk=session.pk), editor=editor, manager=manager)
    with pytest.raises(ValidationError):
        make_run_sheet(manager, session, [(10, "开场")])


def test_the_run_sheet_page_reads_on_a_phone_and_prints(client, manager, session, brands, double11):
    wine = _products(brands[0])[0]
    link = link_save(user=manager, label="直播间二维码", destination="https://example.com/live", campaign=double11)
    run_sheet_save(user=manager, session=session, steps=[
        {"minutes": 10, "title": "开场", "talking_points_zh": "大家好，欢迎来到意大利之夜！"},
        {"minutes": 20, "product": wine, "offer": "直播间专享：买二赠一", "live_price_cny": 199, "link_code": link.code,
         "talking_points_it": "Un rosso di Montalcino."},
    ])  # fmt: skip
    client.force_login(manager)
    page = client.get(reverse("campaigns:runsheet_detail", kwargs={"pk": session.pk})).content.decode()
    assert "20:10–20:30" in page and "直播间专享：买二赠一" in page and "Un rosso di Montalcino." in page
    assert "css/livestreams.css" in page  # its print and phone rules
    code = reverse("campaigns:runsheet_code", kwargs={"pk": session.pk, "code": link.code})
    assert code in page
    image = client.get(code)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    pdf = client.get(reverse("campaigns:runsheet_pdf", kwargs={"pk": session.pk}))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "大家好，欢迎来到意大利之夜！" in text and "20:10–20:30" in text and "买二赠一" in text


# --- what a brand user sees -------------------------------------------------------------------------------------------


@pytest.fixture
def wine_user(brands):
    user = UserFactory(username="cantina-viewer")
    MembershipFactory(user=user, brand=brands[0])
    return user


def test_a_brand_user_sees_their_part_of_a_shared_session(client, manager, editor, session, brands, wine_user):
    wine, knit = _products(brands[0])[0], _products(brands[2])[0]
    make_run_sheet(manager, session, [(10, "开场"), (20, wine), (20, knit)])
    published(ContentItem.objects.get(pk=session.pk), editor=editor, manager=manager)
    client.force_login(wine_user)
    for url in (reverse("campaigns:livestream_detail", kwargs={"pk": session.pk}),
                reverse("campaigns:runsheet_detail", kwargs={"pk": session.pk})):  # fmt: skip
        page = client.get(url).content.decode()
        assert "Cantina Aurelia" in page and wine.code in page and "开场" in page
        assert "Bertazzi" not in page and "贝尔塔齐" not in page and knit.code not in page
        assert "Frantoio" not in page and "奥雷利奥" not in page
    slots = kol_selectors.run_sheet(wine_user, kol_selectors.session_for_page(wine_user, session.pk))
    assert [s.starts_at.astimezone(CHINA).strftime("%H:%M") for s in slots] == ["20:00", "20:10"]  # true times
    pdf = client.get(reverse("campaigns:runsheet_pdf", kwargs={"pk": session.pk})).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert wine.code in text and knit.code not in text and "贝尔塔齐" not in text


def test_another_brands_staff_host_is_not_shown_to_a_brand_user(manager, editor, session, brands):
    user = UserFactory()
    MembershipFactory(user=user, brand=brands[2])
    published(ContentItem.objects.get(pk=session.pk), editor=editor, manager=manager)
    found = kol_selectors.session_for_page(user, session.pk)
    assert [str(h) for h in kol_selectors.visible_hosts(user, found)] == ["意式生活家Lily"]  # not Cantina's winemaker


def test_a_draft_session_is_not_shown_to_brand_users(client, session, wine_user):
    client.force_login(wine_user)
    assert client.get(reverse("campaigns:livestream_detail", kwargs={"pk": session.pk})).status_code == 404


def test_a_code_of_another_brands_step_is_not_served_to_a_brand_user(client, manager, editor, session, brands,
                                                                     double11, wine_user):  # fmt: skip
    link = link_save(user=manager, label="Knit QR", destination="https://example.com/k", campaign=double11)
    make_run_sheet(manager, session, [(10, "开场")])
    run_sheet_save(user=manager, session=session, steps=[{"minutes": 10, "product": _products(brands[2])[0],
                                                          "link_code": link.code}])  # fmt: skip
    published(ContentItem.objects.get(pk=session.pk), editor=editor, manager=manager)
    client.force_login(wine_user)
    assert (
        client.get(reverse("campaigns:runsheet_code", kwargs={"pk": session.pk, "code": link.code})).status_code == 404
    )


def test_the_sessions_list_costs_the_same_queries_for_1_and_8_sessions(client, manager, double11, brands, lily):
    client.force_login(manager)

    def add(n):
        make_session(user=manager, campaign=double11, brands=brands[:2], products=_products(brands[0]),
                     when=datetime.datetime(NEXT_YEAR, 11, 1 + n, 20, tzinfo=CHINA), hosts=[{"kol": lily}],
                     title=f"直播第{n}场")  # fmt: skip

    add(0)
    url = reverse("campaigns:livestream_list") + "?when=coming"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 8):
        add(n)
    with CaptureQueriesContext(connection) as eight:
        page = client.get(url).content.decode()
    assert "直播第7场" in page and len(eight) == len(one)


def test_the_session_form_creates_the_item_and_the_session(client, manager, double11, brands, lily):
    client.force_login(manager)
    url = reverse("campaigns:livestream_create", kwargs={"campaign_pk": double11.pk})
    wine = _products(brands[0])
    data = {
        "title_zh_hans": "意大利酒庄之夜", "scheduled_at": f"{NEXT_YEAR}-11-10T20:00", "duration_minutes": "150",
        "platform": "pinduoduo", "brands": [brands[0].pk], "products": [p.pk for p in wine], "room_url": "",
        "hosts-TOTAL_FORMS": "2", "hosts-INITIAL_FORMS": "0", "hosts-MIN_NUM_FORMS": "0", "hosts-MAX_NUM_FORMS": "8",
        "hosts-0-kol": lily.pk, "hosts-0-role": "主播", "hosts-1-name": "", "hosts-1-kol": "",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session = LivestreamSession.objects.get()
    assert session.platform == "pinduoduo" and session.duration_minutes == 150 and session.item.kol == lily
    assert session.item.scheduled_at == datetime.datetime(NEXT_YEAR, 11, 10, 20, tzinfo=CHINA)
    data["products"] = [_products(brands[1])[0].pk]  # not a product of the session's brand
    page = client.post(url, data)
    assert page.status_code == 200 and "FA-EVO-250 is a product of Frantoio Aurelio" in page.content.decode()
