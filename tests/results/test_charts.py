"""Charts as data: numbers in the reader's formats, the plotly figure, the table beside it, and plotly.js served from
the installed package without anything our CSP refuses."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders as static_finders
from django.template.loader import render_to_string
from django.utils import translation

from campaigns.results import charts
from campaigns.results.charts import Series
from campaigns.results.finders import STATIC_PATH, PlotlyFinder, package_data, style_guards


@pytest.mark.parametrize(
    ("language", "number", "rate", "change"),
    [
        ("en", "4,242,424.50", "5.31%", "+12.5%"),
        ("it", "4.242.424,50", "5,31%", "+12,5%"),
        ("zh-hans", "4,242,424.50", "5.31%", "+12.5%"),  # Django groups nothing in Chinese; the platforms do
    ],
)
def test_numbers_follow_the_readers_language(language, number, rate, change):
    with translation.override(language):
        assert charts.format_number(Decimal("4242424.5"), 2) == number
        assert charts.format_percent(0.0531) == rate
        assert charts.format_change(12.5) == change
        assert charts.format_change(-3).startswith("−") and charts.format_change(None) == "—"


def test_day_and_month_labels_in_each_language():
    import datetime

    day = datetime.date(2026, 11, 5)
    labels = {}
    for language in ("en", "it", "zh-hans"):
        with translation.override(language):
            labels[language] = (charts.day_label(day), charts.month_label(day))
    assert labels == {"en": ("Nov 5", "Nov 2026"), "it": ("5 nov", "nov 2026"), "zh-hans": ("11月5日", "2026年11月")}


def test_a_line_chart_gives_plotly_its_figure_and_the_table_its_numbers():
    with translation.override("it"):
        chart = charts.line("followers", "Follower", ["ott 2026", "nov 2026"], [Series("Follower", [1000, 12500])],
                            x_title="Mese")  # fmt: skip
        figure = chart.figure
        assert figure["layout"]["separators"] == ",."
        assert chart.rows == [("ott 2026", ["1.000"]), ("nov 2026", ["12.500"])] and chart.columns == ["Follower"]
        assert json.loads(chart.figure_json) == figure
    (trace,) = figure["data"]
    assert trace["type"] == "scatter" and trace["y"] == [1000.0, 12500.0] and trace["x"] == ["ott 2026", "nov 2026"]
    assert figure["layout"]["xaxis"]["type"] == "category" and figure["layout"]["dragmode"] is False
    assert figure["layout"]["yaxis"]["tickformat"] == "~s" and not figure["layout"]["showlegend"]


def test_bars_with_confidence_intervals_carry_error_bars_and_the_interval_in_the_table():
    chart = charts.ci_bars("ctr", "CTR by colour", ["red", "green"], [0.03, 0.015], [0.025, 0.011], [0.036, 0.02],
                           name="CTR", extra=[("Impressions", ["20,000", "20,000"])])  # fmt: skip
    (trace,) = chart.figure["data"]
    assert trace["type"] == "bar" and trace["error_y"]["array"] == pytest.approx([0.006, 0.005])
    assert trace["error_y"]["arrayminus"] == pytest.approx([0.005, 0.004])
    assert chart.columns == ["CTR", "Interval (95%)", "Impressions"]
    assert chart.rows[0] == ("red", ["3.00%", "2.50% – 3.60%", "20,000"])
    assert chart.figure["layout"]["yaxis"]["tickformat"] == ".1%"


def test_horizontal_grouped_and_empty_charts():
    bars = charts.bars("published", "Published", ["Banner", "KOL post"], [Series("Items", [3, 1])], horizontal=True)
    assert bars.figure["data"][0]["orientation"] == "h" and bars.figure["data"][0]["y"] == ["Banner", "KOL post"]
    assert bars.figure["layout"]["yaxis"]["autorange"] == "reversed"
    grouped = charts.grouped("f", "F", ["Qixi"], [Series("2026", [5]), Series("2025", [None])])
    assert grouped.figure["layout"]["showlegend"] and grouped.rows == [("Qixi", ["5", "—"])]
    assert charts.line("x", "X", [], []).empty and charts.bars("y", "Y", ["a"], [Series("s", [None])]).empty
    assert not charts.bars("z", "Z", ["a"], [Series("s", [0])]).empty  # 0 is a figure
    with pytest.raises(ValueError, match="2 values for 1"):
        charts.bars("w", "W", ["a"], [Series("s", [1, 2])])


def test_the_include_writes_a_data_block_and_the_table_no_inline_script_or_style():
    chart = charts.bars("impressions", "Impressions <b>", ["Nov 5"], [Series("Impressions", [4200])])
    html = render_to_string("results/_chart.html", {"chart": chart})
    assert '<script id="chart-impressions-spec" type="application/json">' in html
    assert "Impressions &lt;b&gt;" in html and "<b>" not in html.replace("&lt;b&gt;", "")
    assert '<td class="num">4,200</td>' in html and 'aria-hidden="true"' in html
    assert not re.search(r"<script(?![^>]*application/json)[^>]*>[^<]", html) and "style=" not in html
    empty = render_to_string("results/_chart.html", {"chart": charts.bars("e", "E", [], [])})
    assert "No figures for this period yet." in empty and "application/json" not in empty


# --- plotly.js from the package -------------------------------------------------------------------------------------


def test_plotly_js_is_found_in_the_installed_package_and_nothing_else_of_it_is_published():
    found = static_finders.find(STATIC_PATH)
    assert found and found.startswith(str(package_data()))
    with open(found, "rb") as handle:
        assert handle.read(30).startswith(b"/**\n* plotly.js v")
    finder = PlotlyFinder()
    assert finder.check() == []
    assert [path for path, _storage in finder.list([])] == ["plotly.min.js"]
    assert finder.find("vendor/plotly/widgetbundle.js") is None and finder.find("vendor/plotly/../datasets") is None
    assert finder.find(STATIC_PATH, find_all=True) == [found]


def test_every_stylesheet_plotly_would_inject_is_stopped_before_it_loads():
    """plotly.js creates <style> elements in two ways: its own rules (skipped when our stylesheet's link says
    .no-inline-styles) and bundled libraries' sheets guarded by an id (skipped when the page has that id). Any other
    way a new plotly.js brings would be refused by the CSP: this counts them."""
    source = (package_data() / "plotly.min.js").read_text(encoding="utf-8")
    assert 'matches(".no-inline-styles")' in source and '"plotly.js-style-"' in source
    assert source.count('createElement("style")') == 1 + len(style_guards())
    assets = render_to_string("results/_chart_assets.html")
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in assets
    assert all(f'<template id="{guard}"></template>' in assets for guard in style_guards())
    assert assets.index("<template") < assets.index("plotly.min.js")
