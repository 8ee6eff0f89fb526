"""An editor imports a platform's export in the browser: a Chinese-header CSV with one bad row is checked by a real
worker, the report names the row, nothing is written until the editor imports the good rows, then the bar reaches
100% and the counts show; the same pages in Chinese on a phone."""

import datetime
import re

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from playwright.sync_api import expect

from brandhub.celery import app
from campaigns.results.models import MetricFact, MetricImport
from tests.factories import PASSWORD, BrandFactory, EditorFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _export(path):
    days = [(timezone.localdate() - datetime.timedelta(days=n)).isoformat() for n in (3, 2, 1)]
    path.write_text(
        "生意参谋 · 内容数据导出\n"
        f"统计时间：{days[0]} ~ {days[2]}\n"
        "日期,品牌,渠道,展现量（次）,点击率,粉丝数\n"
        f'{days[0]},奥雷利奥榨油坊,横幅,1.2万,3.5%,"70,001"\n'
        f"{days[1]},奥雷利奥榨油坊,直播,abc,2%,70100\n"
        f'{days[2]},frantoio-aurelio,小红书,"8,000",1%,70200\n',
        encoding="utf-8-sig",
    )
    return path


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def test_an_editor_imports_the_good_rows_of_a_file_with_a_bad_one(browser, live_server, tmp_path):
    EditorFactory(username="li.wei")
    BrandFactory(slug="frantoio-aurelio", name_it="Frantoio Aurelio", name_zh_hans="奥雷利奥榨油坊")
    export = _export(tmp_path / "生意参谋-内容.csv")
    app.control.purge()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        page = context.new_page()
        _login(page, live_server, "li.wei")
        page.get_by_text("Manage").click()
        page.get_by_role("link", name="Import results").click()
        expect(page.get_by_role("heading", name="Import results")).to_be_visible()

        page.get_by_label("Export file").set_input_files(str(export))
        page.get_by_label("Name of a new source").fill("Tmall 生意参谋")
        page.get_by_role("button", name="Upload and check").click()

        # The worker checks the file; the page follows it and shows the report when the check ends.
        expect(page.get_by_text("1 row has a problem.")).to_be_visible(timeout=30_000)
        report = page.locator("table").filter(has_text="Problem")
        expect(report.locator("tbody tr")).to_have_count(1)
        expect(report.locator("tbody tr td").first).to_have_text("5")  # its line in the file, under 2 title lines
        expect(report.locator("tbody tr").first).to_contain_text("“abc” is not a number")
        assert not MetricFact.objects.exists()  # nothing written until the editor decides

        page.get_by_role("button", name="Import the 2 good rows").click()

        expect(page.locator(".kpis")).to_contain_text("Facts created", timeout=30_000)
        expect(page.locator("progress")).to_have_attribute("value", "100")
        expect(page.locator("[data-text]")).to_have_text(re.compile(r"Done: 2 created, 0 updated, 0 unchanged"))
        created = page.locator(".kpis div").filter(has_text="Facts created").locator("dd")
        expect(created).to_have_text("2")
        assert sorted(MetricFact.objects.values_list("impressions", flat=True)) == [8000, 12000]
        assert MetricFact.objects.get(impressions=12000).clicks == 420  # 1.2万 × 3.5 %

        page.get_by_role("link", name="Import log").click()
        expect(page.locator("table.import-log tbody tr")).to_have_count(1)
        expect(page.locator("table.import-log")).to_contain_text("Tmall 生意参谋")
        context.close()

    run = MetricImport.objects.get()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = phone.new_page()
    _login(page, live_server, "li.wei")
    page.goto(f"{live_server.url}{run.get_absolute_url()}")
    expect(page.get_by_role("heading", name="逐行报告")).to_be_visible()
    expect(page.locator("table").filter(has_text="问题").locator("tbody tr").first).to_contain_text("abc")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/results/imports/new/")
    expect(page.get_by_role("heading", name="导入效果数据")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
