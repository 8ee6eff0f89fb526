"""Deliveries through a real Celery worker to a local receiver: signed, retried after a 500, dead-lettered after
the last attempt, redelivered on request; an address that turns private is refused at send time."""

import datetime
import itertools
import socket
import threading
import time

import pytest
from django.db import transaction
from django.utils import timezone

from brandhub import events as core_events
from brandhub.api.webhooks import services, signing, tasks
from brandhub.events import event_record
from brandhub.models import OutboxEvent, WebhookDelivery
from brands.services import brand_update
from campaigns.publishing import services as publishing

from .conftest import QUEUE, beat, endpoint_for, retrying, wait_for

# Fixtures that write (brand, manager) come before the worker: on the in-memory SQLite test database a write that
# meets the worker's lock fails at once (see ``retrying``).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
State = WebhookDelivery.State
SECRET = "s" * 32
CITIES = itertools.cycle(["Siena", "Lucca", "Pisa", "Arezzo", "Prato"])


def fresh_endpoint(receiver, events=("brand.updated",), **fields):
    """An endpoint that hears only of what the test does next (earlier events count as relayed)."""
    retrying(lambda: OutboxEvent.objects.update(relayed_at=timezone.now()))
    return retrying(lambda: endpoint_for(receiver, events=list(events), **fields))


def change(brand):
    """A brand change: its event commits, and the kick after the commit wakes the relay."""
    city = next(CITIES)
    return retrying(lambda: brand_update(brand=brand, user=None, fields={"city": city}))


def only_delivery() -> WebhookDelivery:
    (delivery,) = WebhookDelivery.objects.all()
    return delivery


def state_of_only() -> str:
    return only_delivery().state if WebhookDelivery.objects.exists() else ""


def test_an_event_is_delivered_signed_within_a_second_of_its_commit(brand, webhook_worker, receiver):
    fresh_endpoint(receiver)

    start = time.monotonic()
    change(brand)
    assert wait_for(lambda: receiver.count() == 1, timeout=10)
    latency = time.monotonic() - start

    (got,) = receiver.received
    event = OutboxEvent.objects.get(relayed_at__isnull=False, data__change="updated")
    assert got.path == "/hooks/brandhub" and got.headers["Content-Type"] == "application/json"
    assert got.headers["X-BrandHub-Event"] == "brand.updated"
    assert got.headers["X-BrandHub-Event-Id"] == str(event.uuid)
    assert signing.verify(SECRET, got.headers["X-BrandHub-Signature"], got.body)  # what the receiver recomputes
    body = got.json()
    assert (body["id"], body["type"], body["v"]) == (str(event.uuid), "brand.updated", 1)
    assert body["occurred_at"].endswith("Z") and body["data"]["fields"] == ["city"]
    assert body["data"]["brand"] == {"id": brand.pk, "slug": brand.slug}
    assert wait_for(lambda: state_of_only() == State.DELIVERED)
    delivery = only_delivery()
    assert (delivery.attempts, delivery.response_status) == (1, 200) and '"ok": true' in delivery.response_snippet
    print(f"\ncommit → receiver: {latency * 1000:.0f} ms")
    assert latency < 2, f"{latency:.2f} s from commit to the receiver"


def test_a_published_item_reaches_the_partner(scheduled, queued, webhook_worker, receiver):
    item = retrying(scheduled)
    fresh_endpoint(receiver, events=["content.published", "campaign.status_changed"])
    retrying(publishing.publications_dispatch)
    retrying(lambda: publishing.publication_publish(item_id=item.pk))

    assert wait_for(lambda: receiver.count() == 2, timeout=10)
    bodies = sorted((r.json() for r in receiver.received), key=lambda b: b["type"])
    assert [b["type"] for b in bodies] == ["campaign.status_changed", "content.published"]
    assert bodies[1]["data"]["content"]["id"] == item.pk and bodies[0]["data"]["to"] == "live"


def test_a_delivery_answered_500_is_retried_and_succeeds_on_the_next_attempt(
    brand, webhook_worker, receiver, fast_retries
):
    receiver.answers = [500]
    fresh_endpoint(receiver)
    change(brand)

    assert wait_for(lambda: receiver.count() == 1, timeout=10)
    assert wait_for(lambda: only_delivery().response_status == 500)
    assert wait_for(lambda: state_of_only() == State.DELIVERED, tick=beat)  # beat's tick sends the retry

    delivery = only_delivery()
    first, second = receiver.received
    assert delivery.attempts == 2 and [e["status"] for e in delivery.log] == [500, 200]
    assert first.body == second.body and first.headers["X-BrandHub-Event-Id"] == second.headers["X-BrandHub-Event-Id"]
    assert (first.headers["X-BrandHub-Attempt"], second.headers["X-BrandHub-Attempt"]) == ("1", "2")
    assert signing.verify(SECRET, second.headers["X-BrandHub-Signature"], second.body)


