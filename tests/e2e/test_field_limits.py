"""Fields with a limit show a counter and refuse an overflow visibly: nothing is cut silently."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, EditorFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_long_title_is_kept_counted_and_refused_with_the_reason(page, live_server, login):
    EditorFactory(username="li.wei")
    login("li.wei", PASSWORD)
    page.goto(f"{live_server.url}/events/new/")
    title = page.get_by_label("Title")
    expect(page.locator("#id_title-counter")).to_have_text("0 / 160 characters")
    long_title = "Hema “We are together” · " + "意大利美食周" * 30
    title.fill(long_title)
    assert title.input_value() == long_title  # the whole pasted text stays in the field
    counter = page.locator("#id_title-counter")
    expect(counter).to_have_text(f"{len(long_title)} / 160 characters")
    expect(counter).to_have_class("counter over")
    expect(title).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Ensure this value has at most 160 characters")).to_be_visible()
    assert page.get_by_label("Title").input_value() == long_title
