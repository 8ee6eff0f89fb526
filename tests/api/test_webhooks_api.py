"""``/api/v1/webhooks/``: the frame checks (the API test mixin), and a partner managing its own endpoints."""

import json

import pytest

from brandhub.api.auth import client_for_hash
from brandhub.api.webhooks import services
from brandhub.models import ApiKey, OutboxEvent, WebhookDelivery, WebhookEndpoint
from brandhub.services import apikey_create
from tests.api.mixins import ApiEndpointChecks, assert_error
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db
SCOPE = "webhooks:manage"
LIST = "/api/v1/webhooks/"
URL = "http://127.0.0.1:9/hooks"


@pytest.fixture
def make_key(make_key):
    """The API conftest's, with scopes defaulting to ``webhooks:manage``; the rows a test made before its key
    become the key's own (an endpoint lists only what its key registered)."""

    def make(scopes=(SCOPE,), **kwargs):
        key = make_key(scopes, **kwargs)
        api_key = ApiKey.objects.get(key_hash=ApiKey.hash(key))
        WebhookEndpoint.objects.filter(api_key__name="rows").update(api_key=api_key)
        return key

    return make


def owner():
    """The last key made (rows made before any key wait on a stand-in key named "rows")."""
    api_key = ApiKey.objects.exclude(name="rows").order_by("-pk").first()
    if api_key is None:
        api_key, _key = apikey_create(actor=None, name="rows", scopes=[SCOPE])
    return client_for_hash(api_key.key_hash)


def endpoints(n, **fields):
    client = owner()
    return [
        services.webhook_endpoint_create(
            api_key=client, name=f"Partner {i}", url=URL, events=["brand.updated"], **fields
        )
        for i in range(n)
    ]


