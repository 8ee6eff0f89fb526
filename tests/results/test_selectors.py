"""What pages read: rollups filtered to the reader's brands before anything is summed."""

import datetime
from decimal import Decimal

import pytest

from campaigns.results import selectors
from campaigns.results.facts import FactRow
from campaigns.results.services import facts_upsert

pytestmark = pytest.mark.django_db


def fact(key, day, brand, *, campaign=None, item=None, channel="banner", **figures):
    return FactRow(
        key,
        day,
        channel,
        brand.pk,
        campaign_id=campaign.pk if campaign else None,
        item_id=item.pk if item else None,
        figures=figures,
    )


@pytest.fixture
def results(file_source, brand, other_brand, campaign, item):
    """Both brands on the shared Double 11 campaign in November, and their accounts in October and November."""
    rows = [
        fact("a1", datetime.date(2026, 11, 10), brand, campaign=campaign, item=item, impressions=1000, clicks=50),
        fact("a2", datetime.date(2026, 11, 11), brand, campaign=campaign, item=item, impressions=3000, clicks=90),
        fact("b1", datetime.date(2026, 11, 11), other_brand, campaign=campaign, channel="livestream", impressions=9000,
             viewers=420_000, items_sold=20_000, gmv_cny=Decimal("1999.90")),
        fact("a-oct", datetime.date(2026, 10, 5), brand, channel="tmall_article", followers_total=1000,
             followers_gained=10,
             impressions=500),
        fact("a-nov", datetime.date(2026, 11, 5), brand, channel="tmall_article", followers_total=1200,
             followers_gained=30,
             impressions=800),
        fact("a-nov-red", datetime.date(2026, 11, 5), brand, channel="red_post", followers_total=300),
        fact("b-nov", datetime.date(2026, 11, 5), other_brand, channel="tmall_article", followers_total=5000),
    ]  # fmt: skip
    facts_upsert(source=file_source, rows=rows)


def test_a_brand_reads_only_its_own_part_of_a_shared_campaign(results, campaign, brand, other_brand):
    own = selectors.campaign_results(campaign, [brand.pk])
    assert (own.totals.impressions, own.totals.clicks, own.totals.viewers) == (4000, 140, 0)
    assert [channel for channel, _t in own.by_channel] == ["banner"]
    assert own.by_brand == [] and own.targets == []  # the whole campaign's targets and other brands: staff only
    staff = selectors.campaign_results(campaign, None)
    assert staff.totals.impressions == 13000 and staff.totals.gmv_cny == Decimal("1999.90")
    assert {b: t.impressions for b, t in staff.by_brand} == {brand.pk: 4000, other_brand.pk: 9000}


def test_targets_compare_the_whole_campaign(results, campaign):
    campaign.target_impressions = 10_000
    campaign.save()
    (target,) = selectors.campaign_results(campaign, None).targets
    assert (target.name, target.target, target.actual, target.met, round(target.share)) == (
        "impressions", 10_000, 13_000, True, 130
    )  # fmt: skip


def test_this_month_against_the_same_days_of_last_month(results, brand):
    comparison = selectors.month_comparison([brand.pk], datetime.date(2026, 11, 12))
    assert comparison.this.impressions == 4800 and comparison.last_same_days.impressions == 500
    assert comparison.this.followers_total == 1500  # both channels' accounts, on the last day with a figure
    assert comparison.change("impressions") == pytest.approx(860.0)
    assert comparison.change("viewers") is None  # nothing to compare with


def test_series_per_day_week_and_month(results, brand):
    days = selectors.series([brand.pk], datetime.date(2026, 10, 1), datetime.date(2026, 11, 30))
    assert days.periods == [datetime.date(2026, 10, 5), datetime.date(2026, 11, 5), datetime.date(2026, 11, 10),
                            datetime.date(2026, 11, 11)]  # fmt: skip
    assert days.values["impressions"] == [500, 800, 1000, 3000]
    assert days.values["followers_total"] == [1000, 1500, None, None]
    months = selectors.series([brand.pk], datetime.date(2026, 10, 1), datetime.date(2026, 11, 30), step="month")
    assert months.periods == [datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)]
    assert months.values["impressions"] == [500, 4800] and months.values["followers_total"] == [1000, 1500]
    weeks = selectors.series(None, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), step="week")
    assert weeks.periods == [datetime.date(2026, 11, 2), datetime.date(2026, 11, 9)]
    assert weeks.values["impressions"] == [800, 13000]


def test_item_results_and_ranking(results, campaign, item, brand, other_brand):
    assert selectors.item_results(campaign, [other_brand.pk]) == {}
    assert selectors.item_results(campaign, None)[item.pk].clicks == 140
    top, bottom = selectors.brand_ranking(
        datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), name="impressions", count=1
    )
    assert [(b.pk, v) for b, v in top] == [(other_brand.pk, 9000)] and [(b.pk, v) for b, v in bottom] == [
        (brand.pk, 4800)
    ]
