"""Campaign test data, built through the services so derived columns (windows, due dates, warnings) are real."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from brands.images import image_ingest
from campaigns.calendar import occurrences
from campaigns.choices import ContentStatus
from campaigns.models import ContentItem, Festival
from campaigns.services import campaign_save, content_save, content_transition, creative_add
from tests.brands.test_images import make_image
from tests.factories import ManagerFactory

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
ROME = zoneinfo.ZoneInfo("Europe/Rome")
UTC = datetime.UTC
ZH_TEXTS = {"title_zh_hans": "七夕礼盒", "body_zh_hans": "意大利手工礼盒，七夕限定。"}
ITALIAN_RED = (200, 16, 46)


def china(year, month, day, hour=20, minute=0) -> datetime.datetime:
    """A moment entered in China time, as staff type it."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=CHINA)


def occurrence(key: str, year: int):
    """The festival's dates from the rule engine, with the festivals as stored in the database."""
    (found,) = [o for o in occurrences(year, Festival.objects.specs()) if o.key == key]
    return found


def make_campaign(*, user, festival_key="qixi", year=2027, brands=(), title=None, **fields):
    """A campaign on a festival (its window as dates), or without one (``festival_key=None``, dates given)."""
    festival = Festival.objects.get(key=festival_key) if festival_key else None
    if festival is None:
        fields.setdefault("starts_on", datetime.date(year, 3, 1))
        fields.setdefault("ends_on", datetime.date(year, 3, 31))
    return campaign_save(
        user=user,
        brands=list(brands),
        title=title or f"{festival_key or 'Spring launch'} {year}",
        festival=festival,
        festival_year=year if festival else None,
        **fields,
    )


def make_item(campaign, *, author, channel="banner", scheduled_at=None, brands=None, **texts):
    """A draft content item; ``title_en`` defaults to a stand-in so the item has a title."""
    if not any(name.startswith("title_") for name in texts):
        texts["title_en"] = "Qixi gift box"
    return content_save(
        user=author,
        campaign=campaign,
        channel=channel,
        scheduled_at=scheduled_at or china(2027, 8, 8),
        brands=brands,
        **texts,
    )


def ingested(size=(1920, 540), color=ITALIAN_RED, fmt="PNG", mode="RGB"):
    """An image as the upload pipeline hands it over."""
    data = make_image(fmt, size=size, mode=mode, color=color)
    return image_ingest(SimpleUploadedFile(f"banner.{fmt.lower()}", data, content_type=f"image/{fmt.lower()}"))


def add_creative(item, *, user, size=(1920, 540), color=ITALIAN_RED, **kwargs):
    return creative_add(item=item, user=user, image=ingested(size=size, color=color), **kwargs)


def move(item, *, to, editor, manager):
    """Walk a draft (written by ``editor``) through the workflow up to ``to``."""
    path = {
        ContentStatus.DRAFT: [],
        ContentStatus.IN_REVIEW: [("submit", editor)],
        ContentStatus.APPROVED: [("submit", editor), ("approve", manager)],
        ContentStatus.SCHEDULED: [("submit", editor), ("approve", manager), ("schedule", editor)],
    }
    if to in path:
        for action, user in path[to]:
            item = content_transition(item=item, user=user, action=action)
        return item
    ContentItem.objects.filter(pk=item.pk).update(status=to)  # Published/failed come from the publisher.
    item.refresh_from_db()
    return item


@pytest.fixture
def second_manager(db):
    return ManagerFactory(username="manager-two")


@pytest.fixture
def campaign(manager, brand):
    return make_campaign(user=manager, brands=[brand])


@pytest.fixture
def ready_item(campaign, editor, brand):
    """A KOL post written by the editor, with everything its channel needs (Chinese texts, no creative)."""
    return make_item(campaign, author=editor, channel="kol_post", brands=[brand], **ZH_TEXTS)
