"""A brand user opens their results: the followers chart drawn by plotly under our CSP, a campaign's results, the CSV
and the PDF report, in English, Chinese and Italian; another brand's portal and campaign answer 404."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.choices import ContentStatus
from campaigns.models import ContentItem
from campaigns.results.facts import FactRow
from campaigns.results.models import MetricSource
from campaigns.results.services import facts_upsert, source_for
from campaigns.tracking.models import ScanHour
from campaigns.tracking.services import event_save, link_save
from tests.campaigns.conftest import add_creative, make_campaign, make_item
from tests.factories import PASSWORD, BrandFactory, EditorFactory, ManagerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
B_SECRET = 4242424
# Records what the browser refused under the page's CSP (the console says it too, in words that vary).
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""
WORDS = {
    "en-US": {"heading": "Results of Frantoio Aurelio", "csv": "Impressions", "followers": "12,950"},
    "zh-CN": {"heading": "Frantoio Aurelio的效果数据", "csv": "展现量", "followers": "12,950"},
    "it-IT": {"heading": "Risultati di Frantoio Aurelio", "csv": "Impression", "followers": "12.950"},
}


def _world():
    """Brand A (the user's) and B on a campaign running now; A's account and banner figures over the last 60 days,
    B's secret figures on the same campaign; scans of A's code at an event."""
    today = timezone.localdate(timezone=CHINA)
    manager, editor = ManagerFactory(username="manager"), EditorFactory(username="editor")
    a = BrandFactory(slug="frantoio-aurelio", name_it="Frantoio Aurelio", name_zh_hans="奥雷利奥榨油坊")
    b = BrandFactory(slug="maglificio-bertazzi", name_it="Maglificio Bertazzi", name_zh_hans="贝尔塔齐针织")
    user = UserFactory(username="aurelio")
    MembershipFactory(user=user, brand=a)
    campaign = make_campaign(
        user=manager,
        brands=[a, b],
        festival_key=None,
        title="Autumn oil together",
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=5),
    )
    b_solo = make_campaign(user=manager, brands=[b], festival_key=None, title="Bertazzi solo knitwear",
                           starts_on=today - datetime.timedelta(days=40), ends_on=today)  # fmt: skip
    a_item = make_item(campaign, author=editor, brands=[a], channel="banner", title_en="Aurelio olive banner",
                       title_zh_hans="奥雷利奥橄榄油横幅", title_it="Banner olio Aurelio")  # fmt: skip
    red = add_creative(a_item, user=editor)
    green = add_creative(a_item, user=editor, color=(0, 132, 61))
    b_item = make_item(campaign, author=editor, brands=[b], channel="banner", title_en="Bertazzi knit banner")
    ContentItem.objects.filter(pk__in=[a_item.pk, b_item.pk]).update(status=ContentStatus.APPROVED)
    rows = []
    for back in range(60):
        day = today - datetime.timedelta(days=back)
        rows.append(FactRow(f"a-{back}", day, "tmall_article", a.pk,
                            figures={"followers_total": 12950 - 50 * back, "followers_gained": 50,
                                     "impressions": 1000 + back, "interactions": 80, "viewers": 30}))  # fmt: skip
        rows.append(FactRow(f"b-{back}", day, "tmall_article", b.pk, figures={"followers_total": B_SECRET}))
    for back in range(10):
        day = today - datetime.timedelta(days=back)
        rows.append(FactRow(f"red-{back}", day, "banner", a.pk, campaign.pk, a_item.pk, red.pk,
                            {"impressions": 3000, "clicks": 90}))  # fmt: skip
        rows.append(FactRow(f"green-{back}", day, "banner", a.pk, campaign.pk, a_item.pk, green.pk,
                            {"impressions": 3000, "clicks": 45}))  # fmt: skip
        rows.append(FactRow(f"b-item-{back}", day, "banner", b.pk, campaign.pk, b_item.pk,
                            figures={"impressions": B_SECRET, "clicks": 4242}))  # fmt: skip
    facts_upsert(source=source_for(MetricSource.Kind.FILE, "Tmall export"), rows=rows)
    event = event_save(user=manager, title="Pop-up together", campaign=campaign, brands=[a, b], kind="popup",
                       city="上海", starts_on=today - datetime.timedelta(days=3), ends_on=today)  # fmt: skip
    a_link = link_save(
        user=manager, event=event, label="Aurelio counter", destination="https://example.com", brands=[a]
    )
    b_link = link_save(
        user=manager, event=event, label="Bertazzi corner", destination="https://example.com", brands=[b]
    )
    hour = datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(12), tzinfo=CHINA)
    common = {"hour": hour, "source": "qr", "outcome": "redirect", "app": "wechat", "device": "phone"}
    ScanHour.objects.create(link=a_link, scans=64, uniques=48, **common)
    ScanHour.objects.create(link=b_link, scans=B_SECRET, uniques=B_SECRET, **common)
    return {"a": a, "b": b, "campaign": campaign, "b_solo": b_solo, "today": today}


def _secrets_in(text: str) -> list[str]:
    return [s for s in ("4242424", "4,242,424", "4.242.424", "Bertazzi", "贝尔塔齐") if s in text]


@pytest.mark.parametrize("locale", list(WORDS))
def test_a_brand_user_reads_their_results_and_nothing_of_another_brand(browser, live_server, locale):
    world = _world()
    words = WORDS[locale]
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("aurelio")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()

    # The nav's Results link: one brand, so straight to its portal.
    page.locator(".mainnav a[href='/results/']").click()
    expect(page.locator("h1")).to_contain_text(words["heading"])
    portal = page.url
    # The followers chart: an SVG drawn by plotly (a line and its points), and its numbers as a table.
    followers = page.locator("#chart-followers")
    expect(followers).to_have_class(re.compile(r"\bdrawn\b"))
    expect(followers.locator("svg.main-svg").first).to_be_visible()
    assert followers.locator(".scatterlayer path.js-line").count() == 1
    assert words["followers"] in followers.locator("table").text_content()
    expect(page.locator("#chart-banner-ctr-colour.drawn .errorbar").first).to_be_attached()  # the banners' intervals
    assert not _secrets_in(page.content())

    # A campaign's results: the brand's item with its figures.
    page.get_by_role("link", name="Autumn oil together").first.click()
    expect(page.locator("h1")).to_have_text("Autumn oil together")
    items = page.locator("#items-h + .table-scroll table")
    expect(items).to_contain_text("60,000" if locale != "it-IT" else "60.000")  # 10 days × 2 creatives × 3,000
    expect(page.locator("#chart-days.drawn svg.main-svg").first).to_be_visible()
    assert not _secrets_in(page.content())

    # The CSV of the last 12 months, headers in the reader's language, A's rows only.
    page.goto(portal)
    with page.expect_download() as download:
        page.locator("form[action$='/export/'] button[type=submit]").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        body = handle.read()
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert words["csv"] in header and len(rows) == 70 and not _secrets_in(body)

    # The PDF report of this month.
    month = reverse(
        "results:report_month", kwargs={"slug": "frantoio-aurelio", "year": world["today"].year,
                                        "month": world["today"].month}
    )  # fmt: skip
    link = page.locator(f"a[href='{month}']")
    expect(link).to_be_attached()
    report = page.request.get(f"{live_server.url}{month}")
    assert report.ok and report.headers["content-type"] == "application/pdf" and report.body().startswith(b"%PDF")

    # Another brand's portal and campaign: 404.
    for url in (
        reverse("results:portal_brand", kwargs={"slug": "maglificio-bertazzi"}),
        reverse("results:portal_campaign", kwargs={"slug": "maglificio-bertazzi", "pk": world["campaign"].pk}),
        reverse("results:portal_campaign", kwargs={"slug": "frantoio-aurelio", "pk": world["b_solo"].pk}),
        reverse("campaigns:campaign_detail", kwargs={"pk": world["b_solo"].pk}),
    ):
        assert page.goto(f"{live_server.url}{url}").status == 404, url

    page.goto(portal)
    expect(page.locator("#chart-impressions.drawn")).to_be_attached()
    assert page.evaluate("window.__csp") == []
    # Errors in the console: none but the four 404 answers asked for above.
    errors = [line for line in console if "Content Security Policy" in line or line.startswith("error")]
    assert len(errors) == 4 and all("404" in line for line in errors), console
    context.close()


def test_the_charts_fit_a_phone_in_chinese(browser, live_server):
    """At 390 px the charts are as wide as their card (no page scroll), without a mode bar."""
    world = _world()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("aurelio")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{reverse('results:portal_brand', kwargs={'slug': world['a'].slug})}")
    expect(page.locator("#chart-followers.drawn")).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    width = page.locator("#chart-followers svg.main-svg").first.evaluate("svg => svg.getBoundingClientRect().width")
    assert 250 < width <= 360
    assert page.locator(".modebar-container .modebar-btn").count() == 0
    assert page.evaluate("window.__csp") == []
    context.close()
