"""Publishing through a real Celery worker (solo pool, this process) on the configured broker and database."""

import datetime
import threading
import time

import pytest
from celery.signals import task_postrun
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from brandhub.celery import app
from campaigns.choices import CampaignStatus
from campaigns.choices import ContentStatus as S
from campaigns.models import ContentItem, ContentTransition
from campaigns.publishing import services, tasks
from campaigns.publishing.models import Publication

from .conftest import in_thread, on_postgres, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
State = Publication.State


def published(*items) -> bool:
    return ContentItem.objects.filter(pk__in=[i.pk for i in items], status=S.PUBLISHED).count() == len(items)


def steps(item, action) -> int:
    return ContentTransition.objects.filter(item=item, action=action).count()


@app.task(name="tests.publishing.busy")
def busy(seconds: float) -> None:
    """Work that keeps the worker busy: the backlog of the test below."""
    time.sleep(seconds)


def test_beats_tick_is_not_stuck_behind_a_backlog_of_tasks(celery_worker, scheduled):
    item = scheduled()
    for _ in range(40):
        busy.delay(0.25)  # 10 s of work waiting in the default queue, as publish tasks wait at the festival hour

    started = time.monotonic()
    entry = settings.CELERY_BEAT_SCHEDULE["publishing-dispatch"]
    tasks.publications_dispatch.apply_async(**entry["options"])  # as beat sends it: to the ticks' queue

    assert wait_for(lambda: ContentItem.objects.get(pk=item.pk).status == S.PUBLISHING, timeout=5)
    assert time.monotonic() - started < 5  # claimed long before the 10 s of backlog were worked off


def test_a_due_item_is_published_once(celery_worker, scheduled, campaign):
    item = scheduled()

    tasks.publications_dispatch.delay()  # as beat sends it

    assert wait_for(lambda: published(item))
    publication = Publication.objects.get(item=item)
    assert (steps(item, "dispatch"), steps(item, "publish"), publication.attempts) == (1, 1, 1)
    assert publication.lag < datetime.timedelta(seconds=20)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LIVE


@pytest.fixture
def outcomes():
    """What each publish task run by the worker returned."""
    seen = []

    def collect(sender=None, retval=None, **_kwargs):
        if getattr(sender, "name", None) == tasks.publication_publish.name:
            seen.append(retval)

    task_postrun.connect(collect, weak=False)
    yield seen
    task_postrun.disconnect(collect)


def test_a_task_delivered_twice_publishes_once(celery_worker, scheduled, outcomes):
    item = scheduled()
    services.publications_dispatch()  # queues the task once...
    tasks.publication_publish.delay(item.pk)  # ... and the broker delivers it again (a worker died after publishing)
    tasks.publication_publish.delay(item.pk)

    assert wait_for(lambda: len(outcomes) == 3)
    assert sorted(outcomes) == ["published", "skipped", "skipped"]
    assert (steps(item, "publish"), Publication.objects.get(item=item).attempts) == (1, 1)


def test_an_item_stuck_in_publishing_is_requeued_and_published_once(celery_worker, scheduled, monkeypatch):
    item = scheduled()
    with monkeypatch.context() as lost:
        lost.setattr(services, "_queue", lambda item_id: None)  # the task never reaches the broker
        services.publications_dispatch()
    assert ContentItem.objects.get(pk=item.pk).status == S.PUBLISHING
    assert services.publications_dispatch().requeued == 0, "not before the timeout"

    stuck_since = timezone.now() - datetime.timedelta(minutes=3)
    Publication.objects.filter(item=item).update(queued_at=stuck_since)
    assert services.publications_dispatch().requeued == 1

    assert wait_for(lambda: published(item))
    publication = Publication.objects.get(item=item)
    assert (steps(item, "publish"), publication.attempts, publication.requeues) == (1, 1, 1)


def test_a_late_item_is_published_marked_late_and_one_past_the_limit_is_held(celery_worker, scheduled):
    within = scheduled(late=datetime.timedelta(hours=2))  # short video: 24 h limit
    beyond = scheduled(channel="kol_post", late=datetime.timedelta(days=2))  # KOL post: 24 h limit

    tasks.publications_dispatch.delay()

    assert wait_for(lambda: published(within))
    assert Publication.objects.get(item=within).late and Publication.objects.get(item=within).lag > datetime.timedelta(
        hours=2
    )
    beyond.refresh_from_db()
    assert beyond.status == S.HELD and Publication.objects.get(item=beyond).state == State.HELD


@on_postgres
def test_two_dispatchers_at_once_publish_nothing_twice(celery_worker, scheduled):
    items = [scheduled() for _ in range(30)]
    start = threading.Barrier(2)

    def dispatcher():
        start.wait()
        return services.publications_dispatch(batch_size=4)

    threads = [in_thread(dispatcher) for _ in range(2)]
    for thread in threads:
        thread.join(30)
    ticks = [t.result["value"] for t in threads]

    assert sum(t.dispatched for t in ticks) == len(items)
    assert wait_for(lambda: published(*items), timeout=40)
    counts = ContentItem.objects.filter(pk__in=[i.pk for i in items]).annotate(
        dispatched=Count("transitions", filter=Q(transitions__action="dispatch")),
        published=Count("transitions", filter=Q(transitions__action="publish")),
    )
    assert {(c.dispatched, c.published) for c in counts} == {(1, 1)}
    assert Publication.objects.filter(item__in=items, attempts=1).count() == len(items)


@on_postgres
def test_a_second_dispatcher_skips_the_rows_another_is_claiming_instead_of_waiting(scheduled, queued):
    item = scheduled()
    claiming, release = threading.Event(), threading.Event()

    def first_dispatcher_mid_claim():
        with transaction.atomic():
            list(ContentItem.objects.select_for_update().filter(pk=item.pk))
            claiming.set()
            release.wait(10)

    first = in_thread(first_dispatcher_mid_claim)
    claiming.wait(10)
    try:
        tick = services.publications_dispatch()
    finally:
        release.set()
        first.join(10)

    assert tick.dispatched == 0 and queued == []
    assert services.publications_dispatch().dispatched == 1
