"""Printable PDFs of QR codes: an A4 sheet of many codes with crop marks, and an A5 table tent.

Plain values in, PDF bytes out (fpdf2, pure Python). Text is real text in Noto Sans SC, embedded as a subset of
the characters used, so Chinese prints everywhere and can be searched and extracted; the codes are PNGs from
``qr.qr_png`` at 300 dpi, placed at their print size.
"""

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass

from fpdf import FPDF

from brandhub.pdf import FONT, CjkPdf

from .qr import parse_colour, qr_png, validate_colours, validate_size

DPI = 300

# A4 sheet, in millimetres.
A4_W, A4_H = 210.0, 297.0
MARGIN = 10.0
HEADER = 12.0  # the title line and the page number, above the grid
GAP = 6.0  # around each cell's trim box: room for its crop marks, never touching the next cell's
MARK_OFFSET, MARK_LENGTH = 1.0, 4.0  # crop marks stop 1 mm short of the trim box, so a cut does not show them
CAPTION_AREA = 12.5  # below the code: two caption lines and a subcaption
CAPTION_PT, CAPTION_MIN_PT, SUBCAPTION_PT = 9.0, 6.5, 7.0
SHEET_MAX_CM = 17.0  # one cell, with its gaps, across the A4 page inside the margins

# A5 table tent: A5 landscape, folded across the middle into two panels of 210 x 74 mm.
A5_W, A5_H = 210.0, 148.0
PANEL_H = A5_H / 2
TENT_CODE_CM = 5.0
TENT_MIN_CM, TENT_MAX_CM = 3.0, 6.0  # a panel is 74 mm high; below 3 cm the code is lost on the card
PT_TO_MM = 25.4 / 72


@dataclass(frozen=True)
class SheetCode:
    """One code to print: what it encodes, the caption under it, and how it looks."""

    data: str  # the tracked URL, with source=qr
    caption: str = ""
    subcaption: str = ""  # e.g. the city and venue
    logo: bytes | None = None
    foreground: str = "#000000"
    background: str = "#FFFFFF"


class _Pdf(CjkPdf):
    """A page of codes: the hub's font subset to the document's words, no automatic page breaks or margins."""

    def __init__(self, *, orientation: str, page_format: str | tuple[float, float], texts: Iterable[str]):
        super().__init__(texts=texts, orientation=orientation, page_format=page_format)
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)

    def code(self, code: SheetCode, x: float, y: float, size_cm: float) -> None:
        png = qr_png(
            code.data,
            size_cm=size_cm,
            dpi=DPI,
            foreground=code.foreground,
            background=code.background,
            logo=code.logo,
        )
        side = size_cm * 10
        self.image(io.BytesIO(png), x=x, y=y, w=side, h=side)


def _colour(pdf: FPDF, hex_colour: str, *, fill: bool = False) -> None:
    rgb = parse_colour(hex_colour)
    if fill:
        pdf.set_fill_color(*rgb)
    else:
        pdf.set_text_color(*rgb)
        pdf.set_draw_color(*rgb)


def _crop_marks(pdf: FPDF, left: float, top: float, right: float, bottom: float) -> None:
    """Two short hairlines at each corner of the trim box, outside it, along its edges."""
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.15)
    near, far = MARK_OFFSET, MARK_OFFSET + MARK_LENGTH
    for x, dx in ((left, -1), (right, 1)):
        for y, dy in ((top, -1), (bottom, 1)):
            pdf.line(x + dx * near, y, x + dx * far, y)  # along the horizontal edge, beyond the corner
            pdf.line(x, y + dy * near, x, y + dy * far)  # along the vertical edge


