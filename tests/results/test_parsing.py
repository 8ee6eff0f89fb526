"""Values as exports write them."""

import datetime
from decimal import Decimal

import pytest

from campaigns.results import parsing
from campaigns.results.metrics import field_for_header, normalise_header


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,345", 12345),
        ("1.2万", 12000),
        ("3万", 30000),
        ("0.5亿", 50_000_000),
        ("１２,３４５", 12345),  # full-width digits from a Chinese spreadsheet
        (" 3 450 ", 3450),
        (42, 42),
        (42.0, 42),
        ("-12", -12),
    ],
)
def test_counts_read_with_separators_and_wan(text, expected):
    assert parsing.parse_count(text) == expected


@pytest.mark.parametrize("text", ["1.5", "abc", "", "1,2,3x", "12%", True])
def test_a_count_that_is_not_whole_or_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parsing.parse_count(text)


def test_money_keeps_cents_and_drops_the_currency():
    assert parsing.parse_money("¥3,450.505") == Decimal("3450.51")
    assert parsing.parse_money("1.25万") == Decimal("12500.00")
    assert parsing.parse_money("CNY 99") == Decimal("99.00")


@pytest.mark.parametrize(
    ("text", "expected"), [("3.5%", Decimal("0.035")), ("0.035", Decimal("0.035")), ("3.5", Decimal("0.035"))]
)
def test_rates_as_percent_or_fraction(text, expected):
    assert parsing.parse_rate(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-11",
        "2026/11/11",
        "2026.11.11",
        "20261111",
        "2026年11月11日",
        "11/11/2026",
        "11.11.2026",
        "2026-11-11 00:00:00",
    ],
)
def test_dates_in_the_common_formats(text):
    assert parsing.parse_date(text) == datetime.date(2026, 11, 11)


def test_a_spreadsheet_date_is_taken_as_it_is():
    assert parsing.parse_date(datetime.datetime(2026, 11, 11, 8)) == datetime.date(2026, 11, 11)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("日期", "date"),
        ("展现量（次）", "impressions"),
        ("Impressions (PV)", "impressions"),
        (" 点击量 ", "clicks"),
        ("粉丝数", "followers_total"),
        ("互动量", "interactions"),
        ("观看人数", "viewers"),
        ("成交金额(元)", "gmv_cny"),
        ("GMV", "gmv_cny"),
        ("点击率", "ctr"),
    ],
)
def test_headers_in_chinese_and_english(header, field):
    assert field_for_header(header) == field


def test_a_sources_mapping_comes_before_the_synonyms_and_can_ignore_a_column():
    mapping = {normalise_header("曝光"): "viewers", normalise_header("备注"): ""}
    assert field_for_header("曝光", mapping) == "viewers"
    assert field_for_header("备注", mapping) == ""
    assert field_for_header("备注") is None


@pytest.mark.parametrize("value", ["9" * 40, 1e300, float("inf"), float("nan"), Decimal("1e999"), "1e5"])
def test_money_too_long_or_not_finite_is_refused_not_raised(value):
    """A GMV cell of 40 digits once ended a whole import as failed (InvalidOperation) instead of a row's issue."""
    with pytest.raises(ValueError):
        parsing.parse_money(value)
