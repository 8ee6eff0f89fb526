"""Planning a festival campaign in a real browser: plan, write, submit, approve, see it scheduled."""

import pytest
from playwright.sync_api import expect

from campaigns.models import Festival
from tests.brands.test_images import make_image
from tests.factories import PASSWORD, BrandFactory, EditorFactory, ManagerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_qixi_campaign_from_plan_to_schedule(page, live_server, login, tmp_path):
    EditorFactory(username="li.wei", first_name="Li", last_name="Wei")
    ManagerFactory(username="giulia", first_name="Giulia", last_name="Ferrari")
    BrandFactory(slug="maglificio-bertazzi", name_it="Maglificio Bertazzi", category="fashion")
    BrandFactory(slug="pelletteria-arno", name_it="Pelletteria Arno", category="fashion")
    banner = tmp_path / "qixi-banner.png"
    banner.write_bytes(make_image("PNG", size=(1920, 540), color=(200, 16, 46)))

    login("li.wei", PASSWORD)
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Title").fill("Qixi 2027 — Italian leather gifts")
    page.get_by_label("Festival", exact=True).select_option(str(Festival.objects.get(key="qixi").pk))
    page.get_by_label("Festival year").fill("2027")
    page.get_by_label("Category focus").select_option("fashion")
    page.get_by_label("Brands taking part", exact=True).select_option(label=["Maglificio Bertazzi", "Pelletteria Arno"])
    page.get_by_label("Banner").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Qixi 2027 — Italian leather gifts")).to_be_visible()
    expect(page.get_by_text("Aug. 8, 2027").first).to_be_visible()

    page.get_by_role("link", name="Add a content item").click()
    page.get_by_label("Channel").select_option("banner")
    page.get_by_label("Goes out at (China time)").fill("2027-08-08T20:00")
    page.get_by_label("Brands").select_option(label=["Maglificio Bertazzi"])
    page.get_by_role("tab", name="中文").click()
    page.get_by_label("Title (Chinese)").fill("七夕：意大利皮具礼物")
    page.get_by_label("Text (Chinese)").fill("为TA挑选来自托斯卡纳的手工皮具。")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Aug. 8, 2027, 8 p.m.")).to_be_visible()

    page.get_by_label("Banner image").set_input_files(str(banner))
    page.get_by_label("Picture subject").select_option("product")
    page.get_by_label("Topic").select_option("gifting")
    page.get_by_role("button", name="Add the creative").click()
    expect(page.get_by_text("The creative was added.")).to_be_visible()
    expect(page.locator("#creatives")).to_contain_text("red")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("The item is now In review.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    item_url = page.url

    page.context.clear_cookies()
    login("giulia", PASSWORD)
    page.goto(item_url)
    page.get_by_role("button", name="Approve and schedule").click()
    expect(page.get_by_text("The item is now Scheduled.")).to_be_visible()

    page.goto(f"{live_server.url}/campaigns/calendar/2027/8/")
    item = page.locator("a.item.status-scheduled")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("20:00")
    expect(item).to_contain_text("七夕：意大利皮具礼物")
    expect(page.locator(".festival-day").filter(has_text="七夕")).to_be_visible()
