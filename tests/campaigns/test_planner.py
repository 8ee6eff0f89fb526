"""The planner's calendar: campaign bars, thumbnails, the phone agenda, the week view in China time, and moving
items by drag or keyboard through the workflow (``ContentItemMoveView``)."""

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors
from campaigns.choices import ContentStatus
from campaigns.models import ContentItem, ContentTransition
from campaigns.planner import week_bars
from tests.campaigns.conftest import ZH_TEXTS, add_creative, china, make_campaign, make_item, move
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
ROME = zoneinfo.ZoneInfo("Europe/Rome")


def week_url(year=2027, week=40, **params):
    from urllib.parse import urlencode

    url = reverse("campaigns:calendar_week", args=[year, week])
    return f"{url}?{urlencode(params)}" if params else url


def reviewed(campaign, *, editor, manager, to=ContentStatus.APPROVED, **fields):
    """An item with what its channel needs (Chinese texts), written by ``editor`` and taken to ``to``."""
    item = make_item(campaign, author=editor, channel="kol_post", **{**ZH_TEXTS, **fields})
    return move(item, to=to, editor=editor, manager=manager)


def move_url(item):
    return reverse("campaigns:contentitem_move", args=[item.pk])


JSON = {"HTTP_ACCEPT": "application/json"}


# --- campaign bars ----------------------------------------------------------------------------------


def _campaign(title, starts_on, ends_on):
    return SimpleNamespace(title=title, starts_on=starts_on, ends_on=ends_on, url=f"/{title}/")


def test_a_campaign_bar_spans_its_days_in_each_week_it_crosses():
    # Wednesday 6 October to Tuesday 12 October 2027: two weeks, Monday 4 and Monday 11.
    campaign = _campaign("golden", datetime.date(2027, 10, 6), datetime.date(2027, 10, 12))

    (first,), hidden = week_bars([campaign], datetime.date(2027, 10, 4))
    (second,), _hidden = week_bars([campaign], datetime.date(2027, 10, 11))

    assert (first.start, first.end, first.before, first.after, hidden) == (3, 8, False, True, 0)
    assert (second.start, second.end, second.before, second.after) == (1, 3, True, False)
    assert first.url == "/golden/"


def test_campaigns_share_a_lane_when_their_days_do_not_overlap_and_the_rest_are_counted():
    monday = datetime.date(2027, 10, 4)
    early = _campaign("early", monday, monday + datetime.timedelta(days=1))  # Mon-Tue
    late = _campaign("late", monday + datetime.timedelta(days=3), monday + datetime.timedelta(days=6))  # Thu-Sun
    whole = [_campaign(f"whole-{i}", monday, monday + datetime.timedelta(days=6)) for i in range(5)]

    bars, hidden = week_bars([early, late, *whole], monday, lanes=4)

    lanes = {bar.campaign.title: bar.lane for bar in bars}
    assert lanes["early"] == lanes["late"] == 1
    assert [lanes[f"whole-{i}"] for i in range(3)] == [2, 3, 4]
    assert hidden == 2


def test_the_month_view_draws_campaign_bars_across_the_days(client_for, editor, brand):
    campaign = make_campaign(
        user=editor,
        festival_key=None,
        title="Autunno italiano",
        starts_on=datetime.date(2027, 10, 6),
        ends_on=datetime.date(2027, 10, 12),
        brands=[brand],
    )
    page = client_for(editor).get(reverse("campaigns:calendar_month", args=[2027, 10])).content.decode()

    url = campaign.get_absolute_url()
    assert f'<a class="bar cb-s3 cb-e8 cb-r1 status-draft after" href="{url}">Autunno italiano</a>' in page
    assert f'<a class="bar cb-s1 cb-e3 cb-r1 status-draft before" href="{url}">Autunno italiano</a>' in page


# --- thumbnails, the agenda, query counts -------------------------------------------------------------


def test_the_month_view_shows_a_creatives_thumbnail_through_the_private_view(client_for, editor, brand, media_root):
    campaign = make_campaign(user=editor, brands=[brand])
    item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 8, 8))
    creative = add_creative(item, user=editor)
    client = client_for(editor)

    page = client.get(reverse("campaigns:calendar_month", args=[2027, 8])).content.decode()

    thumb = creative.image_url("thumb")
    assert f'<img src="{thumb}" alt="" width="24" height="24" loading="lazy">' in page
    assert client.get(thumb).status_code == 200
    assert client_for(None).get(thumb).status_code == 404


