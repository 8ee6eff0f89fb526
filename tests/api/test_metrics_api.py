"""``POST /api/v1/metrics/``: a partner pushes result facts — the frame checks (the API test mixin), writing and
re-sending batches, row errors with their indexes, brand limits, batch and body sizes, and schema fuzzing."""

import datetime
import os
from decimal import Decimal

import orjson
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from brandhub.models import ApiKey
from campaigns.choices import ContentStatus as S
from campaigns.publishing.models import Publication
from campaigns.results.api import MAX_FACTS, china_today
from campaigns.results.models import BrandDay, MetricFact, MetricRollup, MetricSource
from tests.api.feed_data import Feed
from tests.api.mixins import ApiEndpointChecks, BrandRestrictedChecks, assert_error
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/metrics/"
SCOPE = "metrics:write"


def day(n=0) -> str:
    """A past China day: ``n`` days before a month ago (tests never meet "in the future")."""
    return (china_today() - datetime.timedelta(days=30 + n)).isoformat()


def push(client, key, body, **headers):
    data = body if isinstance(body, bytes) else orjson.dumps(body)
    headers.setdefault("content_type", "application/json")
    return client.post(URL, data=data, HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def facts_body(facts):
    return {"facts": list(facts)}


def issues_of(response) -> list[tuple]:
    assert_error(response, 400)
    return [(i["index"], i["field"], i["code"]) for i in response.json()["error"]["details"]["facts"]]


def rollup_state():
    """Everything the rollups hold, for "nothing moved" comparisons."""
    return (
        sorted(MetricRollup.objects.values_list("day", "brand_id", "campaign_key", "channel", "facts", "impressions")),
        sorted(BrandDay.objects.values_list("day", "brand_id", "facts", "impressions", "clicks", "gmv_cny")),
    )


@pytest.fixture
def feed(editor, manager):
    return Feed(editor, manager)


@pytest.fixture
def banner(feed, brand, other_brand):
    """A draft banner of ``brand`` with one creative, in a campaign ``brand`` shares with ``other_brand``."""
    campaign = feed.campaign([brand, other_brand])
    return feed.item(campaign, [brand], status=S.DRAFT)


# --- the frame (API test mixin) -------------------------------------------------------------------------------


class TestMetricPush(ApiEndpointChecks, BrandRestrictedChecks):
    """Rows are facts, alternating between two brands; each about a content item of its own in one campaign, the
    first and every fifth with the item's creative, so the 1-vs-50 query count also proves that a batch's lookups
    do not grow with its ids."""

    scope = SCOPE
    writes = ("post",)

    @pytest.fixture(autouse=True)
    def _rows(self, client, feed, brand, other_brand):
        self.client, self.feed, self.brands = client, feed, [brand, other_brand]
        self.campaign = feed.campaign(self.brands)
        self.made = 0

    def url(self, rows):
        return URL

    def make_rows(self, n):
        rows = []
        for i in range(n):
            brand = self.brands[self.made % 2]
            with_creative = i % 5 == 0
            item = self.feed.item(self.campaign, [brand], status=S.DRAFT, creative=with_creative)
            fact = {"date": day(), "channel": item.channel, "brand": brand.slug, "campaign": self.campaign.pk,
                    "content_item": item.pk}  # fmt: skip
            if with_creative:
                fact["creative"] = item.creatives.get().pk
            rows.append({**fact, "impressions": 1000 + self.made, "clicks": 10})
            self.made += 1
        return rows

    def brand_of(self, row):
        return next(b for b in self.brands if b.slug == row["brand"])

    def check_restriction(self, api, key, rows):
        assert issues_of(push(self.client, key, facts_body(rows))) == [(1, "brand", "brand_not_allowed")]
        assert not MetricFact.objects.exists() and not BrandDay.objects.exists()
        assert push(self.client, key, facts_body(rows[:1])).json() == {"created": 1, "updated": 0, "unchanged": 0}
        assert set(MetricFact.objects.values_list("brand__slug", flat=True)) == {rows[0]["brand"]}

    # The mixin's checks that need the endpoint's successful request, made with this endpoint's POST of the rows.

    def test_key_revoked_after_use_stops_at_once(self, api, make_key, django_capture_on_commit_callbacks):
        from brandhub.services import apikey_revoke

        key = make_key([self.scope])
        body = facts_body(self.make_rows(1))
        assert push(self.client, key, body).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            apikey_revoke(actor=None, api_key=ApiKey.objects.get(key_hash=ApiKey.hash(key)))
        assert_error(push(self.client, key, body), 401)

    def test_query_count_is_the_same_for_1_and_50_rows(self, api, make_key):
        from brandhub.api.hotcache import hot

        key = make_key([self.scope])
        push(self.client, key, facts_body(self.make_rows(1)))  # first use: the source and the key's last use
        one, fifty = self.make_rows(1), self.make_rows(50)

        def count(rows):
            hot.reset()
            with CaptureQueriesContext(connection) as ctx:
                response = push(self.client, key, facts_body(rows))
            assert response.status_code == 200, response.content
            assert response.json()["created"] == len(rows)
            return len(ctx.captured_queries)

        assert count(one) == count(fifty)

    def test_a_get_is_not_the_endpoint(self, api, make_key):
        assert_error(api(URL, make_key([self.scope])), 405)


# --- writing ----------------------------------------------------------------------------------------------------


def test_a_batch_is_written_under_the_partner_source_and_reaches_the_rollups(client, make_key, brand, banner):
    key = make_key([SCOPE])
    creative = banner.creatives.get()
    facts = [
        {"date": day(), "channel": "livestream", "brand": brand.slug, "source_key": "live-1", "viewers": "1.2万",
         "items_sold": 35, "gmv_cny": "¥10,465.50"},
        {"date": day(), "channel": "banner", "brand": brand.slug, "content_item": banner.pk,
         "creative": creative.pk, "impressions": 182000, "clicks": "3,100"},
        {"date": day(), "channel": "red_post", "brand": brand.slug, "followers_total": 52000, "followers_gained": -12},
    ]  # fmt: skip

    response = push(client, key, facts_body(facts))

    assert response.status_code == 200, response.content
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0}
    source = MetricSource.objects.get()
    assert (source.kind, source.name) == (MetricSource.Kind.API, "Partner")
    live = MetricFact.objects.get(source_key="live-1")
    assert (live.viewers, live.items_sold, live.gmv_cny, live.impressions) == (12000, 35, Decimal("10465.50"), None)
    shown = MetricFact.objects.get(creative=creative)
    assert (shown.item_id, shown.campaign_id, shown.impressions, shown.clicks) == (
        banner.pk,
        banner.campaign_id,
        182000,
        3100,
    )
    brand_day = BrandDay.objects.get(brand=brand, day=day())
    assert (brand_day.facts, brand_day.impressions, brand_day.clicks, brand_day.viewers) == (3, 182000, 3100, 12000)
    assert (brand_day.followers_total, brand_day.followers_gained, brand_day.gmv_cny) == (
        52000,
        -12,
        Decimal("10465.50"),
    )
    campaign_row = MetricRollup.objects.get(campaign=banner.campaign)
    assert (campaign_row.channel, campaign_row.impressions) == ("banner", 182000)


