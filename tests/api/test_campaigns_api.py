"""``/api/v1/campaigns/``: campaigns with published items, each with those items, and nothing of the planning."""

import time

import pytest
from django.utils import timezone

from brands.services import brand_update
from campaigns.choices import ContentStatus as S
from campaigns.services import campaign_save
from tests.api.feed_data import Feed
from tests.api.mixins import ApiEndpointChecks, BrandRestrictedChecks, assert_error

pytestmark = pytest.mark.django_db
LIST = "/api/v1/campaigns/"
SCOPE = "campaigns:read"


def detail(campaign):
    return f"{LIST}{campaign.pk}/"


@pytest.fixture
def feed(editor, manager):
    return Feed(editor, manager)


class CampaignRows:
    """Rows are campaigns of one brand each (alternating between two), with one published item each."""

    scope = SCOPE

    @pytest.fixture(autouse=True)
    def _feed(self, feed, brand, other_brand):
        self.feed, self.brands = feed, [brand, other_brand]

    def make_rows(self, n):
        rows = []
        for i in range(n):
            campaign = self.feed.campaign([self.brands[i % 2]])
            self.feed.published(campaign, [self.brands[i % 2]], creative=False)
            rows.append(campaign)
        return rows

    def brand_of(self, row):
        return row.brands.get()


class TestCampaignList(CampaignRows, ApiEndpointChecks, BrandRestrictedChecks):
    def url(self, rows):
        return LIST + "?page_size=100"

    def check_restriction(self, api, key, rows):
        assert [c["id"] for c in api(LIST, key).json()["results"]] == [rows[0].pk]


class TestCampaignDetail(CampaignRows, ApiEndpointChecks, BrandRestrictedChecks):
    def url(self, rows):
        return detail(rows[0])

    def check_restriction(self, api, key, rows):
        assert api(detail(rows[0]), key).status_code == 200
        assert_error(api(detail(rows[1]), key), 404, "not_found")


def test_the_query_count_does_not_grow_with_a_campaign_s_items(api, make_key, feed, brand):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brandhub.api.hotcache import hot

    campaign = feed.campaign([brand])
    feed.published(campaign, [brand], creative=False)
    key = make_key([SCOPE])

    def count():
        hot.reset()
        with CaptureQueriesContext(connection) as ctx:
            assert api(LIST, key).status_code == 200
            assert api(detail(campaign), key).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(10):
        feed.published(campaign, [brand], creative=False)
    assert count() == few


def test_a_campaign_shows_its_published_items_and_nothing_of_the_planning(api, make_key, feed, brand):
    campaign = feed.campaign([brand], budget_cny=88888, target_followers=777777)
    published = feed.published(campaign, [brand], title_zh_hans="七夕礼盒已发布")
    for status in (S.DRAFT, S.APPROVED, S.SCHEDULED, S.FAILED):
        feed.item(campaign, [brand], status=status, title_zh_hans=f"未发布{status}", creative=False)
    response = api(detail(campaign), make_key([SCOPE]))
    body = response.json()

    assert body["id"] == campaign.pk and body["title"] == campaign.title and body["status"] == "live"
    assert body["festival"] == {
        "key": "qixi",
        "name": {"it": campaign.festival.name_it, "en": campaign.festival.name_en, "zh-hans": "七夕"},
        "year": feed.year,
    }
    assert body["starts_on"] == campaign.starts_on.isoformat() and body["ends_on"] == campaign.ends_on.isoformat()
    assert [b["slug"] for b in body["brands"]] == [brand.slug]
    assert [i["id"] for i in body["items"]] == [published.pk] and body["item_count"] == 1
    assert set(body["items"][0]) == {"id", "channel", "title", "published_at", "url"}
    page = response.content.decode()
    for internal in ("88888", "777777", "budget", "target", "owner", "未发布", "channels"):
        assert internal not in page


def test_a_campaign_without_a_published_item_is_not_there(api, make_key, feed, brand):
    planned = feed.campaign([brand])
    feed.item(planned, [brand], status=S.SCHEDULED, creative=False)
    key = make_key([SCOPE])
    assert api(LIST, key).json()["results"] == []
    assert_error(api(detail(planned), key), 404, "not_found")


def test_a_shared_campaign_shows_a_limited_key_its_brands_only(api, make_key, feed, brand, other_brand):
    campaign = feed.campaign([brand, other_brand])
    own = feed.published(campaign, [brand], creative=False)
    feed.published(campaign, [other_brand], creative=False, title_zh_hans="贝尔塔齐七夕毛衣")
    both = feed.published(campaign, [brand, other_brand], creative=False)
    only_other = feed.campaign([other_brand], title="Bertazzi solo knitwear")
    feed.published(only_other, [other_brand], creative=False)
    key = make_key([SCOPE], brands=[brand])

    listing = api(LIST, key)
    (shown,) = listing.json()["results"]
    assert shown["id"] == campaign.pk
    assert [b["slug"] for b in shown["brands"]] == [brand.slug]
    assert [i["id"] for i in shown["items"]] == [own.pk, both.pk]
    for page in (listing, api(detail(campaign), key), api(LIST + "?lang=zh-hans", key)):
        for secret in ("Maglificio Bertazzi", "maglificio-bertazzi", "贝尔塔齐", "Bertazzi solo"):
            assert secret.encode() not in page.content
    assert_error(api(detail(only_other), key), 404, "not_found")
    assert api(LIST + "?brand=maglificio-bertazzi", key).json()["results"] == []
    # An unlimited key sees both brands and every published item.
    full = api(detail(campaign), make_key([SCOPE])).json()
    assert [b["slug"] for b in full["brands"]] == [brand.slug, other_brand.slug] and len(full["items"]) == 3


