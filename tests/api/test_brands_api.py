"""``/api/v1/brands/``: the frame checks, sync by ``updated_since``, cursors, languages, conditional GETs."""

import datetime
import time

import pytest
from django.utils import timezone
from django.utils.http import http_date

from brands.services import brand_update
from tests.api.mixins import ApiEndpointChecks, BrandRestrictedChecks, assert_error
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/brands/"


def detail(slug):
    return f"/api/v1/brands/{slug}/"


class TestBrandList(ApiEndpointChecks, BrandRestrictedChecks):
    scope = "brands:read"

    def url(self, rows):
        return LIST + "?page_size=100"

    def make_rows(self, n):
        return [BrandFactory(stores=[{"platform": "jd"}], products=[{"code": "A", "name_it": "x"}]) for _ in range(n)]

    def brand_of(self, row):
        return row

    def check_restriction(self, api, key, rows):
        slugs = [b["slug"] for b in api(LIST, key).json()["results"]]
        assert slugs == [rows[0].slug]


class TestBrandDetail(ApiEndpointChecks, BrandRestrictedChecks):
    scope = "brands:read"

    def url(self, rows):
        return detail(rows[0].slug)

    def make_rows(self, n):
        return TestBrandList.make_rows(self, n)

    def brand_of(self, row):
        return row

    def check_restriction(self, api, key, rows):
        assert api(detail(rows[0].slug), key).status_code == 200
        assert_error(api(detail(rows[1].slug), key), 404, "not_found")


def test_unknown_brand_is_a_json_404(api, make_key):
    assert_error(api(detail("nope"), make_key()), 404)


def test_brand_document_has_the_three_languages_stores_and_products(api, make_key):
    BrandFactory(
        slug="cantina-sole",
        name_it="Cantina del Sole",
        name_en="Sun Winery",
        name_zh_hans="阳光酒庄",
        stores=[{"platform": "tmall_global", "url": "https://sole.tmall.hk"}],
        products=[{"code": "W1", "name_it": "Nero d'Avola", "price_cny": "168"}],
        certifications=[{"kind": "doc", "label": "Sicilia DOC"}],
    )
    body = api(detail("cantina-sole"), make_key()).json()
    assert body["name"] == {"it": "Cantina del Sole", "en": "Sun Winery", "zh-hans": "阳光酒庄"}
    assert body["stores"][0]["platform"] == "tmall_global"
    assert body["products"][0] == {
        "code": "W1",
        "name": {"it": "Nero d'Avola", "en": "", "zh-hans": ""},
        "price_cny": "168.00",
        "category": "",
        "image": None,
    }
    assert body["certifications"] == [{"kind": "doc", "label": "Sicilia DOC"}]


@pytest.mark.parametrize(
    ("params", "headers", "expected"),
    [
        ("?lang=zh-hans", {}, "阳光酒庄"),
        ("?lang=zh-hant", {}, "陽光酒莊"),
        ("", {"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.8"}, "陽光酒莊"),
        ("", {"HTTP_ACCEPT_LANGUAGE": "it-IT,it;q=0.9"}, "Cantina del Sole"),
        ("?lang=en", {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}, "Cantina del Sole"),
    ],
)
def test_one_language_on_request(api, make_key, params, headers, expected):
    BrandFactory(slug="cantina-sole", name_it="Cantina del Sole", name_en="", name_zh_hans="阳光酒庄")
    assert api(detail("cantina-sole") + params, make_key(), **headers).json()["name"] == expected


def test_bad_parameters_are_400_with_field_details(api, make_key):
    key = make_key()
    cases = [
        ("?lang=fr", "lang"),
        ("?page_size=0", "page_size"),
        ("?cursor=abc", "cursor"),
        ("?category=spaceships", "category"),
        ("?updated_since=yesterday", "updated_since"),
        ("?updated_since=", "updated_since"),
        ("?updatedsince=2026-01-01", "updatedsince"),
    ]
    for params, field in cases:
        response = api(LIST + params, key)
        assert_error(response, 400, "invalid")
        assert field in response.json()["error"]["details"], params


def test_updated_since_returns_exactly_the_brands_changed_including_stores_and_products(api, make_key):
    untouched, renamed, new_store, new_product = (BrandFactory() for _ in range(4))
    time.sleep(0.01)
    since = timezone.now()
    time.sleep(0.01)
    brand_update(brand=renamed, user=None, fields={"city": "Siena"})
    brand_update(brand=new_store, user=None, stores=[{"platform": "hema"}])
    brand_update(brand=new_product, user=None, products=[{"code": "P", "name_it": "Panettone"}])
    created = BrandFactory()
    response = api(LIST + "?" + f"updated_since={since.isoformat().replace('+00:00', 'Z')}", make_key())
    assert {b["slug"] for b in response.json()["results"]} == {
        renamed.slug,
        new_store.slug,
        new_product.slug,
        created.slug,
    }
    assert untouched.slug not in {b["slug"] for b in response.json()["results"]}


def test_cursor_pagination_never_skips_or_repeats_while_rows_are_added(api, make_key):
    key = make_key()
    for _ in range(7):
        BrandFactory()
    seen, url = [], LIST + "?page_size=3"
    while url:
        body = api(url, key).json()
        seen += [b["slug"] for b in body["results"]]
        url = body["next"]
        if url:
            BrandFactory()  # a brand added between pages
    from brands.models import Brand

    assert len(seen) == len(set(seen))
    assert seen == list(Brand.objects.order_by("pk").values_list("slug", flat=True))


