"""How a results report looks on paper: A4 pages of headline tiles, charts and the tables of their numbers.

Plain text in, PDF bytes out: the rest of the package decides what a report says, already written in the reader's
language; this module only draws it with fpdf2's vector primitives (lines, rectangles, circles and text, no images),
so the charts stay sharp at any zoom and print as well as they show. Colours keep their meaning in black and white: bars
and lines are dark enough to print grey, and every chart is followed by the table of its numbers.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass

from django.utils.translation import gettext

from brandhub.pdf import FONT, CjkPdf, cjk_pdf_bytes

BRAND_HUB = "helloITA Brand Hub"

# A4 portrait, in millimetres.
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 15.0
WIDTH = PAGE_W - 2 * MARGIN
BOTTOM = 18.0  # room for the footer
RUNNING_HEAD = 8.0  # pages after the first: a line naming the brand and the report

# The console's colours (static/css/app.css), as RGB.
INK = (29, 35, 48)
MUTED = (95, 107, 122)
LINE = (221, 226, 232)
ACCENT = (11, 92, 171)  # bars
GREEN = (0, 132, 61)  # lines, and a figure that went up
RED = (200, 16, 46)  # a figure that went down
HEAD_FILL = (235, 239, 244)
ZEBRA = (247, 248, 250)

PT = 25.4 / 72  # millimetres per point


# --- what there is to draw ------------------------------------------------------------------------------------------


@dataclass
class Kpi:
    """A headline figure: its value, and (in a monthly report) the month before and the change."""

    label: str
    value: str
    before: str = ""  # "July 2027: 1,204"
    change: str = ""  # "+12.3%"
    trend: int = 0  # 1 up, -1 down, 0 unchanged or unknown


@dataclass
class Chart:
    """``bars``: one bar per period; ``line``: a level over periods (gaps where unknown); ``hbars``: one bar per
    category, its value written beside it. ``labels`` name the periods or categories, in order."""

    kind: str
    title: str
    labels: list[str]
    values: list  # numbers, None where unknown
    value_labels: list[str] = field(default_factory=list)  # hbars: each value as written in the table
    tick_label: Callable[[float], str] = str  # how the value axis writes its round numbers (1.5K, 150万 ...)
    axis_words: list[str] = field(default_factory=list)  # what tick labels may use besides digits (万, Mln ...)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative
    align: str  # one letter per column: L or R
    title: str = ""
    total: list[str] | None = None  # a last row in bold, under a rule
    bold: set = field(default_factory=set)  # indices of rows written in bold (e.g. an event above its codes)


@dataclass
class Text:
    text: str
    style: str = ""  # "" body, "muted" a note, "B" a sub-heading


@dataclass
class Section:
    heading: str
    blocks: list


@dataclass
class Report:
    """A report written out: every string is already in the reader's language."""

    title: str  # the brand's name
    subtitle: str  # "Monthly report · August 2027"
    about: str  # "Frantoio Aurelio · generated on … (China time)"
    kpis: list[Kpi]
    kpi_note: str
    sections: list[Section]
    filename: str
    language: str
    running_head: str = ""


def strings(value) -> list[str]:
    """Every string a report holds (for the font subset)."""
    if isinstance(value, str):
        return [value]
    if is_dataclass(value):
        return [s for f in fields(value) for s in strings(getattr(value, f.name))]
    if isinstance(value, list | tuple | set):
        return [s for item in value for s in strings(item)]
    return []


# --- the document ---------------------------------------------------------------------------------------------------


class ReportPdf(CjkPdf):
    """A4 portrait with the hub's name and the page number on every page, the brand and report on every page after
    the first."""

    def __init__(self, *, texts, report: Report):
        super().__init__(texts=texts)
        self.report = report
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_title(f"{report.title} · {report.subtitle}")
        self.set_author(BRAND_HUB)
        self.set_subject(report.subtitle)
        self.set_lang({"zh-hans": "zh-Hans"}.get(report.language, report.language))

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=7.5)
        self.set_text_color(*MUTED)
        self.set_xy(MARGIN, 8)
        self.cell(w=WIDTH, h=4, text=self.fit(self.report.running_head, WIDTH))
        self.set_draw_color(*LINE)
        self.set_line_width(0.2)
        self.line(MARGIN, 13, PAGE_W - MARGIN, 13)
        self.set_y(MARGIN + RUNNING_HEAD - 4)

    def footer(self):
        self.set_font(FONT, size=7.5)
        self.set_text_color(*MUTED)
        self.set_xy(MARGIN, PAGE_H - 11)
        self.cell(w=WIDTH / 2, h=4, text=BRAND_HUB)
        number = gettext("Page %(number)s of %(total)s") % {"number": self.page_no(), "total": "{nb}"}
        self.set_xy(MARGIN + WIDTH / 2, PAGE_H - 11)
        self.cell(w=WIDTH / 2, h=4, text=number, align="R")

    def room(self) -> float:
        return self.page_break_trigger - self.get_y()

    def ensure(self, height: float) -> None:
        """A new page unless ``height`` mm fit below the current position."""
        if self.room() < height:
            self.add_page()


