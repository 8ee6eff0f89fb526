"""From approval through the hour to published, and into the partner feed: a manager approves and schedules an
item in the browser, the dispatcher and a real worker publish it at its hour, and a partner's key finds it."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from playwright.sync_api import expect

from brandhub.celery import app
from brandhub.services import apikey_create
from campaigns.models import ContentItem
from campaigns.publishing import tasks
from campaigns.publishing.models import Publication
from campaigns.services import content_transition
from tests.campaigns.conftest import ZH_TEXTS, make_campaign, make_item
from tests.factories import PASSWORD, BrandFactory, EditorFactory, ManagerFactory
from tests.publishing.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_item_goes_from_approval_through_its_hour_to_the_partner_feed(page, live_server, login):
    editor, manager = EditorFactory(username="li.wei"), ManagerFactory(username="giulia")
    brand = BrandFactory(slug="gelateria-po", name_it="Gelateria Po", category="food_beverage")
    campaign = make_campaign(user=manager, brands=[brand], year=timezone.now().year + 1)
    hour = timezone.now() + datetime.timedelta(seconds=25)
    item = make_item(campaign, author=editor, channel="short_video", brands=[brand], scheduled_at=hour, **ZH_TEXTS)
    item = content_transition(item=item, user=editor, action="submit")
    _key, secret = apikey_create(actor=manager, name="Tmall", scopes=["campaigns:read"], brands=[], expires_at=None)
    feed = f"{live_server.url}/api/v1/content/"
    headers = {"Authorization": f"Bearer {secret}"}

    login("giulia", PASSWORD)
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    page.get_by_role("button", name="Approve and schedule").click()
    expect(page.locator(".status").first).to_have_text("Scheduled")
    assert page.request.get(feed, headers=headers).json()["results"] == []  # nothing before the hour

    time.sleep(max(0.0, (hour - timezone.now()).total_seconds()) + 0.5)
    app.control.purge()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        tasks.publications_dispatch.delay()  # as beat sends it
        assert wait_for(lambda: ContentItem.objects.get(pk=item.pk).status == "published", timeout=40), (
            ContentItem.objects.get(pk=item.pk).status,
            list(Publication.objects.values_list("state", "error")),
        )

    page.reload()
    expect(page.locator(".status").first).to_have_text("Published")
    results = page.request.get(feed, headers=headers).json()["results"]
    assert [entry["id"] for entry in results] == [item.pk]
    assert item.title_zh_hans in str(results[0])