def test_etag_304_for_detail_and_list(api, make_key, django_capture_on_commit_callbacks):
    brand = BrandFactory()
    key = make_key()
    for url in (detail(brand.slug), LIST):
        first = api(url, key)
        etag = first["ETag"]
        assert etag.startswith('"')
        again = api(url, key, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    with django_capture_on_commit_callbacks(execute=True):  # the change commits, as it would in the app
        brand_update(brand=brand, user=None, fields={"city": "Lucca"})
    for url in (detail(brand.slug), LIST):
        assert api(url, key, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_etag_depends_on_the_language(api, make_key):
    brand = BrandFactory()
    key = make_key()
    etag = api(detail(brand.slug) + "?lang=it", key)["ETag"]
    assert api(detail(brand.slug) + "?lang=en", key, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_last_modified_304(api, make_key):
    brand = BrandFactory()
    key = make_key()
    response = api(detail(brand.slug), key)
    later = http_date(time.time() + 60)
    earlier = http_date(time.time() - 3600)
    assert response["Last-Modified"]
    assert api(detail(brand.slug), key, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    assert api(detail(brand.slug), key, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    assert api(LIST, key, HTTP_IF_MODIFIED_SINCE=later).status_code == 304


def test_304_is_answered_without_reading_any_body(api, make_key, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    brand = BrandFactory()
    key = make_key()
    etag = api(detail(brand.slug), key)["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        assert api(detail(brand.slug), key, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert not any("body_" in q["sql"] for q in ctx.captured_queries)


def test_throttling_answers_429_with_retry_after(api, make_key, settings):
    settings.API_RATE_LIMIT = 3
    BrandFactory()
    key = make_key()
    codes = [api(LIST, key).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = api(LIST, key)
    assert_error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= settings.API_RATE_PERIOD


def test_last_use_is_recorded_without_a_write_per_request(api, make_key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brandhub.models import ApiKey

    BrandFactory()
    key = make_key()
    api(LIST, key)
    assert ApiKey.objects.get(key_hash=ApiKey.hash(key)).last_used_at is not None
    with CaptureQueriesContext(connection) as ctx:
        api(LIST, key)
    assert not any(q["sql"].startswith("UPDATE") for q in ctx.captured_queries)


def test_archived_brands_are_listed_as_archived_for_sync(api, make_key):
    from brands.services import brand_archive

    brand = BrandFactory()
    brand_archive(brand=brand, user=None)
    key = make_key()
    assert api(detail(brand.slug), key).json()["archived"] is True
    assert api(LIST + "?archived=false", key).json()["results"] == []


def test_expiry_in_the_future_still_works(api, make_key):
    BrandFactory()
    key = make_key(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert api(LIST, key).status_code == 200


def test_a_repeated_request_is_served_by_the_fast_path_and_a_change_is_seen_at_once(
    api, make_key, settings, django_capture_on_commit_callbacks
):
    """With Redis, the second identical request runs no SQL at all; after a change, the new data is served."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brandhub.api.hotcache import hot
    from tests.api.servers import wait_for

    if not settings.REDIS_URL:
        pytest.skip("the fast path needs Redis (REDIS_URL); CI runs this in its PostgreSQL + Redis pass")
    hot.ensure_listening()
    assert wait_for(hot.healthy)
    brand = BrandFactory()
    key = make_key()
    first = api(detail(brand.slug), key)
    with CaptureQueriesContext(connection) as ctx:
        second = api(detail(brand.slug), key)
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert ctx.captured_queries == []
    with django_capture_on_commit_callbacks(execute=True):
        brand_update(brand=brand, user=None, fields={"city": "Lucca"})
    assert api(detail(brand.slug), key).json()["city"] == "Lucca"


@pytest.mark.parametrize("since", ["6988-07-27T13:21:52-18:27", "0001-01-01T00:00:00+05:00", "2026-01-01T00:00:00Z"])
def test_updated_since_with_unusual_offsets_is_not_a_server_error(api, make_key, since):
    """Regression: PostgreSQL refused a -18:27 offset that Python accepts (found by the API fuzzer)."""
    from urllib.parse import quote

    BrandFactory()
    assert api(LIST + "?updated_since=" + quote(since), make_key()).status_code == 200


def test_with_redis_unreachable_the_api_still_answers_from_the_database(api, make_key, settings):
    """Redis down must not turn partner requests into 500s: keys are checked in the database instead."""
    brand = BrandFactory()
    key = make_key()
    revoked = make_key(revoked=True)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert api(detail(brand.slug), key).json()["slug"] == brand.slug
    assert api(LIST, key).status_code == 200
    assert_error(api(detail(brand.slug), revoked), 401)


def test_list_last_modified_moves_when_a_brand_leaves_the_page(api, make_key, django_capture_on_commit_callbacks):
    """Regression: Last-Modified was the newest brand on the page, so a brand archived off it kept a 304."""
    from brands.services import brand_archive

    BrandFactory()
    leaving = BrandFactory()
    key = make_key()
    url = LIST + "?archived=false"
    first = api(url, key)
    time.sleep(1.1)  # Last-Modified has a one-second resolution
    with django_capture_on_commit_callbacks(execute=True):
        brand_archive(brand=leaving, user=None)
    assert api(url, key, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
