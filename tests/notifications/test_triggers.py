"""Who is told what: content gone live, approvals and changes asked, each written in the transaction of the step."""

import pytest
from django.utils import translation

from campaigns.choices import ContentStatus
from campaigns.notifications.models import Notification
from campaigns.notifications.render import render
from campaigns.publishing import services as publishing
from campaigns.services import content_save, content_transition
from tests.factories import EditorFactory

from .conftest import of_kind, publish

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def english(notification) -> str:
    with translation.override("en"):
        rendered = render(notification)
    return f"{rendered.subject}\n{rendered.text}"


def test_a_published_item_tells_the_brand_users_of_its_brands_and_not_the_other_brand(
    item_for, brand, italian, chinese, rival, queued, editor, manager
):
    item = publish(item_for([brand], to=ContentStatus.SCHEDULED))

    assert item.status == ContentStatus.PUBLISHED
    told = of_kind(Kind.CONTENT_PUBLISHED)
    assert [n.recipient for n in told] == [italian, chinese]  # never the rival brand's user, nor staff
    for notification in told:
        text = english(notification)
        assert "Now live: Qixi gift box" in text and "Frantoio Aurelio" in text and "Short video" in text
        assert "Maglificio Bertazzi" not in text
        assert notification.item == item and notification.url == item.get_absolute_url()


def test_an_item_of_both_brands_names_to_each_brand_only_its_own(item_for, brand, other_brand, italian, rival, queued):
    publish(item_for([brand, other_brand], to=ContentStatus.SCHEDULED))

    texts = {n.recipient: english(n) for n in of_kind(Kind.CONTENT_PUBLISHED)}
    assert "Frantoio Aurelio" in texts[italian] and "Maglificio Bertazzi" not in texts[italian]
    assert "Maglificio Bertazzi" in texts[rival] and "Frantoio Aurelio" not in texts[rival]


def test_a_manual_go_live_tells_the_brand_users_the_live_url(item_for, brand, italian, queued, editor):
    item = publish(item_for([brand], to=ContentStatus.SCHEDULED, channel="kol_post"))
    assert item.status == ContentStatus.PUBLISHING and not of_kind(Kind.CONTENT_PUBLISHED)  # due for go-live

    publishing.publication_confirm(item=item, user=editor, url="https://pages.tmall.com/wow/qixi-aurelio")

    (notification,) = of_kind(Kind.CONTENT_PUBLISHED)
    assert "Where: https://pages.tmall.com/wow/qixi-aurelio" in english(notification)


def test_a_publication_that_rolls_back_tells_nobody(item_for, brand, italian, queued, monkeypatch):
    from campaigns import events

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(events, "content_published", broken)
    with pytest.raises(RuntimeError):
        publish(item_for([brand], to=ContentStatus.SCHEDULED))

    assert not Notification.objects.filter(kind=Kind.CONTENT_PUBLISHED).exists()


def test_approval_tells_the_author_and_not_the_approver(item_for, brand, editor, manager, italian):
    item = item_for([brand], to=ContentStatus.APPROVED)

    (notification,) = of_kind(Kind.CONTENT_APPROVED)
    assert notification.recipient == editor and notification.item == item
    assert english(notification).startswith("Approved: Qixi gift box\nmanager approved “Qixi gift box” (Short video).")
    assert not Notification.objects.exclude(kind=Kind.CONTENT_APPROVED).exists()  # brand users hear nothing yet


def test_changes_asked_tell_the_author_and_the_last_editor_with_the_comment(item_for, brand, editor, manager):
    colleague = EditorFactory(username="colleague")
    item = item_for([brand], to=ContentStatus.DRAFT)
    item = content_save(user=colleague, campaign=item.campaign, item=item, title_en="Qixi gift box, new cut")
    item = content_transition(item=item, user=editor, action="submit")

    content_transition(item=item, user=manager, action="request_changes", comment="Il logo è troppo piccolo.")

    told = of_kind(Kind.CONTENT_SENT_BACK)
    assert [n.recipient for n in told] == [colleague, editor]
    text = english(told[0])
    assert text.startswith("Changes requested: Qixi gift box, new cut\nmanager sent “Qixi gift box, new cut”")
    assert "Il logo è troppo piccolo." in text


def test_steps_that_concern_nobody_write_nothing(item_for, brand, italian):
    item = item_for([brand], to=ContentStatus.SCHEDULED)
    content_transition(item=item, user=item.author, action="unschedule")

    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.CONTENT_APPROVED}