def test_a_delivery_goes_to_the_dead_letter_after_the_last_attempt(brand, webhook_worker, receiver, fast_retries):
    receiver.answers = [503, 502, 500, 500]
    fresh_endpoint(receiver)
    change(brand)

    assert wait_for(lambda: state_of_only() == State.DEAD, timeout=30, tick=beat)

    delivery = only_delivery()
    assert delivery.attempts == fast_retries.WEBHOOK_MAX_ATTEMPTS == receiver.count() == 3
    assert [e["status"] for e in delivery.log] == [503, 502, 500]
    assert delivery.response_status == 500 and delivery.next_attempt_at is None
    for _ in range(3):
        beat()
        time.sleep(0.3)
    assert receiver.count() == 3  # nothing more after the dead letter


def test_the_waits_between_attempts_grow_exponentially_for_about_a_day(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 60
    waits = [services.retry_delay(n) for n in range(1, settings.WEBHOOK_MAX_ATTEMPTS)]
    for n, wait in enumerate(waits):
        assert 60 * 4**n <= wait <= 60 * 4**n * 1.1
    assert 20 * 3600 < sum(waits) < 26 * 3600, sum(waits) / 3600


def test_a_timeout_is_retried(brand, webhook_worker, receiver, fast_retries):
    receiver.delay = 1.5  # longer than the 1 s timeout
    fresh_endpoint(receiver)
    change(brand)

    assert wait_for(lambda: WebhookDelivery.objects.filter(attempts=1, state=State.PENDING).exists(), timeout=10)
    assert "timed out" in only_delivery().error
    receiver.delay = 0
    assert wait_for(lambda: state_of_only() == State.DELIVERED, tick=beat)


def test_a_4xx_answer_goes_to_the_dead_letter_at_once(brand, webhook_worker, receiver, fast_retries):
    receiver.answers = [410]
    fresh_endpoint(receiver)
    change(brand)
    assert wait_for(lambda: state_of_only() == State.DEAD, timeout=10, tick=beat)
    delivery = only_delivery()
    assert (delivery.attempts, delivery.response_status, receiver.count()) == (1, 410, 1)
    assert "410" in delivery.error


def test_redeliver_sends_the_same_event_again_with_a_fresh_signature(
    brand, manager, webhook_worker, receiver, fast_retries
):
    receiver.answers = [500, 500, 500]
    fresh_endpoint(receiver)
    change(brand)
    assert wait_for(lambda: state_of_only() == State.DEAD, timeout=30, tick=beat)
    dead = only_delivery()

    again = retrying(lambda: services.webhook_delivery_redeliver(delivery=dead, actor=manager))

    assert wait_for(lambda: WebhookDelivery.objects.get(pk=again.pk).state == State.DELIVERED, timeout=10)
    last = receiver.received[-1]
    assert receiver.count() == 4 and last.body == receiver.received[0].body
    assert last.headers["X-BrandHub-Event-Id"] == str(dead.event.uuid)
    assert last.headers["X-BrandHub-Delivery"] == str(again.pk) != str(dead.pk)
    assert signing.verify(SECRET, last.headers["X-BrandHub-Signature"], last.body)
    again.refresh_from_db()
    assert (again.redelivery_of, again.requested_by, again.attempts) == (dead, manager, 1)
    dead.refresh_from_db()
    assert dead.state == State.DEAD  # the log keeps the dead letter as it was


def test_a_task_delivered_twice_sends_once(brand, webhook_worker, receiver):
    fresh_endpoint(receiver)
    change(brand)
    assert wait_for(lambda: state_of_only() == State.DELIVERED, timeout=10)
    tasks.webhook_deliver.apply_async((only_delivery().pk,), queue=QUEUE)  # the broker delivers it again
    assert services.webhook_delivery_attempt(delivery_id=only_delivery().pk) == "skipped"
    time.sleep(0.5)
    assert receiver.count() == 1


def partner_dns(monkeypatch, name, registration, delivery):
    """Resolve ``name`` at the edge (``socket.getaddrinfo``): ``registration`` is the address the test's own thread
    (registering the endpoint) gets; the worker's n-th lookup gets ``delivery[n]`` (the last one from then on).
    Other names (the broker's, the database's) resolve for real. Returns the worker's lookups."""
    looked_up = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host != name:
            return real(host, port, *args, **kwargs)
        if threading.current_thread() is threading.main_thread():
            address = registration
        else:
            address = delivery[min(len(looked_up), len(delivery) - 1)]
            looked_up.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return looked_up


def test_a_name_that_rebinds_to_a_private_address_is_refused_at_send_time(
    brand, webhook_worker, receiver, settings, monkeypatch
):
    """Registered while it answered a public address; by the time of the delivery it answers 127.0.0.1."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    partner_dns(monkeypatch, "rebind.partner.example", registration="93.184.215.14", delivery=["127.0.0.1"])
    fresh_endpoint(receiver, url=f"http://rebind.partner.example:{receiver.port}/hooks")
    change(brand)

    assert wait_for(lambda: state_of_only() == State.DEAD, timeout=10)
    delivery = only_delivery()
    assert "127.0.0.1" in delivery.error and "not a public address" in delivery.error
    assert delivery.response_status is None and receiver.count() == 0


def test_the_request_goes_to_the_address_that_was_checked_not_to_a_second_lookup(
    brand, webhook_worker, receiver, monkeypatch
):
    """One lookup per attempt; a second one (at connect time) would get 127.0.0.2, where nobody listens."""
    name = "hooks.partner.example"
    looked_up = partner_dns(monkeypatch, name, registration="127.0.0.1", delivery=["127.0.0.1", "127.0.0.2"])
    fresh_endpoint(receiver, url=f"http://{name}:{receiver.port}/hooks/brandhub")
    change(brand)  # the attempt looks the name up once (its check), then connects to what it found

    assert wait_for(lambda: state_of_only() == State.DELIVERED, timeout=10), only_delivery().error
    assert looked_up == ["127.0.0.1"]
    assert receiver.received[0].headers["Host"] == f"hooks.partner.example:{receiver.port}"


def test_a_disabled_endpoint_gets_nothing_more(brand, manager, webhook_worker, receiver):
    endpoint = fresh_endpoint(receiver)
    change(brand)
    assert wait_for(lambda: receiver.count() == 1, timeout=30)  # room for a loaded machine (embedded broker)
    retrying(lambda: services.webhook_endpoint_set_active(endpoint=endpoint, actor=manager, active=False))
    change(brand)
    time.sleep(1)
    beat()
    time.sleep(0.5)
    assert receiver.count() == 1 and WebhookDelivery.objects.count() == 1


def test_event_record_outside_a_transaction_is_refused(db):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        event_record("brand.updated", {})
    with transaction.atomic():
        event_record("brand.updated", {})
    assert OutboxEvent.objects.filter(data={}).count() == 1


def test_a_broker_outage_at_the_commit_loses_nothing(brand, webhook_worker, receiver, monkeypatch):
    """The kick cannot be sent: the event waits in the outbox, and beat's next tick delivers it."""
    from brandhub.celery import app

    fresh_endpoint(receiver)
    change(brand)  # as usual first: once it is in, the worker has run every relay queued before
    assert wait_for(lambda: receiver.count() == 1, timeout=10)

    refused = []
    send_task = app.send_task

    def broker_down(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            return send_task(*args, **kwargs)  # the worker's own sends: only the writer's broker is down
        refused.append(args[0])
        raise ConnectionRefusedError("broker down")

    with monkeypatch.context() as down:
        down.setattr(app, "send_task", broker_down)
        change(brand)
    assert refused == [core_events.RELAY_TASK]  # the kick was lost; the change committed all the same
    assert OutboxEvent.objects.filter(relayed_at__isnull=True).count() == 1  # its event waits in the outbox

    assert wait_for(lambda: receiver.count() == 2, timeout=10, tick=beat)
    assert receiver.received[1].json()["data"]["brand"]["slug"] == brand.slug


def test_a_delivery_whose_task_was_lost_is_sent_when_its_lease_runs_out(brand, webhook_worker, receiver, settings,
                                                                        monkeypatch):  # fmt: skip
    settings.WEBHOOK_LEASE_SECONDS = 1
    fresh_endpoint(receiver)
    with monkeypatch.context() as lost:
        lost.setattr(services, "_send", lambda ids: None)  # the delivery task never reaches the broker
        lost.setattr("brandhub.events.kick", lambda: None)
        change(brand)
        retrying(services.outbox_relay)
    assert state_of_only() == State.PENDING and receiver.count() == 0
    assert wait_for(lambda: receiver.count() == 1, timeout=10, tick=beat)
    assert wait_for(lambda: state_of_only() == State.DELIVERED)


def test_a_retry_that_is_not_yet_due_is_not_sent_early(brand, receiver, monkeypatch):
    monkeypatch.setattr(services, "_send", lambda ids: None)
    fresh_endpoint(receiver)
    change(brand)
    services.outbox_relay()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() + datetime.timedelta(hours=1))
    assert services.webhook_delivery_attempt(delivery_id=only_delivery().pk) == "skipped"
    assert receiver.count() == 0
