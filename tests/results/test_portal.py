"""The brand portal: a brand user reads their own brand's results only — overview, campaigns, scans, the CSV."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.choices import ContentStatus
from campaigns.models import ContentItem
from campaigns.results.facts import FactRow
from campaigns.results.services import facts_upsert
from campaigns.results.views import dashboard, portal
from campaigns.tracking.models import ScanHour
from campaigns.tracking.services import event_save, link_save
from tests.campaigns.conftest import add_creative, make_campaign, make_item
from tests.factories import BrandFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
B_SECRET = 4242424


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(portal, "today", lambda: TODAY)
    monkeypatch.setattr(dashboard, "today", lambda: TODAY)


def reviewed(item):
    """The item as approved (the review's own rules are tested with the workflow)."""
    ContentItem.objects.filter(pk=item.pk).update(status=ContentStatus.APPROVED)
    item.refresh_from_db()
    return item


@pytest.fixture
def approved_item(item):
    return reviewed(item)


@pytest.fixture
def b_item(campaign, editor, other_brand):
    return reviewed(
        make_item(campaign, author=editor, brands=[other_brand], channel="banner", title_en="Bertazzi knit banner")
    )


@pytest.fixture
def draft(campaign, editor, brand):
    return make_item(campaign, author=editor, brands=[brand], channel="banner", title_en="Aurelio draft unseen")


def fact(key, day, brand, *, campaign=None, item=None, channel="banner", **figures):
    return FactRow(key, day, channel, brand.pk, campaign_id=campaign and campaign.pk, item_id=item and item.pk,
                   figures=figures)  # fmt: skip


@pytest.fixture
def results(file_source, brand, other_brand, campaign, approved_item, b_item, draft):
    """Both brands on the shared campaign in November (B's figures are secrets), A's account in October and
    November, and a fact on A's draft (its figures count in the campaign, the draft stays unseen)."""
    rows = [
        fact("a1", datetime.date(2026, 11, 10), brand, campaign=campaign, item=approved_item, impressions=31000,
             clicks=310, interactions=77),
        fact("a-draft", datetime.date(2026, 11, 11), brand, campaign=campaign, item=draft, impressions=5),
        fact("b1", datetime.date(2026, 11, 11), other_brand, campaign=campaign, item=b_item, impressions=B_SECRET,
             clicks=4242, viewers=4242424),
        fact("a-oct", datetime.date(2026, 10, 12), brand, channel="tmall_article", followers_total=1000,
             followers_gained=10, impressions=500),
        fact("a-nov", datetime.date(2026, 11, 12), brand, channel="tmall_article", followers_total=1250,
             followers_gained=250, impressions=800),
        fact("b-nov", datetime.date(2026, 11, 12), other_brand, channel="tmall_article", followers_total=4242424),
    ]  # fmt: skip
    facts_upsert(source=file_source, rows=rows)


@pytest.fixture
def scans(manager, brand, other_brand, campaign):
    """A shared event: a code of A's, one of B's and the entrance (no brand); scans on two China days."""
    event = event_save(user=manager, title="Double 11 pop-up", campaign=campaign, brands=[brand, other_brand],
                       kind="popup", city="上海", starts_on=datetime.date(2026, 11, 8),
                       ends_on=datetime.date(2026, 11, 9))  # fmt: skip
    url = "https://example.com/d11"
    a_link = link_save(user=manager, event=event, label="Aurelio counter", destination=url, brands=[brand])
    b_link = link_save(user=manager, event=event, label="Bertazzi corner", destination=url, brands=[other_brand])
    entrance = link_save(user=manager, event=event, label="Entrance", destination=url, brands=[])
    common = {"source": "qr", "outcome": "redirect", "app": "wechat", "device": "phone", "os": "iOS"}

    def hour(day, h):
        return datetime.datetime(2026, 11, day, h, tzinfo=CHINA)

    ScanHour.objects.create(link=a_link, hour=hour(8, 10), scans=30, uniques=20, **common)
    ScanHour.objects.create(link=a_link, hour=hour(9, 23), scans=12, uniques=10, **common)  # 9 Nov in China
    ScanHour.objects.create(link=a_link, hour=hour(9, 12), scans=500, uniques=1, is_bot=True, **common)
    ScanHour.objects.create(link=entrance, hour=hour(8, 11), scans=8, uniques=8, **common)
    ScanHour.objects.create(link=b_link, hour=hour(8, 10), scans=4242, uniques=4242, **common)
    return event


def page_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, response.content.decode() if not response.streaming else ""


def portal_url(brand, **query):
    url = reverse("results:portal_brand", kwargs={"slug": brand.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- who sees what ----------------------------------------------------------------------------------------------


def test_a_brand_user_with_one_brand_goes_straight_to_its_portal(client, brand_user, brand):
    client.force_login(brand_user)
    response = client.get(reverse("results:portal"))
    assert response.status_code == 302 and response.url == portal_url(brand)


def test_a_user_with_two_brands_picks_one_and_staff_see_every_brand(client, brand, other_brand, editor):
    third = BrandFactory(slug="cantina-terzi", name_it="Cantina Terzi")
    user = UserFactory(username="two-brands")
    MembershipFactory(user=user, brand=brand)
    MembershipFactory(user=user, brand=third)
    response, page = page_of(client, user, reverse("results:portal"))
    assert response.status_code == 200
    assert portal_url(brand) in page and portal_url(third) in page and "Maglificio Bertazzi" not in page
    response, page = page_of(client, editor, reverse("results:portal"))
    assert all(portal_url(b) in page for b in (brand, other_brand, third))
    assert reverse("results:dashboard") in page


def test_another_brands_portal_and_campaign_answer_404(client, brand_user, other_brand, campaign, results):
    client.force_login(brand_user)
    assert client.get(portal_url(other_brand)).status_code == 404
    url = reverse("results:portal_campaign", kwargs={"slug": other_brand.slug, "pk": campaign.pk})
    assert client.get(url).status_code == 404
    export = reverse("results:portal_export", kwargs={"slug": other_brand.slug})
    assert client.get(export).status_code == 404


def test_a_campaign_the_brand_is_not_in_answers_404_even_for_staff(client, manager, brand, other_brand):
    solo = make_campaign(user=manager, brands=[other_brand], year=2026, festival_key="double-11", title="Solo")
    url = reverse("results:portal_campaign", kwargs={"slug": brand.slug, "pk": solo.pk})
    assert page_of(client, manager, url)[0].status_code == 404


def test_the_overview_shows_the_brands_own_figures_only(client, brand_user, brand, results, scans):
    response, page = page_of(client, brand_user, portal_url(brand))
    assert response.status_code == 200
    assert "31,005" in page  # A's impressions on the shared campaign (its draft's too), in the campaigns table
    assert "Double 11 pop-up" in page  # the shared event ...
    assert not [s for s in ("4242", "4,242", "4.242", "Maglificio", "Bertazzi") if s in page]  # ... without B
    kpis = {row["label"]: row for row in response.context["kpis"]}
    assert kpis["Followers"]["value"] == "1,250" and kpis["Followers"]["before"] == "1,000"
    assert kpis["Impressions"]["change"] == "+6,261.0%"  # 31,805 in November to the 20th against 500


def test_the_charts_carry_the_figures_in_the_readers_language(client, brand_user, brand, results):
    client.force_login(brand_user)
    response = client.get(portal_url(brand, period="12m"), HTTP_ACCEPT_LANGUAGE="it")
    followers, impressions, _engagement = response.context["charts"]
    assert followers.labels[-2:] == ["ott 2026", "nov 2026"] and followers.series[0].values[-2:] == [1000, 1250]
    assert followers.figure["layout"]["separators"] == ",."
    assert ("nov 2026", ["31.805"]) in impressions.rows
    page = response.content.decode()
    assert 'id="chart-followers-spec" type="application/json"' in page and "Follower" in page
    assert "plotly.min.js" in page and "js/charts.js" in page


def test_scans_count_the_brands_codes_and_the_entrance_without_bots(client, brand_user, brand, scans):
    response, _page = page_of(client, brand_user, portal_url(brand))
    scan_days = response.context["scans"]
    assert [(d.day, s, u) for d, s, u in scan_days.days] == [(8, 38, 28), (9, 12, 10)]
    assert (scan_days.scans, scan_days.uniques) == (50, 38)
    assert [(row.event.title, row.scans) for row in scan_days.events] == [("Double 11 pop-up", 50)]


def test_the_campaign_page_lists_the_brands_reviewed_items_with_their_results(
    client, brand_user, brand, campaign, approved_item, draft, results
):
    url = reverse("results:portal_campaign", kwargs={"slug": brand.slug, "pk": campaign.pk})
    response, page = page_of(client, brand_user, url)
    assert response.status_code == 200
    assert [row.item.pk for row in response.context["items"]] == [approved_item.pk]
    assert response.context["items"][0].figures["impressions"] == "31,000"
    assert "Aurelio draft unseen" not in page and "Bertazzi" not in page and "4,242" not in page
    assert response.context["result"].totals.impressions == 31005  # the draft's figures are A's campaign figures


def test_staff_open_a_brands_portal_read_only(client, editor, brand, campaign, results):
    response, page = page_of(client, editor, portal_url(brand))
    assert response.status_code == 200 and "31,005" in page
    assert "4,242,424" not in page  # the brand's portal shows that brand, whoever reads it


def test_the_banner_comparison_holds_the_brands_creatives_only(
    client, brand_user, brand, other_brand, campaign, item, editor, file_source
):
    red = add_creative(item, user=editor)
    green = add_creative(item, user=editor, color=(0, 132, 61))
    approved = reviewed(item)
    b_banner = make_item(campaign, author=editor, brands=[other_brand], channel="banner", title_en="Bertazzi banner")
    b_creative = add_creative(b_banner, user=editor)
    reviewed(b_banner)
    day = datetime.date(2026, 11, 10)
    facts_upsert(source=file_source, rows=[
        FactRow("red", day, "banner", brand.pk, campaign.pk, approved.pk, red.pk,
                {"impressions": 20000, "clicks": 600}),
        FactRow("green", day, "banner", brand.pk, campaign.pk, approved.pk, green.pk,
                {"impressions": 20000, "clicks": 300}),
        FactRow("b", day, "banner", other_brand.pk, campaign.pk, b_banner.pk, b_creative.pk,
                {"impressions": B_SECRET, "clicks": 42424}),
    ])  # fmt: skip
    for url in (portal_url(brand), reverse("results:portal_campaign", kwargs={"slug": brand.slug, "pk": campaign.pk})):
        response, page = page_of(client, brand_user, url)
        comparison = response.context["comparison"]
        assert {rate.creative.pk for rate in comparison.creatives} == {red.pk, green.pk}
        assert comparison.total.impressions == 40000 and comparison.best_creative.creative == red
        _dimension, chart = response.context["variant_charts"][0]
        assert chart.kind == "ci" and chart.figure["data"][0]["error_y"]["type"] == "data"
        assert "4,242" not in page and "Bertazzi" not in page


# --- the CSV -------------------------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_holds_the_brands_rows_of_the_range_with_headers_in_the_readers_language(
    client, brand_user, brand, campaign, results
):
    client.force_login(brand_user)
    url = reverse("results:portal_export", kwargs={"slug": brand.slug}) + "?start=2026-11-01&end=2026-11-30"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="frantoio-aurelio-results-2026-11-01-2026-11-30.csv"' in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:4] == ["日期", "品牌", "营销活动", "渠道"] and "展现量" in header
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("2026-11-10", campaign.title, "横幅"),
        ("2026-11-11", campaign.title, "横幅"),
        ("2026-11-12", "", "天猫品牌号文章"),
    ]
    assert all(r[1] == "Frantoio Aurelio" for r in rows)
    assert "4242424" not in str(rows) and "Bertazzi" not in str(rows)


def test_the_csv_without_dates_covers_the_last_12_months(client, brand_user, brand, results):
    client.force_login(brand_user)
    rows = read_csv(client.get(reverse("results:portal_export", kwargs={"slug": brand.slug})))[1:]
    assert {r[0] for r in rows} == {"2026-10-12", "2026-11-10", "2026-11-11", "2026-11-12"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-11-30&end=2026-11-01", "The end date comes before the start date."),
        ("start=2020-01-01&end=2026-11-01", "Choose at most three years at a time."),
        ("start=yesterday&end=2026-11-01", "Enter a valid date."),
        ("start=2026-11-01", "This field is required."),
    ],
)
def test_bad_dates_get_the_form_again_with_the_error(client, brand_user, brand, query, message):
    client.force_login(brand_user)
    response = client.get(reverse("results:portal_export", kwargs={"slug": brand.slug}) + "?" + query)
    assert response.status_code == 400 and "text/html" in response["Content-Type"]
    assert message in response.content.decode()


