"""File imports of metrics: exports read as the platforms write them, checked row by row, written all or nothing."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation

from brandhub.sheets import SheetError
from campaigns.results import importfile, imports
from campaigns.results.models import BrandDay, MetricFact, MetricImport, MetricImportIssue, MetricRollup, MetricSource
from campaigns.results.services import rollups_rebuild

pytestmark = pytest.mark.django_db
Status = MetricImport.Status
DAY = datetime.date(2026, 11, 11)

CHINESE = (
    "日期,品牌,渠道,展现量（次）,点击率,粉丝数,成交金额(元)\n"
    '2026-11-11,奥雷利奥榨油坊,横幅,"12,345",3.5%,"70,001","¥1,000.50"\n'
    "2026/11/12,frantoio-aurelio,直播,1.2万,2%,70100,2000\n"
)


def upload(content, name="export.csv", encoding="utf-8"):
    data = content.encode(encoding) if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def start(user, content, name="export.csv", source_name="Tmall 生意参谋", encoding="utf-8", **defaults):
    return imports.metric_import_create(
        user=user, upload=upload(content, name, encoding), source_name=source_name, defaults=defaults
    )


def run_through(run):
    """What the Celery task does, here in the test's process."""
    imports.metric_import_run(run_id=run.pk)
    run.refresh_from_db()
    return run


def sums():
    return (
        sorted(MetricRollup.objects.filter(facts__gt=0).values_list("day", "brand_id", "channel", "facts", "clicks")),
        sorted(BrandDay.objects.filter(facts__gt=0).values_list("day", "brand_id", "impressions", "gmv_cny")),
    )


# --- reading what the platforms export ------------------------------------------------------------------------------


def test_chinese_headers_with_units_wan_separators_and_rates_are_read(editor, brand):
    run = run_through(start(editor, CHINESE))

    assert (run.status, run.rows_total, run.rows_ok, run.created) == (Status.DONE, 2, 2, 2)
    first, second = MetricFact.objects.order_by("date")
    assert (first.date, first.channel, first.brand, first.impressions) == (DAY, "banner", brand, 12345)
    assert first.clicks == 432  # 12,345 × 3.5 %, no clicks column
    assert (first.followers_total, first.gmv_cny) == (70001, Decimal("1000.50"))
    assert (second.channel, second.impressions, second.clicks, second.gmv_cny) == ("livestream", 12000, 240, 2000)
    assert MetricFact.objects.filter(run=run).count() == 2  # facts remember their run


def test_english_headers_map_themselves(editor, brand):
    text = (
        "Date,Brand,Channel,Impressions (PV),Clicks,New followers,Viewers,GMV (CNY)\n"
        '11/11/2026,frantoio-aurelio,banner,"1,000",25,-3,400,99.9\n'
    )
    run = run_through(start(editor, text))

    fact = MetricFact.objects.get()
    assert run.status == Status.DONE
    assert (fact.date, fact.impressions, fact.clicks, fact.followers_gained, fact.viewers) == (DAY, 1000, 25, -3, 400)
    assert fact.gmv_cny == Decimal("99.90")


def test_a_gb18030_csv_from_chinese_excel_with_semicolons(editor, brand):
    text = "日期;品牌;渠道;展现量;点击量\n2026-11-11;奥雷利奥榨油坊;横幅;1.5万;1,300\n"
    run = run_through(start(editor, text, encoding="gb18030"))

    assert run.status == Status.DONE
    assert (MetricFact.objects.get().impressions, MetricFact.objects.get().clicks) == (15000, 1300)


