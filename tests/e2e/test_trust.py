"""Trust in the browser: a change after approval goes back to review, and a brand user on a shared campaign
sees their own part only — on a phone, in Chinese."""

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


def _shared_campaign():
    editor = EditorFactory(username="li.wei", first_name="Li", last_name="Wei")
    manager = ManagerFactory(username="giulia", first_name="Giulia", last_name="Ferrari")
    ours = BrandFactory(slug="frantoio-aurelio", name_it="Frantoio Aurelio", name_zh_hans="奥雷利奥榨油坊")
    theirs = BrandFactory(slug="maglificio-bertazzi", name_it="Maglificio Bertazzi", name_zh_hans="贝尔塔齐针织")
    campaign = campaign_save(
        user=manager,
        title="Qixi 2027 together",
        festival=Festival.objects.get(key="qixi"),
        festival_year=2027,
        brands=[ours, theirs],
        budget_cny=88888,
    )
    items = {}
    for brand, title in ((ours, "奥雷利奥七夕橄榄油"), (theirs, "贝尔塔齐七夕毛衣")):
        item = content_save(
            user=editor,
            campaign=campaign,
            channel="kol_post",
            scheduled_at=datetime.datetime(2027, 8, 8, 20, 0, tzinfo=CHINA),
            brands=[brand],
            title_zh_hans=title,
            body_zh_hans=f"{title}：限定礼盒。",
        )
        item = content_transition(item=item, user=editor, action="submit")
        item = content_transition(item=item, user=manager, action="approve")
        items[brand.slug] = content_transition(item=item, user=editor, action="schedule")
    return campaign, items, ours


def test_a_scheduled_item_edited_goes_back_to_review_and_the_page_says_so_first(page, live_server, login):
    _campaign, items, _ours = _shared_campaign()
    item = items["frantoio-aurelio"]

    login("li.wei", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/items/{item.pk}/edit/")
    expect(page.get_by_role("note")).to_contain_text("sends it back to review")
    page.get_by_role("tab", name="中文").click()
    page.get_by_label("Text (Chinese)").fill("改过的文字：需要重新审核。")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("went back to review")).to_be_visible()
    expect(page.locator("#review")).to_contain_text("Changed after approval")
    assert ContentItem.objects.get(pk=item.pk).status == ContentStatus.IN_REVIEW


def test_a_stale_page_cannot_approve_what_changed_meanwhile(page, live_server, login):
    _campaign, items, _ours = _shared_campaign()
    item = items["frantoio-aurelio"]
    item = content_transition(item=item, user=item.author, action="unschedule")
    item = content_transition(item=item, user=ManagerFactory(), action="request_changes", comment="价格写错了")
    item = content_transition(item=item, user=item.author, action="submit")

    login("giulia", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/items/{item.pk}/")
    expect(page.get_by_role("button", name="Approve", exact=True)).to_be_visible()
    # Meanwhile the editor changes the text (in another browser).
    content_save(user=item.author, campaign=item.campaign, item=item, body_zh_hans="审核时改的文字")
    page.get_by_role("button", name="Approve", exact=True).click()

    expect(page.get_by_text("Someone else changed this item")).to_be_visible()
    assert ContentItem.objects.get(pk=item.pk).status == ContentStatus.IN_REVIEW


def test_brand_user_on_a_shared_campaign_sees_their_part_only_on_a_phone_in_chinese(browser, live_server):
    campaign, items, ours = _shared_campaign()
    user = UserFactory(username="marco")
    MembershipFactory(user=user, brand=ours)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("marco")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    body = page.locator("body")
    expect(body).to_contain_text("奥雷利奥七夕橄榄油")
    expect(body).to_contain_text("Frantoio Aurelio")
    for secret in ("贝尔塔齐", "Maglificio Bertazzi", "88888", "88,888"):
        expect(body).not_to_contain_text(secret)
    page.screenshot(path="test-results/shared-campaign-brand-user-390-zh.png", full_page=True)
    for url in (f"/campaigns/{campaign.pk}/", "/campaigns/", f"/campaigns/items/{items['frantoio-aurelio'].pk}/"):
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("body")).not_to_contain_text("贝尔塔齐")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide on a 390 px phone"

    assert page.goto(f"{live_server.url}/campaigns/items/{items['maglificio-bertazzi'].pk}/").status == 404
    assert page.goto(f"{live_server.url}/campaigns/{campaign.pk}/edit/").status == 404
    context.close()