# --- the home page ------------------------------------------------------------------------------------------------


def test_the_home_page_sums_up_the_month_and_links_to_the_portal(client, brand_user, brand, results, monkeypatch):
    from campaigns.results import overview

    monkeypatch.setattr(overview, "home_today", lambda: TODAY)
    _response, page = page_of(client, brand_user, reverse("home"))
    assert reverse("results:portal") in page
    assert "1,250" in page and "31,805" in page and "4,242" not in page


# --- queries stay flat ---------------------------------------------------------------------------------------------


def _grow(manager, brand, file_source, *, brands: int, days: int, campaigns: int, tag: str):
    """More of everything around ``brand``: other brands, days of figures, campaigns of the brand with items."""
    others = [BrandFactory(slug=f"{tag}-brand-{i}", name_it=f"{tag} brand {i}") for i in range(brands)]
    made = [
        make_campaign(user=manager, brands=[brand, *others[:1]], festival_key=None, year=2026,
                      title=f"{tag} campaign {i}", starts_on=datetime.date(2026, 9, 1 + i),
                      ends_on=datetime.date(2026, 11, 1 + i))
        for i in range(campaigns)
    ]  # fmt: skip
    rows = []
    for d in range(days):
        day = TODAY - datetime.timedelta(days=d)
        for b in [brand, *others]:
            campaign = made[d % len(made)] if made and b == brand else None
            rows.append(fact(f"{tag}-{b.pk}-{d}", day, b, campaign=campaign, channel="red_post",
                             impressions=100 + d, followers_total=1000 + d, followers_gained=d % 3))  # fmt: skip
    facts_upsert(source=file_source, rows=rows)
    for i, campaign in enumerate(made[:3]):
        event = event_save(user=manager, title=f"{tag} event {i}", campaign=campaign, brands=[brand], kind="popup",
                           city="上海", starts_on=datetime.date(2026, 10, 1 + i),
                           ends_on=datetime.date(2026, 10, 2 + i))  # fmt: skip
        link = link_save(user=manager, event=event, label="Gate", destination="https://example.com/x", brands=[brand])
        ScanHour.objects.create(link=link, hour=datetime.datetime(2026, 10, 1 + i, 12, tzinfo=CHINA), scans=5,
                                uniques=3, source="qr", outcome="redirect", app="wechat", device="phone")  # fmt: skip


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_overview_and_the_dashboard_cost_the_same_queries_as_the_data_grows(
    client, manager, brand_user, brand, file_source
):
    _grow(manager, brand, file_source, brands=1, days=3, campaigns=1, tag="few")
    client.force_login(brand_user)
    few_portal = _queries(client, portal_url(brand, period="12m"))
    client.force_login(manager)
    few_dashboard = _queries(client, reverse("results:dashboard") + "?period=12m")

    _grow(manager, brand, file_source, brands=12, days=90, campaigns=8, tag="many")
    client.force_login(brand_user)
    assert _queries(client, portal_url(brand, period="12m")) == few_portal
    client.force_login(manager)
    assert _queries(client, reverse("results:dashboard") + "?period=12m") == few_dashboard


