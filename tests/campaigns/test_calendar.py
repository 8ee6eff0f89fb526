"""The festival rule engine (campaigns.calendar) and its defaults (campaigns.festivals). No database."""

import dataclasses
import datetime
import json
import re
from datetime import date

import pytest
from lunardate import LunarDate

from campaigns.calendar import (
    CATEGORIES,
    MAX_YEAR,
    MIN_YEAR,
    CalendarError,
    FestivalSpec,
    LeadTimes,
    Rule,
    Window,
    festival_day,
    next_occurrence,
    occurrences,
)
from campaigns.festivals import DEFAULT_FESTIVALS

SPECS = {spec.key: spec for spec in DEFAULT_FESTIVALS}
RANGE_MESSAGE = "The calendar covers the years 1900 to 2099"


def occ(key: str, year: int):
    (found,) = [o for o in occurrences(year) if o.key == key]
    return found


def spec(key: str = "x", rule: Rule | None = None, **kwargs) -> FestivalSpec:
    values = {
        "key": key,
        "name_it": key,
        "name_en": key,
        "name_zh": key,
        "rule": rule or Rule(kind="fixed", month=1, day=1),
        "window": Window(start=0),
        "lead": LeadTimes(content_due=0),
        "categories": ("lifestyle",),
    }
    values.update(kwargs)
    return FestivalSpec(**values)


# CALENDAR.md, "Known Gregorian dates for checking lunar rules".
REFERENCE = {
    "spring-festival": ("Jan 29", "Feb 17", "Feb 6", "Jan 26"),
    "lantern": ("Feb 12", "Mar 3", "Feb 20", "Feb 9"),
    "dragon-boat": ("May 31", "Jun 19", "Jun 9", "May 28"),
    "qixi": ("Aug 29", "Aug 19", "Aug 8", "Aug 26"),
    "mid-autumn": ("Oct 6", "Sep 25", "Sep 15", "Oct 3"),
    "black-friday": ("Nov 28", "Nov 27", "Nov 26", "Nov 24"),
}
REFERENCE_CASES = [
    (key, year, datetime.datetime.strptime(f"{text} {year}", "%b %d %Y").date())
    for key, texts in REFERENCE.items()
    for year, text in zip((2025, 2026, 2027, 2028), texts, strict=True)
]


@pytest.mark.parametrize(("key", "year", "expected"), REFERENCE_CASES, ids=[f"{k}-{y}" for k, y, _ in REFERENCE_CASES])
def test_reference_dates(key, year, expected):
    assert festival_day(SPECS[key].rule, year) == expected
    assert occ(key, year).date == expected


# --- the defaults --------------------------------------------------------------------------------------------------

TABLE_KEYS = [
    "new-year",
    "nianhuo",
    "spring-festival",
    "valentine",
    "lantern",
    "goddess-day",
    "consumer-rights",
    "520",
    "618",
    "festa-repubblica",
    "dragon-boat",
    "qixi",
    "wine-99",
    "mid-autumn",
    "golden-week",
    "double-11",
    "italian-cuisine-week",
    "black-friday",
    "double-12",
    "christmas",
]


def test_defaults_cover_the_table_once_each():
    assert [s.key for s in DEFAULT_FESTIVALS] == TABLE_KEYS
    for s in DEFAULT_FESTIVALS:
        s.validate()
        assert s.name_it and s.name_en and s.name_zh
        assert set(s.categories) <= set(CATEGORIES)


def test_occurrences_2027_has_20_unique_keys_sorted_and_json_serializable():
    result = occurrences(2027)
    assert len(result) == 20
    assert {o.key for o in result} == set(TABLE_KEYS)
    assert [(o.window_start, o.date) for o in result] == sorted((o.window_start, o.date) for o in result)
    data = json.loads(json.dumps([o.as_dict() for o in result], ensure_ascii=False))
    qixi = next(d for d in data if d["key"] == "qixi")
    assert qixi["date"] == "2027-08-08" and qixi["year"] == 2027 and qixi["name_zh"] == "七夕"
    assert set(qixi) == {
        "key",
        "year",
        "name_it",
        "name_en",
        "name_zh",
        "date",
        "end_date",
        "window_start",
        "peak",
        "window_end",
        "content_due",
        "ship_by",
        "signup",
        "categories",
    }
    assert qixi["categories"] == ["fashion", "lifestyle"] and qixi["ship_by"] is None
    assert next(d for d in data if d["key"] == "618")["categories"] == list(CATEGORIES)