def test_month_view_queries_stay_flat_with_thumbnails_and_bars(client_for, editor, brand, media_root):
    campaign = make_campaign(user=editor, brands=[brand])
    client = client_for(editor)
    url = reverse("campaigns:calendar_month", args=[2027, 8])

    def add(n):
        for i in range(n):
            item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 8, 1 + i % 28, 9))
            add_creative(item, user=editor)
            make_campaign(user=editor, title=f"Qixi {i}", brands=[brand])

    add(2)
    few = count_queries(client, url)
    add(12)
    assert count_queries(client, url) == few


def test_days_with_nothing_on_them_are_left_out_of_the_phone_agenda(client_for, editor, brand):
    campaign = make_campaign(user=editor, festival_key=None, brands=[brand])  # March, no festival
    make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 3, 10, 9))

    response = client_for(editor).get(reverse("campaigns:calendar_month", args=[2027, 3]))

    days = {day.date: day for week in response.context["cal"].weeks for day in week}
    assert not days[datetime.date(2027, 3, 10)].is_empty
    assert days[datetime.date(2027, 3, 11)].is_empty
    page = response.content.decode()
    assert page.count(' empty" data-date=') == sum(day.is_empty for day in days.values())
    assert '<h2 class="agenda-date">' in page


# --- the week view ------------------------------------------------------------------------------------


def test_the_week_places_items_at_their_china_hour_whatever_the_readers_zone(client_for, editor, brand):
    campaign = make_campaign(user=editor, festival_key="double-11", brands=[brand])
    launch = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 11, 11, 0))
    evening = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 11, 10, 20, 30))
    editor.timezone = "Europe/Rome"  # 17:00 and 13:30 in Rome, on the 10th: the week is still China time
    editor.save()

    timezone.activate(ROME)
    try:
        week = selectors.week_calendar(editor, 2027, 45)
    finally:
        timezone.deactivate()

    placed = {(slot.date, slot.hour): [i.pk for i in slot.items] for _h, slots in week.hours for slot in slots}
    assert placed[(datetime.date(2027, 11, 11), 0)] == [launch.pk]
    assert placed[(datetime.date(2027, 11, 10), 20)] == [evening.pk]
    assert sum(len(ids) for ids in placed.values()) == 2
    page = client_for(editor).get(week_url(2027, 45)).content.decode()
    assert '<time datetime="2027-11-11T00:00:00+08:00">00:00</time>' in page
    assert '<time datetime="2027-11-10T20:30:00+08:00">20:30</time>' in page


def test_the_week_shows_festivals_and_deadlines_on_top(client_for, editor, brand):
    campaign = make_campaign(user=editor, festival_key="double-11", brands=[brand])
    item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 11, 11, 0), title_en="Launch")
    week = item.due_on.isocalendar()

    page = client_for(editor).get(week_url(2027, 45), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "双十一" in page
    deadlines = client_for(editor).get(week_url(week.year, week.week)).content.decode()
    assert f'href="{item.get_absolute_url()}">Due: Launch</a>' in deadlines


def test_a_busy_hour_shows_its_first_items_and_counts_the_rest(client_for, editor, brand):
    campaign = make_campaign(user=editor, festival_key="double-11", brands=[brand])
    for minute in range(9):
        make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 11, 11, 0, minute))

    page = client_for(editor).get(week_url(2027, 45)).content.decode()

    assert page.count('class="item status-draft"') == 6 and "+3 more" in page


@pytest.mark.parametrize(("year", "week"), [(2027, 53), (2027, 0), (2150, 1)])
def test_a_week_that_does_not_exist_is_a_404(client_for, editor, year, week):
    assert client_for(editor).get(week_url(year, week)).status_code == 404


