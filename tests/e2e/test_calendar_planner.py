"""The planner's calendar in a real browser: drag an item to another day with the mouse, move one with the keyboard
(month and week views), confirm the dialog, see it on its new day; a stale page is told so; a phone reads an agenda."""

import datetime
import zoneinfo

import pytest
from playwright.sync_api import expect

from campaigns.choices import ContentStatus
from campaigns.models import ContentItem, Festival
from campaigns.services import campaign_save, content_save, content_transition
from tests.factories import PASSWORD, BrandFactory, EditorFactory, ManagerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def plan(db):
    editor = EditorFactory(username="li.wei", first_name="Li", last_name="Wei")
    manager = ManagerFactory(username="giulia")
    brand = BrandFactory(slug="pelletteria-arno", name_it="Pelletteria Arno", category="fashion")
    campaign = campaign_save(
        user=manager, title="Qixi 2027", festival=Festival.objects.get(key="qixi"), festival_year=2027, brands=[brand]
    )

    def item(title, day, hour, approve=False):
        made = content_save(
            user=editor,
            campaign=campaign,
            channel="kol_post",
            scheduled_at=datetime.datetime(2027, 8, day, hour, 0, tzinfo=CHINA),
            brands=[brand],
            title_en=title,
            title_zh_hans=f"{title}（中文）",
            body_zh_hans="意大利皮具",
        )
        if approve:
            made = content_transition(item=made, user=editor, action="submit")
            made = content_transition(item=made, user=manager, action="approve")
        return made

    return {
        "editor": editor,
        "brand": brand,
        "approved": item("Qixi gift box", 5, 20, approve=True),
        "draft": item("Leather teaser", 10, 10),
    }


def _login(page, live_server, username, tall=True):
    if tall:  # the whole month on screen: a drag ends where the pointer can go
        page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def _chip(page, item):
    return page.locator(f'[data-id="{item.pk}"]')


def test_an_approved_item_dragged_to_another_day_goes_back_to_review_after_the_dialog(page, live_server, plan):
    approved = plan["approved"]
    _login(page, live_server, "li.wei")
    page.goto(f"{live_server.url}/campaigns/calendar/2027/8/")
    assert page.locator('td[data-date="2027-08-05"]').locator(f'[data-id="{approved.pk}"]').count() == 1

    _chip(page, approved).drag_to(page.locator('td[data-date="2027-08-12"]'))

    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Qixi gift box")
    expect(dialog.locator("[data-move-review]")).to_be_visible()
    expect(dialog.locator("[data-move-review]")).to_contain_text("sends it back to review")
    dialog.get_by_role("button", name="Move").click()

    expect(dialog).to_be_hidden()
    moved = page.locator('td[data-date="2027-08-12"]').locator(f'[data-id="{approved.pk}"]')
    expect(moved).to_be_visible()
    expect(moved).to_contain_text("In review")
    expect(page.locator("#move-status")).to_contain_text("went back to review")
    stored = ContentItem.objects.get(pk=approved.pk)
    assert stored.scheduled_at == datetime.datetime(2027, 8, 12, 20, 0, tzinfo=CHINA)
    assert stored.status == ContentStatus.IN_REVIEW
    page.reload()
    expect(page.locator('td[data-date="2027-08-12"]').locator(f'[data-id="{approved.pk}"]')).to_be_visible()


def test_cancelling_the_dialog_moves_nothing(page, live_server, plan):
    approved = plan["approved"]
    _login(page, live_server, "li.wei")
    page.goto(f"{live_server.url}/campaigns/calendar/2027/8/")

    _chip(page, approved).drag_to(page.locator('td[data-date="2027-08-12"]'))
    page.locator("#move-dialog").get_by_role("button", name="Cancel").click()

    expect(page.locator("#move-dialog")).to_be_hidden()
    expect(page.locator('td[data-date="2027-08-05"]').locator(f'[data-id="{approved.pk}"]')).to_be_visible()
    assert ContentItem.objects.get(pk=approved.pk).status == ContentStatus.APPROVED