@pytest.mark.parametrize("year", range(2020, 2036))
def test_windows_and_deadlines_are_ordered(year):
    for o in occurrences(year):
        assert o.year == year
        assert o.date <= o.end_date
        assert (o.end_date - o.date).days == o.spec.rule.length_days - 1
        assert o.window_start <= o.date <= o.end_date <= o.window_end, o.key
        assert o.window_start <= o.peak <= o.window_end, o.key
        # Content is ready by the time the campaign window opens; sign-up and dispatch come before the festival.
        assert o.content_due <= o.window_start, o.key
        assert o.signup is None or o.signup <= o.content_due, o.key
        assert o.ship_by is None or o.ship_by < o.date, o.key
        # Every festival day falls in the year it belongs to, except nianhuo, anchored to Spring Festival:
        # 28 days before a Spring Festival on Jan 21-27 is in December of the previous year.
        assert o.date.year == year or (o.key == "nianhuo" and o.date.month == 12 and o.date.year == year - 1), o.key


def test_fixed_festivals_and_table_windows():
    o = occ("double-11", 2026)
    assert (o.date, o.window_start, o.peak, o.window_end) == (
        date(2026, 11, 11),
        date(2026, 10, 20),
        date(2026, 11, 11),
        date(2026, 11, 11),
    )
    assert (o.content_due, o.signup) == (date(2026, 9, 25), date(2026, 9, 12))
    o = occ("618", 2026)
    assert (o.window_start, o.window_end, o.content_due, o.signup) == (
        date(2026, 5, 20),
        date(2026, 6, 20),
        date(2026, 5, 4),
        date(2026, 4, 19),
    )
    assert occ("new-year", 2026).window_start == date(2025, 12, 15)
    assert occ("christmas", 2026).window_start == date(2026, 12, 15)
    assert occ("wine-99", 2026).content_due == date(2026, 8, 15)
    assert occ("spring-festival", 2026).ship_by == date(2026, 1, 23)  # Feb 17 - 25 days
    assert occ("valentine", 2026).date == date(2026, 2, 14)


@pytest.mark.parametrize("year", [1900, 2024, 2025, 2026, 2099])
def test_golden_week_is_oct_1_to_7(year):
    o = occ("golden-week", year)
    assert (o.date, o.end_date, o.window_start, o.window_end) == (
        date(year, 10, 1),
        date(year, 10, 7),
        date(year, 10, 1),
        date(year, 10, 7),
    )


@pytest.mark.parametrize("year", [2000, 2023, 2025, 2026, 2027, 2028, 2030, 2099])
def test_nianhuo_starts_28_days_before_spring_festival_for_three_weeks(year):
    nianhuo, spring = occ("nianhuo", year), occ("spring-festival", year)
    assert nianhuo.year == spring.year == year
    assert spring.date - nianhuo.date == datetime.timedelta(days=28)
    assert spring.date - nianhuo.end_date == datetime.timedelta(days=8)
    assert (nianhuo.end_date - nianhuo.date).days == 20
    assert spring.date - nianhuo.content_due == datetime.timedelta(days=35)  # creative ~5 weeks before


@pytest.mark.parametrize("year", range(2018, 2036))
def test_black_friday_is_the_day_after_the_fourth_thursday_of_november(year):
    day = occ("black-friday", year).date
    thanksgiving = day - datetime.timedelta(days=1)
    assert day.weekday() == 4 and thanksgiving.weekday() == 3 and thanksgiving.month == 11
    assert 22 <= thanksgiving.day <= 28  # the 4th Thursday


@pytest.mark.parametrize(
    ("year", "monday"),
    # Third Monday of November: 2025 (Nov 1 is a Saturday) -> Nov 17; 2026 (Sunday) -> Nov 16;
    # 2027 (Monday) -> Nov 15; 2028 (Wednesday) -> Nov 20; 2031 (Saturday) -> Nov 17; 2032 (Monday) -> Nov 15.
    [(2025, 17), (2026, 16), (2027, 15), (2028, 20), (2029, 19), (2030, 18), (2031, 17), (2032, 15)],
)
def test_italian_cuisine_week_is_the_third_full_week_of_november(year, monday):
    o = occ("italian-cuisine-week", year)
    assert o.date == date(year, 11, monday)
    assert o.date.weekday() == 0 and o.end_date.weekday() == 6 and o.end_date.month == 11
    # Full Monday-Sunday weeks lying entirely in November; it is the third.
    full_weeks = [
        d
        for d in (date(year, 11, 1) + datetime.timedelta(days=i) for i in range(30))
        if d.weekday() == 0 and (d + datetime.timedelta(days=6)).month == 11
    ]
    assert full_weeks.index(o.date) == 2


