"""PDF sheets and table tents: Chinese text extracts back exactly (no tofu), and every code on a page decodes."""

import io
import itertools
import math
import subprocess

import pymupdf
import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from PIL import Image

from campaigns.tracking.sheets import SheetCode, _sheet_grid, codes_sheet_pdf, table_tent_pdf

BASE = "https://hub.helloita.example/q/"


def url(index: int) -> str:
    return f"{BASE}HM{index:04d}X?source=qr"


def pdftotext(pdf: bytes, *, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(["pdftotext", *pages, "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def squash(text: str) -> str:
    """pdftotext puts line breaks and spaces where the layout has them; compare the characters."""
    return "".join(text.split())


def render(pdf: bytes, page: int = 0, dpi: int = 300) -> Image.Image:
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        pixmap = document[page].get_pixmap(dpi=dpi)
        return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def decoded(image: Image.Image) -> list[str]:
    return sorted(result.text for result in zxingcpp.read_barcodes(image))


def page_count(pdf: bytes) -> int:
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        return document.page_count


def page_size_mm(pdf: bytes) -> tuple[float, float]:
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        rect = document[0].rect
        return round(rect.width / 72 * 25.4), round(rect.height / 72 * 25.4)


def logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (200, 200), (0, 120, 60, 255)).save(out, format="PNG")
    return out.getvalue()


VENUES = ["上海 · 盒马鲜生 浦东店", "北京 · 三里屯", "杭州 · 西湖 Slow Food", "广州 · 天河城", "成都 · 太古里"]


def venue_codes(count: int, **style) -> list[SheetCode]:
    return [
        SheetCode(data=url(i), caption=f"盒马 {i + 1} 号店 · Gelato", subcaption=VENUES[i % len(VENUES)], **style)
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def sheet_of_30() -> bytes:
    return codes_sheet_pdf(venue_codes(30), title="意式冰淇淋周 Gelato Week 2026", size_cm=4.0)


def test_a_sheet_of_30_codes_has_the_expected_pages_and_size(sheet_of_30):
    columns, rows, _w, _h = _sheet_grid(4.0)
    assert columns * rows >= 9  # 4 cm codes are printed several to a page
    assert page_count(sheet_of_30) == math.ceil(30 / (columns * rows))
    assert page_size_mm(sheet_of_30) == (210, 297)


def test_every_code_on_every_page_decodes_to_its_url(sheet_of_30):
    columns, rows, _w, _h = _sheet_grid(4.0)
    per_page = columns * rows
    found = []
    for page in range(page_count(sheet_of_30)):
        on_page = decoded(render(sheet_of_30, page))
        assert on_page == sorted(url(i) for i in range(page * per_page, min(30, (page + 1) * per_page)))
        found += on_page
    assert sorted(found) == sorted(url(i) for i in range(30))


def test_sheet_text_extracts_back_exactly_with_page_numbers(sheet_of_30):
    pages = page_count(sheet_of_30)
    for page in range(1, pages + 1):
        text = pdftotext(sheet_of_30, page=page)
        assert "意式冰淇淋周 Gelato Week 2026" in text
        assert f"{page}/{pages}" in squash(text)
        assert "\ufffd" not in text and "□" not in text
    everything = squash(pdftotext(sheet_of_30))
    for code in venue_codes(30):
        assert squash(code.caption) in everything
    for venue in VENUES:
        assert squash(venue) in everything


def test_the_chinese_font_is_embedded_as_a_subset():
    pdf = codes_sheet_pdf(venue_codes(2), title="冰淇淋")
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = [line for line in fonts.splitlines() if "NotoSansSC" in line]
    assert rows, fonts
    assert all(" yes yes yes " in row for row in rows)  # embedded, subset, with a Unicode map
    assert len(pdf) < 200_000  # a subset, not the 17 MB font


def test_sheet_with_brand_colours_logos_and_long_captions_still_decodes():
    codes = [
        SheetCode(
            data=url(i),
            caption="扫码领取一杯意式冰淇淋，限量供应，先到先得 " * (i + 1),
            subcaption="上海市浦东新区世纪大道 100 号 盒马鲜生 B1 层 冷饮区 " * 2,
            logo=logo() if i % 2 else None,
            foreground="#8B1A1A",
            background="#FFF8E7",
        )
        for i in range(4)
    ]
    pdf = codes_sheet_pdf(codes, title="Brand colours", size_cm=3.0)
    assert page_count(pdf) == 1
    assert decoded(render(pdf)) == sorted(url(i) for i in range(4))
    text = squash(pdftotext(pdf))
    assert "扫码领取一杯意式冰淇淋" in text
    assert "…" in text  # the long captions were cut to fit their cell, not spilled over the next one


def test_larger_codes_give_fewer_per_page():
    small, large = _sheet_grid(3.0), _sheet_grid(8.0)
    assert small[0] * small[1] > large[0] * large[1] >= 1
    pdf = codes_sheet_pdf(venue_codes(5), title="Poster codes", size_cm=8.0)
    assert page_count(pdf) == math.ceil(5 / (large[0] * large[1]))
    assert decoded(render(pdf, 0, dpi=200)) == sorted(url(i) for i in range(large[0] * large[1]))


def test_sheet_refuses_what_cannot_be_printed():
    with pytest.raises(ValidationError) as refusal:
        codes_sheet_pdf(venue_codes(1), title="Too big", size_cm=25)
    assert refusal.value.code == "invalid_size"
    with pytest.raises(ValidationError) as refusal:
        codes_sheet_pdf([SheetCode(data=url(1), foreground="#FFFFFF", background="#000000")], title="Inverted")
    assert refusal.value.code == "inverted_colours"
    with pytest.raises(ValueError):
        codes_sheet_pdf([], title="Empty")
    with pytest.raises(ValidationError) as refusal:
        table_tent_pdf(SheetCode(data=url(1)), size_cm=8, **TENT)
    assert refusal.value.code == "invalid_size"
    assert "6 cm" in refusal.value.messages[0]


# --- table tent ----------------------------------------------------------------------------------------------------

TENT = {
    "brand_name": "Gelateria Rossi 罗西冰淇淋",
    "reward_zh": "免费领取一杯意式冰淇淋",
    "reward_en": "Scan and get a gelato cup",
}


@pytest.fixture(scope="module")
def tent() -> bytes:
    code = SheetCode(data=url(7), caption="上海 · 盒马", foreground="#8B1A1A", background="#FFF8E7", logo=logo())
    return table_tent_pdf(code, **TENT)


def test_table_tent_is_a5_landscape_with_two_faces_that_decode(tent):
    assert page_count(tent) == 1
    assert page_size_mm(tent) == (210, 148)
    image = render(tent)
    assert decoded(image) == [url(7), url(7)]
    # One face on each half of the fold, the upper one upside down: turned over, it reads like the lower one.
    upper = image.crop((0, 0, image.width, image.height // 2))
    lower = image.crop((0, image.height // 2, image.width, image.height))
    assert decoded(upper) == decoded(lower) == [url(7)]
    assert zxingcpp.read_barcodes(upper)[0].orientation in (180, -180)
    assert zxingcpp.read_barcodes(lower)[0].orientation == 0


def test_table_tent_text_extracts_back_exactly(tent):
    text = pdftotext(tent)
    for value in (*TENT.values(), "扫码领取", "上海 · 盒马"):
        assert text.count(value) == 2, value  # once on each face
    assert "\ufffd" not in text


def test_table_tent_without_english_line_and_with_other_instructions():
    pdf = table_tent_pdf(
        SheetCode(data=url(8)),
        brand_name="Caseificio Bianchi",
        reward_zh="品尝帕尔马干酪",
        reward_en=None,
        instructions_zh="微信扫一扫",
    )
    text = pdftotext(pdf)
    assert text.count("品尝帕尔马干酪") == 2
    assert text.count("微信扫一扫") == 2
    assert "扫码领取" not in text
    assert decoded(render(pdf, dpi=200)) == [url(8), url(8)]


def test_table_tent_marks_the_fold_with_a_dashed_line_across_the_middle(tent):
    image = render(tent, dpi=100).convert("L")
    middle = image.height // 2
    darkest = [min(image.getpixel((x, y)) for y in range(middle - 2, middle + 3)) for x in range(image.width)]
    dark = [value < 200 for value in darkest]
    assert 0.3 < sum(dark) / len(dark) < 0.9  # dashes, not a solid rule and not nothing
    assert sum(a != b for a, b in itertools.pairwise(dark)) > 40
    above = [image.getpixel((x, middle - 15)) for x in range(image.width)]
    assert sum(value < 200 for value in above) / len(above) < 0.3
