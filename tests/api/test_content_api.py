"""``/api/v1/content/``: the partner feed of published content, its creatives, and nothing before the hour."""

import datetime
import time
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from brands.services import brand_update
from campaigns.choices import Channel
from campaigns.choices import ContentStatus as S
from tests.api.feed_data import LIVE_URL, Feed
from tests.api.mixins import ApiEndpointChecks, BrandRestrictedChecks, assert_error

pytestmark = pytest.mark.django_db
LIST = "/api/v1/content/"
SCOPE = "campaigns:read"
UNPUBLISHED = [S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.PUBLISHING, S.HELD, S.FAILED, S.CANCELLED]


def detail(item):
    return f"{LIST}{item.pk}/"


def creative_url(item, rendition="thumb"):
    return f"{LIST}{item.pk}/creatives/{item.creatives.get().pk}/{rendition}/"


def path(url):
    return urlsplit(url).path


@pytest.fixture
def feed(editor, manager):
    return Feed(editor, manager)


@pytest.fixture
def shared(feed, brand, other_brand):
    """A campaign of two brands: an item of each and one featuring both."""
    campaign = feed.campaign([brand, other_brand], budget_cny=88888)
    return {
        "campaign": campaign,
        "a": feed.published(campaign, [brand], title_zh_hans="奥雷利奥七夕油"),
        "b": feed.published(campaign, [other_brand], title_zh_hans="贝尔塔齐七夕毛衣"),
        "both": feed.published(campaign, [brand, other_brand], title_zh_hans="七夕联名礼盒"),
    }


class FeedRows:
    """Rows are published items (each with a creative), alternating between two brands of one campaign."""

    scope = SCOPE

    @pytest.fixture(autouse=True)
    def _feed(self, feed, brand, other_brand):
        self.feed, self.brands = feed, [brand, other_brand]
        self.campaign = feed.campaign(self.brands)

    def make_rows(self, n):
        return [self.feed.published(self.campaign, [self.brands[i % 2]]) for i in range(n)]

    def brand_of(self, row):
        return row.brands.get()


class TestContentList(FeedRows, ApiEndpointChecks, BrandRestrictedChecks):
    def url(self, rows):
        return LIST + "?page_size=100"

    def check_restriction(self, api, key, rows):
        assert [i["id"] for i in api(LIST, key).json()["results"]] == [rows[0].pk]


class TestContentDetail(FeedRows, ApiEndpointChecks, BrandRestrictedChecks):
    def url(self, rows):
        return detail(rows[0])

    def check_restriction(self, api, key, rows):
        assert api(detail(rows[0]), key).status_code == 200
        assert_error(api(detail(rows[1]), key), 404, "not_found")


class TestContentCreative(FeedRows, ApiEndpointChecks, BrandRestrictedChecks):
    def url(self, rows):
        return creative_url(rows[0])

    def check_restriction(self, api, key, rows):
        assert api(creative_url(rows[0]), key).status_code == 200
        assert_error(api(creative_url(rows[1]), key), 404, "not_found")


def test_a_published_item_has_its_texts_brands_time_url_and_creatives(api, make_key, feed, brand):
    campaign = feed.campaign([brand])
    item = feed.published(campaign, [brand], channel=Channel.RED_POST, title_it="Olio di Qixi", title_en="")
    body = api(detail(item), make_key([SCOPE])).json()

    publication = item.publication
    assert body["id"] == item.pk and body["campaign"] == campaign.pk and body["channel"] == "red_post"
    names = {"it": "Frantoio Aurelio", "en": brand.name_en, "zh-hans": "奥雷利奥榨油坊"}
    assert body["brands"] == [{"slug": brand.slug, "name": names}]
    assert body["title"] == {"it": "Olio di Qixi", "en": "", "zh-hans": "七夕礼盒"}
    assert body["body"]["zh-hans"] == "意大利手工礼盒，七夕限定。"
    assert body["url"] == LIVE_URL  # a manual channel: the live URL the person on duty confirmed
    assert datetime.datetime.fromisoformat(body["published_at"]) == publication.finished_at
    (creative,) = body["creatives"]
    assert (creative["id"], creative["width"], creative["height"]) == (item.creatives.get().pk, 1920, 540)
    assert path(creative["banner"]) == creative_url(item, "banner")
    assert set(creative) == {"id", "width", "height", "original", "thumb", "square", "banner"}