def report_pdf_bytes(report: Report) -> bytes:
    def draw(pdf: ReportPdf) -> None:
        pdf.add_page()
        _title(pdf, report)
        _kpis(pdf, report.kpis, report.kpi_note)
        for section in report.sections:
            _section(pdf, section)

    texts = [*strings(report), BRAND_HUB, gettext("Page %(number)s of %(total)s")]
    return cjk_pdf_bytes(draw, texts=texts, pdf_class=ReportPdf, report=report)


def _text(pdf: ReportPdf, size: float, colour=INK, style: str = "") -> None:
    pdf.set_font(FONT, style=style, size=size)
    pdf.set_text_color(*colour)


def _title(pdf: ReportPdf, report: Report) -> None:
    pdf.set_fill_color(*GREEN)
    pdf.rect(MARGIN, MARGIN - 3, 24, 1.4, style="F")
    pdf.set_fill_color(*RED)
    pdf.rect(MARGIN + 24, MARGIN - 3, 12, 1.4, style="F")
    _text(pdf, 8.5, MUTED, "B")
    pdf.set_xy(MARGIN, MARGIN)
    pdf.cell(w=WIDTH, h=5, text=BRAND_HUB)
    size, lines = pdf.shrink_to_fit(report.title, WIDTH, 2, 22, 14, style="B")
    pdf.set_text_color(*INK)
    y = MARGIN + 6
    for line in lines:
        pdf.set_xy(MARGIN, y)
        pdf.cell(w=WIDTH, h=size * PT * 1.2, text=line)
        y += size * PT * 1.2
    _text(pdf, 13)
    pdf.set_xy(MARGIN, y + 1)
    pdf.cell(w=WIDTH, h=7, text=pdf.fit(report.subtitle, WIDTH))
    _text(pdf, 8, MUTED)
    pdf.set_xy(MARGIN, y + 8.5)
    pdf.multi_cell(w=WIDTH, h=4, text=report.about)
    pdf.set_y(pdf.get_y() + 3)


def _kpis(pdf: ReportPdf, kpis: list[Kpi], note: str) -> None:
    columns, gap = 3, 4.0
    tile_h = 23.0 if any(k.before or k.change for k in kpis) else 17.0  # no comparison line: lower tiles
    tile_w = (WIDTH - gap * (columns - 1)) / columns
    top = pdf.get_y()
    for index, kpi in enumerate(kpis):
        row, column = divmod(index, columns)
        x, y = MARGIN + column * (tile_w + gap), top + row * (tile_h + gap)
        pdf.set_draw_color(*LINE)
        pdf.set_line_width(0.3)
        pdf.rect(x, y, tile_w, tile_h)
        _text(pdf, 8, MUTED)
        pdf.set_xy(x + 3, y + 2.5)
        pdf.cell(w=tile_w - 6, h=4, text=pdf.fit(kpi.label, tile_w - 6))
        _size, (value,) = pdf.shrink_to_fit(kpi.value, tile_w - 6, 1, 16, 10, style="B")
        pdf.set_text_color(*INK)
        pdf.set_xy(x + 3, y + 7.5)
        pdf.cell(w=tile_w - 6, h=7, text=value)
        left = x + 3
        if kpi.change:
            _text(pdf, 7.5, GREEN if kpi.trend > 0 else RED if kpi.trend < 0 else MUTED, "B")
            width = pdf.get_string_width(kpi.change) + 1.5
            pdf.set_xy(left, y + 16)
            pdf.cell(w=width, h=4, text=kpi.change)
            left += width
        if kpi.before:
            _text(pdf, 7.5, MUTED)
            pdf.set_xy(left, y + 16)
            pdf.cell(w=x + tile_w - 3 - left, h=4, text=pdf.fit(kpi.before, x + tile_w - 3 - left))
    rows = math.ceil(len(kpis) / columns)
    pdf.set_y(top + rows * (tile_h + gap))
    if note:
        _text(pdf, 7.5, MUTED)
        pdf.multi_cell(w=WIDTH, h=3.6, text=note)
    pdf.set_y(pdf.get_y() + 2)


