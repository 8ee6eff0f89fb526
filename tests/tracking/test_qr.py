"""QR images decode to the exact tracked URL with a real decoder (zxing-cpp), at their print size."""

import io
import xml.etree.ElementTree as ET

import pymupdf
import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image, ImageChops

from campaigns.tracking.qr import contrast_ratio, qr_png, qr_svg, validate_colours

URL = "https://hub.helloita.example/q/7KX2M9QH?source=qr"
SVG = "{http://www.w3.org/2000/svg}"
DARK_RED_ON_CREAM = ("#8B1A1A", "#FFF8E7")


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def png_image(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def render_svg(svg: str, dpi: int = 300) -> tuple[Image.Image, pymupdf.Rect]:
    """The SVG drawn by MuPDF at its own size (in cm) and ``dpi``, as a real print RIP would."""
    with pymupdf.open(stream=svg.encode(), filetype="svg") as document:
        page = document[0]
        pixmap = page.get_pixmap(dpi=dpi)
        return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples), page.rect


def logo_bytes(colour=(0, 160, 70, 255), size=(240, 160), fmt="PNG") -> bytes:
    """A flat green mark, wider than tall: green appears nowhere else, so its pixels can be counted."""
    out = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def symbol_modules(image: Image.Image) -> int:
    (result,) = zxingcpp.read_barcodes(image)
    return int(result.extra["Version"]) * 4 + 17


def error_level(image: Image.Image) -> str:
    (result,) = zxingcpp.read_barcodes(image)
    return result.ec_level


# --- PNG -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("colours", [("#000000", "#FFFFFF"), DARK_RED_ON_CREAM, ("#1B3A6B", "#FFFFFF")])
@pytest.mark.parametrize("with_logo", [False, True])
@pytest.mark.parametrize("caption", [None, "Gelato cup · Milano", "扫码领取一杯冰淇淋 · 上海盒马"])
def test_png_decodes_to_the_exact_url(colours, with_logo, caption):
    foreground, background = colours
    content = qr_png(
        URL, foreground=foreground, background=background, logo=logo_bytes() if with_logo else None, caption=caption
    )
    assert decode(png_image(content)) == [URL]


@pytest.mark.parametrize(("size_cm", "dpi"), [(3.0, 300), (2.5, 150), (5.0, 600), (4.2, 300)])
def test_png_is_the_print_size_with_its_dpi_in_the_file(size_cm, dpi):
    image = png_image(qr_png(URL, size_cm=size_cm, dpi=dpi))
    side = round(size_cm / 2.54 * dpi)
    assert image.size == (side, side)
    assert tuple(round(v) for v in image.info["dpi"]) == (dpi, dpi)

    # The symbol itself (quiet zone excluded) is where the dark pixels are: (modules - 8) modules a side.
    modules = symbol_modules(image) + 8
    left, top, right, bottom = image.convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()
    assert right - left == bottom - top
    module = side / modules
    assert abs((right - left) - (modules - 8) * module) <= module
    assert left >= 4 * module - 1  # a quiet zone of at least 4 modules
    assert decode(image) == [URL]


def test_png_caption_adds_a_band_below_and_keeps_the_code_at_size():
    plain = png_image(qr_png(URL, size_cm=3, dpi=300))
    captioned = png_image(qr_png(URL, size_cm=3, dpi=300, caption="扫码领取 Gelato"))
    assert captioned.width == plain.width == 354
    assert captioned.height > plain.height
    assert captioned.crop((0, 0, 354, 354)).tobytes() == plain.tobytes()
    band = captioned.crop((0, 354, 354, captioned.height)).convert("L")
    assert band.getextrema()[0] < 128  # there is dark text in the band


def test_long_captions_wrap_to_the_code_width_on_more_lines():
    one = png_image(qr_png(URL, caption="上海"))
    many = png_image(qr_png(URL, caption="扫码领取一杯意式冰淇淋，" * 4))
    assert many.width == one.width
    assert many.height > one.height + 60


def test_error_correction_is_q_without_logo_and_h_with_one():
    assert error_level(png_image(qr_png(URL))) == "Q"
    assert error_level(png_image(qr_png(URL, logo=logo_bytes()))) == "H"


