"""The results on a campaign's page and an item's page: totals against targets, channels, each item's results, the
banner comparison; each reader sees what they may, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.results.facts import FactRow
from campaigns.results.services import facts_upsert
from tests.campaigns.conftest import add_creative, make_item, move
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 10)


def creative_row(key, brand, creative, impressions, clicks, day=DAY, **figures):
    item = creative.item
    return FactRow(key, day, item.channel, brand.pk, item.campaign_id, item.pk, creative.pk,
                   figures={"impressions": impressions, "clicks": clicks, **figures})  # fmt: skip


@pytest.fixture
def page(file_source, campaign, editor, manager, brand, other_brand, item):
    """The shared Double 11 campaign: the brand's banner with a red and a gold creative, the other brand's
    livestream with a blue creative, each published, with their figures; targets on the campaign."""
    red = add_creative(item, user=editor, color=(200, 16, 46), subject="product", topic="festival")
    gold = add_creative(item, user=editor, color=(190, 150, 50), subject="people", topic="gifting")
    other = make_item(campaign, author=editor, brands=[other_brand], channel="livestream", title_en="Bertazzi live")
    blue = add_creative(other, user=editor, color=(30, 60, 170))
    for published in (item, other):
        move(published, to="published", editor=editor, manager=manager)
    campaign.target_impressions = 10_000
    campaign.target_followers = 500
    campaign.save()
    facts_upsert(
        source=file_source,
        rows=[
            creative_row("red", brand, red, 4000, 120),
            creative_row("gold", brand, gold, 4000, 80, followers_gained=31),
            creative_row("blue", other_brand, blue, 4242424, 42424, viewers=420_000, items_sold=20_000,
                         gmv_cny=Decimal("1999.90")),
        ],
    )  # fmt: skip
    return {"red": red, "gold": gold, "blue": blue, "other": other}


def test_staff_see_the_whole_campaign_against_its_targets(client_for, manager, campaign, page):
    response = client_for(manager).get(reverse("campaigns:campaign_detail", kwargs={"pk": campaign.pk}))
    html = response.content.decode()
    (panel,) = [p for p in response.context["panels"] if p.template == "results/campaign_results.html"]
    result = panel.context["result"]
    assert result.totals.impressions == 4_250_424
    assert {t.name: (t.target, t.actual, t.met) for t in result.targets} == {
        "followers_gained": (500, 31, False),
        "impressions": (10_000, 4_250_424, True),
    }
    assert "Against the targets" in html and "Maglificio Bertazzi" in html and "4,242,424" in html
    assert "Enter figures" in html and reverse("results:fact_entry") + f"?campaign={campaign.pk}" in html
    # Creatives are compared within their channel: the livestream's one creative has nothing to compare with.
    assert [channel for channel, _c in panel.context["comparisons"]] == ["Banner"]
    # Each item's results in the content table, next to the item.
    (column,) = response.context["columns"]
    assert "CTR: 2.50%" in column.cells[page["red"].item_id]
    assert "Viewers: 420,000" in column.cells[page["other"].pk]


def test_a_brand_user_sees_only_their_own_figures_and_creatives(client_for, brand_user, campaign, page):
    response = client_for(brand_user).get(reverse("campaigns:campaign_detail", kwargs={"pk": campaign.pk}))
    html = response.content.decode()
    (panel,) = response.context["panels"]
    assert panel.context["result"].totals.impressions == 8000
    assert panel.context["result"].targets == [] and panel.context["by_brand"] == []
    assert not [leak for leak in ("4,242,424", "4242424", "420,000", "Bertazzi", "1,999.90") if leak in html]
    assert "Against the targets" not in html and "Enter figures" not in html
    ((channel, comparison),) = panel.context["comparisons"]
    assert channel == "Banner"
    assert {rate.creative.pk for rate in comparison.creatives} == {page["red"].pk, page["gold"].pk}
    # 120/4000 against 80/4000: the hand-computed case, significant (p = 0.004)
    colour = comparison.dimensions[0]
    assert colour.verdict.kind == "significant" and colour.verdict.best.key == "red"
    assert "“red” did better: 3.00% click-through rate against 2.00%" in html


def test_the_item_page_shows_the_item_s_creatives_and_staff_can_enter_figures(
    client_for, manager, brand_user, item, page
):
    url = reverse("campaigns:contentitem_detail", kwargs={"pk": item.pk})
    staff = client_for(manager).get(url)
    assert [r.creative.pk for r in staff.context["panels"][0].context["creatives"]] == [page["red"].pk, page["gold"].pk]
    assert reverse("results:fact_entry") + f"?item={item.pk}" in staff.content.decode()
    own = client_for(brand_user).get(url).content.decode()
    assert "3.00%" in own and "Enter figures" not in own


def test_a_campaign_without_results_says_so(client_for, manager, campaign):
    html = client_for(manager).get(reverse("campaigns:campaign_detail", kwargs={"pk": campaign.pk})).content.decode()
    assert "No results yet" in html and "No two creatives of a channel have impressions" in html


@pytest.mark.parametrize("who", ["manager", "brand_user"])
def test_campaign_page_with_results_query_count_is_flat(
    request, client_for, who, file_source, campaign, editor, manager, brand, other_brand
):
    client = client_for(request.getfixturevalue(who))
    url = reverse("campaigns:campaign_detail", kwargs={"pk": campaign.pk})
    counter = iter(range(1000))

    def add(n):
        rows = []
        for _ in range(n):
            i = next(counter)
            for featured in (brand, other_brand):
                new = make_item(campaign, author=editor, brands=[featured], channel="banner", title_en=f"Banner {i}")
                creative = add_creative(new, user=editor, color=((40 * i) % 255, 90, 160))
                move(new, to="published", editor=editor, manager=manager)
                for day in range(3):
                    rows.append(creative_row(f"{i}-{featured.pk}-{day}", featured, creative, 1000 + i, 20 + day,
                                             day=DAY + datetime.timedelta(days=day)))  # fmt: skip
        facts_upsert(source=file_source, rows=rows)

    add(1)
    few = count_queries(client, url)
    add(6)
    assert count_queries(client, url) == few
