"""``seed_demo`` on the real test database: the registry, the users and a year of campaigns around today.

The command runs once for the module (inside a transaction rolled back at the end: it takes a while), and
every test reads what it made, through the models and through the pages.
"""

import datetime
import io
import zoneinfo
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from brands.models import Brand, BrandMembership, BrandRevision, ImageAsset
from campaigns.choices import ContentStatus
from campaigns.demo.specs import CAMPAIGNS
from campaigns.models import Campaign, ChannelRule, ContentItem, ContentTransition, Creative, CreativeSize
from campaigns.models.content import BRAND_VISIBLE_STATUSES
from campaigns.services import content_problems, festival_occurrence

# Every status a plan can put an item in; publishing and held are the dispatcher's passing states.
PLANNED_STATUSES = set(ContentStatus.values) - {ContentStatus.PUBLISHING, ContentStatus.HELD}

pytestmark = pytest.mark.django_db
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
PASSWORD = "demo-password-for-tests"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The output of one ``seed_demo`` run, with the demo users; everything is rolled back afterwards."""
    media = tmp_path_factory.mktemp("seed-demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_PASSWORD=PASSWORD, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        users = get_user_model().objects.in_bulk(["manager", "editor", "brand"], field_name="username")
        demo_brand = BrandMembership.objects.get(user=users["brand"]).brand
        yield SimpleNamespace(output=out.getvalue(), demo_brand=demo_brand, **users)
        transaction.set_rollback(True)


def china_today():
    return timezone.localdate(timezone=CHINA)


# --- the registry and the users --------------------------------------------------------------------


def test_seed_demo_creates_the_registry_and_the_users(seeded):
    assert Brand.objects.count() == 103
    counts = {c: Brand.objects.filter(category=c).count() for c in ("lifestyle", "food_beverage", "fashion")}
    assert all(30 <= n <= 40 for n in counts.values()), counts
    assert Brand.objects.exclude(name_zh_hans="").count() == 103
    assert Brand.objects.filter(logo__isnull=False).count() > 20
    assert Brand.objects.values("region").distinct().count() >= 15
    assert [seeded.manager.role, seeded.editor.role, seeded.brand.role] == ["manager", "editor", "brand"]
    assert seeded.editor.check_password(PASSWORD)
    assert BrandMembership.objects.filter(user=seeded.brand).count() == 1
    assert seeded.demo_brand == Brand.objects.order_by("pk").first()


def test_output_ends_with_the_logins_after_one_campaign_line(seeded):
    lines = seeded.output.splitlines()
    (campaign_line,) = [n for n, line in enumerate(lines) if line.startswith("Demo campaigns: ")]
    assert lines[campaign_line].startswith(f"Demo campaigns: {Campaign.objects.count()} created")
    logins = lines.index("Demo logins (user / password):")
    assert campaign_line < logins and len(lines) - logins <= 5
    assert all(PASSWORD in line for line in lines[logins + 1 : logins + 4])


def test_running_it_twice_changes_nothing(seeded):
    before = _state()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _state() == before
    assert "Demo brands: 0 created" in out.getvalue() and "Demo campaigns: 0 created" in out.getvalue()


def _state():
    from campaigns.tracking.models import OfflineEvent, Scan, TrackedLink

    models = (Brand, BrandRevision, ImageAsset, BrandMembership, get_user_model(), Campaign, ContentItem, Creative)
    models = (*models, OfflineEvent, TrackedLink, Scan)
    return (
        [m.objects.count() for m in (*models, ContentTransition)],
        list(Brand.objects.order_by("pk").values_list("updated_at", flat=True)),
        list(ContentItem.objects.order_by("pk").values_list("status", "version", "updated_at")),
    )


def test_a_past_event_with_its_scans_and_an_upcoming_one_with_its_codes(seeded):
    from campaigns.tracking.models import OfflineEvent, Scan, ScanHour
    from campaigns.tracking.selectors import scan_figures

    past, upcoming = OfflineEvent.objects.order_by("starts_on")
    assert past.ends_on < china_today() < upcoming.starts_on
    assert past.links.count() == 3 and upcoming.links.count() == 3
    assert 200 <= Scan.objects.filter(link__event=past).count() <= 800
    assert not Scan.objects.filter(link__event=upcoming).exists()
    assert sum(ScanHour.objects.values_list("scans", flat=True)) == Scan.objects.count()
    figures = scan_figures(past.links.all())
    assert figures.by_app[0].label == "WeChat" and 0 < figures.uniques < figures.total
    assert {seeded.demo_brand} <= set(past.brands.all()) and seeded.demo_brand in upcoming.brands.all()
    assert "Demo events: 2 created, 6 QR codes" in seeded.output


# --- campaigns and content -------------------------------------------------------------------------


def test_campaigns_lie_on_festivals_in_the_past_and_the_future(seeded):
    today = china_today()
    campaigns = list(Campaign.objects.select_related("festival"))
    assert 18 <= len(campaigns) <= 23
    assert sum(c.ends_on < today for c in campaigns) >= 5
    assert sum(c.starts_on > today for c in campaigns) >= 5
    for campaign in campaigns:
        occurrence = festival_occurrence(campaign.festival, campaign.festival_year)
        assert (campaign.starts_on, campaign.ends_on) == (occurrence.window_start, occurrence.window_end)
        assert str(campaign.festival_year) in campaign.title
        assert campaign.owner == seeded.manager
        assert campaign.items.exists() and campaign.brands.exists()
    assert {"done", "planned"} <= {c.status for c in campaigns}


def test_items_in_every_status_moved_only_through_the_workflow(seeded):
    items = list(ContentItem.objects.prefetch_related("transitions__user"))
    assert {item.status for item in items} == PLANNED_STATUSES
    now = timezone.now()
    for item in items:
        steps = sorted(item.transitions.all(), key=lambda t: t.pk)
        statuses = [ContentStatus.DRAFT] + [t.to_status for t in steps]
        assert all(t.from_status == statuses[n] for n, t in enumerate(steps)), item
        assert statuses[-1] == item.status
        assert item.author == seeded.editor
        for step in steps:
            if step.action == "approve":
                assert step.user == seeded.manager and step.user != item.author, "nobody approves their own item"
            if step.action in ("publish", "fail"):
                assert step.user is None
            if step.action == "submit":
                assert step.user == seeded.editor
        if item.status == ContentStatus.SCHEDULED:
            assert item.scheduled_at > now
        if item.status in (ContentStatus.PUBLISHED, ContentStatus.FAILED):
            assert item.scheduled_at <= now
    assert ContentTransition.objects.filter(action="request_changes").exclude(comment="").exists()
    assert ContentTransition.objects.filter(action="fail").exclude(comment="").exists()


def test_items_say_what_their_channel_needs(seeded):
    rules = {rule.channel: rule for rule in ChannelRule.objects.all()}
    items = list(ContentItem.objects.prefetch_related("creatives", "brands"))
    assert len({item.channel for item in items}) == 9
    for item in items:
        assert item.title_zh_hans and item.body_zh_hans, item
        assert item.brands.exists()
        if item.status in (*BRAND_VISIBLE_STATUSES, ContentStatus.FAILED):
            assert not [p for p in content_problems(item) if p.blocking], item
            assert not rules[item.channel].needs_creative or item.creatives.exists()
    assert sum(bool(i.title_en) for i in items) > len(items) / 2
    assert sum(bool(i.title_it) for i in items) > len(items) / 2
    assert any(not i.title_en and not i.title_it for i in items)
    hours = {timezone.localtime(i.scheduled_at, CHINA).strftime("%H:%M") for i in items}
    assert {"00:00", "20:00"} <= hours


def test_overdue_material_fills_the_todo_list_and_the_review_queue(seeded, client):
    assert ContentItem.objects.overdue(china_today()).exists()
    client.force_login(seeded.manager)
    context = client.get(reverse("campaigns:todo")).context
    assert context["overdue"] and context["in_review"]


def test_creatives_have_varied_dominant_colours_and_a_size_warning_or_two(seeded):
    creatives = list(Creative.objects.select_related("item", "image"))
    assert len(creatives) >= 25
    assert {c.dominant_name for c in creatives} >= {"red", "gold", "green", "blue"}
    assert all(c.subject and c.topic and c.dominant_hex.startswith("#") for c in creatives)
    sizes = {(s.channel, s.width, s.height) for s in CreativeSize.objects.all()}
    warned = [c for c in creatives if c.size_warning]
    assert 1 <= len(warned) <= 3
    for creative in creatives:
        fits = (creative.item.channel, creative.image.width, creative.image.height) in sizes
        assert fits != bool(creative.size_warning), creative
    assert any((c.image.width, c.image.height) == (1920, 540) for c in creatives)


# --- what the brand user sees ----------------------------------------------------------------------


def shared_campaign():
    (spec,) = [s for s in CAMPAIGNS if s.shared]
    return Campaign.objects.filter(title__startswith=spec.title).order_by("-starts_on").first()


def test_the_shared_campaign_shows_the_brand_user_only_their_reviewed_items(seeded, client):
    campaign = shared_campaign()
    brands = set(campaign.brands.all())
    others = brands - {seeded.demo_brand}
    assert seeded.demo_brand in brands and others
    items = list(campaign.items.prefetch_related("brands"))
    assert any(set(item.brands.all()) <= others for item in items), "items for the other brands too"
    expected = {i.pk for i in items if seeded.demo_brand in i.brands.all() and i.status in BRAND_VISIBLE_STATUSES}
    assert expected and expected != {i.pk for i in items}

    client.force_login(seeded.brand)
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    assert {item.pk for item in response.context["items"]} == expected
    page = response.content.decode()
    assert all(brand.name_it not in page for brand in others)
    hidden = [i for i in items if i.pk not in expected]
    assert all(client.get(i.get_absolute_url()).status_code == 404 for i in hidden)

    client.force_login(seeded.manager)
    assert len(client.get(campaign.get_absolute_url()).context["items"]) == len(items)


def test_the_demo_brand_has_reviewed_items_in_past_and_upcoming_months(seeded):
    visible = ContentItem.objects.visible_to(seeded.brand)
    now = timezone.now()
    assert visible.filter(scheduled_at__lt=now, status=ContentStatus.PUBLISHED).exists()
    assert visible.filter(scheduled_at__gt=now, status__in=[ContentStatus.APPROVED, ContentStatus.SCHEDULED]).exists()
    assert Campaign.objects.visible_to(seeded.brand).count() >= 4
    assert all(seeded.demo_brand in item.brands.all() for item in visible)


@pytest.mark.parametrize("who", ["manager", "editor", "brand"])
def test_the_month_of_an_upcoming_festival_shows_items_to_everyone(seeded, client, who):
    """The month of the brand user's next reviewed item: everyone sees it there, staff see the rest too."""
    upcoming = ContentItem.objects.visible_to(seeded.brand).filter(scheduled_at__gt=timezone.now())
    next_item = upcoming.earliest("scheduled_at")
    month = timezone.localtime(next_item.scheduled_at, CHINA)
    user = getattr(seeded, who)
    client.force_login(user)
    response = client.get(reverse("campaigns:calendar_month", args=[month.year, month.month]))
    assert response.status_code == 200
    shown = {item.pk for week in response.context["cal"].weeks for day in week for item in day.items}
    assert next_item.pk in shown and next_item.get_absolute_url() in response.content.decode()
    assert shown <= set(ContentItem.objects.visible_to(user).values_list("pk", flat=True))
    brand_sees = set(ContentItem.objects.visible_to(seeded.brand).values_list("pk", flat=True))
    if who == "brand":
        assert shown <= brand_sees
    else:
        assert shown - brand_sees, "staff also see drafts, reviews and other brands' items"


def test_the_double_11_launch_is_at_midnight_china_time(seeded):
    double_11 = Campaign.objects.filter(festival__key="double-11").first()
    launch = datetime.datetime(double_11.festival_year, 11, 11, tzinfo=CHINA)
    assert double_11.items.filter(scheduled_at=launch).exists(), "the Double 11 00:00 launch"
