"""The managers' console: register, edit, disable an endpoint, read its delivery log, redeliver."""

import pytest
from django.urls import reverse
from django.utils import translation

from brandhub.api.webhooks import services
from brandhub.models import OutboxEvent, WebhookDelivery, WebhookEndpoint
from tests.factories import BrandFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:9/hooks"
State = WebhookDelivery.State


def endpoint(**fields):
    fields = {"name": "Tmall Global", "url": URL, "events": ["brand.updated"], **fields}
    return services.webhook_endpoint_create(**fields)


def dead_letter(endpoint, brand, **fields):
    event = OutboxEvent.objects.filter(brand_ids=[brand.pk]).first()
    fields = {"body": services.event_body(event).decode(), "state": State.DEAD, "attempts": 7, **fields}
    return WebhookDelivery.objects.create(endpoint=endpoint, event=event, **fields)


def test_a_manager_registers_an_endpoint_and_sees_its_secret_once(client_for, manager, brand):
    client = client_for(manager)
    data = {"name": "Tmall Global", "url": URL, "events": ["content.published", "brand.updated"], "brands": [brand.pk]}
    page = client.post(reverse("webhooks:webhookendpoint_create"), data)

    assert page.status_code == 200
    created = WebhookEndpoint.objects.get()
    assert created.secret.startswith("whsec_") and created.secret in page.content.decode()
    assert (created.created_by, created.events, list(created.brands.all())) == (
        manager,
        ["brand.updated", "content.published"],
        [brand],
    )
    detail = client.get(reverse("webhooks:webhookendpoint_detail", args=[created.pk])).content.decode()
    assert created.secret not in detail and URL in detail


def test_a_private_address_is_refused_on_the_form_in_production(client_for, manager, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    data = {"name": "Metadata", "url": "http://169.254.169.254/latest/", "events": ["brand.updated"]}
    page = client_for(manager).post(reverse("webhooks:webhookendpoint_create"), data)
    assert page.status_code == 200 and "not a public address" in page.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_editing_keeps_the_secret_unless_a_new_one_is_given(client_for, manager):
    hook = endpoint(secret="k" * 30)
    url = reverse("webhooks:webhookendpoint_update", args=[hook.pk])
    data = {"name": "Tmall", "url": URL, "events": ["content.failed"], "secret": ""}
    assert client_for(manager).post(url, data).status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.events, hook.secret) == ("Tmall", ["content.failed"], "k" * 30)


def test_disable_enable_and_a_new_secret(client_for, manager):
    hook = endpoint(secret="k" * 30)
    client = client_for(manager)
    action = reverse("webhooks:webhookendpoint_action", args=[hook.pk])
    client.post(action, {"action": "disable"})
    hook.refresh_from_db()
    assert not hook.active
    client.post(action, {"action": "enable"})
    page = client.post(action, {"action": "rotate_secret"})
    hook.refresh_from_db()
    assert hook.active and hook.secret != "k" * 30 and hook.secret in page.content.decode()


def test_the_delivery_log_shows_codes_and_the_response_and_filters_by_state(client_for, manager, brand):
    hook = endpoint()
    dead = dead_letter(hook, brand, response_status=503, response_snippet="upstream busy, try later", error="")
    dead_letter(hook, brand, state=State.DELIVERED, response_status=200, redelivery_of=dead)
    client = client_for(manager)
    log = client.get(reverse("webhooks:webhookendpoint_detail", args=[hook.pk]))
    assert [d.state for d in log.context["object_list"]] == [State.DELIVERED, State.DEAD]
    page = log.content.decode()
    assert "503" in page and "brand.updated" in page

    only_dead = client.get(reverse("webhooks:webhookendpoint_detail", args=[hook.pk]), {"state": "dead"})
    assert [d.pk for d in only_dead.context["object_list"]] == [dead.pk]

    detail = client.get(reverse("webhooks:webhookdelivery_detail", args=[dead.pk])).content.decode()
    assert "upstream busy, try later" in detail and str(dead.event.uuid) in detail and "X-BrandHub-Signature" in detail


def test_redeliver_from_the_console(client_for, manager, brand, django_capture_on_commit_callbacks):
    hook = endpoint()
    dead = dead_letter(hook, brand)
    with django_capture_on_commit_callbacks() as sent:
        response = client_for(manager).post(reverse("webhooks:webhookdelivery_redeliver", args=[dead.pk]))
    assert response.status_code == 302
    again = WebhookDelivery.objects.get(redelivery_of=dead)
    assert (again.state, again.requested_by, again.body) == (State.PENDING, manager, dead.body) and len(sent) == 1


def test_a_redelivery_of_a_delivery_still_being_tried_is_refused(client_for, manager, brand):
    hook = endpoint()
    waiting = dead_letter(hook, brand, state=State.PENDING)
    client = client_for(manager)
    response = client.post(reverse("webhooks:webhookdelivery_redeliver", args=[waiting.pk]), follow=True)
    assert "still being tried" in response.content.decode()
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize("role", ["editor", "brand_user"])
def test_editors_and_brand_users_may_not_manage_webhooks(client_for, role, request, manager):
    hook = endpoint()
    client = client_for(request.getfixturevalue(role))
    for url in (reverse("webhooks:webhookendpoint_list"), reverse("webhooks:webhookendpoint_detail", args=[hook.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("webhooks:webhookendpoint_action", args=[hook.pk]), {"action": "disable"}).status_code
    hook.refresh_from_db()
    assert hook.active


def test_the_endpoint_list_costs_the_same_queries_for_3_and_30_endpoints(client_for, manager, brand):
    client = client_for(manager)
    for _ in range(3):
        dead_letter(endpoint(brands=[brand]), brand)
    few = count_queries(client, reverse("webhooks:webhookendpoint_list"))
    for _ in range(27):
        dead_letter(endpoint(brands=[brand]), brand)
    assert count_queries(client, reverse("webhooks:webhookendpoint_list")) == few


def test_the_delivery_log_costs_the_same_queries_for_5_and_50_deliveries(client_for, manager):
    client = client_for(manager)
    hook = endpoint()
    brands = [BrandFactory() for _ in range(50)]
    for brand in brands[:5]:
        dead_letter(hook, brand)
    url = reverse("webhooks:webhookendpoint_detail", args=[hook.pk])
    few = count_queries(client, url)
    for brand in brands[5:]:
        dead_letter(hook, brand)
    assert count_queries(client, url) == few


def test_the_pages_read_in_chinese(client_for, manager, brand):
    hook = endpoint()
    dead = dead_letter(hook, brand)
    client = client_for(manager)
    with translation.override("zh-hans"):
        pages = [
            client.get(reverse("webhooks:webhookendpoint_list"), HTTP_ACCEPT_LANGUAGE="zh-hans"),
            client.get(reverse("webhooks:webhookendpoint_detail", args=[hook.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"),
            client.get(reverse("webhooks:webhookdelivery_detail", args=[dead.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"),
        ]
    assert "合作方" in pages[0].content.decode()  # "Partner"
    assert "投递记录" in pages[1].content.decode()  # "Delivery log"
    assert "死信" in pages[2].content.decode()  # "Dead letter"
