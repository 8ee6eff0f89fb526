"""Charts as data: a ``Chart`` is built in Python (in the reader's language) and drawn by plotly.js in the browser.

A view builds charts with ``line``, ``bars``, ``grouped`` and ``ci_bars`` and hands them to the template include
``results/_chart.html``, which writes a container, the plotly figure as a ``<script type="application/json">`` block
(read by ``static/js/charts.js``: no inline script, so the strict CSP holds) and the same numbers as a table, for
screen readers, printing, and browsers without JavaScript. Labels on the x axis are strings already written in the
reader's language (dates included), so the chart needs none of plotly's locale files; the table's numbers are
formatted here with the locale's separators, the chart's with plotly's ``separators`` set to the same.

Usage::

    chart = charts.line("followers", _("Followers"), labels, [charts.Series(_("Followers"), values)],
                        x_title=_("Week"))
    {% include "results/_chart.html" with chart=chart %}

and, once per page, ``{% block extra_head %}{% include "results/_chart_assets.html" %}{% endblock %}``.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import dateformat, formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .metrics import label as metric_label

# Colours readable on white (4.5:1 or more against the page) and told apart by people with the common colour
# vision deficiencies: blue, orange, green, purple, red, grey.
PALETTE = ("#0b5cab", "#a15c00", "#00843d", "#6d2a7a", "#c8102e", "#4a5566")
CATEGORY_COLOURS = {"food_beverage": "#a15c00", "fashion": "#6d2a7a", "lifestyle": "#00843d"}
FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
)
KINDS = ("line", "bar", "grouped", "ci")


# --- the reader's formats ------------------------------------------------------------------------------------------


def separators() -> tuple[str, str]:
    """(decimal, thousands) of the active language. Django's Chinese format groups nothing; Chinese platforms and
    their staff write 4,242,424, so Chinese gets the comma."""
    decimal = formats.get_format("DECIMAL_SEPARATOR") or "."
    thousands = formats.get_format("THOUSAND_SEPARATOR") or ("," if decimal != "," else ".")
    return decimal, thousands


def format_number(value, decimals: int = 0) -> str:
    """A number with the locale's grouping; "—" for no figure."""
    if value is None:
        return "—"
    decimal, thousands = separators()
    text = f"{Decimal(value):,.{decimals}f}" if isinstance(value, Decimal) else f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def format_percent(rate, decimals: int = 2) -> str:
    """A rate (0..1) as a percentage: 0.0531 -> 5.31%."""
    if rate is None:
        return "—"
    return f"{format_number(rate * 100, decimals)}%"


def format_change(change) -> str:
    """A change in percent, signed: +12.5% / −3.0%."""
    if change is None:
        return "—"
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return f"{sign}{format_number(abs(change), 1)}%"


def _language() -> str:
    return (get_language() or "en").lower()


def day_label(day: datetime.date) -> str:
    """A short day for an axis: Nov 5 / 5 nov / 11月5日."""
    language = _language()
    if language.startswith("zh"):
        return f"{day.month}月{day.day}日"
    return dateformat.format(day, "j b" if language.startswith("it") else "M j")


def month_label(day: datetime.date) -> str:
    """A short month: Nov 2026 / nov 2026 / 2026年11月."""
    language = _language()
    if language.startswith("zh"):
        return f"{day.year}年{day.month}月"
    return dateformat.format(day, "b Y" if language.startswith("it") else "M Y")


def period_label(day: datetime.date, step: str) -> str:
    return month_label(day) if step == "month" else day_label(day)


COMPARED = ("followers_total", "followers_gained", "impressions", "interactions", "viewers")


def comparison_rows(this, before, names=COMPARED) -> list[dict]:
    """KPI rows: the figure now, then and the change (with its direction, for the colour and the screen reader)."""
    rows = []
    for name in names:
        now, then = getattr(this, name), getattr(before, name)
        change = None if not then else (now - then) / then * 100
        rows.append(
            {
                "label": metric_label(name),
                "value": format_number(now),
                "before": format_number(then),
                "change": format_change(change),
                "direction": "none" if change is None else ("up" if change > 0 else ("down" if change < 0 else "flat")),
            }
        )
    return rows


# --- the chart -----------------------------------------------------------------------------------------------------


@dataclass
class Series:
    """One line or set of bars. ``low``/``high``: a confidence interval per point (``ci_bars``)."""

    name: str
    values: list
    low: list | None = None
    high: list | None = None
    colour: str | None = None


