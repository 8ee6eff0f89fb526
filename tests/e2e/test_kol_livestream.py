"""Staff plan a Double 11 livestream with three brands' products and a KOL picked by typing, book the KOL for it,
import the store's daily sales for the baseline and enter the session's results; a brand user then sees their own part
only: the session's viewers, their product's sales and uplift, the booking without its fee — and on a phone."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaigns import workflow
from campaigns.models import ContentItem, KolBooking, LivestreamSession
from tests.campaigns.conftest import make_campaign
from tests.campaigns.kol_data import make_kol
from tests.factories import PASSWORD, BrandFactory, EditorFactory, ManagerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
BRANDS = (
    ("cantina-aurelia", "Cantina Aurelia", "奥雷利亚酒庄", "CA-BRU-750", "布鲁奈罗红葡萄酒"),
    ("frantoio-aurelio", "Frantoio Aurelio", "奥雷利奥榨油坊", "FA-EVO-500", "特级初榨橄榄油"),
    ("maglificio-bertazzi", "Maglificio Bertazzi", "贝尔塔齐针织", "MB-KNIT-01", "羊绒毛衣"),
)


def _world():
    ManagerFactory(username="giulia")
    EditorFactory(username="li.wei")
    brands = []
    for slug, name, zh, code, product in BRANDS:
        products = [{"code": code, "name_it": f"{name} {code}", "name_zh_hans": product, "price_cny": "268"}]
        brands.append(BrandFactory(slug=slug, name_it=name, name_zh_hans=zh, products=products))
    user = UserFactory(username="cantina")
    MembershipFactory(user=user, brand=brands[0])
    manager = ManagerFactory(username="planner")
    campaign = make_campaign(user=manager, brands=brands, festival_key="double-11", year=2026,
                             title="Double 11 Italian night 2026")  # fmt: skip
    kol = make_kol(manager, accounts=(("taobao_live", "yishi_lily", 1_240_000),), fee_min_cny=60_000)
    make_kol(manager, name="Coco", name_zh="珠宝控Coco", accounts=())
    return brands, campaign, kol


def _login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def _pick(page, select_id: str, typed: str) -> None:
    """Choose in a searchable picker (select2) by typing part of a name."""
    page.locator(f"#{select_id} + .select2-container").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(typed)
    option = page.locator(".select2-results__option", has_text=typed).first
    expect(option).to_be_visible()
    option.click()


def _publish(session_pk):
    """The review and the go-live, as the manager and the publisher take them (tested on their own elsewhere)."""
    from campaigns.models import ContentItem as Item
    from tests.factories import User

    item = Item.objects.get(pk=session_pk)
    editor, manager = User.objects.get(username="li.wei"), User.objects.get(username="giulia")
    item = workflow.transition(item=item, user=editor, action="submit")
    item = workflow.transition(item=item, user=manager, action="approve")
    before = item.scheduled_at - datetime.timedelta(days=2)
    item = workflow.transition(item=item, user=editor, action="schedule", accept_warnings=True, now=before)
    workflow.transition(item=item, user=None, action="publish", system=True)


def test_staff_book_a_kol_for_a_double_11_livestream_and_a_brand_user_sees_their_part(page, live_server, tmp_path):
    _brands, campaign, kol = _world()
    url = live_server.url
    _login(page, live_server, "li.wei")

    # The session: three brands, their products, the KOL found by typing part of her Chinese name.
    page.goto(url + reverse("campaigns:livestream_create", kwargs={"campaign_pk": campaign.pk}))
    page.locator("#id_title_zh_hans").fill("双十一意大利之夜直播")
    page.locator("#id_body_zh_hans").fill("意大利三家品牌连线直播，直播间专享优惠。")
    page.locator("#id_scheduled_at").fill("2026-11-10T20:00")
    page.locator("#id_duration_minutes").fill("180")
    page.locator("#id_platform").select_option("taobao_live")
    for _slug, name, *_rest in BRANDS:
        field = page.locator("#id_brands + .select2-container .select2-search__field")
        field.click()
        field.fill(name.split()[1])
        page.locator(".select2-results__option", has_text=name).first.click()
    for _slug, name, *_rest in BRANDS:
        page.get_by_role("button", name=f"Add all: {name}").click()
    _pick(page, "id_hosts-0-kol", "生活家")
    page.locator("#id_hosts-0-role").fill("主播")
    page.get_by_role("button", name="Save").click()
    # The time has passed (results can be entered at once): the form asks to confirm it.
    expect(page.get_by_text("This time has passed.")).to_be_visible()
    page.get_by_label("Yes, this time is right").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="双十一意大利之夜直播")).to_be_visible()
    session = LivestreamSession.objects.get()
    assert session.products.count() == 3 and session.item.kol == kol and session.item.brands.count() == 3
    _publish(session.pk)

    # The booking: the KOL's page, "Book", the campaign, then the session among its items.
    page.goto(url + reverse("campaigns:kol_detail", kwargs={"pk": kol.pk}))
    page.get_by_role("link", name="Book").click()
    _pick(page, "id_campaign", "Double 11 Italian night 2026")
    page.get_by_role("button", name="Show its content items").click()
    page.get_by_label("双十一意大利之夜直播 · Livestream · 2026-11-10").check()
    page.locator("#id_fee_cny").fill("66666")
    page.locator("#id_deliverables").fill("一场3小时直播")
    page.locator("#id_status").select_option("confirmed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The booking was saved.")).to_be_visible()
    booking = KolBooking.objects.get()
    assert list(booking.items.values_list("pk", flat=True)) == [session.pk]

    # The baseline: the store's daily sales of October, imported from the platform's export.
    rows = ["日期,商品编码,支付件数,支付金额"]
    for day in range(1, 29):
        rows += [f"2026-10-{day:02d},CA-BRU-750,1250,335000", f"2026-10-{day:02d},FA-EVO-500,100,26800"]
    export = tmp_path / "store-october.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.goto(url + reverse("results:livestream_import", kwargs={"pk": session.pk}))
    page.get_by_label("The store's daily sales, for the baseline: date, product, items sold, GMV").check()
    page.locator("#id_file").set_input_files(str(export))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("56 rows of sales were imported.")).to_be_visible()

    # The session's results, typed as the live dashboard shows them.
    page.goto(url + reverse("results:livestream_entry", kwargs={"pk": session.pk}))
    page.locator("#id_viewers").fill("42万")
    page.locator("#id_peak_viewers").fill("3.8万")
    page.locator("#id_interactions").fill("90,000")
    products = {p.code: p for p in session.products.all()}
    for code, items, gmv in (("CA-BRU-750", "3,250", "¥650,000"), ("FA-EVO-500", "150", "40200"),
                             ("MB-KNIT-01", "42", "4242424")):  # fmt: skip
        page.locator(f"#id_items_{products[code].pk}").fill(items)
        page.locator(f"#id_gmv_{products[code].pk}").fill(gmv)
    page.locator("#id_baseline_starts_on").fill("2026-10-01")
    page.locator("#id_baseline_ends_on").fill("2026-10-28")
    page.get_by_role("button", name="Save the results").click()
    expect(page.get_by_text("The session's results were saved.")).to_be_visible()
    results = page.locator("#results")
    expect(results).to_contain_text("420,000")
    expect(results).to_contain_text("4,242,424.00")  # staff see every brand's sales
    expect(page.locator(".kpis dd.uplift").first).to_have_text("+152%")  # 3,400 against 1,350 a day

    # The brand user of Cantina Aurelia: the session's viewers, their wine's sales and uplift; nothing of the others.
    _login(page, live_server, "cantina")
    page.goto(url + reverse("campaigns:livestream_list") + "?when=past")
    page.get_by_role("link", name="双十一意大利之夜直播").click()
    results = page.locator("#results")
    expect(results).to_contain_text("420,000")
    expect(results).to_contain_text("650,000.00")
    expect(page.locator(".kpis dd.uplift").first).to_have_text("+160%")  # 3,250 against 1,250 a day
    expect(results).to_contain_text("3,250 in the session against 1,250 on an average baseline day")
    body = page.locator("main").text_content()
    for secret in ("FA-EVO-500", "MB-KNIT-01", "Frantoio", "Bertazzi", "贝尔塔齐", "奥雷利奥", "4,242,424", "40,200"):
        assert secret not in body, secret
    page.goto(url + reverse("campaigns:kolbooking_list"))
    expect(page.get_by_role("cell", name="意式生活家Lily")).to_be_visible()
    body = page.locator("main").text_content()
    assert "66,666" not in body and "66666" not in body and "Your results" in body and "3,250 items sold" in body

    # On a phone, in Chinese: the session page fits the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + reverse("campaigns:livestream_detail", kwargs={"pk": session.pk}), wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(url + reverse("campaigns:runsheet_detail", kwargs={"pk": session.pk}))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert ContentItem.objects.get(pk=session.pk).status == "published"


def test_on_a_phone_compared_kols_are_one_block_a_figure_with_each_value_under_its_kols_name(page, live_server):
    _brands, _campaign, lily = _world()
    from campaigns.models import Kol

    coco = Kol.objects.get(name="Coco")
    _login(page, live_server, "planner")
    url = f"{live_server.url}{reverse('results:kol_compare')}?kol={lily.pk}&kol={coco.pk}"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator("table.kol-compare")
    assert table.locator("thead").bounding_box()["width"] <= 1  # the names row is for screen readers only
    first = table.locator("tbody tr").first
    boxes = [cell.bounding_box() for cell in first.locator("td").all()]
    assert len(boxes) == 2 and all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes)
    names = first.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    heads = table.locator("thead th[scope=col] a").all_text_contents()
    assert sorted(heads) == sorted([str(lily), str(coco)]) and names == [f'"{name}"' for name in heads]
    # On a wide screen it is a table: the names head the columns.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert table.locator("thead").bounding_box()["width"] > 300
