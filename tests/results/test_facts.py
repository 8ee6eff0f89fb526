"""Writing facts: one way in, rollups moved by exactly the difference, a re-import changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import translation

from campaigns.results.facts import FactChecker
from campaigns.results.models import BrandDay, CampaignTotal, MetricFact, MetricRollup, MetricSource
from campaigns.results.services import rollups_rebuild, source_for

from .conftest import write

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 11)


def rollup_table():
    return sorted(
        MetricRollup.objects.filter(facts__gt=0).values_list(
            "day", "brand_id", "campaign_key", "channel", "facts", "impressions", "clicks", "followers_total", "gmv_cny"
        )
    )


def test_a_fact_is_written_and_summed_into_both_rollups(file_source, brand, item):
    result = write(
        file_source,
        {"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "item": item.pk, "impressions": "1.2万",
         "clicks": "480", "gmv_cny": "¥1,000.50"},
    )  # fmt: skip
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    fact = MetricFact.objects.get()
    assert (fact.campaign_id, fact.item_id, fact.impressions, fact.clicks) == (item.campaign_id, item.pk, 12000, 480)
    assert fact.viewers is None  # not reported is not 0
    assert rollup_table() == [(DAY, brand.pk, item.campaign_id, "banner", 1, 12000, 480, 0, Decimal("1000.50"))]
    total = CampaignTotal.objects.get()
    assert (total.campaign_id, total.brand_id, total.facts, total.impressions) == (item.campaign_id, brand.pk, 1, 12000)
    day = BrandDay.objects.get()
    assert (day.day, day.impressions, day.facts) == (DAY, 12000, 1)


def test_reimporting_the_same_rows_changes_nothing(file_source, brand):
    rows = [
        {"date": f"2026-11-{d:02d}", "channel": "banner", "brand": brand.slug, "impressions": 100 * d}
        for d in (1, 2, 3)
    ]
    write(file_source, *rows)
    before = rollup_table()
    result = write(file_source, *rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert MetricFact.objects.count() == 3
    assert rollup_table() == before


def test_a_corrected_figure_moves_the_sums_by_the_correction(file_source, brand):
    write(file_source, {"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "impressions": 1000})
    write(file_source, {"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "impressions": 1500})
    assert BrandDay.objects.get().impressions == 1500
    assert MetricRollup.objects.get().facts == 1


def test_a_fact_whose_key_now_says_another_day_leaves_its_old_day(file_source, brand, other_brand):
    write(
        file_source,
        {"source_key": "row-1", "date": "2026-11-10", "channel": "banner", "brand": brand.slug, "clicks": 7},
    )
    write(
        file_source,
        {"source_key": "row-1", "date": "2026-11-11", "channel": "livestream", "brand": other_brand.slug, "clicks": 9},
    )
    assert rollup_table() == [(DAY, other_brand.pk, 0, "livestream", 1, 0, 9, 0, Decimal("0.00"))]
    assert list(BrandDay.objects.filter(facts__gt=0).values_list("day", "brand_id", "clicks")) == [
        (DAY, other_brand.pk, 9)
    ]


def test_sources_keep_their_own_keys(file_source, brand):
    api = source_for(MetricSource.Kind.API, "Tmall")
    raw = {"source_key": "k1", "date": "2026-11-11", "channel": "banner", "brand": brand.slug, "impressions": 10}
    write(file_source, raw)
    write(api, raw)
    assert MetricFact.objects.count() == 2
    assert BrandDay.objects.get().impressions == 20


def test_the_last_row_of_a_key_given_twice_wins(file_source, brand):
    raw = {"date": "2026-11-11", "channel": "banner", "brand": brand.slug}
    write(file_source, {**raw, "impressions": 1}, {**raw, "impressions": 2})
    assert (MetricFact.objects.get().impressions, BrandDay.objects.get().impressions) == (2, 2)


def test_followers_total_counts_once_per_account_not_per_item(file_source, brand, item):
    write(
        file_source,
        {"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "followers_total": 70_000},
        {"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "item": item.pk, "followers_total": 70_000,
         "impressions": 5},
        {"date": "2026-11-11", "channel": "red_post", "brand": brand.slug, "followers_total": 3_000},
    )  # fmt: skip
    assert BrandDay.objects.get().followers_total == 73_000


def test_rollups_equal_a_rebuild_from_the_facts_after_many_writes(file_source, brand, other_brand, item):
    import random

    rng = random.Random(7)
    for _ in range(6):
        rows = [
            {
                "source_key": f"k{rng.randrange(12)}",
                "date": f"2026-11-{rng.randrange(1, 5):02d}",
                "channel": rng.choice(["banner", "livestream"]),
                "brand": brand.slug,
                **({"item": item.pk} if rng.random() < 0.5 else {}),
                "impressions": rng.randrange(1000),
                "followers_gained": rng.randrange(-5, 50),
                "gmv_cny": f"{rng.randrange(10_000) / 100:.2f}",
            }
            for _ in range(10)
        ]
        write(file_source, *rows)

    def tables():
        return (
            rollup_table(),
            sorted(BrandDay.objects.filter(facts__gt=0).values_list("day", "impressions", "gmv_cny")),
            sorted(CampaignTotal.objects.filter(facts__gt=0).values_list("campaign_id", "facts", "impressions")),
        )

    incremental = tables()
    assert incremental[2], "the campaign's totals were kept as the facts came"
    rollups_rebuild()
    assert tables() == incremental
    assert (
        MetricRollup.objects.aggregate(s=Sum("impressions"))["s"]
        == MetricFact.objects.aggregate(s=Sum("impressions"))["s"]
    )


def test_a_write_that_fails_half_way_leaves_no_fact_and_no_sum(file_source, brand):
    from campaigns.results.facts import FactRow
    from campaigns.results.services import facts_upsert

    rows = [FactRow(f"k{i}", DAY, "banner", brand.pk, figures={"impressions": 5}) for i in range(4)]

    def crash(done):
        if done == 2:
            raise RuntimeError("the worker stops here")

    with pytest.raises(RuntimeError):
        facts_upsert(source=file_source, rows=rows, chunk=2, progress=crash)
    assert MetricFact.objects.count() == 0 and MetricRollup.objects.count() == 0 and BrandDay.objects.count() == 0


# --- the checker --------------------------------------------------------------------------------------------------


def issues_of(raw, **kwargs):
    row, issues = FactChecker(today=datetime.date(2026, 12, 1), **kwargs).check(raw)
    return row, [(i.code, i.column) for i in issues]


def test_every_coordinate_is_checked_against_the_registry(brand, other_brand, item, creative, campaign):
    assert issues_of({"channel": "banner", "brand": brand.slug, "clicks": 1})[1] == [("required", "date")]
    assert issues_of({"date": "2027-01-01", "channel": "banner", "brand": brand.slug, "clicks": 1})[1] == [
        ("future_date", "date")
    ]
    assert issues_of({"date": "2026-11-11", "channel": "fax", "brand": brand.slug, "clicks": 1})[1] == [
        ("unknown_channel", "channel")
    ]
    assert issues_of({"date": "2026-11-11", "channel": "banner", "brand": "nobody", "clicks": 1})[1] == [
        ("unknown_brand", "brand")
    ]
    assert issues_of(
        {"date": "2026-11-11", "channel": "banner", "brand": other_brand.slug, "item": item.pk, "clicks": 1}
    )[1] == [("item_not_of_brand", "item")]
    assert issues_of({"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "clicks": "-3"})[1] == [
        ("negative", "clicks")
    ]
    assert issues_of({"date": "2026-11-11", "channel": "banner", "brand": brand.slug})[1] == [("no_figures", "")]
    row, issues = issues_of(
        {"date": "2026-11-11", "channel": "横幅", "brand": "奥雷利奥榨油坊", "creative": creative.pk, "clicks": 1}
    )
    assert issues == [] and (row.item_id, row.campaign_id, row.creative_id) == (item.pk, campaign.pk, creative.pk)


def test_a_key_limited_to_one_brand_cannot_write_another(brand, other_brand):
    assert issues_of(
        {"date": "2026-11-11", "channel": "banner", "brand": other_brand.slug, "clicks": 1}, brand_ids=[brand.pk]
    )[1] == [("brand_not_allowed", "brand")]


def test_clicks_are_worked_out_from_the_rate_when_the_file_has_none(brand):
    row, issues = issues_of(
        {"date": "2026-11-11", "channel": "banner", "brand": brand.slug, "impressions": "2万", "ctr": "3.5%"}
    )
    assert issues == [] and row.figures["clicks"] == 700


def test_an_unknown_channel_lists_the_valid_ones_in_the_readers_language(brand):
    _row, issues = FactChecker(today=datetime.date(2026, 12, 1)).check(
        {"date": "2026-11-11", "channel": "fax", "brand": brand.slug, "clicks": 1}
    )
    with translation.override("zh-hans"):
        assert "直播" in issues[0].message()
    with translation.override("it"):
        assert "banner (Banner)" in issues[0].message() and "Unknown" not in issues[0].message()


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks between two sessions need PostgreSQL (CI's first pass); SQLite serialises writers",
)


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sessions_writing_the_same_new_fact_at_once_count_it_once(brand):
    """Both read "no such fact", both would add it to the sums: the source's lock makes the second wait and see it."""
    import threading

    from campaigns.results.facts import FactRow
    from campaigns.results.services import facts_upsert

    source = source_for(MetricSource.Kind.API, "Tmall")
    barrier = threading.Barrier(2)
    errors = []

    def push(value):
        try:
            barrier.wait()
            row = FactRow("same-key", DAY, "banner", brand.pk, figures={"impressions": value})
            facts_upsert(source=source, rows=[row])
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=push, args=(v,)) for v in (100, 250)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    fact = MetricFact.objects.get()
    assert BrandDay.objects.get().impressions == fact.impressions
    assert MetricRollup.objects.get().facts == 1
