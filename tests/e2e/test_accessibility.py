"""axe-core finds no critical or serious violation on any page, for any kind of user, in Chinese.

The pages are those of ``test_phone_widths``: every page each role may open in the permission table, plus
the pages without login (sign-in, password reset) and the 403 and 404 pages. Each is checked at desktop
width, then again at 390 px, where wide tables scroll in their box. To keep the run short, at 390 px each URL
is checked once, as the most privileged role that opens it (the version of the page with the most on it).

axe's JavaScript is the copy shipped in the axe-playwright-python package, handed to the browser as an init
script (sent once per context rather than once per page, which saves a tenth of a second a page): nothing is
fetched for it, and the test fails if a page loads anything from a host other than ours.
All of axe's rules run; none is switched off. Left out, as in ``test_phone_widths``: the API documentation,
whose page is Swagger UI's own markup (drf-spectacular-sidecar), not our templates.
"""

from collections import Counter
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.brandhub.test_permission_table import ROLES, _build_world
from tests.e2e.test_phone_widths import _pages
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
AXE_SCRIPT = Axe().axe_script  # axe.min.js from the package
BLOCKING = ("critical", "serious")
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}


def _violations(page, where, impacts: Counter | None = None):
    """Run axe on the page as it is now; one line per critical or serious rule, with the elements. Every
    violation found is counted in ``impacts`` by its impact (the summary printed at the end)."""
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    if impacts is not None:
        impacts.update(v["impact"] for v in results["violations"])
        impacts["pages checked"] += 1
    return [
        f"{where}: {v['id']} ({v['impact']}) on {', '.join(' '.join(node['target']) for node in v['nodes'])}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def _open(page, url):
    """Go to the URL; False when it is a file, not a page (a sheet of codes in PDF, a QR image, a CSV)."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:  # a download (Content-Disposition: attachment) aborts the navigation
        if "Download is starting" in error.message:
            return False
        raise
    return response.headers.get("content-type", "").startswith("text/html")


def _error_pages(role):
    if role == "viewer":
        yield reverse("brands:brand_create")  # 403
    if role == "manager":
        yield reverse("brands:brand_detail", kwargs={"slug": "no-such-brand"})  # 404


def test_no_page_has_a_critical_or_serious_accessibility_violation(browser, live_server):
    world = _build_world()
    ours = urlsplit(live_server.url).netloc
    found, foreign, seen_on_phone, impacts = [], [], set(), Counter()
    for role in reversed(ROLES):  # manager first: the richest version of a shared page is checked on a phone
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        context.on("request", lambda r: urlsplit(r.url).netloc not in ("", ours) and foreign.append(r.url))
        context.add_init_script(AXE_SCRIPT)
        page = context.new_page()
        if role != "anonymous":
            page.goto(f"{live_server.url}/accounts/login/")
            page.locator("#id_username").fill(world.users[role].username)
            page.locator("#id_password").fill(PASSWORD)
            page.locator("#id_password").press("Enter")
            page.wait_for_load_state()
        for url in [*_pages(world, role), *_error_pages(role)]:
            if not _open(page, f"{live_server.url}{url}"):
                continue
            assert page.locator("html").get_attribute("lang") == "zh-hans", f"{url} is not in Chinese"
            found += _violations(page, f"{role} {url}", impacts)
            if url not in seen_on_phone:
                seen_on_phone.add(url)
                page.set_viewport_size(PHONE)
                found += _violations(page, f"{role} {url} at 390 px", impacts)
                page.set_viewport_size(DESKTOP)
        context.close()
    print(f"axe: {dict(impacts)} (rule violations by impact; shown with pytest -rP)")
    assert not foreign, f"loaded from other hosts: {foreign}"
    assert not found, "\n".join(found)