def test_a_brand_user_sees_only_their_reviewed_items_in_the_week(client_for, editor, manager, brand, other_brand):
    from tests.factories import MembershipFactory, UserFactory

    shared = make_campaign(user=editor, festival_key="double-11", brands=[brand, other_brand])
    kw = {"editor": editor, "manager": manager, "brands": [brand]}
    own = reviewed(shared, **kw, scheduled_at=china(2027, 11, 11, 0), title_en="Aurelio launch")
    make_item(shared, author=editor, brands=[brand], scheduled_at=china(2027, 11, 11, 1), title_en="Aurelio draft")
    reviewed(shared, **{**kw, "brands": [other_brand]}, scheduled_at=china(2027, 11, 11, 2), title_en="Bertazzi launch")
    viewer = UserFactory(username="aurelio-viewer")
    MembershipFactory(user=viewer, brand=brand)

    page = client_for(viewer).get(week_url(2027, 45)).content.decode()

    assert "Aurelio launch" in page and own.get_absolute_url() in page
    assert "Aurelio draft" not in page and "Bertazzi launch" not in page
    assert "data-planner" not in page and "draggable" not in page and "planner.js" not in page


# --- moving items ---------------------------------------------------------------------------------------


def test_the_calendar_offers_moving_to_staff_only(client_for, editor, manager, brand, brand_user):
    campaign = make_campaign(user=editor, brands=[brand])
    item = reviewed(campaign, editor=editor, manager=manager, brands=[brand], scheduled_at=china(2027, 8, 8))
    url = reverse("campaigns:calendar_month", args=[2027, 8])

    staff = client_for(editor).get(url).content.decode()
    assert 'data-planner="month"' in staff and f'data-id="{item.pk}"' in staff and "js/planner" in staff
    assert 'id="move-dialog"' in staff and "sends it back to review" in staff
    brand_page = client_for(brand_user).get(url).content.decode()
    assert item.get_absolute_url() in brand_page
    assert "data-planner" not in brand_page and "draggable" not in brand_page and "move-dialog" not in brand_page


def test_moving_a_draft_to_another_day_keeps_its_china_hour(client_for, editor, brand):
    campaign = make_campaign(user=editor, brands=[brand])
    item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 8, 8, 20, 15))

    response = client_for(editor).post(move_url(item), {"version": item.version, "date": "2027-08-12"}, **JSON)

    assert response.status_code == 200, response.content
    moved = ContentItem.objects.get(pk=item.pk)
    assert moved.scheduled_at == china(2027, 8, 12, 20, 15)
    assert moved.status == ContentStatus.DRAFT and moved.version == item.version + 1
    assert moved.due_on == item.due_on + datetime.timedelta(days=4)  # material due follows the item
    data = response.json()
    assert data["status"] == "draft" and data["version"] == moved.version and not data["back_to_review"]
    assert (data["date"], data["time"], data["datetime"]) == ("2027-08-12", "20:15", "2027-08-12T20:15:00+08:00")


def test_moving_to_an_hour_of_the_week_is_china_time_for_an_editor_in_rome(client_for, editor, brand):
    campaign = make_campaign(user=editor, brands=[brand])
    item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 8, 8, 20, 15))
    editor.timezone = "Europe/Rome"
    editor.save()

    data = {"version": item.version, "date": "2027-08-09", "time": "10:15", "zone": "Asia/Shanghai"}
    response = client_for(editor).post(move_url(item), data, **JSON)

    assert response.status_code == 200
    assert ContentItem.objects.get(pk=item.pk).scheduled_at == china(2027, 8, 9, 10, 15)


def test_moving_in_the_month_view_of_an_editor_in_rome_keeps_the_rome_time(client_for, editor, brand):
    campaign = make_campaign(user=editor, brands=[brand])
    item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 8, 8, 20, 0))  # 14:00 Rome
    editor.timezone = "Europe/Rome"
    editor.save()

    data = {"version": item.version, "date": "2027-08-10", "zone": "Europe/Rome"}
    assert client_for(editor).post(move_url(item), data, **JSON).status_code == 200
    assert ContentItem.objects.get(pk=item.pk).scheduled_at == datetime.datetime(2027, 8, 10, 14, 0, tzinfo=ROME)


