"""Notification test data: a campaign shared by two brands, their users (in Italian and Chinese, and one with no
language saved), and items walked through the real workflow."""

import datetime

import pytest
from django.utils import timezone

from campaigns.choices import ContentStatus
from campaigns.models import ContentItem
from campaigns.notifications.models import Notification
from campaigns.publishing import services as publishing
from tests.campaigns.conftest import ZH_TEXTS, china, make_campaign, make_item, move
from tests.factories import MembershipFactory, UserFactory
from tests.publishing.conftest import celery_worker, queued, wait_for  # noqa: F401 (fixtures)


@pytest.fixture
def shared(manager, brand, other_brand):
    """A campaign both brands take part in (next year's Qixi)."""
    return make_campaign(user=manager, brands=[brand, other_brand], year=timezone.now().year + 1, title="Qixi together")


@pytest.fixture
def italian(brand):
    """A brand user of ``brand`` who reads Italian, in Rome time."""
    user = UserFactory(username="giulia", first_name="Giulia", language="it", timezone="Europe/Rome")
    MembershipFactory(user=user, brand=brand)
    return user


@pytest.fixture
def chinese(brand):
    """A brand editor of ``brand`` who reads Chinese (China time)."""
    user = UserFactory(username="lihua", first_name="丽华", language="zh-hans")
    MembershipFactory(user=user, brand=brand, role="editor")
    return user


@pytest.fixture
def rival(other_brand):
    """A brand user of the other brand of the shared campaign."""
    user = UserFactory(username="rival")
    MembershipFactory(user=user, brand=other_brand)
    return user


@pytest.fixture
def item_for(shared, editor, manager):
    """``item_for([brand], to=status, channel=..., **texts)``: an item of the shared campaign written by the editor."""

    def make(brands, to=ContentStatus.DRAFT, channel="short_video", author=None, **texts):
        item = make_item(
            shared,
            author=author or editor,
            channel=channel,
            brands=brands,
            scheduled_at=china(shared.starts_on.year, 8, 8),
            **{**ZH_TEXTS, "title_en": "Qixi gift box", "title_it": "Scatola regalo di Qixi", **texts},
        )
        return move(item, to=to, editor=author or editor, manager=manager)

    return make


def publish(item: ContentItem) -> ContentItem:
    """Make a scheduled item due, dispatch it (its task collected by ``queued``) and publish it."""
    ContentItem.objects.filter(pk=item.pk).update(scheduled_at=timezone.now() - datetime.timedelta(seconds=1))
    publishing.publications_dispatch()
    publishing.publication_publish(item_id=item.pk)
    item.refresh_from_db()
    return item


def of_kind(kind) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).select_related("recipient").order_by("recipient__username"))
