"""The outbox: events written in the transaction of the change (none when it rolls back), and the relay that
turns them into one delivery per subscribed endpoint."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brandhub import events as core_events
from brandhub.api.webhooks import services
from brandhub.models import OutboxEvent, WebhookDelivery, WebhookEndpoint
from brandhub.services import apikey_create, apikey_revoke
from brands.services import brand_archive, brand_update
from campaigns.choices import CampaignStatus
from campaigns.choices import ContentStatus as S
from campaigns.models import ContentItem
from campaigns.publishing import services as publishing
from campaigns.services import campaign_save
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db
State = WebhookDelivery.State
URL = "http://127.0.0.1:9/hooks"


def types() -> list[str]:
    return list(OutboxEvent.objects.order_by("pk").values_list("type", flat=True))


@pytest.fixture
def sent(monkeypatch):
    """Delivery tasks the relay would send after its commit, collected (no worker in these tests)."""
    ids: list[int] = []
    monkeypatch.setattr(services, "_send_after_commit", lambda batch: ids.extend(batch))
    return ids


def endpoint(events=("brand.updated",), brands=(), **fields) -> WebhookEndpoint:
    return services.webhook_endpoint_create(name="Partner", url=URL, events=list(events), brands=brands, **fields)


# --- what is written, and when ------------------------------------------------------------------------------------


def test_publishing_an_item_writes_content_published_and_the_campaign_going_live(scheduled, queued, brand):
    item = scheduled()
    OutboxEvent.objects.all().delete()
    publishing.publications_dispatch()

    assert publishing.publication_publish(item_id=item.pk) == "published"

    assert types() == ["content.published", "campaign.status_changed"]
    published, live = OutboxEvent.objects.order_by("pk")
    assert published.brand_ids == [brand.pk]
    content = published.data["content"]
    assert content["id"] == item.pk and content["channel"] == "short_video" and content["late"] is False
    assert content["published_at"].endswith("Z") and content["scheduled_at"].endswith("Z")
    assert published.data["brands"] == [{"id": brand.pk, "slug": "frantoio-aurelio"}]
    assert live.data["from"] == CampaignStatus.DRAFT and live.data["to"] == CampaignStatus.LIVE
    assert live.data["campaign"]["id"] == item.campaign_id and live.data["campaign"]["festival"] == "qixi"
    assert "title" not in str(published.data) and "七夕" not in str(published.data)  # ids and keys, no texts


def test_a_second_item_published_in_a_live_campaign_does_not_announce_the_campaign_again(scheduled, queued):
    first, second = scheduled(), scheduled()
    publishing.publications_dispatch()
    publishing.publication_publish(item_id=first.pk)
    publishing.publication_publish(item_id=second.pk)
    assert types().count("campaign.status_changed") == 1 and types().count("content.published") == 2


def test_a_failed_item_writes_content_failed(scheduled, queued):
    item = scheduled()
    publishing.publications_dispatch()
    publishing.publication_fail(item_id=item.pk, reason="The channel refused the video.")
    event = OutboxEvent.objects.get(type="content.failed")
    assert event.data["content"]["id"] == item.pk and event.data["content"]["failed_at"]
    assert "refused" not in str(event.data)  # the internal reason stays inside


def test_a_publication_that_rolls_back_writes_no_event(scheduled, queued, monkeypatch):
    item = scheduled()
    publishing.publications_dispatch()
    OutboxEvent.objects.all().delete()

    def broken(**kwargs):
        raise RuntimeError("database gone mid-transaction")

    monkeypatch.setattr(publishing, "campaign_mark_live", broken)
    with pytest.raises(RuntimeError):
        publishing.publication_publish(item_id=item.pk)

    assert ContentItem.objects.get(pk=item.pk).status == S.PUBLISHING
    assert types() == []


def test_a_brand_change_that_rolls_back_writes_no_event(brand):
    before = OutboxEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        brand_update(brand=brand, user=None, fields={"city": "Siena"})
        assert OutboxEvent.objects.count() == before + 1  # written with the change ...
        raise RuntimeError("the rest of the request failed")
    assert OutboxEvent.objects.count() == before  # ... and gone with it

    with pytest.raises(ValidationError):
        brand_update(brand=brand, user=None, fields={"website": "not a url"})
    assert OutboxEvent.objects.count() == before


def test_brand_events_name_the_change_and_the_fields(brand):
    created = OutboxEvent.objects.get(type="brand.updated", brand_ids=[brand.pk])
    assert created.data["change"] == "created" and created.data["brand"] == {"id": brand.pk, "slug": brand.slug}

    brand_update(brand=brand, user=None, fields={"city": "Siena"}, stores=[{"platform": "jd"}])
    brand_update(brand=brand, user=None, fields={"city": "Siena"})  # no change: no write, no event
    brand_archive(brand=brand, user=None)

    updated, archived = OutboxEvent.objects.filter(type="brand.updated").order_by("pk")[1:]
    assert (updated.data["change"], updated.data["fields"]) == ("updated", ["city", "stores"])
    assert (archived.data["change"], archived.data["archived"]) == ("archived", True)


def test_a_campaign_status_change_is_announced_once(manager, brand):
    campaign = campaign_save(user=manager, title="618 2027", brands=[brand], starts_on=datetime.date(2027, 6, 1),
                             ends_on=datetime.date(2027, 6, 18))  # fmt: skip
    assert types().count("campaign.status_changed") == 0  # created as a draft: nothing changed
    campaign_save(user=manager, campaign=campaign, status=CampaignStatus.PLANNED)
    campaign_save(user=manager, campaign=campaign, status=CampaignStatus.PLANNED, title="618 2027 (food)")
    (event,) = OutboxEvent.objects.filter(type="campaign.status_changed")
    assert (event.data["from"], event.data["to"], event.brand_ids) == ("draft", "planned", [brand.pk])
    assert "618" not in str(event.data)  # no title


def test_a_transaction_with_many_events_kicks_the_relay_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for brand in [BrandFactory() for _ in range(3)]:
            brand_update(brand=brand, user=None, fields={"city": "Lucca"})
    assert OutboxEvent.objects.count() == 6
    assert [c for c in callbacks if c is core_events.kick] == [core_events.kick]


def test_event_record_refuses_an_unknown_type():
    with pytest.raises(ValueError, match="Unknown event"):
        core_events.event_record("brand.deleted", {})


# --- the relay ----------------------------------------------------------------------------------------------------


def test_the_relay_makes_one_delivery_per_subscribed_active_endpoint_and_relays_each_event_once(brand, sent):
    subscribed = endpoint()
    endpoint(events=["content.published"])  # another event
    services.webhook_endpoint_set_active(endpoint=endpoint(), active=False)
    services.outbox_relay()  # the brand's creation
    sent.clear()

    brand_update(brand=brand, user=None, fields={"city": "Siena"})
    relay = services.outbox_relay()

    (delivery,) = WebhookDelivery.objects.filter(event__data__change="updated")
    assert delivery.endpoint == subscribed and delivery.state == State.PENDING and sent == [delivery.pk]
    assert (relay.events, relay.deliveries) == (1, 1)
    body = delivery.body
    assert body.startswith('{"id":"') and '"type":"brand.updated","v":1,"occurred_at":"' in body
    assert services.outbox_relay().deliveries == 0
    assert not OutboxEvent.objects.filter(relayed_at__isnull=True).exists()


def test_an_endpoint_limited_to_a_brand_hears_only_of_it_and_reads_only_its_name(manager, brand, other_brand, sent):
    services.outbox_relay()  # the brands' creation, before the endpoint existed
    limited = endpoint(events=["campaign.status_changed", "brand.updated"], brands=[brand])
    shared = campaign_save(user=manager, title="Qixi", brands=[brand, other_brand], starts_on=datetime.date(2027, 8, 1),
                           ends_on=datetime.date(2027, 8, 20))  # fmt: skip
    campaign_save(user=manager, campaign=shared, status=CampaignStatus.PLANNED)
    brand_update(brand=other_brand, user=None, fields={"city": "Prato"})
    services.outbox_relay()

    (delivery,) = WebhookDelivery.objects.filter(endpoint=limited)
    assert delivery.event.type == "campaign.status_changed"
    assert f'"brands":[{{"id":{brand.pk},"slug":"frantoio-aurelio"}}]' in delivery.body
    assert "maglificio-bertazzi" not in delivery.body


def test_an_endpoint_of_a_revoked_key_receives_nothing(brand, sent):
    api_key, _key = apikey_create(actor=None, name="Pinduoduo", scopes=["webhooks:manage"])
    from brandhub.api.auth import client_for_hash

    endpoint(api_key=client_for_hash(api_key.key_hash))
    apikey_revoke(actor=None, api_key=api_key)
    brand_update(brand=brand, user=None, fields={"city": "Siena"})
    services.outbox_relay()
    assert not WebhookDelivery.objects.exists()


def test_the_relay_costs_the_same_queries_for_10_and_50_events(sent):
    """(50: SQLite splits a bulk insert of deliveries every 66 rows; PostgreSQL writes up to a batch in one.)"""
    endpoint()
    brands = [BrandFactory() for _ in range(50)]
    services.outbox_relay()

    def relay_queries(n):
        for brand in brands[:n]:
            brand_update(brand=brand, user=None, fields={"city": f"Città {n}"})
        with CaptureQueriesContext(connection) as ctx:
            assert services.outbox_relay().deliveries == n
        return len(ctx.captured_queries)

    assert relay_queries(10) == relay_queries(50)


def test_due_retries_are_sent_and_a_delivery_left_sending_is_sent_again_after_its_lease(brand, sent):
    endpoint()
    services.outbox_relay()
    (delivery,) = WebhookDelivery.objects.all()
    sent.clear()
    now = timezone.now()

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now + datetime.timedelta(seconds=30))
    assert services.outbox_relay().sent == 0 and sent == []  # its task is on its way (lease)

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now - datetime.timedelta(seconds=1))
    assert services.outbox_relay().sent == 1 and sent == [delivery.pk]  # due (or its task was lost)

    old = now - datetime.timedelta(minutes=5)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=State.SENDING, last_attempt_at=old, attempts=1)
    assert services.outbox_relay().rescued == 1 and sent == [delivery.pk, delivery.pk]  # its worker died
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING and delivery.attempts == 1


def test_old_events_and_their_finished_deliveries_are_pruned(brand, sent, settings):
    endpoint()
    services.outbox_relay()
    long_ago = timezone.now() - datetime.timedelta(days=settings.WEBHOOK_LOG_DAYS + 1)
    OutboxEvent.objects.update(relayed_at=long_ago)
    waiting = WebhookDelivery.objects.get()
    other = BrandFactory()
    services.outbox_relay()
    OutboxEvent.objects.filter(brand_ids=[other.pk]).update(relayed_at=long_ago)
    WebhookDelivery.objects.filter(event__brand_ids=[other.pk]).update(state=State.DELIVERED)

    assert services.outbox_prune() == 1  # the delivered one; the one still waiting stays
    assert list(WebhookDelivery.objects.all()) == [waiting]