@pytest.mark.parametrize("status", [ContentStatus.APPROVED, ContentStatus.SCHEDULED])
def test_moving_an_approved_or_scheduled_item_sends_it_back_to_review(client_for, editor, manager, brand, status):
    campaign = make_campaign(user=editor, brands=[brand])
    item = reviewed(campaign, editor=editor, manager=manager, to=status, brands=[brand], scheduled_at=china(2027, 8, 8))

    response = client_for(editor).post(move_url(item), {"version": item.version, "date": "2027-08-09"}, **JSON)

    assert response.status_code == 200
    moved = ContentItem.objects.get(pk=item.pk)
    assert moved.status == ContentStatus.IN_REVIEW and moved.approved_by is None
    step = ContentTransition.objects.filter(item=moved).first()
    assert (step.action, step.from_status, step.changes) == ("changed_after_approval", status, ["scheduled_at"])
    data = response.json()
    assert data["back_to_review"] and data["status"] == "in_review" and "went back to review" in data["message"]
    assert data["version"] == moved.version


def test_a_stale_version_is_refused_with_a_clear_message(client_for, editor, brand):
    campaign = make_campaign(user=editor, brands=[brand])
    item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 8, 8))
    seen = item.version
    from campaigns.services import content_save

    content_save(user=editor, campaign=campaign, item=item, title_en="Changed by someone else")

    response = client_for(editor).post(move_url(item), {"version": seen, "date": "2027-08-09"}, **JSON)

    assert response.status_code == 409
    assert response.json()["code"] == "stale" and "Reload the page" in response.json()["error"]
    assert ContentItem.objects.get(pk=item.pk).scheduled_at == china(2027, 8, 8)


def test_a_published_item_cannot_be_moved(client_for, editor, manager, brand):
    campaign = make_campaign(user=editor, brands=[brand])
    item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 8, 8))
    item = move(item, to=ContentStatus.PUBLISHED, editor=editor, manager=manager)

    response = client_for(editor).post(move_url(item), {"version": item.version, "date": "2027-08-09"}, **JSON)

    assert response.status_code == 400 and "cannot be moved" in response.json()["error"]
    assert ContentItem.objects.get(pk=item.pk).scheduled_at == china(2027, 8, 8)


def test_brand_users_cannot_move_anything_and_are_told_nothing_exists(client_for, editor, manager, brand, brand_user):
    campaign = make_campaign(user=editor, brands=[brand])
    # Their own brand's item, which they may see:
    item = reviewed(campaign, editor=editor, manager=manager, brands=[brand], scheduled_at=china(2027, 8, 8))
    client = client_for(brand_user)

    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.post(move_url(item), {"version": item.version, "date": "2027-08-09"}, **JSON).status_code == 404
    missing = reverse("campaigns:contentitem_move", args=[999_999])
    assert client.post(missing, {"version": 1, "date": "2027-08-09"}, **JSON).status_code == 404
    assert ContentItem.objects.get(pk=item.pk).scheduled_at == china(2027, 8, 8)
    assert client_for(None).post(move_url(item), {"version": item.version, "date": "2027-08-09"}).status_code == 302


def test_without_javascript_a_move_redirects_back_with_a_message(client_for, editor, manager, brand):
    campaign = make_campaign(user=editor, brands=[brand])
    item = reviewed(campaign, editor=editor, manager=manager, brands=[brand], scheduled_at=china(2027, 8, 8))
    back = reverse("campaigns:calendar_month", args=[2027, 8])

    response = client_for(editor).post(
        move_url(item), {"version": item.version, "date": "2027-08-09", "next": back}, follow=True
    )

    assert response.redirect_chain[-1][0] == back
    assert "went back to review" in response.content.decode()
    outside = client_for(editor).post(
        move_url(item), {"version": item.version + 1, "date": "2027-08-10", "next": "https://evil.example/"}
    )
    assert outside.status_code == 302 and outside.url.startswith("/campaigns/calendar/2027/8/")


def test_an_incomplete_move_is_refused(client_for, editor, brand):
    campaign = make_campaign(user=editor, brands=[brand])
    item = make_item(campaign, author=editor, brands=[brand], scheduled_at=china(2027, 8, 8))

    response = client_for(editor).post(move_url(item), {"date": "2027-08-09"}, **JSON)  # no version

    assert response.status_code == 400 and response.json()["error"]
    assert ContentItem.objects.get(pk=item.pk).scheduled_at == china(2027, 8, 8)
