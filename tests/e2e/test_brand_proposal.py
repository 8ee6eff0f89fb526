"""A brand editor proposes changes to their brand; a manager reviews them side by side and accepts."""

import re

import pytest
from playwright.sync_api import expect

from brands.models import Brand
from tests.factories import PASSWORD, BrandFactory, ManagerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DESCRIPTION = "来自托斯卡纳山丘的冷榨特级初榨橄榄油，每一瓶都来自当季的第一批橄榄。"


def test_a_brand_editor_proposes_and_a_manager_accepts_side_by_side(page, live_server, login):
    brand = BrandFactory(
        slug="frantoio-aurelio",
        name_it="Frantoio Aurelio",
        name_zh_hans="奥雷利奥榨油坊",
        products=[{"code": "FA-EVO-500", "name_it": "Olio extravergine", "price_cny": "268"}],
    )
    MembershipFactory(
        user=UserFactory(username="marco", first_name="Marco", last_name="Rossi"), brand=brand, role="editor"
    )
    ManagerFactory(username="chen.jing", first_name="Chen", last_name="Jing")

    # The brand editor proposes a Chinese description and a new price.
    login("marco", PASSWORD)
    page.goto(f"{live_server.url}/brands/frantoio-aurelio/")
    page.get_by_role("link", name="Propose changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose changes to Frantoio Aurelio")
    page.get_by_role("tab", name="中文").click()
    page.locator("#id_description_zh_hans").fill(DESCRIPTION)
    page.get_by_role("tab", name="Stores & products").click()
    page.locator("#id_products-0-price_cny").fill("288")
    page.get_by_role("button", name="Send for review").click()

    expect(page.get_by_text("Your proposal was sent to the agency.")).to_be_visible()
    proposals = page.locator("#proposals")
    expect(proposals.get_by_text("Waiting for review")).to_be_visible()
    expect(proposals.get_by_text(DESCRIPTION)).to_be_visible()
    expect(proposals.get_by_text("288.00")).to_be_visible()
    page.get_by_role("tab", name="中文").click()
    expect(page.locator("#panel-zh")).to_contain_text("No description in this language yet.")  # not the brand's yet
    expect(page.locator("#products-h + div")).to_contain_text("¥268.00")

    # A manager finds it from the home page and sees the profile now and as proposed, side by side.
    page.context.clear_cookies()
    login("chen.jing", PASSWORD)
    page.get_by_role("link", name="1 proposed change to review").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Proposed changes"))).to_be_visible()
    page.get_by_role("link", name="Frantoio Aurelio").click()
    table = page.locator("table.proposal-diff")
    expect(table.locator("thead")).to_contain_text("Now")
    expect(table.locator("thead")).to_contain_text("Proposed")
    description = table.locator("tr", has_text="Description (Chinese)")
    expect(description.locator("td.before")).to_have_text("—")
    expect(description.locator("td.after")).to_have_text(DESCRIPTION)
    price = table.locator("tr", has_text="Price (CNY)")
    expect(price.locator("th")).to_contain_text("FA-EVO-500")
    expect(price.locator("td.before")).to_have_text("268.00")
    expect(price.locator("td.after")).to_have_text("288.00")
    expect(table.locator("tbody tr")).to_have_count(2)  # only what differs
    page.get_by_role("button", name="Accept and apply").click()
    expect(page.get_by_text("Accepted: the profile of Frantoio Aurelio is updated")).to_be_visible()

    # The brand page shows the new description and price, and its history names both people.
    page.goto(f"{live_server.url}/brands/frantoio-aurelio/")
    page.get_by_role("tab", name="中文").click()
    expect(page.locator("#panel-zh")).to_contain_text(DESCRIPTION)
    expect(page.locator("#products-h + div")).to_contain_text("¥288.00")
    latest = page.locator("#history .revision").first
    expect(latest).to_contain_text("proposed by Marco Rossi, accepted by Chen Jing")
    expect(latest).to_contain_text("Description (Chinese)")
    expect(latest).to_contain_text(DESCRIPTION)
    assert str(Brand.objects.get(slug="frantoio-aurelio").products.get().price_cny) == "288.00"

    # The proposer sees it accepted.
    page.context.clear_cookies()
    login("marco", PASSWORD)
    page.goto(f"{live_server.url}/brands/frantoio-aurelio/")
    expect(page.locator("#proposals")).to_contain_text("Accepted by Chen Jing")


def test_a_brand_editors_proposal_pages_fit_a_phone_in_italian(browser, live_server):
    """The width crawl visits pages as a viewer; the editor's own versions (the form in proposal mode, the
    withdraw and edit buttons) are checked here, with long values and a conflict line."""
    from brands.proposals import proposal_submit
    from brands.services import brand_update

    brand = BrandFactory(
        slug="frantoio-aurelio",
        name_it="Frantoio Aurelio",
        products=[{"code": "FA-EVO-500", "name_it": "Olio extravergine", "price_cny": "268"}],
    )
    marco = UserFactory(username="marco")
    MembershipFactory(user=marco, brand=brand, role="editor")
    proposal = proposal_submit(
        brand=brand,
        user=marco,
        fields={
            "website": "https://www.frantoio-aurelio-esempio-di-dominio-molto-lungo.it/prodotti/olio",
            "region": "puglia",
        },
        products=[{"code": "FA-EVO-500", "name_it": "Olio extravergine di oliva biologico", "price_cny": "288"}],
    )
    brand_update(brand=brand, user=None, fields={"region": "umbria"})
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="it-IT")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("marco")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    for url in (brand.get_absolute_url(), proposal.get_absolute_url(), f"/brands/{brand.slug}/edit/"):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    expect(page.get_by_role("button", name="Aggiorna la mia proposta")).to_be_visible()
    context.close()