def _sheet_grid(size_cm: float) -> tuple[int, int, float, float]:
    """Columns and rows of cells that fit on an A4 page, and the cell's pitch in mm."""
    cell_w = size_cm * 10 + 2 * GAP
    cell_h = size_cm * 10 + CAPTION_AREA + 2 * GAP
    columns = int((A4_W - 2 * MARGIN) // cell_w)
    rows = int((A4_H - 2 * MARGIN - HEADER) // cell_h)
    return columns, rows, cell_w, cell_h


def codes_sheet_pdf(codes: list[SheetCode], *, title: str, size_cm: float = 4.0) -> bytes:
    """A4 portrait pages of codes ``size_cm`` wide (4 cm: 3 by 4, 12 a page), captions below, crop marks around.

    Each cell's trim box is the code and its caption area; the crop marks sit in the gap between cells, so every
    code can be cut out on its own. Each page has the title and "page / pages" above the grid.
    """
    if not codes:
        raise ValueError("codes_sheet_pdf needs at least one code")
    size_cm = validate_size(size_cm, maximum=SHEET_MAX_CM)
    for code in codes:  # refuse before the fonts are made
        validate_colours(code.foreground, code.background)
    columns, rows, cell_w, cell_h = _sheet_grid(size_cm)
    per_page = columns * rows
    pages = math.ceil(len(codes) / per_page)
    side = size_cm * 10
    grid_left = (A4_W - columns * cell_w) / 2
    grid_top = MARGIN + HEADER
    texts = [title, *(c.caption for c in codes), *(c.subcaption for c in codes)]

    pdf = _Pdf(orientation="portrait", page_format="A4", texts=texts)
    pdf.set_title(title)
    for page in range(pages):
        pdf.add_page()
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FONT, style="B", size=11)
        number = f"{page + 1} / {pages}"
        number_w = pdf.get_string_width(number) + 2
        pdf.set_xy(MARGIN, MARGIN)
        pdf.cell(w=A4_W - 2 * MARGIN - number_w, h=6, text=pdf.fit(title, A4_W - 2 * MARGIN - number_w - 4))
        pdf.set_font(FONT, size=9)
        pdf.set_xy(A4_W - MARGIN - number_w, MARGIN)
        pdf.cell(w=number_w, h=6, text=number, align="R")
        pdf.set_draw_color(160, 160, 160)
        pdf.set_line_width(0.2)
        pdf.line(MARGIN, MARGIN + 7.5, A4_W - MARGIN, MARGIN + 7.5)

        for index, code in enumerate(codes[page * per_page : (page + 1) * per_page]):
            row, column = divmod(index, columns)
            left = grid_left + column * cell_w + GAP
            top = grid_top + row * cell_h + GAP
            fg, bg = validate_colours(code.foreground, code.background)
            _colour(pdf, bg, fill=True)
            pdf.rect(left, top, side, side + CAPTION_AREA, style="F")
            pdf.code(code, left, top, size_cm)
            _colour(pdf, fg)
            y = top + side + 0.8
            if code.caption:
                # One line if a slightly smaller size allows it, else two lines.
                one_line = pdf.size_to_fit(code.caption, side - 2, 1, CAPTION_PT, CAPTION_PT - 1.5)
                if one_line:
                    size, lines = pdf.shrink_to_fit(code.caption, side - 2, 1, one_line, one_line)
                else:
                    size, lines = pdf.shrink_to_fit(code.caption, side - 2, 2, CAPTION_PT, CAPTION_MIN_PT)
                y = pdf.centred(lines, left, y, side, size * PT_TO_MM * 1.25)
            if code.subcaption:
                pdf.set_font(FONT, size=SUBCAPTION_PT)
                pdf.centred([pdf.fit(code.subcaption, side - 2)], left, y, side, SUBCAPTION_PT * PT_TO_MM * 1.3)
            _crop_marks(pdf, left, top, left + side, top + side + CAPTION_AREA)
    return bytes(pdf.output())


def _tent_panel(pdf: _Pdf, code: SheetCode, top: float, *, texts: dict[str, str | None], size_cm: float) -> None:
    """One face of the tent, drawn upright in the 210 x 74 mm band from ``top``: the code left, the words right."""
    side = size_cm * 10
    code_x, code_y = 12.0, top + (PANEL_H - side) / 2
    pdf.code(code, code_x, code_y, size_cm)
    fg, _bg = validate_colours(code.foreground, code.background)
    _colour(pdf, fg)
    if code.caption:
        pdf.set_font(FONT, size=7)
        pdf.centred([pdf.fit(code.caption, side)], code_x, code_y + side + 0.5, side, 3.2)

    column_x = code_x + side + 8
    column_w = A5_W - column_x - 12
    blocks = []  # (lines, line height in mm, gap after) drawn top to bottom, centred as a whole
    size, lines = pdf.shrink_to_fit(texts["reward_zh"], column_w, 2, 30, 16, style="B")
    blocks.append((lines, size * PT_TO_MM * 1.2, 3.0, "B", size))
    size, lines = pdf.shrink_to_fit(texts["instructions_zh"], column_w, 1, 16, 10)
    blocks.append((lines, size * PT_TO_MM * 1.3, 2.0, "", size))
    if texts["reward_en"]:
        size, lines = pdf.shrink_to_fit(texts["reward_en"], column_w, 2, 12, 8)
        blocks.append((lines, size * PT_TO_MM * 1.3, 2.0, "", size))
    if texts["brand_name"]:
        size, lines = pdf.shrink_to_fit(texts["brand_name"], column_w, 1, 11, 8, style="B")
        blocks.append((lines, size * PT_TO_MM * 1.3, 0.0, "B", size))
    height = sum(len(lines) * line_mm + gap for lines, line_mm, gap, _s, _p in blocks)
    y = top + max(4.0, (PANEL_H - height) / 2)
    for lines, line_mm, gap, style, size in blocks:
        pdf.set_font(FONT, style=style, size=size)
        y = pdf.centred(lines, column_x, y, column_w, line_mm) + gap


def table_tent_pdf(
    code: SheetCode,
    *,
    brand_name: str,
    reward_zh: str,
    reward_en: str | None,
    instructions_zh: str = "扫码领取",
    size_cm: float = TENT_CODE_CM,
) -> bytes:
    """An A5 landscape table tent: fold it along the dashed line across the middle and stand it on the table.

    Both halves carry the same face, the upper one turned upside down, so once folded it reads upright from both
    sides of the table: the code, the reward in large Chinese, the instruction, an optional English or Italian
    line and the brand's name. The page is filled with the code's background colour, the words in its colour.
    """
    size_cm = validate_size(size_cm, minimum=TENT_MIN_CM, maximum=TENT_MAX_CM)
    texts = {
        "reward_zh": " ".join(reward_zh.split()),
        "instructions_zh": " ".join(instructions_zh.split()),
        "reward_en": " ".join((reward_en or "").split()) or None,
        "brand_name": " ".join(brand_name.split()),
    }
    _fg, bg = validate_colours(code.foreground, code.background)
    all_texts = [code.caption, *(t for t in texts.values() if t)]
    pdf = _Pdf(orientation="landscape", page_format=(A5_H, A5_W), texts=all_texts)
    pdf.set_title(texts["reward_zh"])
    pdf.add_page()
    _colour(pdf, bg, fill=True)
    pdf.rect(0, 0, A5_W, A5_H, style="F")
    _tent_panel(pdf, code, PANEL_H, texts=texts, size_cm=size_cm)  # the lower half, upright
    with pdf.rotation(180, x=A5_W / 2, y=PANEL_H / 2):  # the upper half, upside down
        _tent_panel(pdf, code, 0, texts=texts, size_cm=size_cm)
    # The fold: a dashed hairline across the page, with ticks past both edges of the artwork.
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=3, gap=2)
        pdf.line(6, PANEL_H, A5_W - 6, PANEL_H)
    pdf.line(0, PANEL_H, 4, PANEL_H)
    pdf.line(A5_W - 4, PANEL_H, A5_W, PANEL_H)
    return bytes(pdf.output())