def test_resending_a_batch_changes_nothing_and_says_so(client, make_key, brand, other_brand):
    key = make_key([SCOPE])
    facts = [
        {"date": day(n), "channel": "banner", "brand": b.slug, "impressions": 100 * n + i, "clicks": n}
        for n in range(1, 4)
        for i, b in enumerate((brand, other_brand))
    ]
    assert push(client, key, facts_body(facts)).json() == {"created": 6, "updated": 0, "unchanged": 0}
    before = rollup_state()

    again = push(client, key, facts_body(facts))

    assert again.json() == {"created": 0, "updated": 0, "unchanged": 6}
    assert MetricFact.objects.count() == 6
    assert rollup_state() == before


def test_a_corrected_fact_moves_the_sums_by_the_correction(client, make_key, brand):
    key = make_key([SCOPE])
    fact = {"date": day(), "channel": "banner", "brand": brand.slug, "source_key": "r-7", "impressions": 1000}
    other = {"date": day(), "channel": "livestream", "brand": brand.slug, "source_key": "r-8", "impressions": 50}
    push(client, key, facts_body([fact, other]))

    response = push(client, key, facts_body([{**fact, "impressions": 1500}, other]))

    assert response.json() == {"created": 0, "updated": 1, "unchanged": 1}
    assert BrandDay.objects.get().impressions == 1550
    assert MetricFact.objects.get(source_key="r-7").impressions == 1500