def _section(pdf: ReportPdf, section: Section) -> None:
    first = section.blocks[0] if section.blocks else None
    pdf.ensure(12 + (_CHART_H + 8 if isinstance(first, Chart) else 24))
    y = pdf.get_y() + 4
    _text(pdf, 13, INK, "B")
    pdf.set_xy(MARGIN, y)
    pdf.cell(w=WIDTH, h=7, text=pdf.fit(section.heading, WIDTH))
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.5)
    pdf.line(MARGIN, y + 7.5, MARGIN + 20, y + 7.5)
    pdf.set_y(y + 10)
    for block in section.blocks:
        if isinstance(block, Chart):
            _chart(pdf, block)
        elif isinstance(block, Table):
            _table(pdf, block)
        else:
            _paragraph(pdf, block)


def _paragraph(pdf: ReportPdf, block: Text) -> None:
    if block.style == "B":
        pdf.ensure(16)
        _text(pdf, 10, INK, "B")
        pdf.set_x(MARGIN)
        pdf.multi_cell(w=WIDTH, h=5, text=block.text)
    elif block.style == "muted":
        _text(pdf, 8, MUTED)
        pdf.set_x(MARGIN)
        pdf.multi_cell(w=WIDTH, h=4, text=block.text)
    else:
        _text(pdf, 9, INK)
        pdf.set_x(MARGIN)
        pdf.multi_cell(w=WIDTH, h=4.6, text=block.text)
    pdf.set_y(pdf.get_y() + 1.5)


# --- charts ---------------------------------------------------------------------------------------------------------

_CHART_H = 58.0


def nice_ticks(low: float, high: float, *, count: int = 5, whole: bool = True) -> list[float]:
    """Round axis values from at most ``low`` to at least ``high``: steps of 1, 2, 2.5 or 5 times a power of ten
    (whole numbers only for counts)."""
    if high <= low:
        high = low + (abs(low) * 0.1 or 1)
    raw = (high - low) / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, round(step))
    first, last = math.floor(low / step) * step, math.ceil(high / step) * step
    return [first + i * step for i in range(round((last - first) / step) + 1)]


def _chart(pdf: ReportPdf, chart: Chart) -> None:
    height = _CHART_H if chart.kind != "hbars" else 8 + 6.5 * max(1, len(chart.values))
    pdf.ensure(height + 8)
    _text(pdf, 9, INK, "B")
    pdf.set_x(MARGIN)
    pdf.cell(w=WIDTH, h=5, text=pdf.fit(chart.title, WIDTH))
    top = pdf.get_y() + 7
    if chart.kind == "hbars":
        _hbars(pdf, chart, top)
    else:
        _axes_chart(pdf, chart, top, height - 6)
    pdf.set_y(top + height - 2)


def _axes_chart(pdf: ReportPdf, chart: Chart, top: float, height: float) -> None:
    """Bars or a line over periods, on a value axis with round ticks and light grid lines."""
    known = [v for v in chart.values if v is not None]
    if chart.kind == "bars":
        ticks = nice_ticks(0, max(known, default=0) or 1)
    else:
        low, high = min(known, default=0), max(known, default=1)
        pad = (high - low) * 0.15 or abs(high) * 0.05 or 1
        ticks = nice_ticks(max(0, low - pad), high + pad)
    labels = [chart.tick_label(t) for t in ticks]
    _text(pdf, 6.5, MUTED)
    axis_w = max(pdf.get_string_width(label) for label in labels) + 2.5
    plot_x, plot_w, plot_h = MARGIN + axis_w, WIDTH - axis_w, height - 7
    bottom = top + plot_h
    span = (ticks[-1] - ticks[0]) or 1

    def y_of(value):
        return bottom - (value - ticks[0]) / span * plot_h

    pdf.set_line_width(0.15)
    for tick, label in zip(ticks, labels, strict=True):
        pdf.set_draw_color(*LINE)
        pdf.line(plot_x, y_of(tick), plot_x + plot_w, y_of(tick))
        pdf.set_xy(MARGIN, y_of(tick) - 1.7)
        pdf.cell(w=axis_w - 1.5, h=3.4, text=label, align="R")
    count = max(1, len(chart.values))
    slot = plot_w / count
    if chart.kind == "bars":
        pdf.set_fill_color(*ACCENT)
        for index, value in enumerate(chart.values):
            if value:
                width = slot * 0.72
                pdf.rect(plot_x + index * slot + (slot - width) / 2, y_of(value), width, bottom - y_of(value), "F")
    else:
        pdf.set_draw_color(*GREEN)
        pdf.set_fill_color(*GREEN)
        pdf.set_line_width(0.6)
        run = []
        for index, value in enumerate([*chart.values, None]):
            if value is not None:
                run.append((plot_x + (index + 0.5) * slot, y_of(value)))
                continue
            if len(run) > 1:
                pdf.polyline(run)
            run = []
        for index, value in enumerate(chart.values):
            if value is not None:
                pdf.circle(plot_x + (index + 0.5) * slot, y_of(value), 0.8, style="F")
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(plot_x, bottom, plot_x + plot_w, bottom)
    _text(pdf, 6.5, MUTED)
    widest = max((pdf.get_string_width(label) for label in chart.labels), default=0) + 1.5
    every = max(1, math.ceil(widest / slot))
    for index, label in enumerate(chart.labels):
        if index % every == 0:
            centre = plot_x + (index + 0.5) * slot
            pdf.set_xy(centre - widest / 2, bottom + 1)
            pdf.cell(w=widest, h=3.4, text=label, align="C")