def call(client, method, url, key, body=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


class TestWebhookList(ApiEndpointChecks):
    scope = SCOPE
    writes = ("post",)

    def url(self, rows):
        return LIST + "?page_size=100"

    def make_rows(self, n):
        return endpoints(n)


class TestWebhookDetail(ApiEndpointChecks):
    scope = SCOPE
    writes = ("patch", "delete")

    def url(self, rows):
        return f"{LIST}{rows[0].pk}/"

    def make_rows(self, n):
        return endpoints(n)


class TestWebhookDeliveryList(ApiEndpointChecks):
    scope = SCOPE

    def url(self, rows):
        return f"{LIST}{rows[0].endpoint_id}/deliveries/?page_size=100"

    def make_rows(self, n):
        endpoint = WebhookEndpoint.objects.filter(name="Partner 0").first() or endpoints(1)[0]
        rows = []
        for brand in [BrandFactory() for _ in range(n)]:
            event = OutboxEvent.objects.filter(type="brand.updated", brand_ids=[brand.pk]).get()
            rows.append(WebhookDelivery.objects.create(endpoint=endpoint, event=event, body="{}", state="dead"))
        return rows


# --- a partner at work ------------------------------------------------------------------------------------------


def test_a_partner_registers_an_endpoint_and_gets_its_secret_once(client, make_key, brand):
    key = make_key()
    response = call(client, "post", LIST, key, {"name": "Tmall", "url": URL, "events": ["content.published"]})

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_") and created["events"] == ["content.published"]
    assert created["brands"] == [] and created["active"] is True
    listed = call(client, "get", LIST, key).json()["results"]
    assert [e["id"] for e in listed] == [created["id"]] and "secret" not in listed[0]
    assert "secret" not in call(client, "get", f"{LIST}{created['id']}/", key).json()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.api_key.key_hash == ApiKey.hash(key) and endpoint.created_by is None


def test_a_partner_may_bring_its_own_secret_and_change_its_endpoint(client, make_key, brand):
    key = make_key()
    body = {"name": "PDD", "url": URL, "events": ["brand.updated"], "secret": "p" * 30, "brands": [brand.slug]}
    created = call(client, "post", LIST, key, body).json()
    assert created["secret"] == "p" * 30 and created["brands"] == [brand.slug]

    changed = call(client, "patch", f"{LIST}{created['id']}/", key, {"active": False, "events": ["content.failed"]})
    assert changed.status_code == 200 and "secret" not in changed.json()
    assert (changed.json()["active"], changed.json()["events"]) == (False, ["content.failed"])

    assert call(client, "delete", f"{LIST}{created['id']}/", key).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_a_key_sees_and_changes_only_its_own_endpoints(client, make_key):
    mine, theirs = make_key(), make_key()
    created = call(client, "post", LIST, theirs, {"name": "Hema", "url": URL, "events": ["brand.updated"]}).json()
    assert call(client, "get", LIST, mine).json()["results"] == []
    for method in ("get", "patch", "delete"):
        assert_error(call(client, method, f"{LIST}{created['id']}/", mine, {} if method == "patch" else None), 404)
    assert_error(call(client, "get", f"{LIST}{created['id']}/deliveries/", mine), 404)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/h", "http://10.0.0.8/h", "http://169.254.169.254/", "http://[::1]/h", "ftp://x.org/"]
)
def test_a_private_or_local_url_is_refused_in_production(client, make_key, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = call(client, "post", LIST, make_key(), {"name": "X", "url": url, "events": ["brand.updated"]})
    assert_error(response, 400, "invalid")
    assert "url" in response.json()["error"]["details"] and not WebhookEndpoint.objects.exists()


def test_a_key_limited_to_a_brand_registers_endpoints_limited_to_it(client, make_key, brand, other_brand):
    key = make_key(brands=[brand])
    created = call(client, "post", LIST, key, {"name": "Tmall", "url": URL, "events": ["brand.updated"]}).json()
    assert created["brands"] == [brand.slug]

    response = call(client, "post", LIST, key, {"name": "T", "url": URL, "events": ["brand.updated"],
                                                "brands": [other_brand.slug]})  # fmt: skip
    assert_error(response, 400)
    assert "brands" in response.json()["error"]["details"]


def test_invalid_bodies_are_400s(client, make_key):
    key = make_key()
    for body in ({}, {"name": "X", "url": URL, "events": []}, {"name": "X", "url": URL, "events": ["nope"]}, [1]):
        assert_error(call(client, "post", LIST, key, body), 400)


def test_the_delivery_log_filters_by_state_and_a_finished_delivery_is_redelivered(client, make_key, brand):
    key = make_key()
    (endpoint,) = endpoints(1)
    event = OutboxEvent.objects.get(type="brand.updated", brand_ids=[brand.pk])
    dead = WebhookDelivery.objects.create(endpoint=endpoint, event=event, body="{}", state="dead", attempts=7)
    WebhookDelivery.objects.create(endpoint=endpoint, event=event, body="{}", state="pending", redelivery_of=dead)

    log = call(client, "get", f"{LIST}{endpoint.pk}/deliveries/?state=dead", key).json()["results"]
    assert [d["id"] for d in log] == [dead.pk] and log[0]["event"]["id"] == str(event.uuid)
    assert_error(call(client, "get", f"{LIST}{endpoint.pk}/deliveries/?state=lost", key), 400)

    response = call(client, "post", f"{LIST}{endpoint.pk}/deliveries/{dead.pk}/redeliver/", key)
    assert response.status_code == 202, response.content
    again = response.json()
    assert again["redelivery_of"] == dead.pk and again["state"] == "pending" and again["attempts"] == 0

    pending = WebhookDelivery.objects.get(pk=again["id"])
    assert_error(call(client, "post", f"{LIST}{endpoint.pk}/deliveries/{pending.pk}/redeliver/", key), 400)
    assert_error(call(client, "post", f"{LIST}{endpoint.pk}/deliveries/999999/redeliver/", key), 404)


def test_the_webhook_endpoints_are_in_the_schema(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/webhooks/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/webhooks/{id}/"])
    assert "get" in paths["/api/v1/webhooks/{id}/deliveries/"]
    assert "post" in paths["/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver/"]