def test_excel_unicode_text_is_utf16_with_tabs(editor, brand):
    text = "日期\t品牌\t渠道\t观看人数\r\n2026-11-11\t奥雷利奥榨油坊\t直播\t8,800\r\n"
    run = run_through(start(editor, "\ufeff" + text, name="export.txt", encoding="utf-16-le"))

    assert run.status == Status.DONE and run.file_format == "csv"
    assert MetricFact.objects.get().viewers == 8800


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_export_with_title_lines_and_typed_cells(editor, brand):
    content = xlsx(
        [
            ["抖音 企业号 数据导出"],
            ["统计周期：2026-11-01 至 2026-11-30"],
            [],
            ["日期", "品牌", "渠道", "播放量", "点赞数", "观看人数", "互动量"],
            [datetime.datetime(2026, 11, 11), "奥雷利奥榨油坊", "短视频", 52000, 800, 12000.0, "1.1万"],
        ]
    )
    run = start(editor, content, name="douyin.xlsx")

    # 播放量 and 点赞数 are new: the run waits for a person, with the file's own header row found under the titles.
    assert run.status == Status.MAPPING and run.file_format == "xlsx"
    assert run.headers == ["日期", "品牌", "渠道", "播放量", "点赞数", "观看人数", "互动量"]
    assert run.columns == ["date", "brand", "channel", None, None, "viewers", "interactions"]
    imports.metric_import_map(
        run=run, user=editor, columns=["date", "brand", "channel", "impressions", "", "viewers", "interactions"],
        defaults={},
    )  # fmt: skip
    run = run_through(MetricImport.objects.get(pk=run.pk))

    fact = MetricFact.objects.get()
    assert run.status == Status.DONE
    assert (fact.date, fact.channel, fact.impressions, fact.viewers, fact.interactions) == (
        DAY, "short_video", 52000, 12000, 11000
    )  # fmt: skip


def test_title_lines_before_the_header_and_a_totals_row_after_the_days(editor, brand):
    text = (
        "生意参谋 · 内容数据\n"
        "统计时间：2026-11-01 ~ 2026-11-30\n"
        "\n"
        "日期,品牌,渠道,展现量,点击量\n"
        "2026-11-11,奥雷利奥榨油坊,横幅,100,5\n"
        "2026-11-12,奥雷利奥榨油坊,横幅,200,6\n"
        "合计,,,300,11\n"
    )
    run = run_through(start(editor, text))

    assert (run.status, run.rows_total, run.created) == (Status.DONE, 2, 2)
    assert BrandDay.objects.get(day=DAY).impressions == 100


def test_the_defaults_stand_in_for_missing_columns(editor, brand, campaign):
    run = start(editor, "统计日期,曝光量\n2026-11-11,500\n", brand=brand.pk, channel="red_post", campaign=campaign.pk)
    run = run_through(run)

    fact = MetricFact.objects.get()
    assert run.status == Status.DONE
    assert (fact.brand, fact.channel, fact.campaign, fact.impressions) == (brand, "red_post", campaign, 500)


# --- files that are not sheets, and sheets that cannot be imported --------------------------------------------------


def zip_bytes(names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.pdf", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", "XLS"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "screenshot.csv", "PNG"),
        (zip_bytes(["photos/1.jpg"]), "export.zip", "ZIP archive"),
        (zip_bytes(["[Content_Types].xml", "word/document.xml"]), "export.docx", "Word"),
        (b"date,clicks\x00\x01\x02\x03", "export.csv", "binary"),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx_is_refused_with_what_it_is(editor, media_root, content, name, kind):
    with translation.override("en"), pytest.raises(SheetError) as raised:
        start(editor, content, name=name)

    assert f"it is a {kind} file" in raised.value.messages[0]
    assert not MetricImport.objects.exists() and not MetricSource.objects.exists()
    assert not any(media_root.rglob("*.*"))  # nothing stored


def test_the_refusal_is_in_the_readers_language(editor):
    with translation.override("zh-hans"), pytest.raises(SheetError) as raised:
        start(editor, b"%PDF-1.4 ...", name="x.pdf")
    assert "PDF" in raised.value.messages[0] and "This file" not in raised.value.messages[0]


