"""A manager sends a brand's monthly report again from the console on a phone, in Chinese: a real worker mails each
brand user the PDF in their own language; the page fits 390 px and axe finds nothing critical or serious."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.notifications.models import Notification
from campaigns.results.facts import FactRow
from campaigns.results.models import MetricSource
from campaigns.results.services import facts_upsert, source_for
from tests.factories import PASSWORD, BrandFactory, ManagerFactory, MembershipFactory, UserFactory
from tests.publishing.conftest import celery_worker, wait_for  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def _last_month() -> datetime.date:
    first = timezone.localtime(timezone.now(), CHINA).date().replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


@pytest.mark.usefixtures("celery_worker")
def test_a_manager_sends_a_months_report_again_and_each_user_gets_it_in_their_language(
    browser, live_server, mailoutbox
):
    ManagerFactory(username="wang.fang", language="zh-hans")
    brand = BrandFactory(slug="frantoio-aurelio", name_it="Frantoio Aurelio", name_zh_hans="奥雷利奥榨油坊")
    MembershipFactory(user=UserFactory(username="giulia", language="it", timezone="Europe/Rome"), brand=brand)
    MembershipFactory(user=UserFactory(username="lihua", language="zh-hans"), brand=brand)
    month = _last_month()
    row = FactRow("d1", month + datetime.timedelta(days=9), "banner", brand.pk, figures={"impressions": 123_456})
    facts_upsert(source=source_for(MetricSource.Kind.FILE, "Tmall export"), rows=[row])

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_init_script(Axe().axe_script)  # as test_accessibility: no inline script under the page's CSP
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("wang.fang")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    page.get_by_text("管理").click()
    page.get_by_role("link", name="报告邮件").click()
    expect(page.get_by_role("heading", name="月度报告邮件")).to_be_visible()

    page.get_by_label("品牌").select_option(label="Frantoio Aurelio")
    page.get_by_label("月份").fill(f"{month:%Y-%m}")
    page.get_by_role("button", name="发送报告").click()

    expect(page.get_by_text("正在发送给 2 人")).to_be_visible()
    assert wait_for(lambda: len(mailoutbox) == 2, timeout=60)
    by_user = {m.to[0].split("@")[0]: m for m in mailoutbox}
    assert by_user["giulia"].attachments[0][0].endswith("-it.pdf")
    assert by_user["lihua"].subject.endswith("：奥雷利奥榨油坊")
    assert wait_for(lambda: set(Notification.objects.values_list("mail_status", flat=True)) == {"sent"})
    page.reload()
    expect(page.get_by_text("已发送邮件").first).to_be_visible()  # the log shows each mail's status

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert not [v["id"] for v in violations if v["impact"] in ("critical", "serious")]
    context.close()
