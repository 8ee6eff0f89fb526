"""The agency dashboard: the whole hub for staff — by category, festival, brand and channel, targets and imports."""

import datetime

import pytest
from django.urls import reverse

from campaigns.choices import ContentStatus
from campaigns.models import ContentItem
from campaigns.results import overview
from campaigns.results.facts import FactRow
from campaigns.results.models import MetricImport
from campaigns.results.services import facts_upsert
from campaigns.results.views import dashboard, portal
from tests.campaigns.conftest import china, make_campaign, make_item
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(portal, "today", lambda: TODAY)
    monkeypatch.setattr(dashboard, "today", lambda: TODAY)


@pytest.fixture
def hub(manager, editor, brand, other_brand, file_source):
    """Food (brand) and fashion (other_brand) in 2025 and 2026: Double 11 each year, account figures, an item
    published in November."""
    lifestyle = BrandFactory(slug="casa-lume", name_it="Casa Lume", category="lifestyle")
    this = make_campaign(user=manager, brands=[brand, other_brand], year=2026, festival_key="double-11",
                         target_impressions=50_000, title="Double 11 2026")  # fmt: skip
    last = make_campaign(user=manager, brands=[brand], year=2025, festival_key="double-11", title="Double 11 2025")
    item = make_item(this, author=editor, brands=[brand], channel="kol_post", scheduled_at=china(2026, 11, 11))
    ContentItem.objects.filter(pk=item.pk).update(status=ContentStatus.PUBLISHED)
    rows = [
        FactRow("f1", datetime.date(2026, 11, 11), "banner", brand.pk, this.pk, figures={"impressions": 40_000}),
        FactRow("f2", datetime.date(2026, 11, 11), "livestream", other_brand.pk, this.pk,
                figures={"impressions": 20_000, "viewers": 420_000}),
        FactRow("f3", datetime.date(2025, 11, 11), "banner", brand.pk, last.pk, figures={"impressions": 30_000}),
        FactRow("a-oct", datetime.date(2026, 10, 5), "tmall_article", brand.pk,
                figures={"followers_total": 1000, "followers_gained": 40}),
        FactRow("a-nov", datetime.date(2026, 11, 5), "tmall_article", brand.pk,
                figures={"followers_total": 1200, "followers_gained": 200}),
        FactRow("b-nov", datetime.date(2026, 11, 6), "tmall_article", other_brand.pk,
                figures={"followers_total": 5000, "followers_gained": 10}),
        FactRow("c-nov", datetime.date(2026, 11, 6), "tmall_article", lifestyle.pk,
                figures={"followers_total": 300, "followers_gained": 3}),
    ]  # fmt: skip
    facts_upsert(source=file_source, rows=rows)
    MetricImport.objects.create(
        source=file_source,
        file_name="tmall-november.csv",
        file_format="csv",
        status=MetricImport.Status.DONE,
        rows_total=1200,
        rows_bad=3,
        created_by=editor,
    )
    return {"this": this, "last": last, "lifestyle": lifestyle}


def test_brand_users_may_not_open_the_dashboard(client, brand_user):
    client.force_login(brand_user)
    assert client.get(reverse("results:dashboard")).status_code == 403


def test_the_dashboard_shows_the_whole_hub(client, editor, brand, other_brand, hub):
    client.force_login(editor)
    response = client.get(reverse("results:dashboard") + "?period=2026")
    assert response.status_code == 200
    context, page = response.context, response.content.decode()
    followers, impressions = context["charts"]
    assert [s.name for s in followers.series] == ["Lifestyle", "Food & beverage", "Fashion"]
    november = followers.labels.index("Nov 2026")
    assert [s.values[november] for s in followers.series] == [300, 1200, 5000]
    assert sum(impressions.series[1].values) == 40_000  # food: the banner; fashion has the livestream's 20,000
    festival_impressions, festival_followers = context["festival_charts"]
    double11 = festival_impressions.labels.index("Singles' Day")
    # The whole hub in the Double 11 window: 2026 against 2025 (the window of 2026 is over by the 20th).
    assert [s.values[double11] for s in festival_impressions.series] == [60_000, 30_000]
    assert "Spring Festival" not in festival_impressions.labels  # no figure in its windows either year
    assert [s.values[double11] for s in festival_followers.series] == [213, 0]  # A's, B's and C's in November
    top = {r["key"]: [b.slug for b, _v in r["top"]] for r in context["rankings"]}
    assert top["followers_gained"] == ["frantoio-aurelio", "maglificio-bertazzi", "casa-lume"]
    assert context["published_chart"].rows == [("KOL post", ["1"])]
    (target,) = context["targets"]
    assert target["campaign"] == hub["this"] and target["met"] and target["rows"][0][1] == "60,000"
    assert "tmall-november.csv" in page and "1,200" in page
    assert reverse("results:portal_brand", kwargs={"slug": brand.slug}) in page


def test_an_unknown_period_is_reported_and_the_default_shown(client, editor, hub):
    client.force_login(editor)
    response = client.get(reverse("results:dashboard") + "?period=forever")
    assert response.status_code == 200 and response.context["period"].key == "3m"
    assert "Select a valid choice." in response.content.decode()


def test_the_periods_on_offer_follow_the_years_with_figures(hub):
    from campaigns.results.periods import periods

    keys = [p.key for p in periods(TODAY, overview.data_years(None))]
    assert keys == ["month", "3m", "12m", "2026", "2025"]
    month, three, twelve, *_years = periods(TODAY)
    assert (month.start, month.step) == (datetime.date(2026, 11, 1), "day")
    assert (three.start, three.step) == (datetime.date(2026, 9, 1), "week")
    assert (twelve.start, twelve.step, twelve.previous().end) == (datetime.date(2025, 12, 1), "month",
                                                                 datetime.date(2025, 11, 30))  # fmt: skip


def test_one_read_of_the_hubs_days_agrees_with_the_selectors(hub):
    """The dashboard reads the hub's days once (``HubDays``) and the brands' sums once; what it makes of them is what
    the selectors give figure by figure."""
    from campaigns.results import selectors

    days = overview.HubDays(datetime.date(2025, 1, 1), TODAY)
    assert overview.HubPerDay(datetime.date(2026, 10, 1), TODAY, ["impressions"]).sums(
        datetime.date(2026, 10, 1), TODAY
    ) == {"impressions": selectors.period_totals(None, datetime.date(2026, 10, 1), TODAY).impressions}
    for start, end in ((datetime.date(2026, 10, 1), TODAY), (datetime.date(2025, 1, 1), TODAY),
                       (datetime.date(2026, 11, 6), datetime.date(2026, 11, 6))):  # fmt: skip
        assert days.totals(start, end) == selectors.period_totals(None, start, end)
    periods, values = selectors.series_by_category(datetime.date(2026, 10, 1), TODAY, step="month", name="impressions")
    by_category = days.by_category(datetime.date(2026, 10, 1), TODAY, "month", "impressions")
    assert {c: [by_category[c].get(p, 0) for p in periods] for c in by_category} == values
    for name in ("followers_gained", "impressions"):
        assert overview.brand_rankings(datetime.date(2026, 1, 1), TODAY, (name,), 1)[name] == selectors.brand_ranking(
            datetime.date(2026, 1, 1), TODAY, name=name, count=1
        )
    with pytest.raises(ValueError, match="outside the days read"):
        days.totals(datetime.date(2024, 12, 31), TODAY)
