"""Import (preview, row-by-row errors, all-or-nothing apply) and export of brands, CSV and XLSX."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brands.choices import Region
from brands.models import Brand, ImportBatch
from brands.transfer import COLUMNS, ImportFileError, export_rows, import_apply, import_parse
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db

HEADER = "slug,name_it,name_zh_hans,category,region,certifications,stores\n"
GOOD = [
    "cantina-sole,Cantina del Sole,阳光酒庄,food_beverage,sicilia,docg: Cerasuolo di Vittoria DOCG,tmall_global|flagship|https://sole.tmall.hk\n",
    "pelletteria-arno,Pelletteria Arno,阿诺皮具,Fashion,Toscana,,jd; red\n",
]


def csv_file(text: str, name="brands.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_valid_file_previews_then_applies(editor):
    batch = import_parse(csv_file(HEADER + "".join(GOOD)), user=editor)
    assert batch.is_valid and [r["action"] for r in batch.rows] == ["create", "create"]
    assert not Brand.objects.exists()
    counts = import_apply(batch, user=editor)
    assert counts == {"created": 2, "updated": 0, "unchanged": 0}
    sole = Brand.objects.get(slug="cantina-sole")
    assert sole.stores.get().store_type == "flagship"
    assert sole.certifications.get().label == "Cerasuolo di Vittoria DOCG"
    assert Brand.objects.get(slug="pelletteria-arno").category == "fashion"
    assert sole.revisions.get().action == "imported"


def test_one_bad_row_writes_nothing_and_reports_the_row(editor):
    bad = "bad row,,,spaceships,,organic;wat,myspace\n"
    batch = import_parse(csv_file(HEADER + GOOD[0] + bad + GOOD[1]), user=editor)
    assert not batch.is_valid
    assert [e["row"] for e in batch.errors] == [3]
    messages = " ".join(batch.errors[0]["errors"])
    for field in ("slug", "name_it", "category", "certifications", "stores"):
        assert field in messages
    with pytest.raises(Exception, match="errors"):
        import_apply(batch, user=editor)
    assert not Brand.objects.exists()


def test_duplicate_slug_in_the_file_is_an_error(editor):
    batch = import_parse(csv_file(HEADER + GOOD[0] + GOOD[0]), user=editor)
    assert batch.errors == [{"row": 3, "slug": "cantina-sole", "errors": ["slug: cantina-sole is also on row 2"]}]


def test_existing_slug_updates_only_the_columns_in_the_file(editor):
    brand = BrandFactory(slug="cantina-sole", city="Noto", description_it="Vini del sud")
    batch = import_parse(csv_file("slug,name_it,category\ncantina-sole,Cantina del Sole,food_beverage\n"), user=editor)
    assert batch.rows[0]["action"] == "update"
    import_apply(batch, user=editor)
    brand.refresh_from_db()
    assert (brand.name_it, brand.city, brand.description_it) == ("Cantina del Sole", "Noto", "Vini del sud")


def test_gb18030_semicolon_csv_from_chinese_excel(editor):
    text = "slug;name_it;中文名;category\ncantina-sole;Cantina del Sole;阳光酒庄;food_beverage\n"
    batch = import_parse(csv_file(text, encoding="gb18030"), user=editor)
    assert batch.is_valid and batch.rows[0]["name_zh_hans"] == "阳光酒庄"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("slug,name_it,category,colour\n", "Unknown columns: colour"),
        ("slug,name_it\nx,y\n", "category"),
        ("slug,name_it,category\n", "no rows"),
    ],
)
def test_unreadable_files_are_refused_whole(editor, content, message):
    with pytest.raises(Exception, match=message):
        import_parse(csv_file(content), user=editor)
    assert not ImportBatch.objects.exists()


def test_export_then_import_round_trips(editor):
    BrandFactory(
        slug="a",
        description_zh_hans="第一行\n第二行",
        stores=[{"platform": "hema", "store_type": "pavilion", "url": "https://hema.example"}],
        certifications=[{"kind": "dop", "label": "Parmigiano Reggiano DOP"}, {"kind": "organic"}],
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(export_rows(Brand.objects.prefetch_related("stores", "certifications")))
    batch = import_parse(csv_file(buffer.getvalue()), user=editor)
    assert batch.is_valid
    assert import_apply(batch, user=editor) == {"created": 0, "updated": 0, "unchanged": 1}


def test_export_neutralises_spreadsheet_formulas_and_import_restores_them(editor):
    BrandFactory(slug="f", name_it='=HYPERLINK("http://evil")')
    rows = list(export_rows(Brand.objects.prefetch_related("stores", "certifications")))
    assert rows[1][COLUMNS.index("name_it")].startswith("'=")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    batch = import_parse(csv_file(buffer.getvalue()), user=editor)
    assert batch.rows[0]["name_it"].startswith("=HYPERLINK")


def test_xlsx_import(editor):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Slug", "Name (it)", "Name (zh-hans)", "Category", "Founded year"])
    sheet.append(["oleificio-sud", "Oleificio Sud", "南方油坊", "Food & beverage", 1950])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("brands.xlsx", buffer.getvalue())
    batch = import_parse(upload, user=editor)
    assert batch.is_valid, batch.errors
    import_apply(batch, user=editor)
    assert Brand.objects.get(slug="oleificio-sud").founded_year == 1950


def test_import_pages(client_for, editor):
    client = client_for(editor)
    response = client.post(reverse("brands:brand_import"), {"file": csv_file(HEADER + GOOD[0])})
    assert response.status_code == 302
    preview = client.get(response.url)
    assert "Cantina del Sole" in preview.content.decode()
    assert client.post(response.url).status_code == 302
    assert Brand.objects.filter(slug="cantina-sole").exists()
    again = client.post(response.url, follow=True)
    assert "applied already" in again.content.decode()


def test_import_page_shows_the_bad_row(client_for, editor):
    client = client_for(editor)
    response = client.post(
        reverse("brands:brand_import"), {"file": csv_file(HEADER + GOOD[0] + "x,,,food_beverage,,,\n")}, follow=True
    )
    page = response.content.decode()
    assert "1 row has errors" in page and "Nothing was written" in page
    assert not Brand.objects.exists()


def test_import_preview_belongs_to_its_uploader(client_for, editor, manager):
    batch = import_parse(csv_file(HEADER + GOOD[0]), user=editor)
    response = client_for(manager).get(reverse("brands:brand_import_preview", kwargs={"pk": batch.pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_follows_the_filters(client_for, editor, fmt):
    BrandFactory(slug="wine", category="food_beverage")
    BrandFactory(slug="shoes", category="fashion")
    response = client_for(editor).get(reverse("brands:brand_export", kwargs={"fmt": fmt}), {"category": "fashion"})
    assert response.status_code == 200
    if fmt == "csv":
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content)))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(COLUMNS) and [r[0] for r in rows[1:]] == ["shoes"]


def test_brand_user_export_contains_only_their_brands(client_for, brand_user, brand, other_brand):
    response = client_for(brand_user).get(reverse("brands:brand_export", kwargs={"fmt": "csv"}))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert brand.slug in content and other_brand.slug not in content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_exactly_one_server_made_file_name(client_for, editor, fmt):
    response = client_for(editor).get(reverse("brands:brand_export", kwargs={"fmt": fmt}))
    disposition = response["Content-Disposition"]
    assert response.status_code == 200 and disposition.count("filename=") == 1
    assert re.fullmatch(rf'attachment; filename="brands-\d{{8}}-\d{{4}}\.{fmt}"', disposition)


@pytest.mark.parametrize(
    "tail",
    [
        "x%22%3B%20filename%3Devil.html",  # a quote and a semicolon: a second filename= in the header
        "csv%22%3B%20filename%3Devil.html",
        "csv%0D%0ASet-Cookie%3A%20a%3Db",  # CR/LF: a header injection (it was a 500)
        "csv%0A",
        "xlsx%0D",
        "html",
        "CSV",
        "csv.html",
        "",
    ],
)
def test_export_with_an_unknown_or_injected_format_is_404(client_for, editor, tail):
    response = client_for(editor).get(f"/brands/export.{tail}")
    assert response.status_code == 404
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("region", ["toscana", "Tuscany", "Toscana", "托斯卡纳"])
def test_import_takes_a_region_in_any_of_the_three_languages(region):
    from brands.transfer import _choice_lookup

    assert _choice_lookup(Region.choices)[region.lower()] == "toscana"


@pytest.mark.parametrize(("language", "label"), [("en", "Tuscany"), ("it", "Toscana"), ("zh-hans", "托斯卡纳")])
def test_region_names_are_shown_in_the_readers_language(client_for, editor, brand, language, label):
    page = client_for(editor).get(brand.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert label in page


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>>", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "XLS"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "PNG"),
        (b"slug,name\x00\x01\x02", "binary"),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx_is_told_so(editor, content, kind):
    from django.utils import translation

    upload = io.BytesIO(content)
    upload.name = "brands.csv"
    with translation.override("en"), pytest.raises(ImportFileError) as raised:
        import_parse(upload, user=editor)
    assert f"it is a {kind} file" in raised.value.messages[0] and "Unknown columns" not in raised.value.messages[0]
    assert not ImportBatch.objects.exists()


def test_unknown_columns_list_the_columns_the_import_takes(editor):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ImportFileError) as raised:
        import_parse(csv_file("slug,name_it,category,colour\n"), user=editor)
    assert "The columns are: slug, name_it" in raised.value.messages[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "food_beverage (Food & beverage)"),
        ("it", "food_beverage (Agroalimentare e bevande)"),
        ("zh-hans", "food_beverage (食品饮料)"),
    ],
)
def test_a_bad_choice_lists_the_valid_values_in_the_users_language(editor, language, expected):
    from django.utils import translation

    with translation.override(language):
        batch = import_parse(csv_file("slug,name_it,category\nx,Y,shoes\n"), user=editor)
    (message,) = batch.errors[0]["errors"]
    assert "shoes" in message and expected in message and "lifestyle" in message