def test_each_partner_keeps_its_own_keys(client, make_key, brand):
    from brandhub.services import apikey_create

    fact = {"date": day(), "channel": "banner", "brand": brand.slug, "source_key": "row-1", "impressions": 10}
    _api_key, douyin = apikey_create(actor=None, name="Douyin", scopes=[SCOPE])

    assert push(client, make_key([SCOPE]), facts_body([fact])).json()["created"] == 1
    assert push(client, douyin, facts_body([fact])).json()["created"] == 1
    assert sorted(MetricSource.objects.values_list("name", flat=True)) == ["Douyin", "Partner"]
    assert BrandDay.objects.get().impressions == 20


def test_a_content_item_may_be_named_by_the_platform_id_of_its_publication(client, make_key, brand, feed):
    item = feed.published(feed.campaign([brand]), [brand])
    Publication.objects.filter(item=item).update(external_id="TM-88231")
    fact = {"date": day(), "channel": item.channel, "brand": brand.slug, "content_item": "TM-88231", "clicks": 4}

    assert push(client, make_key([SCOPE]), facts_body([fact])).status_code == 200
    assert MetricFact.objects.get().item_id == item.pk


def test_ten_thousand_facts_are_one_request_even_above_djangos_body_limit(client, make_key, brand, settings):
    """10,000 facts with every figure and 200-character keys, pretty-printed: more than Django's 5 MB."""
    key = make_key([SCOPE])
    figures = {"followers_total": 123456, "followers_gained": 12, "impressions": 1_234_567, "interactions": 4567,
               "viewers": 8901, "clicks": 2345, "items_sold": 12, "gmv_cny": "12,345.67"}  # fmt: skip
    facts = [
        {"date": day(i % 300), "channel": "banner", "brand": brand.slug, "source_key": f"{i:06d}".ljust(200, "k"),
         **figures}
        for i in range(MAX_FACTS)
    ]  # fmt: skip
    body = orjson.dumps(facts_body(facts), option=orjson.OPT_INDENT_2)
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(body) <= settings.METRICS_PUSH_MAX_BYTES

    response = push(client, key, body)

    assert response.status_code == 200, response.content[:500]
    assert response.json() == {"created": MAX_FACTS, "updated": 0, "unchanged": 0}
    assert BrandDay.objects.aggregate(n=Sum("facts"), i=Sum("impressions")) == {"n": MAX_FACTS, "i": 12_345_670_000}


def test_ten_thousand_and_one_facts_are_refused_whole(client, make_key, brand):
    facts = [
        {"date": day(), "channel": "banner", "brand": brand.slug, "source_key": str(i), "clicks": 1}
        for i in range(MAX_FACTS + 1)
    ]
    response = push(client, make_key([SCOPE]), facts_body(facts))

    assert issues_of(response) == [(None, "facts", "count")]
    assert "10,000" in response.json()["error"]["details"]["facts"][0]["message"]
    assert not MetricFact.objects.exists()


# --- refusals -----------------------------------------------------------------------------------------------------