def test_a_feed_channel_item_has_no_live_url(api, make_key, feed, brand):
    item = feed.published(feed.campaign([brand]), [brand], channel=Channel.BANNER)
    assert api(detail(item), make_key([SCOPE])).json()["url"] is None


def test_a_partner_sees_no_internal_field(api, make_key, shared):
    body = api(detail(shared["a"]), make_key([SCOPE])).content.decode()
    for internal in ("88888", "budget", "kol", "dominant", "size_warning", "author", "approved", "status"):
        assert internal not in body


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_nothing_unpublished_is_visible_creatives_included(api, make_key, feed, brand, status):
    """Scheduled with its hour passed but not yet dispatched, due for a manual go-live, held, failed ...: 404."""
    campaign = feed.campaign([brand])
    channel = Channel.KOL_POST if status == S.PUBLISHING else Channel.BANNER
    item = feed.item(campaign, [brand], status=status, channel=channel)
    if status == S.SCHEDULED:
        item.scheduled_at = timezone.now() - datetime.timedelta(minutes=5)
        item.save(update_fields=["scheduled_at"])  # its hour has passed; the dispatcher has not come yet
    key = make_key([SCOPE])

    assert api(LIST, key).json()["results"] == []
    assert_error(api(detail(item), key), 404, "not_found")
    for rendition in ("original", "thumb", "square", "banner"):
        assert_error(api(creative_url(item, rendition), key), 404, "not_found")
    assert api("/api/v1/campaigns/", key).json()["results"] == []
    assert_error(api(f"/api/v1/campaigns/{campaign.pk}/", key), 404, "not_found")


def test_a_creative_is_404_before_the_hour_and_the_image_after_it(api, make_key, feed, brand):
    key = make_key([SCOPE])
    item = feed.item(feed.campaign([brand]), [brand], status=S.SCHEDULED)
    url = creative_url(item, "original")
    assert_error(api(url, key), 404, "not_found")

    item = feed.publish(item)

    response = api(url, key, HTTP_ACCEPT="image/*")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    image = item.creatives.get().image
    with image.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    assert_error(api(url.replace("/original/", "/poster/"), key), 404, "not_found")


def test_a_creative_is_only_found_under_its_own_item(api, make_key, feed, brand):
    campaign = feed.campaign([brand])
    first, second = feed.published(campaign, [brand]), feed.published(campaign, [brand])
    url = f"{LIST}{first.pk}/creatives/{second.creatives.get().pk}/thumb/"
    assert_error(api(url, make_key([SCOPE])), 404, "not_found")


def test_a_shared_campaign_shows_a_limited_key_its_brands_items_and_no_other_brand(api, make_key, shared, brand):
    key = make_key([SCOPE], brands=[brand])
    listing = api(LIST, key)
    results = listing.json()["results"]

    assert [i["id"] for i in results] == [shared["a"].pk, shared["both"].pk]
    assert [b["slug"] for b in results[1]["brands"]] == [brand.slug]  # the item features both; one is shown
    pages = [listing, api(detail(shared["both"]), key), api(LIST + "?lang=it", key)]
    for page in pages:
        for secret in ("Maglificio Bertazzi", "maglificio-bertazzi", "贝尔塔齐"):
            assert secret.encode() not in page.content
    assert_error(api(detail(shared["b"]), key), 404, "not_found")
    assert_error(api(creative_url(shared["b"]), key), 404, "not_found")
    # Filtering by the other brand tells nothing about it either.
    assert api(LIST + "?brand=maglificio-bertazzi", key).json()["results"] == []


