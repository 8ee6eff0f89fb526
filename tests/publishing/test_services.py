"""The dispatcher and the publish step on the real database, without a worker (the tasks are collected)."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaigns import workflow
from campaigns.choices import CampaignStatus, Channel
from campaigns.choices import ContentStatus as S
from campaigns.models import Campaign, ContentItem
from campaigns.publishing import publishers, services
from campaigns.publishing.models import ChannelLateLimit, Publication
from campaigns.publishing.publishers import PublishError, Result, TransientPublishError
from campaigns.services import content_save

pytestmark = pytest.mark.django_db
State = Publication.State
HOUR = datetime.timedelta(hours=1)


def actions(item) -> list[str]:
    return list(item.transitions.order_by("pk").values_list("action", flat=True))


def test_a_due_item_is_claimed_into_publishing_and_queued_once(scheduled, queued):
    item = scheduled()

    tick = services.publications_dispatch()
    again = services.publications_dispatch()

    item.refresh_from_db()
    assert (tick.dispatched, again.dispatched) == (1, 0)
    assert queued == [item.pk]
    assert item.status == S.PUBLISHING and actions(item)[-1] == "dispatch"
    publication = item.publication
    assert (publication.state, publication.channel, publication.late) == (State.QUEUED, "short_video", False)
    assert publication.scheduled_for == item.scheduled_at and publication.queued_at == publication.claimed_at


def test_items_not_due_or_not_scheduled_are_left_alone(scheduled, queued, campaign, editor, manager):
    future = scheduled()
    ContentItem.objects.filter(pk=future.pk).update(scheduled_at=timezone.now() + HOUR)
    approved = scheduled()
    workflow.transition(item=approved, user=editor, action="unschedule")

    assert services.publications_dispatch().dispatched == 0
    assert queued == [] and not Publication.objects.exists()


def test_a_feed_item_is_published_with_its_publication_record(scheduled, queued):
    item = scheduled(late=datetime.timedelta(seconds=30))
    services.publications_dispatch()

    assert services.publication_publish(item_id=item.pk) == State.PUBLISHED

    item.refresh_from_db()
    publication = item.publication
    assert item.status == S.PUBLISHED and actions(item)[-2:] == ["dispatch", "publish"]
    assert publication.state == State.PUBLISHED and publication.attempts == 1
    assert publication.external_id == f"brandhub-content-{item.pk}"
    assert publication.started_at <= publication.finished_at
    assert publication.lag == publication.finished_at - item.scheduled_at >= datetime.timedelta(seconds=30)
    assert not publication.late


def test_a_task_delivered_twice_publishes_once(scheduled, queued):
    item = scheduled()
    services.publications_dispatch()

    outcomes = [services.publication_publish(item_id=item.pk) for _ in range(2)]

    assert outcomes == [State.PUBLISHED, "skipped"]
    item.refresh_from_db()
    assert actions(item).count("publish") == 1 and item.publication.attempts == 1


def test_a_manual_channel_item_is_due_for_go_live_until_someone_confirms_the_live_url(scheduled, queued, editor):
    item = scheduled(channel=Channel.KOL_POST)
    services.publications_dispatch()

    assert services.publication_publish(item_id=item.pk) == State.DUE
    item.refresh_from_db()
    assert item.status == S.PUBLISHING and item.publication.due_at is not None
    # Not stuck: a due item waits for a person, the dispatcher does not re-queue it.
    later = timezone.now() + datetime.timedelta(seconds=settings.PUBLISH_STUCK_SECONDS + 60)
    assert services.publications_dispatch(now=later).requeued == 0

    services.publication_confirm(item=item, user=editor, url="https://www.xiaohongshu.com/explore/abc")

    item.refresh_from_db()
    assert item.status == S.PUBLISHED and item.transitions.first().user == editor
    assert (item.publication.state, item.publication.url) == (
        State.PUBLISHED,
        "https://www.xiaohongshu.com/explore/abc",
    )
    assert item.campaign.status == CampaignStatus.LIVE


def test_a_late_item_within_the_channel_limit_is_published_and_marked_late_with_its_delay(scheduled, queued):
    ChannelLateLimit.objects.filter(channel="short_video").update(limit_minutes=60)
    item = scheduled(late=datetime.timedelta(minutes=40))

    tick = services.publications_dispatch()
    services.publication_publish(item_id=item.pk)

    item.refresh_from_db()
    publication = item.publication
    assert (tick.dispatched, tick.held, item.status) == (1, 0, S.PUBLISHED)
    assert publication.late and publication.delay >= datetime.timedelta(minutes=40)
    assert publication.lag >= datetime.timedelta(minutes=40)
    assert item.transitions.first().comment.startswith("Late by 0:40:")


def test_an_item_past_the_channel_limit_is_held_for_a_person(scheduled, queued):
    ChannelLateLimit.objects.filter(channel="short_video").update(limit_minutes=60)
    item = scheduled(late=datetime.timedelta(hours=3))

    tick = services.publications_dispatch()

    item.refresh_from_db()
    assert (tick.dispatched, tick.held, queued) == (0, 1, [])
    assert item.status == S.HELD and actions(item)[-1] == "hold"
    assert "3:00:" in item.transitions.first().comment
    assert item.publication.state == State.HELD and item.publication.lag >= datetime.timedelta(hours=3)
    assert services.publications_dispatch().held == 0, "held once, then left to the person"


def test_a_channel_without_a_limit_row_holds_after_the_default(scheduled, queued):
    ChannelLateLimit.objects.filter(channel="short_video").delete()
    on_time, late = scheduled(late=datetime.timedelta(hours=5)), scheduled(late=datetime.timedelta(hours=7))

    services.publications_dispatch()

    assert ContentItem.objects.get(pk=on_time.pk).status == S.PUBLISHING
    assert ContentItem.objects.get(pk=late.pk).status == S.HELD


@pytest.fixture
def held(scheduled, queued):
    ChannelLateLimit.objects.filter(channel="short_video").update(limit_minutes=60)
    item = scheduled(late=datetime.timedelta(hours=3))
    services.publications_dispatch()
    item.refresh_from_db()
    assert item.status == S.HELD
    return item


def test_a_manager_publishes_a_held_item_now(held, queued, manager):
    services.publication_publish_now(item=held, user=manager)

    assert queued == [held.pk]
    assert services.publication_publish(item_id=held.pk) == State.PUBLISHED
    held.refresh_from_db()
    assert held.status == S.PUBLISHED and held.publication.late
    assert actions(held)[-3:] == ["hold", "publish_now", "publish"]
    assert held.transitions.get(action="publish_now").user == manager


def test_only_a_manager_may_publish_a_held_item_now(held, editor):
    with pytest.raises(PermissionDenied):
        services.publication_publish_now(item=held, user=editor)
    assert ContentItem.objects.get(pk=held.pk).status == S.HELD


def test_a_held_item_rescheduled_goes_out_at_its_new_time(held, queued, editor):
    new_time = timezone.now() + HOUR
    services.publication_reschedule(item=held, user=editor, scheduled_at=new_time)

    held.refresh_from_db()
    assert (held.status, held.scheduled_at) == (S.SCHEDULED, new_time)
    assert held.transitions.first().changes == ["scheduled_at"] and not Publication.objects.exists()
    assert services.publications_dispatch().dispatched == 0
    assert services.publications_dispatch(now=new_time + datetime.timedelta(seconds=1)).dispatched == 1
    assert not ContentItem.objects.get(pk=held.pk).publication.late


def test_a_held_item_cannot_be_rescheduled_into_the_past(held, editor):
    with pytest.raises(ValidationError, match="scheduled time has passed"):
        services.publication_reschedule(item=held, user=editor, scheduled_at=timezone.now() - HOUR)
    assert ContentItem.objects.get(pk=held.pk).status == S.HELD


def test_a_manager_cancels_a_held_item(held, manager, editor):
    with pytest.raises(PermissionDenied):
        services.publication_cancel(item=held, user=editor)

    services.publication_cancel(item=held, user=manager, comment="Double 11 is over")

    assert ContentItem.objects.get(pk=held.pk).status == S.CANCELLED


@pytest.mark.parametrize("status", [S.PUBLISHING, S.HELD])
def test_an_item_on_its_way_out_cannot_be_edited(scheduled, editor, status):
    item = scheduled()
    ContentItem.objects.filter(pk=item.pk).update(status=status)

    with pytest.raises(ValidationError):
        content_save(user=editor, campaign=item.campaign, item=item, title_zh_hans="改了")


def test_an_item_stuck_in_publishing_is_requeued_after_the_timeout_once(scheduled, queued):
    item = scheduled()
    services.publications_dispatch()
    stuck = datetime.timedelta(seconds=settings.PUBLISH_STUCK_SECONDS)
    claimed = Publication.objects.get(item=item).queued_at

    assert services.publications_dispatch(now=claimed + stuck - datetime.timedelta(seconds=1)).requeued == 0
    assert services.publications_dispatch(now=claimed + stuck + datetime.timedelta(seconds=1)).requeued == 1
    assert services.publications_dispatch(now=claimed + stuck + datetime.timedelta(seconds=2)).requeued == 0

    assert queued == [item.pk, item.pk]
    assert [services.publication_publish(item_id=pk) for pk in queued] == [State.PUBLISHED, "skipped"]
    assert Publication.objects.get(item=item).requeues == 1


class Flaky(publishers.Publisher):
    def __init__(self, *errors):
        self.errors = list(errors)

    def publish(self, item):
        if self.errors:
            raise self.errors.pop(0)
        return Result(State.PUBLISHED, external_id="ext-1", url="https://example.com/1")


def test_a_transient_error_leaves_the_item_queued_and_a_permanent_one_fails_it_with_the_reason(
    scheduled, queued, monkeypatch
):
    monkeypatch.setitem(publishers.PUBLISHERS, "short_video", Flaky(TransientPublishError("timeout")))
    monkeypatch.setitem(publishers.PUBLISHERS, "livestream", Flaky(PublishError("account suspended")))
    flaky, broken = scheduled(), scheduled(channel="livestream")
    services.publications_dispatch()

    with pytest.raises(TransientPublishError):
        services.publication_publish(item_id=flaky.pk)
    assert services.publication_defer(item_id=flaky.pk, reason="timeout", retry_in=10)
    assert services.publication_publish(item_id=flaky.pk) == State.PUBLISHED
    assert services.publication_publish(item_id=broken.pk) == State.FAILED

    flaky.refresh_from_db()
    broken.refresh_from_db()
    assert (flaky.status, flaky.publication.attempts, flaky.publication.url) == (
        S.PUBLISHED,
        2,
        "https://example.com/1",
    )
    assert (broken.status, broken.publication.state, broken.publication.error) == (
        S.FAILED,
        State.FAILED,
        "account suspended",
    )
    assert broken.transitions.first().comment == "account suspended"


def test_an_item_fails_after_its_last_attempt(scheduled, queued):
    item = scheduled()
    services.publications_dispatch()
    Publication.objects.filter(item=item).update(attempts=services.MAX_ATTEMPTS - 1)

    assert not services.publication_defer(item_id=item.pk, reason="HTTP 503", retry_in=10)

    item.refresh_from_db()
    assert item.status == S.FAILED and "HTTP 503" in item.publication.error


def test_the_campaign_becomes_live_when_its_first_item_publishes(scheduled, queued, campaign):
    first, second = scheduled(), scheduled()
    services.publications_dispatch()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT

    services.publication_publish(item_id=first.pk)
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.LIVE
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.DONE)
    services.publication_publish(item_id=second.pk)
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DONE, "a done campaign stays done"


def test_every_channel_has_a_publisher():
    assert set(publishers.PUBLISHERS) == set(Channel.values)
    for channel in (Channel.TMALL_ARTICLE, Channel.TAOBAO_POPUP, Channel.RED_POST):
        assert isinstance(publishers.publisher_for(channel), publishers.ManualPublisher)


def test_every_channel_has_a_late_limit():
    assert set(ChannelLateLimit.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert ChannelLateLimit.objects.get(channel="banner").limit == datetime.timedelta(hours=6)


def test_beat_ticks_the_dispatcher_every_publish_tick_seconds():
    entry = settings.CELERY_BEAT_SCHEDULE["publishing-dispatch"]
    assert entry["task"] == "campaigns.publishing.tasks.publications_dispatch"
    assert entry["schedule"] == datetime.timedelta(seconds=settings.PUBLISH_TICK_SECONDS)


def test_a_live_campaign_is_done_after_its_end_date_once_nothing_is_on_its_way(scheduled, queued, campaign):
    from brandhub.models import OutboxEvent

    item = scheduled()
    services.publications_dispatch()
    services.publication_publish(item_id=item.pk)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LIVE
    after_end = campaign.ends_on + datetime.timedelta(days=1)
    assert services.campaigns_mark_done(today=campaign.ends_on) == 0  # its last day is not over
    waiting = scheduled()  # another item still on its way out keeps the campaign live
    assert services.campaigns_mark_done(today=after_end) == 0
    ContentItem.objects.filter(pk=waiting.pk).update(status=S.CANCELLED)
    assert services.campaigns_mark_done(today=after_end) == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE
    event = OutboxEvent.objects.filter(type="campaign.status_changed").order_by("-pk").first()
    assert (event.data["from"], event.data["to"]) == ("live", "done")
    assert services.campaigns_mark_done(today=after_end) == 0
