"""Print-ready QR codes: PNG at a size in centimetres and a dpi, or SVG in centimetres.

Plain values in, bytes or text out: no models, so views, tasks and the PDF sheets (``sheets.py``) call the same code.

- ``size_cm`` is the printed side of the code **including** its quiet zone of 4 modules, the square a designer
  places on the artwork; a caption, when given, is drawn below that square.
- Error correction is H (30 %) when a logo covers the centre (the logo and its pad take at most 20 % of the
  symbol's area, 8 % for addresses past about 120 characters), otherwise Q (25 %): the codes are printed on
  packaging, posters and table tents at fairs, and print gets scuffed.
- Colours: only dark modules on a light background, with a WCAG contrast ratio of at least 4.5 (see
  ``MIN_CONTRAST``). Anything else raises ``ValidationError`` with a code, so a form can show it.
"""

import base64
import functools
import io
import math
import re
from xml.sax.saxutils import escape, quoteattr

import qrcode
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont

from brandhub.pdf import cjk_font_path, cjk_font_subset, wrap_lines

QUIET_ZONE = 4  # modules; the minimum the QR standard asks for
# WCAG AA for normal text. Phone scanners binarise the luminance; brand pairs below ~4.5:1 (pale gold on cream,
# mid red on dark red) start to fail on glossy print and in dim venues, and 4.5 still lets through every dark
# brand colour on white or cream.
MIN_CONTRAST = 4.5
# The most of the symbol (quiet zone excluded) a centred logo and its pad may cover. Past version 10 (about 120
# characters at level H) a 20 % pad hides several alignment patterns, which decoders need on large symbols:
# zxing-cpp then fails on some versions (13, 19, 20) every time.
LOGO_AREA = 0.20
LOGO_AREA_LARGE = 0.08
LOGO_FILL = 0.84  # of the pad's side: a margin of 8 % each side between the logo and the modules
SVG_LOGO_PX = 600  # the most pixels a side of a logo embedded in an SVG: 300 dpi up to a 12 cm code
MIN_SIZE_CM, MAX_SIZE_CM = 1.0, 30.0
MIN_DPI, MAX_DPI = 72, 1200
MAX_SIDE_PX = 4800  # 40 cm at 300 dpi; 30 cm at 1200 dpi would be a 600 MB bitmap
MIN_MODULE_PX = 3  # below this, modules of uneven width (2 or 3 pixels) no longer decode reliably once a logo is on
MAX_CAPTION = 120  # characters
CM_PER_INCH = 2.54
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
CAPTION_WEIGHT = 500  # the variable font's default instance is Thin (100), too faint for small print


@functools.lru_cache(maxsize=16)
def _pil_font(size_px: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(str(cjk_font_path()), size_px)
    font.set_variation_by_axes([CAPTION_WEIGHT])
    return font


# --- colours ----------------------------------------------------------------------------------------------------


def parse_colour(value: str) -> tuple[int, int, int]:
    """``#RGB`` or ``#RRGGBB`` (any case) as an RGB triple; anything else is a ``ValidationError``."""
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        raise ValidationError(
            _("“%(value)s” is not a colour: write it as #RGB or #RRGGBB, for example #8B1A1A."),
            code="invalid_colour",
            params={"value": value},
        )
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour, from 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in parse_colour(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white); order does not matter."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_colours(foreground: str, background: str) -> tuple[str, str]:
    """Refuse colour pairs that phone scanners cannot read; return both as ``#RRGGBB``.

    The rule: the modules must be darker than the background (inverted codes, light on dark, fail in many phone
    scanners), and the contrast ratio must be at least ``MIN_CONTRAST``.
    """
    fg, bg = _hex(parse_colour(foreground)), _hex(parse_colour(background))
    ratio = contrast_ratio(fg, bg)
    params = {"foreground": fg, "background": bg, "ratio": f"{ratio:.1f}", "minimum": f"{MIN_CONTRAST:.1f}"}
    if relative_luminance(fg) > relative_luminance(bg):
        raise ValidationError(
            _(
                "The code colour %(foreground)s is lighter than the background %(background)s: many phone scanners "
                "cannot read light codes on a dark background. Use a dark colour on a light background."
            ),
            code="inverted_colours",
            params=params,
        )
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "%(foreground)s on %(background)s has a contrast ratio of %(ratio)s:1; scanners need at least "
                "%(minimum)s:1. Use a darker code colour or a lighter background."
            ),
            code="low_contrast",
            params=params,
        )
    return fg, bg


# --- the code itself --------------------------------------------------------------------------------------------


def validate_size(size_cm, *, minimum: float = MIN_SIZE_CM, maximum: float = MAX_SIZE_CM) -> float:
    """The size as a float when it is a number of centimetres from ``minimum`` to ``maximum``."""
    try:
        size = float(size_cm)
    except (TypeError, ValueError):
        size = math.nan
    if not minimum <= size <= maximum:  # also refuses NaN
        raise ValidationError(
            _("The code's size must be between %(minimum)s and %(maximum)s cm."),
            code="invalid_size",
            params={"minimum": f"{minimum:g}", "maximum": f"{maximum:g}"},
        )
    return size