# --- lunar rules ---------------------------------------------------------------------------------------------------


def test_leap_lunar_month_is_not_mistaken_for_the_regular_one():
    assert LunarDate.leap_month_for_year(2025) == 6 and LunarDate.leap_month_for_year(2023) == 2
    # 2025 has a leap 6th month (Jul 25 - Aug 22): Qixi and Mid-Autumn come one month later than usual.
    assert occ("qixi", 2025).date == date(2025, 8, 29)
    assert occ("mid-autumn", 2025).date == date(2025, 10, 6)
    # Counting the leap month as the 7th would give the 7th day of the leap 6th month instead.
    assert LunarDate(2025, 6, 7, True).to_solar_date() == date(2025, 7, 31)
    # 2023 has a leap 2nd month: Dragon Boat (lunar 5/5) 2023 is Jun 22, Mid-Autumn Sep 29.
    assert occ("dragon-boat", 2023).date == date(2023, 6, 22)
    assert occ("mid-autumn", 2023).date == date(2023, 9, 29)
    assert festival_day(Rule(kind="lunar", month=2, day=1), 2023) == date(2023, 2, 20)  # the regular 2nd month


def test_lunar_day_30_falls_back_to_29_in_a_short_month():
    rule = Rule(kind="lunar", month=2, day=30)
    # Lunar 2/2025 has 29 days (Feb 28 - Mar 28), lunar 2/2024 has 30 (Mar 10 - Apr 8).
    with pytest.raises(ValueError):
        LunarDate(2025, 2, 30).to_solar_date()
    assert festival_day(rule, 2025) == LunarDate(2025, 2, 29).to_solar_date() == date(2025, 3, 28)
    assert festival_day(rule, 2024) == LunarDate(2024, 2, 30).to_solar_date() == date(2024, 4, 8)


def test_lunar_months_1_to_10_always_fall_in_the_same_gregorian_year():
    """The documented anchoring: a lunar festival of months 1-10 belongs to the Gregorian year it falls in."""
    for year in range(MIN_YEAR, MAX_YEAR + 1):
        assert festival_day(Rule(kind="lunar", month=1, day=1), year).year == year
        assert festival_day(Rule(kind="lunar", month=10, day=30), year).year == year
    # Lunar month 12 can spill into the next Gregorian year: Laba (12/8) of lunar year 2024 is 2025-01-07.
    assert festival_day(Rule(kind="lunar", month=12, day=8), 2024) == date(2025, 1, 7)


# --- range ---------------------------------------------------------------------------------------------------------


def test_bounds_match_the_lunar_library():
    LunarDate(MIN_YEAR, 1, 1).to_solar_date()
    LunarDate(MAX_YEAR, 12, 1).to_solar_date()
    for outside in (MIN_YEAR - 1, MAX_YEAR + 1):
        with pytest.raises(ValueError, match="year out of range"):
            LunarDate(outside, 1, 1).to_solar_date()


@pytest.mark.parametrize("year", [MIN_YEAR, MAX_YEAR])
def test_edge_years_compute_every_festival(year):
    result = occurrences(year)
    assert len(result) == 20
    for o in result:
        assert o.date.year == year or o.key == "nianhuo", o.key
    # Deadlines and windows may leave the year: they are plain dates.
    if year == MIN_YEAR:
        assert occ("spring-festival", 1900).date == date(1900, 1, 31)
        assert occ("nianhuo", 1900).date == date(1900, 1, 3)
        assert occ("new-year", 1900).window_start == date(1899, 12, 15)
    else:
        assert occ("mid-autumn", 2099).date == date(2099, 9, 29)
        assert occ("nianhuo", 2099).date == date(2098, 12, 24)  # Spring Festival 2099 is on Jan 21


@pytest.mark.parametrize("year", [1899, 2100, 2150, 1])
def test_years_outside_the_range_are_refused(year):
    message = f"{RANGE_MESSAGE}; {year} is outside."
    with pytest.raises(CalendarError, match=re.escape(message)):
        occurrences(year)
    for rule in (SPECS["new-year"].rule, SPECS["qixi"].rule, SPECS["black-friday"].rule):
        with pytest.raises(CalendarError, match=re.escape(message)):
            festival_day(rule, year)


def test_year_must_be_an_int():
    with pytest.raises(CalendarError, match="whole number"):
        occurrences("2025")
    assert issubclass(CalendarError, ValueError)