@pytest.mark.parametrize(("content", "code"), [("", "empty"), ("日期,展现量\n", "no_rows"), ("\n\n\n", "empty")])
def test_an_empty_file_or_a_header_alone_is_refused(editor, content, code):
    with pytest.raises(importfile.ImportRefused) as raised:
        start(editor, content)
    assert raised.value.code == code


def test_a_file_without_a_date_column_or_brand_says_so_until_mapped(editor):
    run = start(editor, "品牌名,渠道,展现量\nfoo,横幅,3\n")

    assert run.status == Status.MAPPING
    found = dict(importfile.problems(run.columns, run.headers, run.defaults))
    assert {"unknown", "no_date", "no_brand"} <= set(found)
    with translation.override("en"):
        assert "no date column" in importfile.problem_message("no_date", {})
    with pytest.raises(ValueError):
        imports.metric_import_map(run=run, user=editor, columns=["brand", "channel", "impressions"], defaults={})


# --- bad rows, the decision, and writing ----------------------------------------------------------------------------

WITH_BAD_ROWS = (
    "日期,品牌,渠道,展现量,点击量\n"
    "2026-11-11,奥雷利奥榨油坊,横幅,100,5\n"
    "2026-13-45,奥雷利奥榨油坊,横幅,100,5\n"
    "2026-11-12,nobody,横幅,abc,5\n"
    "2026-11-13,奥雷利奥榨油坊,横幅,300,7\n"
)


def test_bad_rows_are_reported_with_their_row_numbers_and_nothing_is_written(editor, brand):
    run = run_through(start(editor, WITH_BAD_ROWS))

    assert (run.status, run.rows_total, run.rows_ok, run.rows_bad) == (Status.REVIEW, 4, 2, 2)
    issues = list(run.issues.values_list("row", "column", "code"))
    assert issues == [(3, "日期", "bad_date"), (4, "品牌", "unknown_brand"), (4, "展现量", "bad_number")]
    assert not MetricFact.objects.exists() and not MetricRollup.objects.exists() and not BrandDay.objects.exists()
    with translation.override("zh-hans"):
        messages = [row["message"] for row in imports.issue_rows(run.issues.all())]
    assert "nobody" in messages[1] and "No brand" not in messages[1]


def test_importing_the_good_rows_writes_them_and_leaves_the_bad_out(editor, brand, django_capture_on_commit_callbacks):
    run = run_through(start(editor, WITH_BAD_ROWS))

    assert imports.metric_import_accept(run=run, user=editor)
    with django_capture_on_commit_callbacks(execute=True):  # the upload is deleted after the commit
        run = run_through(run)
    run.refresh_from_db()

    assert (run.status, run.created, run.good_rows_only) == (Status.DONE, 2, True)
    assert sorted(MetricFact.objects.values_list("impressions", flat=True)) == [100, 300]
    assert run.issues.count() == 3  # the report stays
    assert not run.file  # the upload is deleted when the run ends
    assert not imports.metric_import_accept(run=run, user=editor)  # once


def test_cancelling_a_file_with_bad_rows_writes_nothing_and_deletes_the_upload(editor, brand, media_root):
    run = run_through(start(editor, WITH_BAD_ROWS))

    assert imports.metric_import_cancel(run=run, user=editor)

    run.refresh_from_db()
    assert run.status == Status.CANCELLED and not run.file and not MetricFact.objects.exists()
    assert not any(media_root.rglob("*.csv"))
    assert run_through(run).status == Status.CANCELLED  # a late task does nothing


def test_reimporting_the_same_file_changes_nothing(editor, brand, other_brand):
    text = CHINESE + "2026-11-12,maglificio-bertazzi,小红书,900,2%,10,0\n"
    first = run_through(start(editor, text))
    before = sums()
    again = run_through(start(editor, text))

    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert (again.status, again.created, again.updated, again.unchanged) == (Status.DONE, 0, 0, 3)
    assert MetricFact.objects.count() == 3 and sums() == before
    assert set(MetricFact.objects.values_list("run", flat=True)) == {first.pk}  # nothing was rewritten


