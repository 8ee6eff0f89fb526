"""Planning pages: access, China-time entry and display, the review actions, query counts."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, ContentItem, Festival
from tests.factories import BrandFactory, ManagerFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def plan(user, brands, festival="qixi", year=2027, reviewed=False, **item_fields):
    """A campaign with one item written by ``user``; ``reviewed`` has another manager approve it."""
    campaign = services.campaign_save(
        user=user,
        title=f"{festival} {year}",
        festival=Festival.objects.get(key=festival),
        festival_year=year,
        category="fashion",
        brands=brands,
    )
    fields = {
        "channel": "kol_post",
        "scheduled_at": datetime.datetime(year, 8, 1, 20, 0, tzinfo=CHINA),
        "title_zh_hans": "七夕礼物",
        "body_zh_hans": "意大利时尚",
        **item_fields,
    }
    item = services.content_save(user=user, campaign=campaign, brands=brands, **fields)
    if reviewed:
        item = services.content_transition(item=item, user=user, action="submit")
        item = services.content_transition(item=item, user=ManagerFactory(), action="approve")
    return campaign, item


def month_url(year=2027, month=8, **params):
    from urllib.parse import urlencode

    url = reverse("campaigns:calendar_month", args=[year, month])
    return f"{url}?{urlencode(params)}" if params else url


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/campaigns/", "/campaigns/calendar/", "/campaigns/calendar/2027/8/", "/campaigns/todo/", "/campaigns/new/"]
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_brand_user_sees_only_campaigns_and_items_of_their_brand(client_for, editor, brand_user, brand, other_brand):
    own, own_item = plan(editor, [brand], reviewed=True)
    foreign, foreign_item = plan(editor, [other_brand], festival="double-11", reviewed=True)
    client = client_for(brand_user)
    assert list(client.get(reverse("campaigns:campaign_list")).context["object_list"]) == [own]
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(own_item.get_absolute_url()).status_code == 200
    assert client.get(foreign.get_absolute_url()).status_code == 404
    assert client.get(foreign_item.get_absolute_url()).status_code == 404
    page = client.get(month_url()).content.decode()
    assert own_item.title_zh_hans in page


@pytest.mark.parametrize("url", ["/campaigns/new/", "/campaigns/todo/"])
def test_brand_user_cannot_open_planning_pages(client_for, brand_user, url):
    assert client_for(brand_user).get(url).status_code == 403


def test_brand_user_cannot_move_an_item_and_is_told_nothing_exists(client_for, editor, brand_user, brand):
    _campaign, item = plan(editor, [brand])
    url = reverse("campaigns:contentitem_transition", args=[item.pk])
    assert client_for(brand_user).post(url, {"action": "submit"}).status_code == 404
    assert ContentItem.objects.get(pk=item.pk).status == "draft"


def test_year_outside_the_calendar_is_a_404_not_a_crash(client_for, editor):
    assert client_for(editor).get(reverse("campaigns:calendar_year", args=[2150])).status_code == 404
    assert client_for(editor).get(reverse("campaigns:calendar_month", args=[2027, 13])).status_code == 404


# --- time zones -----------------------------------------------------------------------------------


def test_item_entered_at_20_china_time_is_stored_at_12_utc(client_for, editor, brand):
    campaign, _item = plan(editor, [brand])
    editor.timezone = "Europe/Rome"  # the entry is China time whatever the editor's own zone
    editor.save()
    response = client_for(editor).post(
        reverse("campaigns:contentitem_create", args=[campaign.pk]),
        {"channel": "kol_post", "scheduled_at": "2027-08-08T20:00", "title_en": "Qixi night", "brands": [brand.pk]},
    )
    assert response.status_code == 302
    item = ContentItem.objects.get(title_en="Qixi night")
    assert item.scheduled_at == datetime.datetime(2027, 8, 8, 12, 0, tzinfo=datetime.UTC)
    form = client_for(editor).get(reverse("campaigns:contentitem_update", args=[item.pk])).content.decode()
    assert 'value="2027-08-08T20:00"' in form


@pytest.mark.parametrize(
    ("timezone", "when", "expected"),
    [
        ("Asia/Shanghai", datetime.datetime(2027, 1, 15, 20, 0, tzinfo=CHINA), "20:00"),
        ("Europe/Rome", datetime.datetime(2027, 1, 15, 20, 0, tzinfo=CHINA), "13:00"),
        ("Europe/Rome", datetime.datetime(2027, 8, 1, 20, 0, tzinfo=CHINA), "14:00"),
    ],
)
def test_item_time_is_shown_in_the_users_zone(client_for, editor, brand_user, brand, timezone, when, expected):
    _campaign, item = plan(editor, [brand], scheduled_at=when, reviewed=True)
    brand_user.timezone = timezone
    brand_user.save()
    page = client_for(brand_user).get(month_url(when.year, when.month)).content.decode()
    assert (
        f'<time datetime="{item.scheduled_at.astimezone(zoneinfo.ZoneInfo(timezone)).isoformat()}">{expected}</time>'
        in page
    )


# --- review ---------------------------------------------------------------------------------------


def transition(client, item, action, **data):
    return client.post(
        reverse("campaigns:contentitem_transition", args=[item.pk]), {"action": action, **data}, follow=True
    )


def test_editor_submits_and_another_manager_approves_and_schedules(client_for, editor, manager, brand):
    _campaign, item = plan(editor, [brand])
    transition(client_for(editor), item, "submit")
    assert ContentItem.objects.get(pk=item.pk).status == "in_review"
    response = transition(client_for(editor), item, "approve")
    assert "Only an agency manager" in response.content.decode()
    transition(client_for(manager), item, "approve_schedule")
    item.refresh_from_db()
    assert (item.status, item.approved_by) == ("scheduled", manager)
    assert [t.to_status for t in item.transitions.order_by("pk")] == ["in_review", "approved", "scheduled"]
    page = client_for(editor).get(month_url()).content.decode()
    assert 'class="item status-scheduled"' in page


def test_manager_cannot_approve_their_own_item(client_for, manager, brand):
    _campaign, item = plan(manager, [brand])
    client = client_for(manager)
    transition(client, item, "submit")
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'value="approve"' not in page and "nobody approves their own item" in page
    response = transition(client, item, "approve")
    assert "Nobody approves their own item" in response.content.decode()
    assert ContentItem.objects.get(pk=item.pk).status == "in_review"
    transition(client_for(ManagerFactory()), item, "approve")
    assert ContentItem.objects.get(pk=item.pk).status == "approved"


def test_approval_is_blocked_while_the_chinese_text_is_missing(client_for, editor, manager, brand):
    _campaign, item = plan(editor, [brand], title_zh_hans="", body_zh_hans="", title_en="Qixi")
    transition(client_for(editor), item, "submit")
    response = transition(client_for(manager), item, "approve")
    assert "missing" in response.content.decode()
    assert ContentItem.objects.get(pk=item.pk).status == "in_review"


def test_asking_for_changes_needs_a_comment_and_returns_to_draft(client_for, editor, manager, brand):
    _campaign, item = plan(editor, [brand])
    transition(client_for(editor), item, "submit")
    transition(client_for(manager), item, "request_changes")
    assert ContentItem.objects.get(pk=item.pk).status == "in_review"
    transition(client_for(manager), item, "request_changes", comment="Shorter title, please")
    item.refresh_from_db()
    assert item.status == "draft" and item.transitions.first().comment == "Shorter title, please"


def test_todo_lists_overdue_material(client_for, editor, brand):
    _campaign, item = plan(editor, [brand], scheduled_at=datetime.datetime(2026, 12, 1, 20, 0, tzinfo=CHINA))
    ContentItem.objects.filter(pk=item.pk).update(due_on=datetime.date(2026, 1, 1))
    response = client_for(editor).get(reverse("campaigns:todo"))
    assert [i.pk for i in response.context["overdue"]] == [item.pk]


def test_copy_to_next_year_from_the_campaign_page(client_for, editor, brand):
    campaign, _item = plan(editor, [brand])
    response = client_for(editor).post(reverse("campaigns:campaign_copy", args=[campaign.pk]))
    copy = Campaign.objects.get(copied_from=campaign)
    assert response.url == copy.get_absolute_url() and copy.festival_year == 2028
    moved = copy.items.get().scheduled_at.astimezone(CHINA)
    assert moved.time() == datetime.time(20, 0)


def test_campaign_form_takes_the_festival_window(client_for, editor, brand):
    response = client_for(editor).post(
        reverse("campaigns:campaign_create"),
        {
            "title": "Qixi for fashion",
            "festival": Festival.objects.get(key="qixi").pk,
            "festival_year": 2027,
            "category": "fashion",
            "brands": [brand.pk],
            "channels": ["banner", "kol_post"],
            "status": "draft",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Qixi for fashion")
    assert campaign.ends_on == datetime.date(2027, 8, 8) and campaign.owner == editor


def test_campaign_without_festival_or_dates_is_a_form_error(client_for, editor):
    response = client_for(editor).post(reverse("campaigns:campaign_create"), {"title": "x", "status": "draft"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


# --- query counts ---------------------------------------------------------------------------------


def test_month_view_and_campaign_list_queries_are_flat(client_for, editor):
    client = client_for(editor)
    brands = [BrandFactory() for _ in range(3)]

    def add(n):
        for i in range(n):
            plan(editor, brands, scheduled_at=datetime.datetime(2027, 8, 1 + i % 28, 9 + i % 12, 0, tzinfo=CHINA))

    add(2)
    small = (count_queries(client, month_url()), count_queries(client, reverse("campaigns:campaign_list")))
    add(20)
    large = (count_queries(client, month_url()), count_queries(client, reverse("campaigns:campaign_list")))
    assert small == large
    filtered = count_queries(client, month_url(brand=brands[0].slug, category="fashion"))
    assert filtered == small[0]


def test_a_busy_day_shows_its_first_items_and_links_to_the_whole_day(client_for, editor, brand):
    for minute in range(12):
        plan(editor, [brand], scheduled_at=datetime.datetime(2027, 8, 3, 9, minute, tzinfo=CHINA))
    client = client_for(editor)
    page = client.get(month_url()).content.decode()
    assert page.count('class="item status-draft"') == 8 and "+4 more" in page
    page = client.get(month_url(day="2027-08-03")).content.decode()
    assert page.count('class="item status-draft"') == 8 + 12


def test_manager_edits_a_festival_rule_and_the_dates_follow(client_for, manager, editor):
    festival = Festival.objects.get(key="wine-99")
    url = reverse("campaigns:festival_update", args=[festival.key])
    assert client_for(editor).get(url).status_code == 403
    client = client_for(manager)
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(day=8, categories=["food_beverage"], anchor="")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(reverse("campaigns:festival_list")).content.decode()
    assert Festival.objects.get(key="wine-99").day == 8 and "wine-99" in page


def test_an_impossible_festival_rule_is_a_form_error(client_for, manager):
    festival = Festival.objects.get(key="black-friday")
    url = reverse("campaigns:festival_update", args=[festival.key])
    client = client_for(manager)
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(nth=5, weekday=3, month=2, categories=["fashion"], anchor="")
    response = client.post(url, data)
    assert response.status_code == 200 and "5th" in response.content.decode()
    assert Festival.objects.get(key="black-friday").month == 11


def test_editing_a_festival_updates_due_dates_in_a_fixed_number_of_queries(client_for, manager, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns.services import festival_save

    brand = BrandFactory()

    def save_queries():
        festival = Festival.objects.get(key="qixi")
        festival.content_due_days = 30
        with CaptureQueriesContext(connection) as ctx:
            festival_save(user=manager, festival=festival)
        return len(ctx.captured_queries)

    plan(editor, [brand])
    few = save_queries()
    for _ in range(5):
        plan(editor, [brand])
    assert save_queries() == few
    item = ContentItem.objects.first()
    assert item.due_on == item.scheduled_at.astimezone(CHINA).date() - datetime.timedelta(days=30)


# --- in the reader's language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "previous"),
    [("zh-hans", "2027年11月", "2027年10月"), ("it", "novembre 2027", "ottobre 2027"), ("en", "November 2027", "")],
)
def test_month_heading_follows_the_locale(client_for, editor, language, heading, previous):
    client = client_for(editor)
    page = client.get(month_url(2027, 11), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f"<h1>{heading}</h1>" in page
    assert previous in page


def test_a_festival_name_is_written_once_in_chinese_and_with_its_chinese_name_elsewhere(client_for, editor, brand):
    campaign, _item = plan(editor, [brand], festival="double-11")
    client = client_for(editor)

    for url in (campaign.get_absolute_url(), reverse("campaigns:campaign_list")):
        zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert zh.count("双十一") == 1, url
        assert "Singles' Day 2027" in en.replace("&#x27;", "'") and "双十一" in en, url


def test_the_new_campaign_form_offers_the_festivals_next_year(client_for, editor):
    qixi = Festival.objects.get(key="qixi")
    form = client_for(editor).get(reverse("campaigns:campaign_create") + f"?festival={qixi.pk}").context["form"]

    assert form.initial["festival_year"] == services.festival_next_year(qixi)


@pytest.mark.parametrize(
    ("when", "warning"),
    [("2020-08-08T20:00", "This time has passed"), ("2027-12-24T20:00", "days outside it")],
)
def test_an_item_in_the_past_or_outside_the_window_asks_for_a_confirmation(client_for, editor, brand, when, warning):
    campaign, _item = plan(editor, [brand])
    url = reverse("campaigns:contentitem_create", args=[campaign.pk])
    data = {"channel": "kol_post", "scheduled_at": when, "title_en": "Odd time", "brands": [brand.pk]}
    staff = client_for(editor)
    page = staff.post(url, data).content.decode()
    assert warning in page and 'name="confirm_time"' in page
    assert not ContentItem.objects.filter(title_en="Odd time").exists()
    assert staff.post(url, {**data, "confirm_time": "on"}).status_code == 302
    assert ContentItem.objects.filter(title_en="Odd time").exists()


def test_an_item_inside_the_window_saves_without_a_question(client_for, editor, brand):
    campaign, _item = plan(editor, [brand])
    response = client_for(editor).post(
        reverse("campaigns:contentitem_create", args=[campaign.pk]),
        {"channel": "kol_post", "scheduled_at": "2027-08-08T20:00", "title_en": "On time", "brands": [brand.pk]},
    )
    assert response.status_code == 302