def test_two_hundred_years_compute():
    total = sum(len(occurrences(year)) for year in range(MIN_YEAR, MAX_YEAR + 1))
    assert total == 200 * 20


# --- next_occurrence -----------------------------------------------------------------------------------------------


def test_nianhuo_belongs_to_the_year_of_its_spring_festival():
    # Spring Festival 2023 was on Jan 22: the 2023 New Year goods festival starts on 2022-12-25.
    assert occ("spring-festival", 2023).date == date(2023, 1, 22)
    assert (occ("nianhuo", 2023).date, occ("nianhuo", 2023).end_date) == (date(2022, 12, 25), date(2023, 1, 14))
    assert occ("nianhuo", 2022).date == date(2022, 1, 4)  # so a Gregorian year may hold two (2022) or none
    assert next_occurrence("nianhuo", date(2022, 12, 1)).year == 2023


def test_next_occurrence():
    assert next_occurrence("qixi", date(2026, 9, 1)).date == date(2027, 8, 8)
    assert next_occurrence("qixi", date(2026, 8, 18)).date == date(2026, 8, 19)
    assert next_occurrence("qixi", date(2026, 8, 19)).date == date(2027, 8, 8)  # strictly after
    assert next_occurrence("double-11", date(2025, 11, 11)).year == 2026
    # The 2027 New Year goods festival starts on 2027-01-09 (Spring Festival Feb 6 - 28 days).
    nianhuo = next_occurrence("nianhuo", date(2026, 12, 31))
    assert (nianhuo.year, nianhuo.date) == (2027, date(2027, 1, 9))
    assert next_occurrence("christmas", date(1850, 1, 1)).date == date(1900, 12, 25)


def test_next_occurrence_errors():
    with pytest.raises(CalendarError, match="no festival 'nope'"):
        next_occurrence("nope", date(2026, 1, 1))
    with pytest.raises(CalendarError, match=RANGE_MESSAGE):
        next_occurrence("christmas", date(2099, 12, 25))


def test_next_occurrence_with_custom_specs_and_a_lunar_month_12_rule():
    laba = spec("laba", Rule(kind="lunar", month=12, day=8))
    # Laba of lunar year 2024 falls in January 2025, so it is the next one after 2024-12-31.
    o = next_occurrence("laba", date(2024, 12, 31), specs=[laba])
    assert (o.year, o.date) == (2024, date(2025, 1, 7))
    assert next_occurrence("laba", date(2025, 1, 7), specs=[laba]).date == date(2026, 1, 26)


# --- rules ---------------------------------------------------------------------------------------------------------


def test_feb_29_falls_back_to_feb_28_in_common_years():
    rule = Rule(kind="fixed", month=2, day=29)
    assert festival_day(rule, 2024) == date(2024, 2, 29)
    assert festival_day(rule, 2025) == date(2025, 2, 28)
    assert festival_day(rule, 2000) == date(2000, 2, 29)
    assert festival_day(rule, 1900) == date(1900, 2, 28)


def test_nth_weekday_last_and_missing_fifth():
    last_monday_of_may = Rule(kind="nth_weekday", month=5, weekday=0, nth=-1)
    assert festival_day(last_monday_of_may, 2026) == date(2026, 5, 25)
    assert festival_day(Rule(kind="nth_weekday", month=12, weekday=3, nth=-1), 2026) == date(2026, 12, 31)
    fifth_friday = Rule(kind="nth_weekday", month=10, weekday=4, nth=5)
    assert festival_day(fifth_friday, 2026) == date(2026, 10, 30)
    with pytest.raises(CalendarError, match="October 2028 has no 5th Friday"):
        festival_day(fifth_friday, 2028)


