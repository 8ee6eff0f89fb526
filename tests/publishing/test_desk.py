"""The publishing desk and the go-live pack: what waits for a person, and the person's decisions from the page."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import Channel
from campaigns.choices import ContentStatus as S
from campaigns.models import ContentItem, CreativeSize
from campaigns.publishing import services
from campaigns.publishing.models import ChannelLateLimit, Publication
from tests.campaigns.conftest import ZH_TEXTS, add_creative, china, make_item, move

pytestmark = pytest.mark.django_db
DESK = reverse("publishing:desk")


def _due(scheduled, **texts):
    item = scheduled(channel=Channel.KOL_POST, **texts)
    services.publications_dispatch()
    assert services.publication_publish(item_id=item.pk) == Publication.State.DUE
    return ContentItem.objects.get(pk=item.pk)


def _action(client, item, **data):
    return client.post(reverse("publishing:publication_action", args=[item.pk]), data)


def test_a_due_go_live_is_on_the_desk_and_confirmed_from_it(client_for, scheduled, queued, editor):
    item = _due(scheduled)
    staff = client_for(editor)
    page = staff.get(DESK).content.decode()
    assert item.title in page and 'name="url"' in page
    response = _action(staff, item, action="confirm", url="https://www.xiaohongshu.com/explore/42")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.PUBLISHED and item.publication.url == "https://www.xiaohongshu.com/explore/42"
    assert item.publication.finished_at >= item.publication.due_at
    assert "confirmed after" in staff.get(DESK).content.decode()


def test_a_confirmation_without_a_valid_url_is_refused_and_the_item_stays_due(client_for, scheduled, queued, editor):
    item = _due(scheduled)
    staff = client_for(editor)
    response = _action(staff, item, action="confirm", url="not a url")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == S.PUBLISHING and item.publication.state == Publication.State.DUE
    assert "Enter a valid URL" in staff.get(DESK).content.decode()


def test_go_lives_unconfirmed_too_long_are_flagged_to_managers(client_for, scheduled, queued, manager, settings):
    settings.PUBLISH_CONFIRM_ESCALATE_SECONDS = 600
    item = _due(scheduled)
    staff = client_for(manager)
    assert "managers alerted" not in staff.get(DESK).content.decode()
    Publication.objects.filter(item=item).update(due_at=timezone.now() - datetime.timedelta(minutes=11))
    assert "managers alerted" in staff.get(DESK).content.decode()
    home = staff.get(reverse("home")).content.decode()
    assert "Publishing needs you" in home and "waiting too long" in home


@pytest.fixture
def held(scheduled, queued):
    ChannelLateLimit.objects.filter(channel="short_video").update(limit_minutes=60)
    item = scheduled(late=datetime.timedelta(hours=3))
    services.publications_dispatch()
    return ContentItem.objects.get(pk=item.pk)


def test_held_items_alert_staff_and_a_manager_publishes_one_now(client_for, held, queued, manager, editor):
    home = client_for(editor).get(reverse("home")).content.decode()
    assert "1 item held" in home
    editor_desk = client_for(editor).get(DESK).content.decode()
    assert held.title in editor_desk and 'value="publish_now"' not in editor_desk  # managers decide that
    staff = client_for(manager)
    assert 'value="publish_now"' in staff.get(DESK).content.decode()
    _action(staff, held, action="publish_now")
    held.refresh_from_db()
    assert held.status == S.PUBLISHING and queued == [held.pk]


def test_an_editor_reschedules_a_held_item_in_china_time(client_for, held, editor):
    staff = client_for(editor)
    when = (timezone.now() + datetime.timedelta(days=2)).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    _action(staff, held, action="reschedule", scheduled_at=when.strftime("%Y-%m-%dT%H:%M"))
    held.refresh_from_db()
    assert held.status == S.SCHEDULED
    assert held.scheduled_at.astimezone(when.tzinfo).strftime("%Y-%m-%d %H:%M") == when.strftime("%Y-%m-%d %H:%M")


def test_a_reschedule_into_the_past_is_refused_with_the_reason(client_for, held, editor):
    staff = client_for(editor)
    _action(staff, held, action="reschedule", scheduled_at="2020-01-01T10:00")
    held.refresh_from_db()
    assert held.status == S.HELD
    assert "The scheduled time has passed" in staff.get(DESK).content.decode()


def test_the_go_live_pack_has_the_texts_and_the_creatives_at_the_channels_sizes(
    client_for, campaign, queued, editor, manager, brand
):
    from PIL import Image

    when = china(campaign.starts_on.year, 8, 8)
    texts = {"title_it": "Il gelato di Qixi", "body_it": "Testo italiano.", **ZH_TEXTS}
    item = make_item(campaign, author=editor, channel=Channel.RED_POST, brands=[brand], scheduled_at=when, **texts)
    add_creative(item, user=editor, size=(1242, 1660))
    item = move(ContentItem.objects.get(pk=item.pk), to=S.SCHEDULED, editor=editor, manager=manager)
    ContentItem.objects.filter(pk=item.pk).update(scheduled_at=timezone.now())
    item = _due_from(item)
    assert item.publication.state == Publication.State.DUE
    staff = client_for(editor)
    page = staff.get(reverse("publishing:golive_pack", args=[item.pk])).content.decode()
    assert "Il gelato di Qixi" in page and item.title_zh_hans in page and 'name="url"' in page
    size = CreativeSize.objects.get(channel=Channel.RED_POST)
    creative = item.creatives.get()
    response = staff.get(reverse("publishing:pack_creative", args=[item.pk, creative.pk, size.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (size.width, size.height)


def _due_from(item):
    services.publications_dispatch()
    services.publication_publish(item_id=item.pk)
    return ContentItem.objects.get(pk=item.pk)


def test_the_desk_costs_the_same_queries_for_1_and_5_items_per_section(client_for, scheduled, queued, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(DESK).status_code == 200
        return len(queries)

    _due(scheduled)
    one = count()
    for _ in range(4):
        _due(scheduled)
    assert count() == one


def test_a_failed_item_is_retried_from_the_desk_without_a_new_review(client_for, scheduled, queued, editor):
    item = scheduled()
    services.publications_dispatch()
    services.publication_fail(item_id=item.pk, reason="Tmall answered 503")
    staff = client_for(editor)
    page = staff.get(DESK).content.decode()
    assert "Tmall answered 503" in page and 'value="reschedule"' in page
    when = (timezone.now() + datetime.timedelta(minutes=3)).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    _action(
        staff, ContentItem.objects.get(pk=item.pk), action="reschedule", scheduled_at=when.strftime("%Y-%m-%dT%H:%M")
    )
    item.refresh_from_db()
    assert item.status == S.SCHEDULED and item.approved_by is not None
    assert list(item.transitions.values_list("action", flat=True)[:2]) == ["reschedule", "fail"]
    later = timezone.now() + datetime.timedelta(minutes=4)
    assert services.publications_dispatch(now=later).dispatched == 1
    assert services.publication_publish(item_id=item.pk) == Publication.State.PUBLISHED
