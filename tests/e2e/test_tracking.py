"""A staff user makes an event's codes, prints them, a visitor follows one, and the scan shows on the event page."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from campaigns.tracking import flush
from campaigns.tracking.models import TrackedLink
from tests.factories import PASSWORD, BrandFactory, EditorFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_staff_make_print_and_follow_an_events_codes(page, live_server, login, browser):
    EditorFactory(username="li.wei", first_name="Li", last_name="Wei")
    BrandFactory(slug="gelateria-po", name_it="Gelateria Po", name_zh_hans="波河冰淇淋", category="food_beverage")

    login("li.wei", PASSWORD)
    page.get_by_role("link", name="Events").first.click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("Hema cooking show · gelato")
    page.get_by_label("Type").select_option("cooking_show")
    page.get_by_label("City").fill("上海")
    page.get_by_label("Venue").fill("盒马 静安店")
    page.get_by_label("Starts on").fill("2027-06-01")
    page.get_by_label("Ends on").fill("2027-06-18")
    page.get_by_label("Brands", exact=True).select_option(label=["Gelateria Po"])
    page.get_by_label("Reward (Chinese)").fill("送冰淇淋一杯")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Hema cooking show · gelato")).to_be_visible()

    page.get_by_role("link", name="Make many codes from a CSV").click()
    # The destination is a page of the test server (nothing leaves the machine); any http(s) address works.
    landing = f"{live_server.url}/healthz"
    csv = (
        "label,destination,city,venue,reward,scan_cap\n"
        f"Jing'an,{landing},上海,盒马 静安店,送冰淇淋一杯,\n"
        f"Xuhui,{landing},上海,盒马 徐汇店,送冰淇淋一杯,\n"
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "venues.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Make the codes").click()
    expect(page.get_by_text("2 links were made.")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Print all codes (PDF)").click()
    pdf = download_info.value
    assert pdf.suggested_filename.endswith(".pdf")
    text = subprocess.run(["pdftotext", str(pdf.path()), "-"], capture_output=True, text=True, check=True).stdout
    assert "Jing'an" in text and "Xuhui" in text and "盒马 徐汇店" in text

    link = TrackedLink.objects.get(venue="盒马 静安店")
    visitor = browser.new_context(
        locale="zh-CN",
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
    )
    scanner = visitor.new_page()
    # A visitor in WeChat follows the printed code; the destination is not a Taobao page, so no interstitial.
    response = scanner.goto(f"{live_server.url}/q/{link.code}?s=qr")
    assert scanner.url == landing and response.ok
    visitor.close()

    assert flush.scans_flush().stored == 1  # what beat runs every few seconds
    page.reload()
    expect(page.locator(".kpis dd").first).to_have_text("1")
    expect(page.get_by_role("rowheader", name="WeChat")).to_be_visible()
    page.get_by_role("link", name=link.code).click()
    expect(page.get_by_role("heading", name=re.compile("Jing'an"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(link.code))).to_be_visible()
