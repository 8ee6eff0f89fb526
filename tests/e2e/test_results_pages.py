"""The results on the campaign, item and event pages and the manual entry, in a browser: staff enter figures and take
last year's targets; every such page fits a phone (390 px) in Chinese and Italian and passes axe, for staff and for
a brand user on a campaign shared with another brand (whose figures never show).

The permission-table crawls (``test_phone_widths``, ``test_accessibility``) open these URLs too, but their world has
no creative figures, no last year and no event followers: this world has all of them, so the panels are drawn full.
"""

import datetime
import zoneinfo
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from campaigns.results.facts import FactRow
from campaigns.results.models import MetricSource
from campaigns.results.services import facts_upsert, source_for
from campaigns.services import campaign_copy_to_next_year
from campaigns.tracking.models import ScanHour
from campaigns.tracking.services import event_save, link_save
from tests.campaigns.conftest import add_creative, make_campaign, make_item, move
from tests.e2e.test_accessibility import AXE_SCRIPT, _violations
from tests.factories import PASSWORD, BrandFactory, EditorFactory, ManagerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
B_SECRET = "4,242,424"


def _world():
    manager, editor = ManagerFactory(username="giulia"), EditorFactory(username="li.wei")
    a = BrandFactory(slug="frantoio-aurelio", name_it="Frantoio Aurelio", name_zh_hans="奥雷利奥榨油坊")
    b = BrandFactory(slug="maglificio-bertazzi", name_it="Maglificio Bertazzi", name_zh_hans="贝尔塔齐针织")
    viewer = UserFactory(username="aurelio")
    MembershipFactory(user=viewer, brand=a)
    last = make_campaign(user=manager, festival_key="double-11", year=2025, brands=[a, b], title="Double 11 night 2025",
                         target_followers=2000, target_impressions=100_000)  # fmt: skip
    rows, day = [], datetime.date(2025, 11, 10)
    banner = make_item(last, author=editor, brands=[a], channel="banner", title_zh_hans="双十一意大利之夜主视觉")
    for n, (colour, subject, clicks) in enumerate(
        [((200, 16, 46), "people", 150), ((190, 150, 50), "product", 110), ((30, 60, 170), "product", 70)]
    ):
        creative = add_creative(banner, user=editor, color=colour, subject=subject, topic="promotion")
        figures = {"impressions": 5000, "clicks": clicks, "followers_gained": clicks // 5}
        rows.append(FactRow(f"l{n}", day, "banner", a.pk, last.pk, banner.pk, creative.pk, figures=figures))
    live = make_item(last, author=editor, brands=[b], channel="livestream", title_zh_hans="贝尔塔齐直播")
    rows.append(FactRow("live", day, "livestream", b.pk, last.pk, live.pk,
                        figures={"viewers": 4242424, "items_sold": 20_000, "followers_gained": 900}))  # fmt: skip
    for item in (banner, live):
        move(item, to="published", editor=editor, manager=manager)
    this = campaign_copy_to_next_year(campaign=last, user=manager)
    new_banner = this.items.get(channel="banner")
    move(new_banner, to="published", editor=editor, manager=manager)
    today = datetime.date(2026, 11, 10)
    for n, creative in enumerate(new_banner.creatives.order_by("pk")):
        rows.append(FactRow(f"t{n}", today, "banner", a.pk, this.pk, new_banner.pk, creative.pk,
                            figures={"impressions": 800 + 100 * n, "clicks": 20 - 3 * n}))  # fmt: skip
    event = event_save(user=manager, title="双十一快闪店", kind="popup", city="上海", starts_on=today,
                       ends_on=today + datetime.timedelta(days=2), campaign=this, brands=[a, b], products=[],
                       followers_gained=555)  # fmt: skip
    for brand, scans in ((a, 120), (b, 4242424)):
        link = link_save(user=manager, event=event, label=f"{brand.slug} counter", destination="https://example.com/",
                         brands=[brand])  # fmt: skip
        noon = datetime.datetime(2026, 11, 10, 12, tzinfo=CHINA)
        ScanHour.objects.create(link=link, hour=noon, source="qr", outcome="redirect", app="wechat", device="phone",
                                scans=scans, uniques=scans // 2)  # fmt: skip
    rows += [
        FactRow("fa", today, "tmall_article", a.pk, figures={"followers_total": 8000, "followers_gained": 35}),
        FactRow("fb", today, "tmall_article", b.pk, figures={"followers_total": 9000, "followers_gained": 4242424}),
    ]
    facts_upsert(source=source_for(MetricSource.Kind.FILE, "Tmall export"), rows=rows)
    return {"manager": manager, "viewer": viewer, "last": last, "this": this, "banner": new_banner, "event": event}


def _pages(world, role):
    pages = [
        f"/campaigns/{world['this'].pk}/",
        f"/campaigns/{world['last'].pk}/",
        f"/campaigns/items/{world['banner'].pk}/",
        f"/events/{world['event'].pk}/",
    ]
    if role == "manager":
        pages += [f"/results/entry/?item={world['banner'].pk}", f"/results/entry/?campaign={world['this'].pk}"]
    return pages


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def test_results_pages_fit_a_phone_and_pass_axe(browser, live_server):
    from django.urls import reverse

    world = _world()
    assert reverse("campaigns:contentitem_detail", kwargs={"pk": world["banner"].pk}) == _pages(world, "viewer")[2]
    ours = urlsplit(live_server.url).netloc
    problems, foreign = [], []
    for role, username in (("manager", "giulia"), ("viewer", "aurelio")):
        for locale, width in (("zh-CN", 1280), ("zh-CN", 390), ("it-IT", 390)):
            context = browser.new_context(viewport={"width": width, "height": 844}, locale=locale)
            context.on("request", lambda r: urlsplit(r.url).netloc not in ("", ours) and foreign.append(r.url))
            context.add_init_script(AXE_SCRIPT)
            page = context.new_page()
            _login(page, live_server, username)
            for url in _pages(world, role):
                response = page.goto(f"{live_server.url}{url}")
                assert response.status == 200, f"{role} {url}: {response.status}"
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append(f"{role} {locale} {url}: {scroll} px wide at {width}")
                if locale == "zh-CN":
                    problems += _violations(page, f"{role} {url} at {width} px")
                if role == "viewer":
                    html = page.content()
                    leaks = [s for s in (B_SECRET, "4242424", "Maglificio Bertazzi", "贝尔塔齐", "555") if s in html]
                    if leaks:
                        problems.append(f"viewer reads {leaks} on {url}")
            context.close()
    assert not foreign, f"loaded from other hosts: {foreign}"
    assert not problems, "\n".join(problems)


def test_staff_enter_a_figure_and_take_last_year_s_targets(page, live_server, browser):
    world = _world()
    _login(page, live_server, "giulia")
    page.goto(f"{live_server.url}/campaigns/{world['this'].pk}/")
    expect(page.get_by_role("heading", name="Last year's lesson")).to_be_visible()
    expect(page.get_by_text("copied from it")).to_be_visible()
    expect(page.get_by_text("Most followers came from Livestream")).to_be_visible()
    page.get_by_role("button", name="Use the ticked targets").click()
    expect(page.get_by_text("The campaign's targets now follow last year's results.")).to_be_visible()
    world["this"].refresh_from_db()
    # Followers gained last year: 30 + 22 + 14 (the banner's creatives) + 900 (the livestream) = 966, by 2 brands;
    # this year the same 2 brands: 966 / 2 × 2 × 1.1 = 1,062.6, rounded to three figures.
    assert world["this"].target_followers == 1060
    page.get_by_role("link", name="Enter figures").first.click()
    page.get_by_label("Date").fill("2026-11-11")
    page.get_by_label("Channel").select_option("livestream")
    page.get_by_label("Brand").select_option(label="Frantoio Aurelio")
    page.get_by_label("Viewers").fill("1.2万")
    page.get_by_label("Items sold").fill("abc")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“abc” is not a number")).to_be_visible()
    page.get_by_label("Items sold").fill("880")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("were entered")).to_be_visible()
    expect(page.get_by_role("cell", name="Viewers: 12,000 Items sold: 880")).to_be_visible()