def test_logo_is_centred_on_a_background_pad_and_covers_at_most_a_fifth_of_the_symbol():
    image = png_image(qr_png(URL, size_cm=5, dpi=300, logo=logo_bytes())).convert("RGB")
    distance = ImageChops.difference(image, Image.new("RGB", image.size, (0, 160, 70))).convert("L")
    green = distance.point(lambda v: 255 if v < 8 else 0)
    left, top, right, bottom = green.getbbox()
    centre = image.width / 2
    assert abs((left + right) / 2 - centre) <= 2
    assert abs((top + bottom) / 2 - centre) <= 2
    assert (right - left) / (bottom - top) == pytest.approx(240 / 160, rel=0.03)  # the logo keeps its shape
    symbol = symbol_modules(image) * image.width / (symbol_modules(image) + 8)
    assert 0.05 < (right - left) ** 2 / symbol**2 <= 0.20
    # The logo sits on the background colour: the band just above it holds no dark module.
    band = image.convert("L").crop((left, top - 4, right, top))
    assert band.getextrema()[0] > 200


def test_a_tiny_logo_is_enlarged_and_a_jpeg_logo_works_too():
    image = png_image(qr_png(URL, size_cm=4, logo=logo_bytes(size=(12, 12), fmt="PNG")))
    assert decode(image) == [URL]
    rgb = image.convert("RGB")
    assert rgb.getpixel((image.width // 2 + 30, image.width // 2)) == (0, 160, 70)
    jpeg = logo_bytes(colour=(0, 160, 70), size=(100, 100), fmt="JPEG")
    assert decode(png_image(qr_png(URL, logo=jpeg))) == [URL]


@pytest.mark.parametrize("length", [20, 90, 180, 300])
def test_codes_with_a_logo_decode_for_short_and_long_addresses(length):
    url = (URL + "&x=" + "abcdefghij" * 40)[:length]
    assert decode(png_image(qr_png(url, size_cm=6, logo=logo_bytes()))) == [url]


# --- SVG, rasterised at print size by MuPDF ------------------------------------------------------------------------


@pytest.mark.parametrize("colours", [("#000000", "#FFFFFF"), DARK_RED_ON_CREAM])
@pytest.mark.parametrize("with_logo", [False, True])
@pytest.mark.parametrize("caption", [None, "Gelato cup", "扫码领取 一杯冰淇淋"])
def test_svg_rasterised_at_print_size_decodes_to_the_exact_url(colours, with_logo, caption):
    foreground, background = colours
    svg = qr_svg(
        URL, foreground=foreground, background=background, logo=logo_bytes() if with_logo else None, caption=caption
    )
    image, _rect = render_svg(svg)
    assert abs(image.width - 354) <= 1
    assert decode(image) == [URL]


def test_svg_is_sized_in_centimetres_with_one_path_and_an_embedded_logo():
    svg = qr_svg(URL, size_cm=4.5, logo=logo_bytes(), foreground="#8B1A1A", background="#FFF8E7")
    root = ET.fromstring(svg)
    assert root.get("width") == "4.5cm"
    assert root.get("height").endswith("cm")
    assert float(root.get("height")[:-2]) == pytest.approx(4.5, abs=0.001)  # no caption: a square
    assert len(root.findall(f"{SVG}path")) == 1
    assert len(root.findall(f"{SVG}rect")) == 1  # the background; dark modules are all in the path
    (image,) = root.findall(f"{SVG}image")
    href = image.get("{http://www.w3.org/1999/xlink}href")
    assert href.startswith("data:image/png;base64,")
    assert "http" not in svg.replace("http://www.w3.org/", "")
    assert root.find(f"{SVG}path").get("fill") == "#8B1A1A"
    _image, rect = render_svg(svg)
    assert rect.width == pytest.approx(4.5 / 2.54 * 72, abs=0.1)  # points


def test_svg_caption_is_text_below_the_code_with_the_chinese_font_embedded():
    caption = "扫码领取 一杯冰淇淋"
    svg = qr_svg(URL, size_cm=3, caption=caption)
    root = ET.fromstring(svg)
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "".join(texts).replace(" ", "") == caption.replace(" ", "")
    assert float(root.get("height")[:-2]) > 3.2
    assert "@font-face" in root.find(f"{SVG}style").text
    image, _rect = render_svg(svg)
    assert image.height > image.width
    assert decode(image) == [URL]


def test_svg_escapes_the_caption():
    svg = qr_svg(URL, caption='Gelato <b> & "friends"')
    texts = [t.text for t in ET.fromstring(svg).findall(f"{SVG}text")]
    assert " ".join(texts) == 'Gelato <b> & "friends"'


# --- colours -------------------------------------------------------------------------------------------------------


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#fff", "#000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777") == pytest.approx(1.0)
    assert contrast_ratio(*DARK_RED_ON_CREAM) == pytest.approx(contrast_ratio(*reversed(DARK_RED_ON_CREAM)))
    assert 8 < contrast_ratio(*DARK_RED_ON_CREAM) < 10


@pytest.mark.parametrize(
    ("foreground", "background", "code", "ratio"),
    [
        ("#FFFFFF", "#000000", "inverted_colours", None),  # light on dark
        ("#FFF8E7", "#8B1A1A", "inverted_colours", None),
        ("#FFFF00", "#FFFFFF", "low_contrast", "1.1:1"),  # yellow on white
        ("#E0A800", "#FFFFFF", "low_contrast", "2.1:1"),  # a brand gold on white
        ("#8B1A1A", "#8B1A1A", "low_contrast", "1.0:1"),  # the same colour
    ],
)
def test_unreadable_colours_are_refused_with_a_code_and_the_ratio(foreground, background, code, ratio):
    with pytest.raises(ValidationError) as refusal:
        qr_png(URL, foreground=foreground, background=background)
    assert refusal.value.code == code
    message = refusal.value.messages[0]
    assert foreground.upper() in message
    if ratio:
        assert ratio in message
    with pytest.raises(ValidationError) as svg_refusal:
        qr_svg(URL, foreground=foreground, background=background)
    assert svg_refusal.value.code == code


@pytest.mark.parametrize(("foreground", "background"), [DARK_RED_ON_CREAM, ("#003", "#fff"), ("#2E5E1F", "#F4EFE1")])
def test_brand_colours_that_scan_pass(foreground, background):
    fg, _bg = validate_colours(foreground, background)
    assert fg.startswith("#") and len(fg) == 7 and fg == fg.upper()
    assert decode(png_image(qr_png(URL, foreground=foreground, background=background))) == [URL]


@pytest.mark.parametrize("value", ["red", "#12", "#GGGGGG", "8B1A1A", "", None])
def test_colours_must_be_hex(value):
    with pytest.raises(ValidationError) as refusal:
        validate_colours(value, "#FFFFFF")
    assert refusal.value.code == "invalid_colour"


def test_refusals_are_translated():
    """The messages are lazy: a form shows them in the visitor's language, the ratio kept."""
    with pytest.raises(ValidationError) as refusal:
        qr_png(URL, foreground="#FFFF00")
    with translation.override("it"):
        italian = refusal.value.messages[0]
    with translation.override("zh-hans"):
        chinese = refusal.value.messages[0]
    with translation.override("en"):
        english = refusal.value.messages[0]
    assert len({italian, chinese, english}) == 3
    assert all("1.1:1" in message for message in (italian, chinese, english))


# --- other refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size_cm", [0.5, 31, -3, "three", float("nan"), None])
def test_size_must_be_between_1_and_30_cm(size_cm):
    with pytest.raises(ValidationError) as refusal:
        qr_png(URL, size_cm=size_cm)
    assert refusal.value.code == "invalid_size"
    with pytest.raises(ValidationError):
        qr_svg(URL, size_cm=size_cm)


@pytest.mark.parametrize("dpi", [71, 1201, 0, 300.5, "300", True])
def test_dpi_must_be_between_72_and_1200(dpi):
    with pytest.raises(ValidationError) as refusal:
        qr_png(URL, dpi=dpi)
    assert refusal.value.code == "invalid_dpi"


@pytest.mark.parametrize("logo", [b"not an image", logo_bytes()[:60], b""])
def test_unreadable_logos_are_refused(logo):
    with pytest.raises(ValidationError) as refusal:
        qr_png(URL, logo=logo)
    assert refusal.value.code == "invalid_logo"
    with pytest.raises(ValidationError):
        qr_svg(URL, logo=logo)


def test_too_small_too_large_and_too_much_data_are_refused():
    with pytest.raises(ValidationError) as refusal:
        qr_png(URL + "&x=" + "y" * 200, size_cm=1, dpi=72)
    assert refusal.value.code == "too_dense"
    with pytest.raises(ValidationError) as refusal:
        qr_png(URL, size_cm=30, dpi=1200)
    assert refusal.value.code == "too_large"
    with pytest.raises(ValidationError) as refusal:
        qr_svg("x" * 5000)
    assert refusal.value.code == "too_much_data"
    with pytest.raises(ValidationError) as refusal:
        qr_png("")
    assert refusal.value.code == "empty_data"
    with pytest.raises(ValidationError) as refusal:
        qr_png(URL, caption="x" * 121)
    assert refusal.value.code == "caption_too_long"
