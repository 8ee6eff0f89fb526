"""Last year's lesson on a festival campaign's page: last year's campaigns against their targets, the channels that
worked, the creatives compared, targets suggested from last year — and "Copy to next year" carrying it forward."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.results.facts import FactRow
from campaigns.results.lesson import last_year_lesson, nice_round
from campaigns.results.services import facts_upsert
from campaigns.services import campaign_copy_to_next_year, campaign_save
from tests.campaigns.conftest import add_creative, make_campaign, make_item, move
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 11, 10)


def fact(key, brand, item, creative=None, channel=None, **figures):
    return FactRow(key, DAY, channel or item.channel, brand.pk, item.campaign_id, item.pk,
                   creative.pk if creative else None, figures=figures)  # fmt: skip


@pytest.fixture
def last_year(file_source, manager, editor, brand, other_brand):
    """Double 11 2025: the agency's campaign with both brands (banners in red and blue, a livestream of the other
    brand), a second campaign of the brand alone (a KOL post), and a cancelled one."""
    main = make_campaign(user=manager, festival_key="double-11", year=2025, brands=[brand, other_brand],
                         title="Double 11 night 2025", target_followers=1000, target_impressions=50_000)  # fmt: skip
    solo = make_campaign(user=manager, festival_key="double-11", year=2025, brands=[brand], title="Solo 2025")
    cancelled = make_campaign(user=manager, festival_key="double-11", year=2025, brands=[brand], title="Off 2025")
    campaign_save(user=manager, campaign=cancelled, status="cancelled")
    banner = make_item(main, author=editor, brands=[brand], channel="banner", scheduled_at=None)
    red = add_creative(banner, user=editor, color=(200, 16, 46), subject="people", topic="promotion")
    blue = add_creative(banner, user=editor, color=(30, 60, 170), subject="product", topic="promotion")
    live = make_item(main, author=editor, brands=[other_brand], channel="livestream")
    kol = make_item(solo, author=editor, brands=[brand], channel="kol_post")
    off = make_item(cancelled, author=editor, brands=[brand], channel="kol_post")
    for item in (banner, live, kol, off):
        move(item, to="published", editor=editor, manager=manager)
    facts_upsert(
        source=file_source,
        rows=[
            # Red 120/4000 against blue 80/4000: the hand-computed case (z = 2.86, p = 0.004)
            fact("red", brand, banner, red, impressions=4000, clicks=120, followers_gained=40),
            fact("blue", brand, banner, blue, impressions=4000, clicks=80, followers_gained=20),
            fact("live", other_brand, live, impressions=30_000, viewers=5000, followers_gained=700),
            fact("kol", brand, kol, impressions=12_000, interactions=600, followers_gained=100),
            fact("off", brand, off, impressions=999_999),
        ],
    )
    return {"main": main, "solo": solo, "cancelled": cancelled, "red": red, "blue": blue}


def test_staff_read_last_year_against_its_targets_and_the_channels_that_worked(last_year, manager, brand):
    this_year = make_campaign(user=manager, festival_key="double-11", year=2026, brands=[brand], title="D11 2026")
    lesson = last_year_lesson(this_year, None, brands_now=1)
    assert [p.campaign.title for p in lesson.campaigns] == ["Double 11 night 2025", "Solo 2025"]  # not the cancelled
    main = lesson.campaigns[0]
    assert {t.name: (t.target, t.actual, t.met) for t in main.targets} == {
        "followers_gained": (1000, 760, False),
        "impressions": (50_000, 38_000, False),
    }
    assert (lesson.totals.impressions, lesson.totals.followers_gained) == (50_000, 860)
    # The click-through rate over the channels that report clicks: 200 / 8,000 banner impressions, not / 38,000
    assert (main.rate.clicks, main.rate.impressions) == (200, 8000) and lesson.campaigns[1].rate.impressions == 0
    # Most followers first: the livestream (700), the KOL post (100), the banner (60)
    assert [row.channel for row in lesson.channels] == ["livestream", "kol_post", "banner"]
    assert lesson.most_followers.channel == "livestream" and lesson.best_ctr.channel == "banner"
    ((channel, comparison),) = lesson.comparisons  # only the banner has creatives to compare
    assert channel == "Banner"
    assert (comparison.best_creative.creative, comparison.worst_creative.creative) == (last_year["red"],
                                                                                       last_year["blue"])  # fmt: skip
    assert comparison.creative_verdict.kind == "significant"


def test_suggested_targets_are_last_year_per_brand_for_this_year_s_brands_plus_10_percent(last_year, manager, brand):
    this_year = make_campaign(user=manager, festival_key="double-11", year=2026, brands=[brand], title="D11 2026")
    lesson = last_year_lesson(this_year, None, brands_now=1)
    assert lesson.brands_last_year == 2
    suggested = {s.target_field: (s.last_target, s.last_actual, s.suggested) for s in lesson.suggestions}
    # followers: 860 reached by 2 brands → 430 a brand × 1 brand × 1.1 = 473
    # impressions: 50,000 / 2 × 1 × 1.1 = 27,500; interactions: 600 / 2 × 1.1 = 330
    assert suggested == {
        "target_followers": (1000, 860, 473),
        "target_impressions": (50_000, 50_000, 27_500),
        "target_interactions": (None, 600, 330),
    }
    assert (nice_round(123_456.7), nice_round(8_765), nice_round(42.4)) == (123_000, 8_770, 42)


def test_a_brand_user_learns_from_their_own_part_only(last_year, manager, brand, other_brand):
    this_year = make_campaign(user=manager, festival_key="double-11", year=2026, brands=[brand, other_brand])
    own = last_year_lesson(this_year, [brand.pk])
    assert [p.campaign.title for p in own.campaigns] == ["Double 11 night 2025", "Solo 2025"]
    assert own.campaigns[0].targets == [] and own.suggestions == []
    assert own.totals.impressions == 20_000 and "livestream" not in [row.channel for row in own.channels]
    other = last_year_lesson(this_year, [other_brand.pk])
    assert [p.campaign.title for p in other.campaigns] == ["Double 11 night 2025"]
    assert other.totals.impressions == 30_000 and other.comparisons == []


def test_copy_to_next_year_carries_the_lesson_to_the_copy_s_page(last_year, client_for, manager):
    copy = campaign_copy_to_next_year(campaign=last_year["main"], user=manager)
    assert copy.copied_from == last_year["main"] and copy.festival_year == 2026
    response = client_for(manager).get(reverse("campaigns:campaign_detail", kwargs={"pk": copy.pk}))
    html = response.content.decode()
    lesson = response.context["panels"][0].context["lesson"]
    assert [p.source_of_copy for p in lesson.campaigns] == [True, False]
    assert "Last year's lesson" in html and "copied from it" in html and "Use the ticked targets" in html


def test_the_lesson_of_a_copy_moved_to_another_year_still_shows_its_source(last_year, manager):
    copy = campaign_copy_to_next_year(campaign=last_year["solo"], user=manager)
    Campaign.objects.filter(pk=copy.pk).update(festival_year=2027)
    copy.refresh_from_db()
    lesson = last_year_lesson(copy, None, brands_now=1)
    assert [p.campaign.title for p in lesson.campaigns] == ["Solo 2025"]


def test_staff_apply_the_suggested_targets_they_tick(last_year, client_for, manager, brand_user, brand):
    this_year = make_campaign(user=manager, festival_key="double-11", year=2026, brands=[brand], title="D11 2026")
    url = reverse("results:campaign_targets_apply", kwargs={"pk": this_year.pk})
    assert client_for(brand_user).post(url, {"targets": ["target_followers"]}).status_code == 404
    response = client_for(manager).post(url, {"targets": ["target_followers", "target_interactions"]})
    assert response.status_code == 302 and response.url.endswith("#lesson")
    this_year.refresh_from_db()
    assert (this_year.target_followers, this_year.target_impressions, this_year.target_interactions) == (473, None, 330)
    empty = client_for(manager).post(url, {})
    assert empty.status_code == 302
    this_year.refresh_from_db()
    assert this_year.target_followers == 473


def test_no_lesson_without_a_festival_or_last_year(manager, brand):
    own_dates = make_campaign(user=manager, festival_key=None, year=2026, brands=[brand])
    assert last_year_lesson(own_dates, None) is None
    first = make_campaign(user=manager, festival_key="qixi", year=2026, brands=[brand])
    assert last_year_lesson(first, None) is None


@pytest.mark.parametrize("who", ["manager", "brand_user"])
def test_the_page_with_a_lesson_keeps_its_query_count_as_last_year_grows(
    request, client_for, who, last_year, file_source, manager, editor, brand
):
    client = client_for(request.getfixturevalue(who))
    this_year = make_campaign(user=manager, festival_key="double-11", year=2026, brands=[brand], title="D11 2026")
    url = reverse("campaigns:campaign_detail", kwargs={"pk": this_year.pk})
    few = count_queries(client, url)
    for n in range(4):
        more = make_campaign(user=manager, festival_key="double-11", year=2025, brands=[brand], title=f"More {n}")
        item = make_item(more, author=editor, brands=[brand], channel="red_post")
        creative = add_creative(item, user=editor, color=(20 * n, 120, 60), size=(1242, 1660))
        move(item, to="published", editor=editor, manager=manager)
        facts_upsert(source=file_source, rows=[fact(f"more-{n}", brand, item, creative, impressions=900, clicks=30)])
    assert count_queries(client, url) == few