def _hbars(pdf: ReportPdf, chart: Chart, top: float) -> None:
    """One bar per category, the longest the largest value, each value written at its bar's end."""
    _text(pdf, 7.5, INK)
    label_w = min(55.0, max((pdf.get_string_width(label) for label in chart.labels), default=10) + 3)
    value_w = max((pdf.get_string_width(v) for v in chart.value_labels), default=10) + 3
    bar_x, bar_w = MARGIN + label_w, WIDTH - label_w - value_w
    largest = max((v or 0 for v in chart.values), default=0) or 1
    pdf.set_fill_color(*ACCENT)
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = top + index * 6.5
        pdf.set_xy(MARGIN, y)
        pdf.cell(w=label_w - 2, h=4.5, text=pdf.fit(label, label_w - 3))
        length = (value or 0) / largest * bar_w
        if length > 0:
            pdf.rect(bar_x, y + 0.5, max(length, 0.3), 3.5, "F")
        if chart.value_labels:
            pdf.set_xy(bar_x + length + 1.5, y)
            pdf.cell(w=value_w, h=4.5, text=chart.value_labels[index])
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(bar_x, top - 1, bar_x, top + len(chart.values) * 6.5 - 1.5)


# --- tables ---------------------------------------------------------------------------------------------------------

_ROW_H, _HEAD_H = 5.0, 6.0


def _table(pdf: ReportPdf, table: Table) -> None:
    """A table across the page; a page break repeats its header. Numbers right-aligned, long texts cut."""
    total_weight = sum(table.widths)
    widths = [WIDTH * w / total_weight for w in table.widths]
    pdf.ensure((7 if table.title else 0) + _HEAD_H + 3.2 + _ROW_H * min(3, len(table.rows) + 1))
    if table.title:
        _text(pdf, 9, INK, "B")
        pdf.set_x(MARGIN)
        pdf.cell(w=WIDTH, h=6, text=pdf.fit(table.title, WIDTH))
        pdf.ln(6.5)

    _text(pdf, 7, INK, "B")
    titles = [pdf.lines(column, width - 2, 2) for column, width in zip(table.columns, widths, strict=True)]
    head_h = _HEAD_H if all(len(t) == 1 for t in titles) else _HEAD_H + 3.2

    def head():
        y = pdf.get_y()
        pdf.set_fill_color(*HEAD_FILL)
        pdf.rect(MARGIN, y, WIDTH, head_h, "F")
        _text(pdf, 7, INK, "B")
        x = MARGIN
        for lines, width, align in zip(titles, widths, table.align, strict=True):
            top = y + (head_h - 3.2 * len(lines)) / 2
            for line in lines:
                pdf.set_xy(x + 1, top)
                pdf.cell(w=width - 2, h=3.2, text=line, align=align)
                top += 3.2
            x += width
        pdf.set_y(y + head_h)

    def row(cells, *, bold=False, shade=False):
        if pdf.room() < _ROW_H:
            pdf.add_page()
            head()
        y = pdf.get_y()
        if shade:
            pdf.set_fill_color(*ZEBRA)
            pdf.rect(MARGIN, y, WIDTH, _ROW_H, "F")
        _text(pdf, 7.5, INK, "B" if bold else "")
        x = MARGIN
        for cell, width, align in zip(cells, widths, table.align, strict=True):
            pdf.set_xy(x + 1, y)
            pdf.cell(w=width - 2, h=_ROW_H, text=pdf.fit(cell, width - 2), align=align)
            x += width
        pdf.set_y(y + _ROW_H)

    head()
    for index, cells in enumerate(table.rows):
        row(cells, bold=index in table.bold, shade=index % 2 == 1)
    if table.total:
        if pdf.room() < _ROW_H:
            pdf.add_page()
            head()
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.3)
        pdf.line(MARGIN, pdf.get_y(), MARGIN + WIDTH, pdf.get_y())
        row(table.total, bold=True)
    pdf.set_y(pdf.get_y() + 4)