def test_updated_since_finds_campaigns_changed_or_with_new_items(api, make_key, feed, brand, other_brand, manager):
    quiet, busy, edited, renamed = (feed.campaign([b]) for b in (brand, brand, brand, other_brand))
    for campaign in (quiet, busy, edited, renamed):
        feed.published(campaign, campaign.brands.all(), creative=False)
    time.sleep(0.01)
    since = timezone.now().isoformat().replace("+00:00", "Z")
    time.sleep(0.01)
    feed.published(busy, [brand], creative=False)
    campaign_save(user=manager, campaign=edited, title="Qixi, second wave")
    brand_update(brand=other_brand, user=None, fields={"name_en": "Bertazzi Knitwear"})

    ids = [c["id"] for c in api(f"{LIST}?updated_since={since}", make_key([SCOPE])).json()["results"]]
    assert ids == [busy.pk, edited.pk, renamed.pk]


def test_cursor_walk_and_filters(api, make_key, feed, brand, other_brand):
    campaigns = [feed.campaign([brand], category="food_beverage") for _ in range(3)]
    campaigns.append(feed.campaign([other_brand], category="fashion"))
    for campaign in campaigns:
        feed.published(campaign, campaign.brands.all(), creative=False)
    key = make_key([SCOPE])
    seen, url = [], LIST + "?page_size=3"
    while url:
        body = api(url, key).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert seen == [c.pk for c in campaigns]
    assert [c["id"] for c in api(LIST + "?category=fashion", key).json()["results"]] == [campaigns[3].pk]
    assert [c["id"] for c in api(LIST + f"?brand={brand.slug}", key).json()["results"]] == [c.pk for c in campaigns[:3]]


def test_etag_304_and_a_newly_published_item_changes_the_campaign(
    api, make_key, feed, brand, django_capture_on_commit_callbacks
):
    campaign = feed.campaign([brand])
    feed.published(campaign, [brand], creative=False)
    key = make_key([SCOPE])
    etags = {}
    for url in (LIST, detail(campaign)):
        first = api(url, key)
        etags[url] = first["ETag"]
        again = api(url, key, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
        assert api(url, key, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        feed.published(campaign, [brand], creative=False)
    for url in (LIST, detail(campaign)):
        assert api(url, key, HTTP_IF_NONE_MATCH=etags[url]).status_code == 200


def test_a_festival_renamed_changes_the_etag(api, make_key, feed, brand, manager):
    from brandhub.api.hotcache import hot
    from campaigns.services import festival_save

    campaign = feed.campaign([brand])
    feed.published(campaign, [brand], creative=False)
    key = make_key([SCOPE])
    etag = api(detail(campaign), key)["ETag"]
    festival = campaign.festival
    festival.name_en = "Chinese Valentine's Day (Qixi)"
    festival_save(user=manager, festival=festival)
    hot.reset()  # the ETag itself, not the copies held in memory (those live 5 s at most)
    assert api(detail(campaign), key, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert api(LIST, key, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_one_language_on_request(api, make_key, feed, brand):
    campaign = feed.campaign([brand])
    feed.published(campaign, [brand], creative=False, title_it="Olio di Qixi")
    body = api(detail(campaign) + "?lang=it", make_key([SCOPE])).json()
    assert body["festival"]["name"] == campaign.festival.name_it and body["items"][0]["title"] == "Olio di Qixi"


def test_a_big_campaign_lists_its_first_items_and_links_to_all_of_them(api, make_key, feed, brand, monkeypatch):
    from urllib.parse import urlsplit

    from campaigns.api import feed as feed_reads

    monkeypatch.setattr(feed_reads, "CAMPAIGN_ITEMS", 2)
    big, small = feed.campaign([brand]), feed.campaign([brand])
    items = [feed.published(big, [brand], creative=False) for _ in range(3)]
    feed.published(small, [brand], creative=False)
    key = make_key([SCOPE])

    listed = {c["id"]: c for c in api(LIST, key).json()["results"]}
    assert [i["id"] for i in listed[big.pk]["items"]] == [i.pk for i in items[:2]]
    assert listed[big.pk]["item_count"] == 3 and listed[small.pk]["item_count"] == 1
    url = urlsplit(listed[big.pk]["items_url"])
    assert url.path == "/api/v1/content/" and url.query == f"campaign={big.pk}"
    assert [i["id"] for i in api(f"{url.path}?{url.query}", key).json()["results"]] == [i.pk for i in items]
