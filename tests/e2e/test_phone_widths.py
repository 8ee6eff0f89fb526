"""Every page each kind of user can open fits a phone (390 px) and a tablet (768 px), in Chinese (and in Italian,
whose words run longest, at 390 px): nothing wider than the
screen; wide tables scroll inside their box."""

import pytest
from django.urls import reverse

from tests.brandhub.test_permission_table import GET_CASES, TABLE, _build_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROLES = ("viewer", "other_brand_user", "editor", "manager")
FILES = (
    "brands:brand_export",
    "brands:brandchangeproposal_image",  # a proposal's private logo
    "campaigns:creative_image",
    "tracking:link_qr",
    "tracking:event_sheet",
    "tracking:link_tent",
    "tracking:scan_export",
    "campaigns:calendar_feed",  # an ICS file for calendar apps
    "publishing:pack_creative",  # a creative cut to a channel size, as a download
    "results:import_status",  # an import's progress as JSON, for its page's script
    "results:import_report",  # an import's row-by-row report as CSV
    "results:portal_export",  # a brand's results as CSV
    "results:report_month",  # a brand's month as a PDF report
    "results:report_campaign",  # a brand's part of a campaign as a PDF report
    "campaigns:runsheet_pdf",  # a livestream's run sheet as a PDF
    "campaigns:runsheet_code",  # a run sheet's code on screen, as a QR image
)


def _pages(world, role):
    for name, index in GET_CASES:
        case = TABLE[name][index]
        if case.expected[role] == 200 and not name.startswith("api_") and name not in ("healthz", "media"):
            if name in FILES:
                continue  # files, not pages
            yield reverse(name, kwargs=case.kwargs(world)) + case.suffix  # its query, if any (a results page's period)


@pytest.mark.parametrize(("width", "locale"), [(390, "zh-CN"), (768, "zh-CN"), (390, "it-IT")])
def test_no_page_is_wider_than_the_screen(browser, live_server, width, locale):
    world = _build_world()
    too_wide, widest = [], {}
    for role in ROLES:
        context = browser.new_context(viewport={"width": width, "height": 844}, locale=locale)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(world.users[role].username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_load_state()
        for url in _pages(world, role):
            page.goto(f"{live_server.url}{url}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            pages, most, _where = widest.get(role, (0, 0, ""))
            widest[role] = (pages + 1, *max((most, _where), (scroll, url)))
            if scroll > width:
                too_wide.append(f"{role} {url}: {scroll} px")
        context.close()
    for role, (pages, most, url) in widest.items():  # shown with pytest -rP
        print(f"{width} px {locale} {role}: {pages} pages, the widest {most} px ({url})")
    assert not too_wide, "\n".join(too_wide)