def test_day_offset_and_length_apply_to_any_rule():
    rule = Rule(kind="span", month=12, day=30, day_offset=1, length_days=3)
    o = occurrences(2026, [spec("x", rule)])[0]
    assert (o.date, o.end_date) == (date(2026, 12, 31), date(2027, 1, 2))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule(kind="weekly"), "Unknown rule kind 'weekly'"),
        (Rule(kind="fixed", month=13, day=1), "month must be between 1 and 12, not 13"),
        (Rule(kind="fixed", month=0, day=1), "month must be between 1 and 12, not 0"),
        (Rule(kind="fixed", month=4, day=31), "April has no day 31"),
        (Rule(kind="span", month=2, day=30, length_days=2), "February has no day 30"),
        (Rule(kind="fixed", month=1), "A fixed rule needs a day"),
        (Rule(kind="offset"), "An offset rule needs an anchor"),
        (Rule(kind="fixed", month=1, day=1, weekday=2), "A fixed rule takes no weekday"),
        (Rule(kind="lunar", month=1, day=31), "A lunar month has days 1 to 30, not 31"),
        (Rule(kind="lunar", month=1, day=0), "A lunar month has days 1 to 30, not 0"),
        (Rule(kind="nth_weekday", month=11, weekday=7, nth=1), "weekday must be between 0 .Monday. and 6"),
        (Rule(kind="nth_weekday", month=11, weekday=3, nth=0), "nth must be 1 to 5, or -1"),
        (Rule(kind="nth_weekday", month=11, weekday=3, nth=6), "nth must be 1 to 5, or -1"),
        (Rule(kind="nth_weekday", month=11, nth=1), "needs a weekday"),
        (Rule(kind="offset", anchor="  "), "needs the key of its anchor"),
        (Rule(kind="offset", anchor="x", month=1), "An offset rule takes no month"),
        (Rule(kind="fixed", month=1, day=1, length_days=0), "at least 1 day, not 0"),
        (Rule(kind="fixed", month=1, day=1, anchor="x"), "takes no anchor"),
        (Rule(kind="fixed", month="1", day=1), "month must be a whole number"),
    ],
)
def test_rule_validation(rule, message):
    with pytest.raises(CalendarError, match=message):
        rule.validate()
    with pytest.raises(CalendarError, match=message):
        festival_day(rule, 2026, resolve=lambda key, year: date(year, 1, 1))


def test_valid_rules_validate():
    for s in DEFAULT_FESTIVALS:
        assert s.rule.validate() is s.rule
    assert Rule(kind="fixed", month=2, day=29).validate()


def test_offset_rules():
    rule = Rule(kind="offset", anchor="a", day_offset=-3)
    assert festival_day(rule, 2026, resolve=lambda key, year: date(year, 5, 10)) == date(2026, 5, 7)
    with pytest.raises(CalendarError, match="anchor festival 'a'"):
        festival_day(rule, 2026)
    a = spec("a", Rule(kind="fixed", month=5, day=10))
    b = spec("b", Rule(kind="offset", anchor="a", day_offset=2))
    c = spec("c", Rule(kind="offset", anchor="b", day_offset=2))
    # Anchors may come after the festivals that use them; chains resolve.
    assert {o.key: o.date for o in occurrences(2026, [c, b, a])} == {
        "a": date(2026, 5, 10),
        "b": date(2026, 5, 12),
        "c": date(2026, 5, 14),
    }
    with pytest.raises(CalendarError, match="Festival 'b' is anchored to 'a', which is not in the calendar"):
        occurrences(2026, [b])
    loop = spec("a", Rule(kind="offset", anchor="c"))
    with pytest.raises(CalendarError, match=re.escape("cycle: a -> c -> b -> a.")):
        occurrences(2026, [loop, b, c])
    with pytest.raises(CalendarError, match="cycle: a -> a"):
        occurrences(2026, [spec("a", Rule(kind="offset", anchor="a"))])


def test_spec_validation():
    with pytest.raises(CalendarError, match="'x' is used twice"):
        occurrences(2026, [spec("x"), spec("x")])
    with pytest.raises(CalendarError, match="unknown categories 'wine'"):
        occurrences(2026, [spec(categories=("wine",))])
    with pytest.raises(CalendarError, match="at least one"):
        spec(categories=()).validate()
    with pytest.raises(CalendarError, match="window must start on or before its peak"):
        spec(window=Window(start=0, peak=-1)).validate()
    with pytest.raises(CalendarError, match="content due lead time"):
        spec(lead=LeadTimes(content_due=-1)).validate()
    with pytest.raises(CalendarError, match="Festival 'x': April has no day 31"):
        spec(rule=Rule(kind="fixed", month=4, day=31)).validate()
    # A peak on the last day of a multi-day festival is inside the window.
    spec(rule=Rule(kind="span", month=10, day=1, length_days=7), window=Window(start=0, peak=6)).validate()


def test_occurrences_sorted_by_window_start_then_date():
    a = spec("a", Rule(kind="fixed", month=3, day=1), window=Window(start=-10))
    b = spec("b", Rule(kind="fixed", month=2, day=25))
    c = spec("c", Rule(kind="fixed", month=2, day=19))  # same window start as a, earlier day
    assert [o.key for o in occurrences(2026, [a, b, c])] == ["c", "a", "b"]


def test_specs_and_occurrences_are_immutable():
    o = occ("qixi", 2026)
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.date = date(2026, 1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        SPECS["qixi"].rule.month = 8