def test_creatives_are_compared_within_their_channel(client, brand_user, brand, campaign, item, editor, file_source):
    """A RED note is clicked far more than a banner: pooled together, the note's colour would win for its channel."""
    red = add_creative(item, user=editor)
    green = add_creative(item, user=editor, color=(0, 132, 61))
    reviewed(item)
    note = make_item(campaign, author=editor, brands=[brand], channel="red_post", title_en="RED note")
    blue = add_creative(note, user=editor, color=(0, 56, 168))
    gold = add_creative(note, user=editor, color=(212, 175, 55))
    reviewed(note)
    day = datetime.date(2026, 11, 10)
    figures = {red: (item, 20000, 600), green: (item, 20000, 300), blue: (note, 5000, 900), gold: (note, 5000, 700)}
    rows = [
        FactRow(str(c.pk), day, i.channel, brand.pk, campaign.pk, i.pk, c.pk, {"impressions": n, "clicks": k})
        for c, (i, n, k) in figures.items()
    ]
    facts_upsert(source=file_source, rows=rows)
    response, page = page_of(client, brand_user, portal_url(brand))
    sections = {section["channel"]: section["comparison"] for section in response.context["variants"]}
    assert {rate.creative.pk for rate in sections["Banner"].creatives} == {red.pk, green.pk}
    assert {rate.creative.pk for rate in sections["RED post"].creatives} == {blue.pk, gold.pk}
    assert sections["Banner"].best_creative.creative == red  # not blue, whose channel clicks more
    assert "<h3>RED post</h3>" in page and "<h3>Banner</h3>" in page