def test_an_unlimited_key_sees_every_brand_of_a_shared_item(api, make_key, shared, brand, other_brand):
    results = api(LIST, make_key([SCOPE])).json()["results"]
    assert [i["id"] for i in results] == [shared["a"].pk, shared["b"].pk, shared["both"].pk]
    assert [b["slug"] for b in results[2]["brands"]] == [brand.slug, other_brand.slug]
    filtered = api(LIST + "?brand=maglificio-bertazzi", make_key([SCOPE])).json()["results"]
    assert [i["id"] for i in filtered] == [shared["b"].pk, shared["both"].pk]


def test_filters_by_campaign_and_channel(api, make_key, feed, brand):
    one, two = feed.campaign([brand]), feed.campaign([brand])
    banner = feed.published(one, [brand], channel=Channel.BANNER)
    video = feed.published(two, [brand], channel=Channel.SHORT_VIDEO)
    key = make_key([SCOPE])
    assert [i["id"] for i in api(f"{LIST}?campaign={two.pk}", key).json()["results"]] == [video.pk]
    assert [i["id"] for i in api(f"{LIST}?channel=banner", key).json()["results"]] == [banner.pk]


def test_updated_since_returns_the_items_published_since_and_those_whose_brand_changed(
    api, make_key, feed, brand, other_brand
):
    campaign = feed.campaign([brand, other_brand])
    old = feed.published(campaign, [brand])
    renamed = feed.published(campaign, [other_brand])
    time.sleep(0.01)
    since = timezone.now().isoformat().replace("+00:00", "Z")
    time.sleep(0.01)
    new = feed.published(campaign, [brand])
    brand_update(brand=other_brand, user=None, fields={"name_en": "Bertazzi Knitwear"})
    key = make_key([SCOPE])

    ids = [i["id"] for i in api(f"{LIST}?updated_since={since}", key).json()["results"]]
    assert ids == [renamed.pk, new.pk] and old.pk not in ids
    # A key that does not see the renamed brand does not get its items again.
    limited = make_key([SCOPE], brands=[brand])
    assert [i["id"] for i in api(f"{LIST}?updated_since={since}", limited).json()["results"]] == [new.pk]


