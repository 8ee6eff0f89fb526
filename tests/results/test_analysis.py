"""The banner analysis against hand-computed cases: Wilson intervals, the pooled z-test, the "too few" rule, ties.

The arithmetic is written next to each case, so a reader can check it with a pocket calculator (z for 95% is
1.959964, z² = 3.841459).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from campaigns.models import Creative
from campaigns.results import analysis
from campaigns.results.analysis import (
    CreativeRate,
    compare,
    enough_impressions,
    impressions_needed,
    two_proportion_z_test,
    variant_comparison,
    wilson_interval,
)
from campaigns.results.facts import FactRow
from campaigns.results.services import facts_upsert
from tests.campaigns.conftest import add_creative, make_item, move

# --- Wilson score interval ----------------------------------------------------------------------------------------


def test_wilson_interval_of_30_clicks_in_1000_impressions():
    # p = 0.03, n = 1000, z²/n = 0.0038415, denominator 1 + z²/n = 1.0038415
    # centre = (0.03 + z²/2n = 0.0019207) / 1.0038415 = 0.0317986
    # half = 1.959964 × √(0.03 × 0.97 / 1000 + z²/4n² = 0.0000291 + 0.00000096) / 1.0038415
    #      = 1.959964 × 0.0054827 / 1.0038415 = 0.0107049
    # → 0.0210937 … 0.0425034 (the textbook p ± 1.96·√(p(1−p)/n) would say 0.0194 … 0.0406)
    low, high = wilson_interval(30, 1000)
    assert low == pytest.approx(0.0210937, abs=1e-7)
    assert high == pytest.approx(0.0425034, abs=1e-7)


def test_wilson_interval_at_the_edges_stays_inside_0_and_1():
    # 0 of 50: centre = half-width, so the low end is 0; high = z² / (n + z²) = 3.841459 / 53.841459 = 0.0713476
    assert wilson_interval(0, 50) == pytest.approx((0.0, 0.0713476), abs=1e-7)
    # 50 of 50, the mirror image: 1 − 0.0713476 = 0.9286524 … 1
    assert wilson_interval(50, 50) == pytest.approx((0.9286524, 1.0), abs=1e-7)
    assert wilson_interval(0, 0) is None


# --- the two-proportion z-test --------------------------------------------------------------------------------------


def test_z_test_of_120_in_4000_against_80_in_4000_is_significant():
    # p_a = 0.03, p_b = 0.02, pooled p̂ = 200 / 8000 = 0.025
    # SE = √(0.025 × 0.975 × (1/4000 + 1/4000)) = √(0.024375 × 0.0005) = √0.0000121875 = 0.0034911
    # z = 0.01 / 0.0034911 = 2.8645;  p = erfc(2.8645 / √2) = 0.0041772
    test = two_proportion_z_test(120, 4000, 80, 4000)
    assert test.z == pytest.approx(2.864459, abs=1e-6)
    assert test.p_value == pytest.approx(0.0041772, abs=1e-7)
    assert test.enough and test.significant
    # The other way round: the same p, z negative.
    reverse = two_proportion_z_test(80, 4000, 120, 4000)
    assert reverse.z == pytest.approx(-2.864459, abs=1e-6) and reverse.p_value == pytest.approx(test.p_value)


def test_z_test_of_25_in_1000_against_20_in_1000_is_not_significant():
    # pooled p̂ = 45 / 2000 = 0.0225; SE = √(0.0225 × 0.9775 × 0.002) = √0.000043988 = 0.0066323
    # z = 0.005 / 0.0066323 = 0.75389;  p = erfc(0.75389 / √2) = 0.45092
    test = two_proportion_z_test(25, 1000, 20, 1000)
    assert test.z == pytest.approx(0.753885, abs=1e-6)
    assert test.p_value == pytest.approx(0.450918, abs=1e-6)
    assert test.enough and not test.significant


def test_equal_rates_give_z_0_and_p_1():
    # 30/1000 and 3/100 are the same rate: z = 0, p = erfc(0) = 1
    test = two_proportion_z_test(30, 1000, 3, 100)
    assert test.z == 0 and test.p_value == 1
    nothing = two_proportion_z_test(0, 500, 0, 500)  # no click anywhere: SE = 0, nothing to test
    assert (nothing.z, nothing.p_value, nothing.enough) == (0.0, 1.0, False)


# --- too few impressions to tell ----------------------------------------------------------------------------------


def test_the_rule_wants_10_expected_clicks_and_non_clicks_on_each_side():
    # 10/500 vs 10/500: pooled 0.02; expected clicks 500 × 0.02 = 10 on each side: just enough
    assert enough_impressions(10, 500, 10, 500)
    # 9/450 vs 10/500: pooled 19/950 = 0.02; expected clicks 450 × 0.02 = 9 < 10: too few
    assert not enough_impressions(9, 450, 10, 500)
    # 3/100 vs 1/100: pooled 0.02 → 2 expected clicks a side; the test is not run on such numbers
    assert not two_proportion_z_test(3, 100, 1, 100).enough
    # Non-clicks count too: 995/1000 vs 990/1000 expect only 7.5 non-clicks a side
    assert not enough_impressions(995, 1000, 990, 1000)
    # At a 2% CTR a fair test needs 10 / 0.02 = 500 impressions a side; with no click, nobody can say
    assert impressions_needed(4, 200) == 500 and impressions_needed(0, 200) is None


# --- grouping and verdicts ----------------------------------------------------------------------------------------


def rate(clicks, impressions, colour="red", subject="product", topic="festival"):
    return CreativeRate(
        clicks=clicks,
        impressions=impressions,
        creative=Creative(dominant_name=colour, dominant_hex="#c8102e", subject=subject, topic=topic),
    )


def dimension(result, key):
    return next(d for d in result.dimensions if d.key == key)


def test_red_beats_the_other_colours_significantly():
    # Red 120/4000 (3%) against gold 50/2500 + blue 30/1500 = 80/4000 (2%): the case above, p = 0.0042
    result = compare([rate(120, 4000), rate(50, 2500, "gold"), rate(30, 1500, "blue")])
    colour = dimension(result, "colour")
    assert [g.key for g in colour.groups] == ["red", "gold", "blue"]  # gold and blue tie at 2%: more impressions first
    verdict = colour.verdict
    assert verdict.kind == "significant" and verdict.best.key == "red"
    assert (verdict.rest.clicks, verdict.rest.impressions) == (80, 4000)
    assert verdict.test.p_value == pytest.approx(0.0041772, abs=1e-7)
    with translation.override("en"):
        assert verdict.message == (
            "“red” did better: 3.00% click-through rate against 2.00% for the other creatives. The difference is "
            "significant at 95% (p = 0.004): very unlikely to be chance."
        )
    red = colour.groups[0]
    assert red.best and red.share == 1 and red.low == pytest.approx(wilson_interval(120, 4000)[0])
    # Every creative has the same subject and topic: nothing to compare there.
    assert dimension(result, "subject").verdict.kind == "single"
    with translation.override("en"):
        assert dimension(result, "topic").verdict.message == (
            "Every creative with impressions has the same topic (Festival offer): nothing to compare."
        )


def test_a_small_lead_is_not_significant():
    # 25/1000 against 20/1000: p = 0.451
    verdict = dimension(compare([rate(25, 1000), rate(20, 1000, "gold")]), "colour").verdict
    assert verdict.kind == "not_significant" and verdict.best.key == "red"
    with translation.override("en"):
        assert "not significant at 95% (p = 0.451)" in verdict.message


def test_too_few_impressions_to_tell():
    # 3/100 vs 1/100: 2 expected clicks a side; at the pooled 2% a fair test needs 10 / 0.02 = 500 a side
    verdict = dimension(compare([rate(3, 100), rate(1, 100, "gold")]), "colour").verdict
    assert verdict.kind == "too_few" and verdict.test.p_value > 0  # computed, but not given as a verdict
    with translation.override("en"):
        assert verdict.message == (
            "Too few impressions to tell: “red” leads with 3.00% against 1.00% for the other creatives, but a fair "
            "test needs about 500 impressions on each side."
        )


def test_a_small_group_with_a_high_rate_is_not_named_best_over_a_tested_one():
    # Blue 3/20 (15%) cannot be tested; red 150/5000 (3%) against the rest (103/5020) can, and wins.
    result = compare([rate(150, 5000), rate(100, 5000, "gold"), rate(3, 20, "blue")])
    colour = dimension(result, "colour")
    assert colour.groups[0].key == "blue" and not colour.groups[0].enough
    assert colour.verdict.best.key == "red" and colour.verdict.kind == "significant"


def test_two_groups_with_the_same_rate_tie():
    # Red 30/1000 and gold 3/100 are both 3%: no colour is named best
    verdict = dimension(compare([rate(30, 1000), rate(3, 100, "gold"), rate(10, 1000, "blue")]), "colour").verdict
    assert verdict.kind == "tie" and [str(label) for label in verdict.tied] == ["red", "gold"]
    with translation.override("en"):
        assert verdict.message == "red, gold have the same click-through rate (3.00%): none did better."


def test_creatives_without_a_subject_are_shown_but_never_best():
    result = compare([rate(90, 3000, subject=""), rate(40, 3000, subject="people")])
    subject = dimension(result, "subject")
    assert [str(g.label) for g in subject.groups] == ["not set", "People"]
    assert subject.verdict.best.key == "people"
    only_unset = dimension(compare([rate(90, 3000, subject="")]), "subject")
    assert only_unset.verdict.kind == "unset"


def test_best_and_worst_creative():
    # Best 120/4000 = 3%, worst 80/4000 = 2% (the 3/20 one has 20 × 0.0252 = 0.5 expected clicks: not ranked)
    best, worst, tiny = rate(120, 4000), rate(80, 4000, "gold"), rate(3, 20, "blue")
    result = compare([worst, tiny, best])
    assert result.creatives == [tiny, best, worst]  # the list is by CTR; the ranking leaves out the tiny one
    assert (result.best_creative, result.worst_creative) == (best, worst)
    assert result.creative_verdict.kind == "significant"
    assert result.creative_verdict.test.z == pytest.approx(2.864459, abs=1e-6)
    assert compare([rate(30, 1000), rate(3, 100)]).creative_verdict.kind == "tie"
    assert compare([rate(30, 1000)]).creative_verdict.kind == "single"
    assert compare([]).creative_verdict.kind == "empty" and compare([]).empty


def test_the_verdict_is_written_in_the_reader_s_language():
    verdict = dimension(compare([rate(120, 4000), rate(80, 4000, "gold")]), "colour").verdict
    with translation.override("it"):
        italian = verdict.message
    with translation.override("zh-hans"):
        chinese = verdict.message
    assert "3,00%" in italian and "rosso" in italian and "0,004" in italian
    assert "红" in chinese and "3.00%" in chinese


# --- from the facts -----------------------------------------------------------------------------------------------


@pytest.fixture
def shared_creatives(campaign, editor, manager, brand, other_brand, item):
    """Two red and one gold creative on the brand's item, one blue on the other brand's item, all published."""
    other_item = make_item(campaign, author=editor, brands=[other_brand], channel="banner")
    red = add_creative(item, user=editor, color=(200, 16, 46), subject="product", topic="festival")
    red_two = add_creative(item, user=editor, color=(190, 20, 40), subject="people", topic="festival")
    gold = add_creative(item, user=editor, color=(190, 150, 50), subject="product", topic="gifting")
    blue = add_creative(other_item, user=editor, color=(30, 60, 170), subject="product", topic="festival")
    move(item, to="published", editor=editor, manager=manager)  # as the publisher leaves it
    move(other_item, to="published", editor=editor, manager=manager)
    return {"red": red, "red_two": red_two, "gold": gold, "blue": blue, "other_item": other_item}


def creative_fact(key, day, brand, creative, impressions, clicks):
    return FactRow(key, day, "banner", brand.pk, creative.item.campaign_id, creative.item_id, creative.pk,
                   figures={"impressions": impressions, "clicks": clicks})  # fmt: skip


@pytest.mark.django_db
def test_a_brand_compares_only_its_own_creatives_and_figures(
    file_source, campaign, brand, other_brand, shared_creatives
):
    c = shared_creatives
    assert (c["red"].dominant_name, c["gold"].dominant_name, c["blue"].dominant_name) == ("red", "gold", "blue")
    nov10, nov11 = datetime.date(2026, 11, 10), datetime.date(2026, 11, 11)
    facts_upsert(
        source=file_source,
        rows=[
            creative_fact("r1", nov10, brand, c["red"], 2000, 70),
            creative_fact("r2", nov11, brand, c["red_two"], 2000, 50),  # red: 120/4000
            creative_fact("g1", nov11, brand, c["gold"], 4000, 80),
            creative_fact("b1", nov11, other_brand, c["blue"], 4242424, 424242),
        ],
    )
    with CaptureQueriesContext(connection) as queries:
        own = variant_comparison([brand.pk], campaigns=[campaign])
    assert len(queries) == 2  # the facts summed per creative, then the creatives
    assert {r.creative.pk for r in own.creatives} == {c["red"].pk, c["red_two"].pk, c["gold"].pk}
    assert (own.total.clicks, own.total.impressions) == (200, 8000)
    colour = dimension(own, "colour")
    assert colour.verdict.kind == "significant" and colour.verdict.best.key == "red"
    staff = variant_comparison(None, campaigns=[campaign.pk])
    assert dimension(staff, "colour").verdict.best.key == "blue"
    other = variant_comparison([other_brand.pk], campaigns=[campaign])
    assert [r.creative.pk for r in other.creatives] == [c["blue"].pk]
    # A period: the days of the facts, not the campaign
    day_one = variant_comparison([brand.pk], start=nov10, end=nov10)
    assert [r.creative.pk for r in day_one.creatives] == [c["red"].pk]


@pytest.mark.django_db
def test_a_brand_user_never_compares_creatives_of_items_they_may_not_see(file_source, campaign, brand, editor):
    draft = make_item(campaign, author=editor, brands=[brand], channel="banner")
    creative = add_creative(draft, user=editor)
    facts_upsert(source=file_source, rows=[creative_fact("d", datetime.date(2026, 11, 1), brand, creative, 500, 9)])
    assert variant_comparison([brand.pk], campaigns=[campaign]).empty
    assert not variant_comparison(None, campaigns=[campaign]).empty


def test_the_module_says_its_rule():
    assert analysis.MIN_EXPECTED == 10 and "n·p̂ ≥ 10" in analysis.__doc__
