"""User journeys in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.brands.test_images import make_image
from tests.factories import PASSWORD, BrandFactory, EditorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_editor_finds_a_brand_by_chinese_name_edits_it_and_sees_the_history(page, live_server, login, tmp_path):
    EditorFactory(username="li.wei", first_name="Li", last_name="Wei")
    BrandFactory(slug="frantoio-aurelio", name_it="Frantoio Colle Aurelio", name_zh_hans="奥雷利奥山榨油坊")
    BrandFactory(slug="maglificio-bertazzi", name_it="Maglificio Bertazzi", name_zh_hans="贝尔塔齐针织")
    logo = tmp_path / "logo.png"
    logo.write_bytes(make_image("PNG", size=(600, 600), color=(0, 132, 61)))

    login("li.wei", PASSWORD)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    page.get_by_role("link", name="Brands").click()
    expect(page.get_by_role("heading", name=re.compile("Brands"))).to_be_visible()

    page.get_by_label("Search").fill("奥雷利奥")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("table.brand-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name="Frantoio Colle Aurelio").click()

    page.get_by_role("link", name="Edit").click()
    page.get_by_role("tab", name="中文").click()
    page.locator("#id_description_zh_hans").fill("来自托斯卡纳山丘的冷榨特级初榨橄榄油。")
    page.get_by_role("tab", name="General").click()
    page.get_by_label("Logo").set_input_files(str(logo))
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The changes were saved.")).to_be_visible()
    # The untouched empty rows of the form must not become a store or a certification.
    expect(page.get_by_text("No store yet.")).to_be_visible()
    expect(page.locator("#certs-h + p")).to_have_text("None recorded.")
    expect(page.locator("img.brand-logo")).to_be_visible()
    history = page.locator("#history")
    expect(history.get_by_text("Description (Chinese)")).to_be_visible()
    expect(history.get_by_text("来自托斯卡纳山丘的冷榨特级初榨橄榄油。")).to_be_visible()
    expect(history.locator(".revision").first).to_contain_text("Li Wei")
    page.get_by_role("tab", name="中文").click()
    expect(page.locator("#panel-zh")).to_contain_text("来自托斯卡纳山丘的冷榨特级初榨橄榄油。")


def test_brand_user_sees_own_brand_and_cannot_open_another(page, live_server, login):
    own = BrandFactory(slug="pastificio-val-di-sole", name_it="Pastificio Val di Sole")
    BrandFactory(slug="cantina-etna", name_it="Cantina Etna")
    user = UserFactory(username="marco")
    MembershipFactory(user=user, brand=own)

    login("marco", PASSWORD)
    expect(page.get_by_role("heading", level=1, name=re.compile("Welcome"))).to_be_visible()
    page.get_by_role("link", name="Pastificio Val di Sole").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Pastificio Val di Sole"))).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)

    response = page.goto(f"{live_server.url}/brands/cantina-etna/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()

    page.goto(f"{live_server.url}/brands/")
    expect(page.locator("table.brand-table tbody tr")).to_have_count(1)
    expect(page.get_by_text("Cantina Etna")).to_have_count(0)


def test_language_switcher_changes_the_interface(page, live_server, login):
    EditorFactory(username="giulia")
    login("giulia", PASSWORD)
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("link", name="品牌").first).to_be_visible()
    page.get_by_label("语言").select_option("it")
    page.locator(".langswitch button").click()
    expect(page.get_by_role("heading", name="Oggi")).to_be_visible()