def test_a_corrected_file_updates_its_facts_and_they_remember_the_new_run(editor, brand):
    first = run_through(start(editor, CHINESE))
    second = run_through(start(editor, CHINESE.replace("1.2万", "1.3万")))

    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert MetricFact.objects.get(impressions=13000).run == second
    assert MetricFact.objects.get(impressions=12345).run == first
    assert BrandDay.objects.get(day=DAY + datetime.timedelta(days=1)).impressions == 13000


def test_stored_issues_are_capped_but_every_bad_row_is_counted(editor, brand, monkeypatch):
    monkeypatch.setattr(imports, "MAX_STORED_ISSUES", 5)
    rows = "".join(f"2026-11-{1 + i % 28:02d},nobody-{i},横幅,{i}\n" for i in range(40))
    run = run_through(start(editor, "日期,品牌,渠道,展现量\n" + rows))

    assert (run.status, run.rows_bad, run.issues.count()) == (Status.REVIEW, 40, 5)


class Killed(BaseException):
    """A worker killed mid-run: nothing of the task's code runs after it (not even its except clauses)."""


def test_a_worker_killed_half_way_through_the_write_leaves_nothing_and_the_rerun_writes_once(
    editor, brand, monkeypatch
):
    rows = "".join(f"2026-11-{1 + i % 28:02d},奥雷利奥榨油坊,横幅,{i},{i % 7},k{i}\n" for i in range(60))
    run = start(editor, "日期,品牌,渠道,展现量,点击量,数据ID\n" + rows)
    real = imports._set_progress

    def die(run_id, phase, done, total, fraction):
        if phase == Status.IMPORTING and done:  # the facts are written, the transaction not yet committed
            raise Killed
        real(run_id, phase, done, total, fraction)

    monkeypatch.setattr(imports, "_set_progress", die)
    with pytest.raises(Killed):
        imports.metric_import_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == Status.IMPORTING  # acks_late: the broker delivers the task again
    assert not MetricFact.objects.exists() and not MetricRollup.objects.exists() and not BrandDay.objects.exists()

    monkeypatch.setattr(imports, "_set_progress", real)
    run = run_through(run)

    assert (run.status, run.created, MetricFact.objects.count()) == (Status.DONE, 60, 60)
    incremental = sums()
    rollups_rebuild()
    assert sums() == incremental


def test_a_row_gone_bad_between_the_passes_is_checked_again_and_waits_for_a_person(editor, brand, other_brand):
    from brands.models import Brand

    text = "日期,品牌,渠道,展现量\n2026-11-11,maglificio-bertazzi,横幅,5\n2026-11-12,frantoio-aurelio,横幅,7\n"
    run = start(editor, text)
    assert imports._check(run)  # the check passed; the brand is renamed before the write pass runs
    MetricImport.objects.filter(pk=run.pk).update(status=Status.IMPORTING)
    Brand.objects.filter(pk=other_brand.pk).update(slug="renamed", name_it="Renamed", name_en="", name_zh_hans="")

    run = run_through(run)

    assert (run.status, run.rows_bad) == (Status.REVIEW, 1)
    assert MetricFact.objects.filter(run=run).count() == 0


def test_the_uploaded_file_is_private(editor, brand):
    run = start(editor, CHINESE)
    assert run.file.name.startswith("private/results-imports/") and run.file_name == "export.csv"


# --- the column mapping ---------------------------------------------------------------------------------------------