def test_every_bad_fact_is_reported_with_its_index_and_nothing_is_written(client, make_key, brand, other_brand, banner):
    key = make_key([SCOPE])
    good = {"date": day(), "channel": "banner", "brand": brand.slug, "impressions": 5}
    tomorrow = (china_today() + datetime.timedelta(days=1)).isoformat()
    facts = [
        good,
        {**good, "brand": "no-such-brand"},
        {**good, "date": "11/31/2026"},
        {**good, "date": tomorrow},
        {**good, "channel": "tv"},
        {**good, "impresions": 7},  # a typo is refused, not dropped
        {**good, "clicks": "many", "viewers": -3},
        {**good, "content_item": banner.pk, "brand": other_brand.slug},
        {"date": day(), "channel": "banner", "brand": brand.slug},
        "not a fact",
        {**good, "source_key": " padded"},
        {**good, "impressions": 10**13},
        good,  # the same fact again: sent twice in one batch
        {**good, "impressions": True},
    ]

    response = push(client, key, facts_body(facts))

    assert issues_of(response) == [
        (1, "brand", "unknown_brand"),
        (2, "date", "bad_date"),
        (3, "date", "future_date"),
        (4, "channel", "unknown_channel"),
        (5, "impresions", "unknown_field"),
        (6, "viewers", "negative"),
        (6, "clicks", "bad_number"),
        (7, "content_item", "item_not_of_brand"),
        (8, None, "no_figures"),
        (9, None, "fact_not_an_object"),
        (10, "source_key", "bad_key"),
        (11, "impressions", "too_large"),
        (12, "source_key", "duplicate_key"),
        (13, "impressions", "bad_number"),
    ]
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"].startswith("13 of 14 facts are not valid")
    messages = {i["index"]: i["message"] for i in error["details"]["facts"]}
    assert messages[1] == "No brand “no-such-brand” in the registry."
    assert messages[5] == "Unknown field “impresions”."
    assert messages[12].startswith("Fact 0 has the same key")
    assert not MetricFact.objects.exists() and not BrandDay.objects.exists() and not MetricRollup.objects.exists()


@pytest.mark.parametrize(
    ("language", "text"),
    [("it-IT,it;q=0.9", "Campo sconosciuto"), ("zh-CN,zh;q=0.9", "未知字段"), ("", "Unknown field")],
)
def test_row_messages_are_in_the_requests_language(client, make_key, brand, language, text):
    fact = {"date": day(), "channel": "banner", "brand": brand.slug, "clicks": 1, "impresions": 2}
    response = push(client, make_key([SCOPE]), facts_body([fact]), HTTP_ACCEPT_LANGUAGE=language)

    (issue,) = response.json()["error"]["details"]["facts"]
    assert issue["code"] == "unknown_field" and text in issue["message"]


def test_a_restricted_key_writes_nothing_of_another_brand(client, make_key, brand, other_brand):
    key = make_key([SCOPE], brands=[brand])
    facts = [
        {"date": day(), "channel": "banner", "brand": brand.slug, "impressions": 10},
        {"date": day(), "channel": "banner", "brand": other_brand.slug, "impressions": 99},
    ]

    response = push(client, key, facts_body(facts))

    assert issues_of(response) == [(1, "brand", "brand_not_allowed")]
    assert not MetricFact.objects.exists() and not BrandDay.objects.exists()


def test_a_restricted_key_cannot_take_over_another_brands_fact_by_its_key(client, make_key, brand, other_brand):
    """Two keys of one partner share the partner's facts: the one limited to ``brand`` must not move a fact of
    ``other_brand`` (written by the other key) to ``brand`` by sending its key."""
    everything = make_key([SCOPE])
    fact = {"date": day(), "channel": "banner", "brand": other_brand.slug, "source_key": "row-9", "impressions": 99}
    push(client, everything, facts_body([fact]))
    limited = make_key([SCOPE], brands=[brand])

    response = push(client, limited, facts_body([{**fact, "brand": brand.slug, "impressions": 1}]))

    assert issues_of(response) == [(0, "source_key", "key_of_other_brand")]
    assert other_brand.slug not in response.content.decode()
    kept = MetricFact.objects.get()
    assert (kept.brand_id, kept.impressions) == (other_brand.pk, 99)
    assert list(BrandDay.objects.values_list("brand_id", "impressions")) == [(other_brand.pk, 99)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([], [(None, None, "not_an_object")]),
        ({}, [(None, "facts", "required")]),
        ({"facts": {}}, [(None, "facts", "required")]),
        ({"facts": []}, [(None, "facts", "count")]),
        ({"facts": [{"x": 1}], "dry_run": True}, [(None, "dry_run", "unknown_field")]),
    ],
)
def test_a_body_that_is_not_a_batch_is_a_400(client, make_key, body, expected):
    assert issues_of(push(client, make_key([SCOPE]), body)) == expected


def test_a_body_that_is_not_json_is_a_400_in_the_error_shape(client, make_key):
    response = push(client, make_key([SCOPE]), b'{"facts": [')
    assert_error(response, 400, "parse_error")
    assert "not valid JSON" in response.json()["error"]["message"]


