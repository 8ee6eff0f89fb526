"""The demo campaign plan (``campaigns.demo``): a year around any day, every status, texts and banners that fit.

These run without the database, so the plan is checked for many "todays"; what ``seed_demo`` writes is
checked in ``tests/brands/test_seed_demo.py``.
"""

import datetime
import io
import re
import zoneinfo

import pytest
from PIL import Image

from campaigns.choices import Channel, ContentStatus, PictureSubject, Topic
from campaigns.colors import color_name, dominant_color
from campaigns.demo import demo_campaign_plan
from campaigns.demo.banners import banner_png
from campaigns.demo.plan import item_texts
from campaigns.demo.specs import CAMPAIGNS, COPY, CREATIVE_SIZES, KOLS
from campaigns.festivals import DEFAULT_FESTIVALS

# Every status a plan can put an item in; publishing and held are the dispatcher's passing states.
PLANNED_STATUSES = set(ContentStatus.values) - {ContentStatus.PUBLISHING, ContentStatus.HELD}

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
CJK = re.compile(r"[\u4e00-\u9fff]")
REVIEWED = {ContentStatus.APPROVED, ContentStatus.SCHEDULED, ContentStatus.PUBLISHED}
# Every fourth day over two years, at a China-time afternoon.
DAYS = [datetime.datetime(2026, 1, 1, 15, tzinfo=CHINA) + datetime.timedelta(days=n) for n in range(0, 731, 4)]


def plan(now):
    return demo_campaign_plan(list(DEFAULT_FESTIVALS), now=now)


def test_the_plan_is_deterministic():
    now = datetime.datetime(2026, 12, 1, 20, tzinfo=CHINA)
    assert plan(now) == plan(now)


def test_every_spec_names_a_default_festival_and_real_choices():
    keys = {f.key for f in DEFAULT_FESTIVALS}
    for spec in CAMPAIGNS:
        assert spec.festival in keys
        assert spec.subject in PictureSubject.values and spec.topic in Topic.values
        assert all(0 <= c <= 255 for c in spec.color)
        for item in spec.items:
            assert item.channel in Channel.values and item.channel in COPY
            assert item.upcoming in {"draft", "in_review", "approved", "scheduled", "cancelled"}
            assert item.past in {"draft", "published", "failed", "cancelled"}
            assert "zh" in item.languages
            assert not item.kol or item.kol in KOLS
            assert min(item.brands) >= 0 and max(item.brands) < spec.others + spec.demo
    assert sum(spec.shared for spec in CAMPAIGNS) == 1
    assert sum(spec.demo for spec in CAMPAIGNS) >= 4


@pytest.mark.parametrize("now", DAYS, ids=lambda d: d.date().isoformat())
def test_on_any_day_the_plan_spans_past_and_upcoming_festivals_with_every_status(now):
    today = now.date()
    campaigns = plan(now)
    items = [item for campaign in campaigns for item in campaign.items]
    assert 18 <= len(campaigns) <= 24
    assert sum(c.occurrence.date < today for c in campaigns) >= 5
    assert sum(c.occurrence.date >= today for c in campaigns) >= 5
    assert {c.occurrence.key for c in campaigns} == {s.festival for s in CAMPAIGNS}, "every festival once or twice"
    assert {item.status for item in items} == PLANNED_STATUSES
    for item in items:
        if item.status in (ContentStatus.SCHEDULED, "approved", "in_review"):
            assert item.scheduled_at > now, item
        if item.status in (ContentStatus.PUBLISHED, ContentStatus.FAILED):
            assert item.scheduled_at <= now, item
    overdue = [i for i in items if i.due_on < today and i.status in (ContentStatus.DRAFT, ContentStatus.IN_REVIEW)]
    assert overdue, "the To-do list has material past due"
    demo_reviewed = [
        item for c in campaigns if c.spec.demo for item in c.items if 0 in item.spec.brands and item.status in REVIEWED
    ]
    assert any(i.scheduled_at <= now for i in demo_reviewed) and any(i.scheduled_at > now for i in demo_reviewed)
    (shared,) = [c for c in campaigns if c.spec.shared and not c.lesson]
    assert {b for item in shared.items for b in item.spec.brands} >= {0, 1, 2}
    coming = min((c for c in campaigns if c.occurrence.date >= today), key=lambda c: c.occurrence.date)
    lessons = [c for c in campaigns if c.lesson]
    assert all(c.spec.festival == coming.spec.festival and c.year == coming.year - 1 for c in lessons)
    assert all(c.status == "done" for c in lessons), "last year's campaign is over: its results make the lesson"
    planned_last_year = any(c.spec.festival == coming.spec.festival and c.year == coming.year - 1 for c in campaigns)
    assert planned_last_year, "the next festival's campaign shows last year's lesson"


def test_items_go_out_at_china_time_hours_inside_their_campaign():
    campaigns = plan(datetime.datetime(2026, 12, 1, 20, tzinfo=CHINA))
    hours = {item.scheduled_at.astimezone(CHINA).hour for c in campaigns for item in c.items}
    assert {0, 20} <= hours
    (double_11,) = [c for c in campaigns if c.occurrence.key == "double-11"]
    launch = datetime.datetime(double_11.year, 11, 11, 0, 0, tzinfo=CHINA)
    assert any(item.scheduled_at == launch for item in double_11.items), "the Double 11 00:00 launch"
    for campaign in campaigns:
        for item in campaign.items:
            day = item.scheduled_at.astimezone(CHINA).date()
            assert campaign.occurrence.window_start <= day <= campaign.occurrence.window_end, (campaign.title, item)


def test_texts_are_in_chinese_always_and_in_english_or_italian_often():
    brand, product = ("寒溪金饰坊", "Rio Freddo Jewellery", "Gioielli Rio Freddo"), ("手镯", "bangle", "bracciale")
    texts = [item_texts(spec, item, brand, product) for spec in CAMPAIGNS for item in spec.items]
    for fields, item in zip(texts, [item for spec in CAMPAIGNS for item in spec.items], strict=True):
        assert CJK.search(fields["title_zh_hans"]) and CJK.search(fields["body_zh_hans"])
        assert all(len(fields[f]) <= 200 for f in fields if f.startswith("title_"))
        assert "{" not in "".join(fields.values()), "every placeholder filled"
        if item.channel == "offline_event":
            assert fields["title_en"] and fields["body_en"], "offline events need English"
        assert "Rio Freddo" in fields.get("title_en", "Rio Freddo") + fields.get("body_en", "")
    assert sum("title_en" in t for t in texts) > len(texts) / 2
    assert sum("title_it" in t for t in texts) > len(texts) / 2
    assert any(set(t) == {"title_zh_hans", "body_zh_hans"} for t in texts), "some items are in Chinese only"


@pytest.mark.parametrize("spec", CAMPAIGNS, ids=lambda s: s.festival)
def test_a_campaign_banner_is_a_png_whose_dominant_colour_is_the_campaign_colour(spec):
    data = banner_png(spec.color, CREATIVE_SIZES["banner"], f"{spec.title} 2026")
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (1920, 540))
    assert dominant_color(data).name == color_name(spec.color)
    assert banner_png(spec.color, CREATIVE_SIZES["banner"], f"{spec.title} 2026") == data


def test_campaign_colours_vary():
    assert {color_name(spec.color) for spec in CAMPAIGNS} >= {"red", "gold", "green", "blue", "pink", "purple"}


def test_tall_banner_keeps_its_colour():
    data = banner_png((110, 50, 150), CREATIVE_SIZES["red_post"], "Qixi Italian romance 2026")
    assert dominant_color(data).name == "purple"