def test_the_mapping_is_remembered_per_source(editor, brand):
    text = "日期,品牌,渠道,笔记曝光,备注\n2026-11-11,奥雷利奥榨油坊,小红书,700,ok\n"
    run = start(editor, text, source_name="RED 蒲公英")
    assert run.columns == ["date", "brand", "channel", None, None] and run.status == Status.MAPPING

    imports.metric_import_map(
        run=run, user=editor, columns=["date", "brand", "channel", "impressions", ""], defaults={}
    )
    source = MetricSource.objects.get(name="RED 蒲公英")
    assert source.mapping == {"笔记曝光": "impressions", "备注": ""}

    again = start(editor, text.replace("700", "800"), source_name="red 蒲公英")  # the same source, any case
    assert again.source == source and again.status == Status.QUEUED
    assert again.columns == ["date", "brand", "channel", "impressions", ""]
    other = start(editor, text, source_name="Another tool")
    assert other.status == Status.MAPPING  # another source knows nothing of it


def test_a_header_can_be_remapped_and_two_columns_for_one_field_must_be_resolved(editor, brand):
    run = start(editor, "日期,品牌,渠道,展现量,曝光量\n2026-11-11,奥雷利奥榨油坊,横幅,1,2\n")
    assert run.status == Status.MAPPING
    assert ("duplicate", {"field": "impressions", "columns": ["展现量", "曝光量"]}) in importfile.problems(
        run.columns, run.headers, {}
    )
    imports.metric_import_map(
        run=run, user=editor, columns=["date", "brand", "channel", "", "impressions"], defaults={}
    )
    assert MetricSource.objects.get().mapping == {"展现量": ""}
    assert run_through(MetricImport.objects.get(pk=run.pk)).status == Status.DONE
    assert MetricFact.objects.get().impressions == 2


# --- progress -------------------------------------------------------------------------------------------------------


def test_progress_is_read_from_the_database_and_the_cache_and_reaches_100(editor, brand):
    run = start(editor, CHINESE)
    state = imports.import_progress(run)
    assert (state["status"], state["percent"], state["running"]) == ("queued", None, True)

    run = run_through(run)

    state = imports.import_progress(run)
    assert (state["status"], state["percent"], state["running"]) == ("done", 100, False)
    MetricImport.objects.filter(pk=run.pk).update(status=Status.IMPORTING, rows_ok=10)
    imports._set_progress(run.pk, Status.IMPORTING, 4, 10, 0.4)
    state = imports.import_progress(MetricImport.objects.get(pk=run.pk))
    assert (state["done"], state["total"], state["percent"]) == (4, 10, 40) and state["pass"]


# --- the PostgreSQL path of the writes (COPY into a staging table) ---------------------------------------------------


def test_a_large_file_sums_exactly_what_a_rebuild_of_its_facts_does(editor, brand, other_brand):
    """Hundreds of rows per write (above the COPY threshold on PostgreSQL), keys with tabs and backslashes."""
    lines = ["日期,品牌,渠道,展现量,成交金额,新增粉丝,数据ID"]
    for i in range(900):
        who = "奥雷利奥榨油坊" if i % 3 else "maglificio-bertazzi"
        lines.append(
            f'2026-11-{1 + i % 30:02d},{who},{"横幅" if i % 2 else "直播"},{i * 7},{i}.5,{i % 5 - 2},"k\t{i}\\b"'
        )
    text = "\n".join(lines) + "\n"
    run = run_through(start(editor, text))
    assert (run.status, run.created) == (Status.DONE, 900)
    assert MetricFact.objects.filter(source_key="k\t5\\b").exists()
    again = run_through(start(editor, text))
    assert again.unchanged == 900
    incremental = sums()
    rollups_rebuild()
    assert sums() == incremental
    assert connection.vendor in ("postgresql", "sqlite")


def test_issue_rows_are_stored_per_run_and_a_rerun_of_the_check_starts_over(editor, brand):
    run = run_through(start(editor, WITH_BAD_ROWS))
    MetricImport.objects.filter(pk=run.pk).update(status=Status.QUEUED)
    run = run_through(run)
    assert MetricImportIssue.objects.filter(run=run).count() == 3