def _validate_dpi(dpi) -> int:
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not MIN_DPI <= dpi <= MAX_DPI:
        raise ValidationError(
            _("The resolution must be a whole number of dpi between %(minimum)s and %(maximum)s."),
            code="invalid_dpi",
            params={"minimum": MIN_DPI, "maximum": MAX_DPI},
        )
    return dpi


def _validate_caption(caption: str | None) -> str | None:
    if caption is None or not caption.strip():
        return None
    caption = " ".join(caption.split())
    if len(caption) > MAX_CAPTION:
        raise ValidationError(
            _("The caption is too long: at most %(maximum)s characters."),
            code="caption_too_long",
            params={"maximum": MAX_CAPTION},
        )
    return caption


def _load_logo(logo: bytes | None) -> Image.Image | None:
    """The logo as an RGBA image, or a ``ValidationError`` for anything Pillow cannot read as a raster image."""
    if logo is None:
        return None
    try:
        with Image.open(io.BytesIO(logo)) as probe:
            probe.verify()  # a truncated or corrupt file fails here, before it is decoded
        with Image.open(io.BytesIO(logo)) as img:
            img.load()
            return img.convert("RGBA")
    except (OSError, SyntaxError, ValueError, TypeError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("The logo could not be read: upload a PNG, JPEG or WebP image."), code="invalid_logo"
        ) from exc


def _matrix(data: str, *, with_logo: bool) -> list[list[bool]]:
    """The modules of the symbol, quiet zone included."""
    if not isinstance(data, str) or not data:
        raise ValidationError(_("There is nothing to encode in the code."), code="empty_data")
    level = qrcode.constants.ERROR_CORRECT_H if with_logo else qrcode.constants.ERROR_CORRECT_Q
    code = qrcode.QRCode(error_correction=level, border=QUIET_ZONE)
    code.add_data(data)
    try:
        code.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError) as exc:
        raise ValidationError(_("The address is too long to fit in a QR code."), code="too_much_data") from exc
    return code.get_matrix()


def _clear_logo_pad(matrix: list[list[bool]]) -> int:
    """Clear the centred square of modules the logo goes on; return its side, in modules.

    The pad follows the module grid (no module is left half covered, which decoders read as noise) and covers at
    most ``LOGO_AREA`` of the symbol, quiet zone excluded.
    """
    symbol = len(matrix) - 2 * QUIET_ZONE
    version = (symbol - 17) // 4
    side = math.isqrt(int((LOGO_AREA if version <= 10 else LOGO_AREA_LARGE) * symbol * symbol))
    if (side - symbol) % 2:  # same parity as the symbol, so the pad sits exactly in the middle
        side -= 1
    start = (len(matrix) - side) // 2
    for row in matrix[start : start + side]:
        row[start : start + side] = [False] * side
    return side


