"""The brand picker: type to find a brand among 100+, or add every brand of a category at once."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, BrandFactory, EditorFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_brands_are_found_by_typing_and_added_by_category(page, live_server, login):
    EditorFactory(username="li.wei")
    BrandFactory(slug="maglificio-bertazzi", name_it="Maglificio Bertazzi", category="fashion")
    BrandFactory(slug="pelletteria-arno", name_it="Pelletteria Arno", category="fashion")
    for i in range(30):
        BrandFactory(slug=f"cantina-{i}", name_it=f"Cantina {i:02d}", category="food_beverage")
    login("li.wei", PASSWORD)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/campaigns/new/")
    field = page.locator(".select2-container .select2-search__field").first
    field.click()
    field.fill("berta")
    expect(page.locator(".select2-results__option")).to_have_count(1)
    page.locator(".select2-results__option").first.click()
    page.get_by_role("button", name="Add all: Fashion").click()
    selected = page.locator("#id_brands").evaluate("s => [...s.selectedOptions].map(o => o.text)")
    assert sorted(selected) == ["Maglificio Bertazzi", "Pelletteria Arno"]
    assert all(url.startswith(live_server.url) for url in requests)  # select2 comes from our static files