def test_cursor_walk_never_skips_or_repeats_while_items_are_published(api, make_key, feed, brand):
    campaign = feed.campaign([brand])
    for _ in range(5):
        feed.published(campaign, [brand])
    key = make_key([SCOPE])
    seen, url = [], LIST + "?page_size=2"
    while url:
        body = api(url, key).json()
        assert len(body["results"]) <= 2
        seen += [i["id"] for i in body["results"]]
        url = body["next"]
        if url:
            assert "page_size=2" in url and "cursor=" in url
            feed.published(campaign, [brand])  # published between two pages
    from campaigns.models import ContentItem

    assert seen == list(ContentItem.objects.filter(status=S.PUBLISHED).order_by("pk").values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 8


def test_etag_304_for_list_and_detail_and_a_newly_published_item_changes_the_list(
    api, make_key, feed, brand, django_capture_on_commit_callbacks
):
    campaign = feed.campaign([brand])
    item = feed.published(campaign, [brand])
    key = make_key([SCOPE])
    etags = {}
    for url in (LIST, detail(item)):
        first = api(url, key)
        etags[url] = first["ETag"]
        assert first["ETag"].startswith('"') and first["Last-Modified"]
        again = api(url, key, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
        assert api(url, key, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        feed.published(campaign, [brand])
    assert api(LIST, key, HTTP_IF_NONE_MATCH=etags[LIST]).status_code == 200
    assert api(detail(item), key, HTTP_IF_NONE_MATCH=etags[detail(item)]).status_code == 304


def test_a_304_reads_no_item_body(api, make_key, feed, brand):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = feed.published(feed.campaign([brand]), [brand])
    key = make_key([SCOPE])
    for url in (LIST, detail(item)):
        etag = api(url, key)["ETag"]
        with CaptureQueriesContext(connection) as ctx:
            assert api(url, key, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert not any("body_zh_hans" in q["sql"] or "creative" in q["sql"] for q in ctx.captured_queries)


def test_the_etag_differs_for_keys_limited_to_other_brands(api, make_key, shared, brand):
    url = detail(shared["both"])
    everyone = api(url, make_key([SCOPE]))
    limited = api(url, make_key([SCOPE], brands=[brand]))
    assert everyone["ETag"] != limited["ETag"] and everyone.content != limited.content


@pytest.mark.parametrize(
    ("params", "expected"), [("?lang=zh-hans", "七夕礼盒"), ("?lang=zh-hant", "七夕禮盒"), ("?lang=it", "Olio")]
)
def test_one_language_on_request(api, make_key, feed, brand, params, expected):
    item = feed.published(feed.campaign([brand]), [brand], title_it="Olio")
    body = api(detail(item) + params, make_key([SCOPE])).json()
    assert body["title"] == expected and isinstance(body["brands"][0]["name"], str)


def test_bad_parameters_are_400_with_field_details(api, make_key):
    key = make_key([SCOPE])
    cases = [
        ("?campaign=1.5", "campaign"),
        ("?campaign=0", "campaign"),
        ("?channel=fax", "channel"),
        ("?updated_since=yesterday", "updated_since"),
        ("?brand=", "brand"),
        ("?cursor=abc", "cursor"),
        ("?status=draft", "status"),
    ]
    for params, field in cases:
        response = api(LIST + params, key)
        assert_error(response, 400, "invalid")
        assert field in response.json()["error"]["details"], params


def test_a_published_item_is_in_the_next_feed_request_even_from_memory(
    api, make_key, feed, brand, settings, django_capture_on_commit_callbacks
):
    """With Redis, a repeated request is answered from memory; publishing an item drops that copy as it commits."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brandhub.api.hotcache import hot
    from tests.api.servers import wait_for

    if not settings.REDIS_URL:
        pytest.skip("the fast path needs Redis (REDIS_URL); CI runs this in its PostgreSQL + Redis pass")
    hot.ensure_listening()
    assert wait_for(hot.healthy)
    campaign = feed.campaign([brand])
    first = feed.published(campaign, [brand])
    waiting = feed.item(campaign, [brand], status=S.SCHEDULED)
    key = make_key([SCOPE])
    urls = (LIST, f"/api/v1/campaigns/{campaign.pk}/")
    for url in urls:
        api(url, key)
        with CaptureQueriesContext(connection) as ctx:
            assert api(url, key).status_code == 200
        assert ctx.captured_queries == []  # from memory
    with django_capture_on_commit_callbacks(execute=True):
        feed.publish(waiting)
    assert [i["id"] for i in api(LIST, key).json()["results"]] == [first.pk, waiting.pk]
    assert [i["id"] for i in api(urls[1], key).json()["items"]] == [first.pk, waiting.pk]


def test_publishing_an_item_or_changing_its_campaign_or_festival_drops_the_held_answers(
    feed, brand, manager, monkeypatch, django_capture_on_commit_callbacks
):
    """Every process drops its copies of API answers once the change commits (``gen`` on the channel)."""
    from brandhub.api import hotcache
    from campaigns.services import campaign_save, festival_save

    sent = []
    monkeypatch.setattr(hotcache, "publish", lambda kind, value="", must_arrive=False: sent.append(kind))
    campaign = feed.campaign([brand])
    item = feed.item(campaign, [brand], status=S.SCHEDULED)
    with django_capture_on_commit_callbacks(execute=True):
        feed.item(campaign, [brand], status=S.APPROVED)
    assert sent == []  # nothing the feed shows changed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        feed.publish(item)
        assert sent == []  # not before the commit
    assert callbacks and sent == ["gen"]
    with django_capture_on_commit_callbacks(execute=True):
        campaign_save(user=manager, campaign=campaign, title="Qixi, second wave")
    with django_capture_on_commit_callbacks(execute=True):
        festival_save(user=manager, festival=campaign.festival)
    assert sent == ["gen", "gen", "gen"]