@dataclass
class Chart:
    """What ``results/_chart.html`` draws. Build it with ``line``, ``bars``, ``grouped`` or ``ci_bars``.

    ``key`` names the chart on its page (its element ids: unique per page); ``labels`` are the x categories (y for
    horizontal bars) in the reader's language; ``percent``: the values are rates 0..1, shown as percentages;
    ``extra``: more table columns as (header, [text per label]), e.g. the impressions behind each rate;
    ``legend``: force the legend on (a chart of categories that may have one series) or off.
    """

    key: str
    kind: str
    title: str
    labels: list
    series: list
    x_title: str = ""
    y_title: str = ""
    percent: bool = False
    decimals: int = 0
    horizontal: bool = False
    extra: list = field(default_factory=list)
    height: int = 300
    legend: bool | None = None  # None: a legend when there are several series

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        for series in self.series:
            if len(series.values) != len(self.labels):
                raise ValueError(f"{self.key}: {series.name} has {len(series.values)} values for {len(self.labels)}")

    # -- what the template reads

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def spec_id(self) -> str:
        return f"chart-{self.key}-spec"

    @property
    def empty(self) -> bool:
        """Nothing to draw: no label, or no figure at all (zeros are figures)."""
        return not self.labels or all(v is None for s in self.series for v in s.values)

    def _cell(self, value) -> str:
        if self.percent:
            return format_percent(value, self.decimals or 2)
        return format_number(value, self.decimals)

    @property
    def columns(self) -> list[str]:
        headers = [s.name for s in self.series]
        if self.kind == "ci":
            headers += [_("Interval (95%)")] * len(self.series)
        return headers + [header for header, _values in self.extra]

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        rows = []
        for i, label in enumerate(self.labels):
            cells = [self._cell(s.values[i]) for s in self.series]
            if self.kind == "ci":
                cells += [
                    f"{self._cell(s.low[i])} – {self._cell(s.high[i])}" if s.low and s.low[i] is not None else "—"
                    for s in self.series
                ]
            cells += [values[i] for _header, values in self.extra]
            rows.append((label, cells))
        return rows

    @property
    def label_header(self) -> str:
        return self.y_title if self.horizontal else self.x_title

    # -- the plotly figure

    def _value_axis(self) -> dict:
        values = [v for s in self.series for v in (s.high or s.values) if v is not None]
        top = max((abs(float(v)) for v in values), default=0)
        axis = {
            "title": {"text": self.x_title if self.horizontal else self.y_title},
            "fixedrange": True,
            "automargin": True,
            "gridcolor": "#dde2e8",
            "zerolinecolor": "#b9c2cd",
            "rangemode": "tozero",
        }
        if self.percent:
            axis["tickformat"] = ".1%" if top < 0.1 else ".0%"
        elif top >= 10_000:
            axis["tickformat"] = "~s"  # 20M rather than 20,000,000: fits a phone
        else:
            axis["tickformat"] = ",~r" if self.decimals else ",d"
        return axis

    def _trace(self, index: int, series: Series) -> dict:
        colour = series.colour or PALETTE[index % len(PALETTE)]
        values = [None if v is None else float(v) for v in series.values]
        hover = "%{y:.2%}" if self.percent else ("%{y:,.2f}" if self.decimals else "%{y:,}")
        if self.horizontal:
            hover = hover.replace("{y", "{x")
        trace = {
            "name": series.name,
            "hovertemplate": f"%{{{'y' if self.horizontal else 'x'}}}: {hover}<extra>{series.name}</extra>",
        }
        if self.kind == "line":
            trace.update(type="scatter", mode="lines+markers", line={"color": colour, "width": 2},
                         marker={"color": colour, "size": 5}, connectgaps=True)  # fmt: skip
        else:
            trace.update(type="bar", marker={"color": colour})
        if self.horizontal:
            trace.update(orientation="h", x=values, y=list(self.labels))
        else:
            trace.update(x=list(self.labels), y=values)
        if self.kind == "ci" and series.low and series.high:
            trace["error_y"] = {
                "type": "data",
                "symmetric": False,
                "array": [_gap(v, h) for v, h in zip(values, series.high, strict=True)],
                "arrayminus": [_gap(lo, v) for lo, v in zip(series.low, values, strict=True)],
                "color": "#1d2330",
                "thickness": 1.5,
                "width": 6,
            }  # fmt: skip
        return trace

    @property
    def figure(self) -> dict:
        """The plotly figure (data and layout), as JSON-ready dicts."""
        decimal, thousands = separators()
        label_axis = {
            "type": "category",
            "title": {"text": self.y_title if self.horizontal else self.x_title},
            "fixedrange": True,
            "automargin": True,
            "tickfont": {"size": 11},
        }
        if self.horizontal:
            label_axis["autorange"] = "reversed"  # the first label on top, as in the table
        value_axis = self._value_axis()
        several = len(self.series) > 1 if self.legend is None else self.legend
        layout = {
            "height": self.height + (30 if several else 0),
            "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
            "font": {"family": FONT, "size": 12, "color": "#1d2330"},
            "separators": f"{decimal}{thousands}",
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "showlegend": several,
            # Above the plot: below it, a phone's slanted labels and the axis title would run into it.
            "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
            "hovermode": "closest",
            "dragmode": False,
            "barmode": "group",
            "bargap": 0.25,
            "xaxis": value_axis if self.horizontal else label_axis,
            "yaxis": label_axis if self.horizontal else value_axis,
        }
        return {"data": [self._trace(i, s) for i, s in enumerate(self.series)], "layout": layout}

    @property
    def figure_json(self) -> str:
        return json.dumps(self.figure, ensure_ascii=False, separators=(",", ":"))


def _gap(low, high):
    """The distance from ``low`` up to ``high`` (an error bar's arm), None when either is unknown."""
    return None if low is None or high is None else float(high) - float(low)


def line(key, title, labels, series, **options) -> Chart:
    """Values over time (levels such as followers): one line per series."""
    return Chart(key, "line", title, list(labels), list(series), **options)


def bars(key, title, labels, series, **options) -> Chart:
    """Bars; ``horizontal=True`` for long labels (brands, channels)."""
    return Chart(key, "bar", title, list(labels), list(series), **options)


def grouped(key, title, labels, series, **options) -> Chart:
    """Several series side by side per label (this year against last, categories ...)."""
    return Chart(key, "grouped", title, list(labels), list(series), **options)


def ci_bars(key, title, labels, rates, lows, highs, *, name, **options) -> Chart:
    """Rates (0..1) with their confidence intervals as error bars: the banner variants' CTR."""
    options.setdefault("percent", True)
    return Chart(key, "ci", title, list(labels), [Series(name, list(rates), list(lows), list(highs))], **options)
