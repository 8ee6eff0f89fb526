"""Issue 9's alerts: the go-live pack to the person it is assigned to, escalation to managers, held and late items.

Each is written in the transaction of the moment it reports (a go-live falling due, the dispatcher's escalation, the
workflow's hold and late publish), so a broker outage at that moment loses nothing (the sweep mails it)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from campaigns.choices import ContentStatus
from campaigns.models import Campaign, ContentItem
from campaigns.notifications.models import Notification
from campaigns.notifications.render import render
from campaigns.publishing import services as publishing
from campaigns.publishing.models import ChannelLateLimit, Publication
from tests.factories import ManagerFactory

from .conftest import of_kind, publish

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def text_of(notification, language="en") -> str:
    with translation.override(language):
        rendered = render(notification)
    return f"{rendered.subject}\n{rendered.text}"


def make_late(item, by):
    ContentItem.objects.filter(pk=item.pk).update(scheduled_at=timezone.now() - by)


@pytest.fixture
def tracked_link(shared, manager, brand):
    from campaigns.tracking.services import event_save, link_save

    event = event_save(
        user=manager, title="Qixi pop-up", kind="popup", city="上海", campaign=shared, brands=[brand], products=[],
        starts_on=shared.starts_on, ends_on=shared.ends_on,
    )  # fmt: skip
    return link_save(user=manager, event=event, label="Shop window", destination="https://example.com/qixi")


def test_a_go_live_falling_due_sends_the_pack_to_the_campaigns_owner(
    item_for, brand, italian, manager, editor, queued, tracked_link
):
    item = publish(item_for([brand], to=ContentStatus.SCHEDULED, channel="kol_post"))
    assert item.status == ContentStatus.PUBLISHING

    (notification,) = of_kind(Kind.GOLIVE_DUE)
    assert notification.recipient == manager  # the campaign's owner; not the brand users, not the whole staff
    text = text_of(notification)
    assert text.startswith("To put live now on KOL post: Qixi gift box")
    assert f"/publishing/items/{item.pk}/pack/" in text  # creatives cut to the channel's sizes, and the confirmation
    assert "七夕礼盒" in text and "意大利手工礼盒，七夕限定。" in text and "Scatola regalo di Qixi" in text
    assert f"Shop window: {tracked_link.tracked_url()}" in text
    assert notification.url == f"/publishing/items/{item.pk}/pack/"


def test_the_go_live_goes_to_the_author_when_the_campaign_has_no_owner(
    item_for, brand, manager, editor, queued, shared
):
    Campaign.objects.filter(pk=shared.pk).update(owner=None)
    publish(item_for([brand], to=ContentStatus.SCHEDULED, channel="livestream"))
    assert [n.recipient for n in of_kind(Kind.GOLIVE_DUE)] == [editor]


def test_a_go_live_nobody_confirms_alerts_the_managers_once(item_for, brand, manager, editor, queued, settings):
    second = ManagerFactory(username="second-manager", language="zh-hans")
    item = publish(item_for([brand], to=ContentStatus.SCHEDULED, channel="kol_post"))
    later = timezone.now() + datetime.timedelta(seconds=settings.PUBLISH_CONFIRM_ESCALATE_SECONDS - 60)
    assert publishing.publications_dispatch(now=later).escalated == 0

    much_later = timezone.now() + datetime.timedelta(seconds=settings.PUBLISH_CONFIRM_ESCALATE_SECONDS + 60)
    assert publishing.publications_dispatch(now=much_later).escalated == 1
    assert publishing.publications_dispatch(now=much_later).escalated == 0  # once per go-live

    told = of_kind(Kind.GOLIVE_OVERDUE)
    assert {n.recipient for n in told} == {manager, second}
    assert Publication.objects.get(item=item).escalated_at == much_later
    chinese = next(n for n in told if n.recipient == second)
    assert "尚未上线" in text_of(chinese, "zh-hans")
    # Confirmed after all: nothing more.
    publishing.publication_confirm(item=item, user=editor, url="https://pages.tmall.com/wow/qixi")
    assert publishing.publications_dispatch(now=much_later + datetime.timedelta(hours=1)).escalated == 0


def test_a_held_item_alerts_the_managers_and_the_owner_not_the_brand_users(
    item_for, brand, manager, editor, italian, queued
):
    second = ManagerFactory(username="second-manager")
    ChannelLateLimit.objects.filter(channel="short_video").update(limit_minutes=60)
    item = item_for([brand], to=ContentStatus.SCHEDULED)
    make_late(item, datetime.timedelta(hours=3))
    publishing.publications_dispatch()

    assert ContentItem.objects.get(pk=item.pk).status == ContentStatus.HELD
    told = of_kind(Kind.CONTENT_HELD)
    assert {n.recipient for n in told} == {manager, second, editor}  # managers decide; owner (a manager), author
    text = text_of(told[0])
    assert "was found too late to go out on its own and is held" in text and "/publishing/" in text
    assert "past the channel's limit" in text  # the dispatcher's reason


def test_an_item_published_late_alerts_the_owner_and_the_author(item_for, brand, manager, editor, italian, queued):
    ChannelLateLimit.objects.filter(channel="short_video").update(limit_minutes=60)
    item = item_for([brand], to=ContentStatus.SCHEDULED)
    make_late(item, datetime.timedelta(minutes=40))
    publishing.publications_dispatch()
    publishing.publication_publish(item_id=item.pk)

    told = of_kind(Kind.CONTENT_LATE)
    assert {n.recipient for n in told} == {manager, editor}
    assert "went live on Short video 40 min after its time" in text_of(told[0])
    assert [n.recipient for n in of_kind(Kind.CONTENT_PUBLISHED)] == [italian]  # the brand user hears "live" only


def test_an_item_on_time_alerts_nobody_on_the_staff(item_for, brand, manager, editor, queued):
    publish(item_for([brand], to=ContentStatus.SCHEDULED))
    assert not Notification.objects.filter(kind__in=[Kind.CONTENT_LATE, Kind.CONTENT_HELD, Kind.GOLIVE_DUE]).exists()


def test_the_go_live_mail_is_in_the_recipients_language(item_for, brand, manager, queued):
    from campaigns.notifications.services import notifications_send

    manager.language = "it"
    manager.save()
    publish(item_for([brand], to=ContentStatus.SCHEDULED, channel="kol_post"))
    (notification,) = of_kind(Kind.GOLIVE_DUE)

    notifications_send(ids=[notification.pk])

    (message,) = mail.outbox
    assert message.to == [manager.email] and message.subject.startswith("Da pubblicare ora su Post KOL")
    assert "— Italiano —" in message.body and "Scatola regalo di Qixi" in message.body
