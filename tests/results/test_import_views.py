"""The file import's pages: upload, mapping, progress and report, the log, and a real worker taking a file to 100%."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from campaigns.results.models import MetricFact, MetricImport, MetricSource
from tests.publishing.conftest import celery_worker, wait_for  # noqa: F401  (the worker fixture)

from .test_imports import CHINESE, WITH_BAD_ROWS, run_through, start

pytestmark = pytest.mark.django_db
Status = MetricImport.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def post_file(client, content, name="export.csv", **data):
    body = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("results:import_create"),
        {"file": SimpleUploadedFile(name, body), "new_source": "Tmall 生意参谋", **data},
    )


def test_an_editor_uploads_a_file_and_it_is_queued(client, editor, brand, django_capture_on_commit_callbacks):
    client.force_login(editor)
    assert client.get(reverse("results:import_create")).status_code == 200

    with django_capture_on_commit_callbacks() as queued:
        response = post_file(client, CHINESE)

    run = MetricImport.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert (run.status, run.source.name, run.created_by) == (Status.QUEUED, "Tmall 生意参谋", editor)
    assert len(queued) == 1  # the check is queued after the commit
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Queued" in page and 'data-import-status="' in page and "<progress" in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7\n...", "results.pdf", "it is a PDF file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "results.xls", "it is a XLS file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "results.png", "it is a PNG file"),
    ],
)
def test_a_pdf_an_old_xls_or_an_image_is_refused_on_the_form(client, editor, content, name, message):
    client.force_login(editor)
    response = post_file(client, content, name=name)

    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not MetricImport.objects.exists()


def test_a_source_is_chosen_or_named(client, editor):
    client.force_login(editor)
    source = MetricSource.objects.create(kind="file", name="Douyin")
    both = post_file(client, CHINESE, source=source.pk)
    neither = post_file(client, CHINESE, new_source="")

    assert "not both" in both.context["form"].errors["new_source"][0]
    assert "Choose the source" in neither.context["form"].errors["new_source"][0]


def test_unknown_columns_go_to_the_mapping_page_with_samples(client, editor, brand):
    client.force_login(editor)
    response = post_file(client, "日期,品牌,渠道,笔记曝光\n2026-11-11,奥雷利奥榨油坊,小红书,700\n")
    run = MetricImport.objects.get()
    assert response.url == reverse("results:import_mapping", kwargs={"pk": run.pk})

    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200 and "笔记曝光" in html and "<code>700</code>" in html
    assert 'name="column_3"' in html
    chinese = client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "忽略此列" in chinese and "Ignore this column" not in chinese


def test_the_mapping_page_says_what_is_missing_and_remembers_the_choice(client, editor, brand):
    client.force_login(editor)
    post_file(client, "统计时段,笔记曝光\n2026-11-11,700\n")
    run = MetricImport.objects.get()
    url = reverse("results:import_mapping", kwargs={"pk": run.pk})
    html = client.get(url).content.decode()
    assert "no date column" in html and "no brand column" in html and "no channel column" in html

    bad = client.post(url, {"column_0": "ignore", "column_1": "impressions", "brand": brand.pk, "channel": "red_post"})
    assert "no date column" in bad.content.decode() and "<code>700</code>" in bad.content.decode()

    good = client.post(url, {"column_0": "date", "column_1": "impressions", "brand": brand.pk, "channel": "red_post"})
    run.refresh_from_db()
    assert good.status_code == 302 and run.status == Status.QUEUED
    assert run.defaults == {"brand": brand.pk, "channel": "red_post"}
    assert MetricSource.objects.get().mapping == {"统计时段": "date", "笔记曝光": "impressions"}
    assert client.get(url).status_code == 302  # mapped once: the page sends to the run


def test_the_report_names_the_rows_and_the_good_rows_can_be_imported(client, editor, brand):
    client.force_login(editor)
    run = run_through(start(editor, WITH_BAD_ROWS))

    html = client.get(run.get_absolute_url()).content.decode()
    assert "2 rows have problems." in html and "Import the 2 good rows" in html
    assert "“2026-13-45” is not a date" in html and "No brand “nobody” in the registry." in html
    assert not MetricFact.objects.exists()

    response = client.post(reverse("results:import_action", kwargs={"pk": run.pk}), {"action": "import_good"})
    assert response.status_code == 302
    run = run_through(run)
    html = client.get(run.get_absolute_url()).content.decode()
    assert run.status == Status.DONE and "Facts created" in html and MetricFact.objects.count() == 2


def test_the_report_is_in_the_readers_language_and_downloads_as_csv(client, editor, brand):
    client.force_login(editor)
    run = run_through(start(editor, WITH_BAD_ROWS))
    page = client.get(run.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    report = client.get(reverse("results:import_report", kwargs={"pk": run.pk}), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "nobody" in page.content.decode() and "No brand" not in page.content.decode()
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [r[0] for r in rows[1:]] == ["3", "4", "4"] and rows[2][1] == "品牌"
    assert report["Content-Disposition"].startswith("attachment;")


def test_the_issues_are_paginated(client, editor, brand, monkeypatch):
    monkeypatch.setattr("campaigns.results.views.imports.ISSUES_PER_PAGE", 2)
    client.force_login(editor)
    run = run_through(start(editor, WITH_BAD_ROWS))

    second = client.get(run.get_absolute_url() + "?page=2").content.decode()
    assert "Page 2 of 2" in second and "bad_number" not in second and "is not a number" in second


def test_cancelling_writes_nothing(client, editor, brand):
    client.force_login(editor)
    run = run_through(start(editor, WITH_BAD_ROWS))

    client.post(reverse("results:import_action", kwargs={"pk": run.pk}), {"action": "cancel"})

    run.refresh_from_db()
    assert run.status == Status.CANCELLED and not MetricFact.objects.exists()
    assert client.post(reverse("results:import_action", kwargs={"pk": run.pk}), {"action": "x"}).status_code == 400


def test_the_status_url_gives_the_progress_as_json(client, editor, brand):
    client.force_login(editor)
    run = start(editor, CHINESE)
    url = reverse("results:import_status", kwargs={"pk": run.pk})

    queued = client.get(url).json()
    run_through(run)
    done = client.get(url).json()

    assert (queued["status"], queued["running"], queued["percent"]) == ("queued", True, None)
    assert (done["status"], done["percent"], done["running"]) == ("done", 100, False)
    assert "2 created" in done["text"]


@pytest.mark.parametrize("user_fixture", ["brand_user", "brand_editor"])
def test_brand_users_are_refused_every_import_page(client, editor, brand, request, user_fixture):
    run = start(editor, CHINESE)
    client.force_login(request.getfixturevalue(user_fixture))
    for name, kwargs in [
        ("results:import_list", {}),
        ("results:import_create", {}),
        ("results:import_detail", {"pk": run.pk}),
        ("results:import_mapping", {"pk": run.pk}),
        ("results:import_status", {"pk": run.pk}),
        ("results:import_report", {"pk": run.pk}),
        ("results:import_detail", {"pk": 999_999}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    assert client.post(reverse("results:import_action", kwargs={"pk": run.pk}), {"action": "cancel"}).status_code == 403


def test_the_import_log_lists_every_run_in_a_flat_number_of_queries(client, editor, manager, brand):
    client.force_login(manager)
    start(editor, CHINESE)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("results:import_list")).status_code == 200
    for i in range(10):
        run_through(start(manager if i % 2 else editor, CHINESE, source_name=f"Source {i}"))
    with CaptureQueriesContext(connection) as eleven:
        page = client.get(reverse("results:import_list"))

    assert len(page.context["runs"]) == 11
    assert len(eleven.captured_queries) == len(one.captured_queries)
    assert "Source 9" in page.content.decode()


def test_the_nav_shows_the_import_to_staff_only(client, editor, brand_user):
    client.force_login(editor)
    assert reverse("results:import_create") in client.get(reverse("home")).content.decode()
    client.force_login(brand_user)
    assert reverse("results:import_create") not in client.get(reverse("home")).content.decode()


# --- a real worker --------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_takes_an_uploaded_file_to_100_percent(client, celery_worker, editor, brand):  # noqa: F811
    client.force_login(editor)
    text = "日期,品牌,渠道,展现量,点击率,数据ID\n" + "".join(
        f"2026-11-{1 + i % 28:02d},奥雷利奥榨油坊,横幅,{1000 + i},1.5%,r{i}\n" for i in range(3000)
    )
    response = post_file(client, text)
    run = MetricImport.objects.get()
    status_url = reverse("results:import_status", kwargs={"pk": run.pk})
    assert response.url == run.get_absolute_url()

    # The database is polled (SQLite's in-memory test database refuses a read during the worker's write at once);
    # the page's status URL is asked at the end.
    assert wait_for(lambda: MetricImport.objects.get(pk=run.pk).status not in ("queued", "checking", "importing"), 60)
    state = client.get(status_url).json()

    assert (state["status"], state["percent"], state["running"]) == ("done", 100, False), state
    run.refresh_from_db()
    assert (run.created, run.rows_total, MetricFact.objects.count()) == (3000, 3000, 3000)
    assert not run.file  # deleted after the commit
    page = client.get(run.get_absolute_url()).content.decode()
    assert "3,000" in page and "Facts created" in page