def test_an_item_moved_with_the_keyboard_in_the_month_and_in_the_week(page, live_server, plan):
    draft = plan["draft"]
    _login(page, live_server, "li.wei")
    page.goto(f"{live_server.url}/campaigns/calendar/2027/8/")

    chip = _chip(page, draft)
    chip.focus()
    page.keyboard.press("m")
    expect(page.locator("#move-status")).to_contain_text("arrow keys")
    for key in ("ArrowRight", "ArrowRight", "ArrowDown", "Enter"):  # 10 → 12 → 19 August
        page.keyboard.press(key)
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-move-review]")).to_be_hidden()  # a draft needs no new review
    expect(dialog.get_by_role("button", name="Move")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator('td[data-date="2027-08-19"]').locator(f'[data-id="{draft.pk}"]')).to_be_visible()
    expect(chip).to_be_focused()
    assert ContentItem.objects.get(pk=draft.pk).scheduled_at == datetime.datetime(2027, 8, 19, 10, 0, tzinfo=CHINA)

    page.goto(f"{live_server.url}/campaigns/calendar/2027/w33/")  # 16-22 August, hours in China time
    chip = _chip(page, draft)
    expect(
        page.locator('td[data-date="2027-08-19"][data-hour="10"]').locator(f'[data-id="{draft.pk}"]')
    ).to_be_visible()
    chip.focus()
    for key in ("m", "ArrowDown", "ArrowDown", "ArrowLeft", "Enter"):  # 10:00 → 12:00, Thursday → Wednesday
        page.keyboard.press(key)
    expect(page.locator("#move-dialog")).to_contain_text("12:00")
    page.keyboard.press("Enter")

    target = page.locator('td[data-date="2027-08-18"][data-hour="12"]')
    expect(target.locator(f'[data-id="{draft.pk}"]')).to_be_visible()
    assert ContentItem.objects.get(pk=draft.pk).scheduled_at == datetime.datetime(2027, 8, 18, 12, 0, tzinfo=CHINA)


def test_escape_puts_a_picked_up_item_back(page, live_server, plan):
    draft = plan["draft"]
    _login(page, live_server, "li.wei")
    page.goto(f"{live_server.url}/campaigns/calendar/2027/8/")

    _chip(page, draft).focus()
    for key in ("m", "ArrowRight", "Escape"):
        page.keyboard.press(key)

    expect(page.locator("#move-dialog")).to_be_hidden()
    expect(page.locator(".drop-target")).to_have_count(0)
    assert ContentItem.objects.get(pk=draft.pk).scheduled_at.day == 10


def test_a_page_older_than_the_item_is_told_to_reload(page, live_server, plan):
    draft = plan["draft"]
    _login(page, live_server, "li.wei")
    page.goto(f"{live_server.url}/campaigns/calendar/2027/8/")
    content_save(user=plan["editor"], campaign=draft.campaign, item=draft, title_en="Changed meanwhile")

    _chip(page, draft).drag_to(page.locator('td[data-date="2027-08-11"]'))
    page.locator("#move-dialog").get_by_role("button", name="Move").click()

    expect(page.locator("[data-move-error]")).to_contain_text("Reload the page")
    expect(page.locator("#move-dialog").get_by_role("button", name="Move")).to_be_disabled()
    assert ContentItem.objects.get(pk=draft.pk).scheduled_at.day == 10


def test_on_a_phone_the_month_is_an_agenda_of_the_days_with_something(browser, live_server, plan):
    viewer = UserFactory(username="arno")
    MembershipFactory(user=viewer, brand=plan["brand"])
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    for username in ("li.wei", "arno"):
        context.clear_cookies()
        _login(page, live_server, username, tall=False)
        page.goto(f"{live_server.url}/campaigns/calendar/2027/8/")

        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(page.locator(".month-grid thead")).to_be_hidden()
        expect(page.locator('td[data-date="2027-08-11"]')).to_be_hidden()  # nothing that day
        expect(page.locator('td[data-date="2027-07-26"]')).to_be_hidden()  # the previous month's days
        day = page.locator('td[data-date="2027-08-05"]')  # the approved item (brand users see it too)
        expect(day).to_be_visible()
        expect(day.locator(".agenda-date")).to_be_visible()
        expect(day.locator(".agenda-date")).to_contain_text("8月5日")
        assert day.bounding_box()["width"] > 300  # a full-width row, not a 49-px cell
        qixi = page.locator('td[data-date="2027-08-08"]')
        expect(qixi).to_contain_text("七夕")
    draft_day = page.locator('td[data-date="2027-08-10"]')  # the draft: staff only
    expect(draft_day).to_be_hidden()
    context.close()