def test_a_body_that_is_not_json_by_its_type_is_a_415(client, make_key):
    response = push(client, make_key([SCOPE]), b"facts=1", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")


def test_a_body_over_the_endpoints_limit_is_a_413_and_is_not_read(client, make_key, brand, settings):
    settings.METRICS_PUSH_MAX_BYTES = 1000
    facts = [
        {"date": day(), "channel": "banner", "brand": brand.slug, "source_key": str(i), "clicks": 1} for i in range(30)
    ]
    response = push(client, make_key([SCOPE]), facts_body(facts))

    assert_error(response, 413, "request_too_large")
    assert "at most 1000" in response.json()["error"]["message"]
    assert not MetricFact.objects.exists()


def test_the_endpoint_is_in_the_schema_with_its_example_and_errors(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/metrics/"]["post"]

    assert operation["security"] and {"200", "400", "401", "403", "413", "415", "429"} <= set(operation["responses"])
    assert operation["requestBody"]["content"]["application/json"]["examples"]
    fact = schema["components"]["schemas"]["MetricFactInputRequest"]
    assert fact["additionalProperties"] is False and set(fact["required"]) == {"date", "channel", "brand"}
    facts = schema["components"]["schemas"]["MetricPushRequest"]["properties"]["facts"]
    assert (facts["minItems"], facts["maxItems"]) == (1, MAX_FACTS)


# --- fuzzing: the push against its own schema -----------------------------------------------------------------

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).include(path=URL)
FUZZ_KEY = "hita_pushpush_" + "p" * 43


@schema.auth()
class PushKey:
    def get(self, case, context):
        return FUZZ_KEY

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def fuzz_world(db, settings, editor, manager):
    """A key limited to one brand, with a banner (and its creative) of that brand for the facts to name."""
    settings.API_RATE_LIMIT = 1_000_000
    brand = BrandFactory(slug="cantina-sole")
    BrandFactory(slug="maglificio-arno")
    feed = Feed(editor, manager)
    item = feed.item(feed.campaign([brand]), [brand], status=S.DRAFT)
    api_key = ApiKey.objects.create(name="Fuzzer", prefix="pushpush", key_hash=ApiKey.hash(FUZZ_KEY), scopes=[SCOPE])
    api_key.brands.set([brand])
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"brand": brand, "item": item, "creative": item.creatives.get()}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _made_valid(body: dict, world) -> None:
    """A generated valid batch made one the registry accepts too: what no schema can say (the brand exists and the
    key may write it, the day is not in the future, the ids exist and agree, a fact has a figure, a key once)."""
    today = china_today()
    seen, kept = set(), []
    for fact in body["facts"]:
        fact["brand"] = world["brand"].slug
        if datetime.date.fromisoformat(fact["date"]) > today:
            fact["date"] = today.isoformat()
        if fact.get("creative") is not None:
            fact["creative"] = world["creative"].pk
            fact["content_item"] = world["item"].pk
        if fact.get("content_item") is not None:
            fact["content_item"] = world["item"].pk
            fact["campaign"] = world["item"].campaign_id if fact.get("campaign") is not None else None
        elif fact.get("campaign") is not None:
            fact["campaign"] = world["item"].campaign_id
        if not any(fact.get(name) is not None for name in ("followers_total", "followers_gained", "impressions",
                   "interactions", "viewers", "clicks", "items_sold", "gmv_cny")):  # fmt: skip
            fact["impressions"] = 1
        key = fact.get("source_key") or (fact["date"], fact["channel"], fact.get("content_item"), fact.get("creative"))
        if key not in seen:
            seen.add(key)
            kept.append(fact)
    body["facts"] = kept


@schema.parametrize()
@hypothesis_settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=os.environ.get("CI") == "true",
)
def test_push_answers_match_the_schema(case, fuzz_world):
    """Valid batches (made acceptable to the registry) are written (200); invalid ones are refused (4xx) in the
    error shape; nothing is a server error."""
    if case.meta is not None and case.meta.generation.mode.is_positive and isinstance(case.body, dict):
        _made_valid(case.body, fuzz_world)
    case.call_and_validate()