def qr_png(
    data: str,
    *,
    size_cm: float = 3.0,
    dpi: int = 300,
    foreground: str = "#000000",
    background: str = "#FFFFFF",
    logo: bytes | None = None,
    caption: str | None = None,
) -> bytes:
    """A PNG whose code (quiet zone included) is ``size_cm`` wide at ``dpi``, with the dpi in the file's metadata.

    The code's side is exactly ``round(size_cm / 2.54 * dpi)`` pixels. A caption adds a band below the code, in
    the foreground colour.
    """
    size = validate_size(size_cm)
    dpi = _validate_dpi(dpi)
    fg, bg = validate_colours(foreground, background)
    caption = _validate_caption(caption)
    logo_image = _load_logo(logo)
    matrix = _matrix(data, with_logo=logo_image is not None)
    if logo_image is not None:
        pad_side = _clear_logo_pad(matrix)
    modules = len(matrix)
    side = round(size / CM_PER_INCH * dpi)
    if side > MAX_SIDE_PX:
        raise ValidationError(
            _("This size and resolution make an image too large: at most %(maximum)s pixels a side."),
            code="too_large",
            params={"maximum": MAX_SIDE_PX},
        )
    if side / modules < MIN_MODULE_PX:
        raise ValidationError(
            _("The code is too small for this address at %(dpi)s dpi: make it larger or raise the dpi."),
            code="too_dense",
            params={"dpi": dpi},
        )
    fg_rgb, bg_rgb = parse_colour(fg), parse_colour(bg)

    # One pixel per module, scaled up with nearest neighbour: modules land on whole pixels, some one pixel wider
    # than others, and the code's side is exactly ``side`` pixels.
    small = Image.new("L", (modules, modules), 0)
    small.putdata([255 if dark else 0 for row in matrix for dark in row])
    code = Image.new("RGB", (side, side), bg_rgb)
    code.paste(fg_rgb, mask=small.resize((side, side), Image.Resampling.NEAREST))

    if logo_image is not None:
        inner = pad_side * side / modules * LOGO_FILL
        scale = inner / max(logo_image.size)  # small logos are enlarged too
        fitted = (max(1, round(logo_image.width * scale)), max(1, round(logo_image.height * scale)))
        logo_image = logo_image.resize(fitted, Image.Resampling.LANCZOS)
        code.paste(logo_image, ((side - fitted[0]) // 2, (side - fitted[1]) // 2), mask=logo_image)

    image = code
    if caption:
        font_px = max(8, round(side / 12))
        font = _pil_font(font_px)
        margin = round(side * QUIET_ZONE / modules)
        lines = wrap_lines(caption, lambda text: font.getlength(text) <= side - 2 * margin)
        line_height = round(font_px * 1.3)
        band = line_height * len(lines) + round(font_px * 0.6)
        image = Image.new("RGB", (side, side + band), bg_rgb)
        image.paste(code, (0, 0))
        draw = ImageDraw.Draw(image)
        for index, line in enumerate(lines):
            y = side + index * line_height + line_height // 2
            draw.text((side / 2, y), line, font=font, fill=fg_rgb, anchor="mm")

    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()


def _svg_path(matrix: list[list[bool]]) -> str:
    """All dark modules as one path: a rectangle per horizontal run of dark modules, in module units."""
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return "".join(parts)


def qr_svg(
    data: str,
    *,
    size_cm: float = 3.0,
    foreground: str = "#000000",
    background: str = "#FFFFFF",
    logo: bytes | None = None,
    caption: str | None = None,
) -> str:
    """An SVG document ``size_cm`` wide (quiet zone included), in module units inside, with one path for the code.

    The logo is embedded as a PNG ``data:`` URI (never a link), the caption is real ``<text>`` with the subset of
    Noto Sans SC it needs embedded as a ``data:`` font, so Chinese shows in a browser without fonts installed.
    """
    size = validate_size(size_cm)
    fg, bg = validate_colours(foreground, background)
    caption = _validate_caption(caption)
    logo_image = _load_logo(logo)
    matrix = _matrix(data, with_logo=logo_image is not None)
    if logo_image is not None:
        pad = _clear_logo_pad(matrix)
    modules = len(matrix)

    body = [f'<path fill="{fg}" d="{_svg_path(matrix)}"/>']
    if logo_image is not None:
        inner = pad * LOGO_FILL
        scale = inner / max(logo_image.size)  # fitted here, not left to preserveAspectRatio: not every renderer has it
        logo_w, logo_h = logo_image.width * scale, logo_image.height * scale
        logo_image.thumbnail((SVG_LOGO_PX, SVG_LOGO_PX), Image.Resampling.LANCZOS)
        png = io.BytesIO()
        logo_image.save(png, format="PNG", optimize=True)
        href = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")
        body.append(
            f'<image x="{(modules - logo_w) / 2:.3f}" y="{(modules - logo_h) / 2:.3f}" width="{logo_w:.3f}" '
            f'height="{logo_h:.3f}" preserveAspectRatio="xMidYMid meet" xlink:href={quoteattr(href)}/>'
        )

    height = modules
    style = ""
    if caption:
        font_units = modules / 12
        # A rough measure (CJK glyphs are one em wide, Latin about half) is enough to break the lines.
        width = modules - 2 * QUIET_ZONE
        lines = wrap_lines(
            caption, lambda text: sum(1 if ord(c) > 0x2E7F else 0.55 for c in text) * font_units <= width
        )
        line_height = font_units * 1.3
        for index, line in enumerate(lines):
            y = modules + line_height * (index + 0.5)
            body.append(
                f'<text x="{modules / 2:.3f}" y="{y:.3f}" font-size="{font_units:.3f}" fill="{fg}" '
                f'text-anchor="middle" dominant-baseline="central" '
                f"font-family=\"'Noto Sans SC BrandHub', 'Noto Sans SC', 'Noto Sans CJK SC', sans-serif\">"
                f"{escape(line)}</text>"
            )
        height = modules + line_height * len(lines) + font_units * 0.6
        font = base64.b64encode(cjk_font_subset(caption, CAPTION_WEIGHT)).decode("ascii")
        style = (
            "<style>@font-face{font-family:'Noto Sans SC BrandHub';"
            f"src:url(data:font/ttf;base64,{font}) format('truetype');}}</style>"
        )

    height_cm = size * height / modules
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
        f'width="{size:g}cm" height="{height_cm:.4f}cm" '
        f'viewBox="0 0 {modules} {height:.3f}" shape-rendering="crispEdges">'
        f"{style}"
        f'<rect width="{modules}" height="{height:.3f}" fill="{bg}"/>'
        f"{''.join(body)}</svg>\n"
    )