@pytest.mark.parametrize(
    "value", ["12,345", "-3", "0", "99.9", "1,000.50", "12.5", "-12.5", "007", "1.2万", "¥3,450.50", " 12 ", "1e3", "."]
)
def test_numbers_handed_over_as_numbers_read_as_the_checker_reads_their_text(brand, value):
    """The import gives plain numbers to the checker as int / Decimal (as an XLSX cell would): same facts, same
    issues as the checker's own reading of the text, for every figure."""
    from types import SimpleNamespace

    from campaigns.results.facts import FactChecker
    from campaigns.results.metrics import METRIC_NAMES

    headers = ["date", "brand", "channel", *METRIC_NAMES]
    run = SimpleNamespace(headers=headers, columns=headers)
    raw = ["2026-11-11", brand.slug, "banner", *([value] * len(METRIC_NAMES))]
    [(_number, handed)] = list(imports._rows(run, [headers, raw]))
    checker = FactChecker(today=datetime.date(2026, 12, 1))

    fast, fast_issues = checker.check(handed)
    slow, slow_issues = checker.check(dict(zip(headers, raw, strict=True)))

    assert [(i.code, i.column, i.params) for i in fast_issues] == [(i.code, i.column, i.params) for i in slow_issues]
    assert (fast.figures if fast else None) == (slow.figures if slow else None)


def test_an_unexpected_error_fails_the_run_keeps_the_file_and_it_can_start_again(editor, brand, monkeypatch):
    run = start(editor, CHINESE)

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(imports, "facts_upsert", broken)
    with pytest.raises(RuntimeError):
        imports.metric_import_run(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.failure["code"], bool(run.file)) == (Status.FAILED, "crashed", True)
    assert not MetricFact.objects.exists()
    with translation.override("en"):
        assert "unexpected error" in importfile.failure_message(run.failure)

    monkeypatch.undo()
    assert imports.can_retry(run) and imports.metric_import_retry(run=run, user=editor)
    assert run_through(run).status == Status.DONE and MetricFact.objects.count() == 2


def test_a_database_outage_mid_check_lets_the_retried_task_start_over_at_once(editor, brand, monkeypatch):
    from django.db import OperationalError

    run = start(editor, WITH_BAD_ROWS)
    real = imports.MetricImportIssue.objects.bulk_create

    def outage(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(imports.MetricImportIssue.objects, "bulk_create", outage)
    with pytest.raises(OperationalError):
        imports.metric_import_run(run_id=run.pk)
    assert MetricImport.objects.get(pk=run.pk).status == Status.CHECKING
    monkeypatch.setattr(imports.MetricImportIssue.objects, "bulk_create", real)

    run = run_through(run)  # Celery's retry, seconds later

    assert (run.status, run.rows_bad, run.issues.count()) == (Status.REVIEW, 2, 3)


def test_a_second_delivery_while_the_check_runs_leaves_it_alone(editor, brand):
    run = start(editor, CHINESE)
    MetricImport.objects.filter(pk=run.pk).update(status=Status.CHECKING)
    imports._set_progress(run.pk, Status.CHECKING, 10, None, 0.1)  # another worker reported a second ago

    assert imports.metric_import_run(run_id=run.pk) == Status.CHECKING
    assert not MetricFact.objects.exists() and not imports.can_retry(MetricImport.objects.get(pk=run.pk))


def test_a_run_whose_task_never_arrived_can_be_started_again_after_a_while(editor, brand, monkeypatch):
    run = start(editor, CHINESE)  # queued: the broker was down at the commit, the task is lost
    assert not imports.can_retry(run)
    monkeypatch.setattr(imports.time, "time", lambda: run.created_at.timestamp() + imports.STALE_SECONDS + 1)

    assert imports.can_retry(run) and imports.metric_import_retry(run=run, user=editor)
    assert run_through(run).status == Status.DONE
