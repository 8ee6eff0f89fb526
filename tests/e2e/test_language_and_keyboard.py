"""The first minute in the browser: the page's language leads, the keyboard works."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, BrandFactory, EditorFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def test_the_brand_page_opens_on_the_tab_of_the_interface_language(browser, live_server):
    EditorFactory(username="li.wei")
    brand = BrandFactory(
        slug="frantoio-aurelio",
        name_it="Frantoio Aurelio",
        description_it="Olio extravergine dal 1950.",
        description_zh_hans="自1950年起的特级初榨橄榄油。",
    )
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    _login(page, live_server, "li.wei")

    page.goto(f"{live_server.url}{brand.get_absolute_url()}")

    expect(page.locator("#tab-zh")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("自1950年起的特级初榨橄榄油。")).to_be_visible()
    expect(page.get_by_text("Olio extravergine dal 1950.")).to_be_hidden()
    context.close()


def test_the_language_menu_changes_nothing_until_the_choice_is_confirmed(page, live_server):
    EditorFactory(username="li.wei")
    _login(page, live_server, "li.wei")
    page.goto(f"{live_server.url}/campaigns/")
    url = page.url

    page.locator("#language-select").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.url == url and page.locator("html").get_attribute("lang") == "en"

    page.locator("#language-select").select_option("it")
    page.locator(".langswitch button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "it"


def test_the_first_tab_stop_is_a_skip_link_to_the_content_with_a_visible_focus_ring(page, live_server):
    EditorFactory(username="li.wei")
    _login(page, live_server, "li.wei")
    page.goto(f"{live_server.url}/campaigns/")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
