"""Rule engine for the Chinese online shopping calendar.

Festival dates are never typed in per year: each festival is a :class:`Rule` (a fixed Gregorian date, a date of
the Chinese lunar calendar, the n-th weekday of a month, a multi-day span, or an offset from another festival),
and every campaign date is derived from the festival day with plain day offsets. This module is pure Python (no
Django models, no database); the defaults live in :mod:`campaigns.festivals`.

Conventions
-----------
* **Years.** The calendar covers :data:`MIN_YEAR`..:data:`MAX_YEAR` (1900-2099), the range of the lunar-calendar
  library (``lunardate``); every rule, not only the lunar ones, refuses years outside it with a
  :class:`CalendarError`.
* **An occurrence belongs to the year of its festival day's anchor.** For fixed, span and n-th weekday rules that
  is the Gregorian year of the festival day. For lunar rules it is the Chinese lunar year: lunar months 1-10
  always fall in the same Gregorian year (lunar 1/1 is never before Jan 21; checked for 1900-2099 in the tests),
  while lunar months 11-12 may fall in January/February of the next Gregorian year (lunar 12/8 of lunar year 2024
  is 2025-01-07). For offset rules it is the year of the anchor festival, even when the offset moves the day into
  another Gregorian year: the New Year goods festival of 2025 is anchored to Spring Festival 2025 (Jan 29), and
  for a Spring Festival on Jan 21 it would start on Dec 24 of the previous year. Windows and deadlines are plain
  dates and may fall outside the year too (the 1900 New Year window starts on 1899-12-15).
* **Window offsets** (:class:`Window`) are days relative to the festival: ``start`` and ``peak`` relative to the
  festival day (its first day), ``end`` relative to its last day; negative = before.
* **Lead times** (:class:`LeadTimes`) are days *before the festival day* (its first day); positive = before.
* **Fallbacks.** A fixed or span rule on Feb 29 falls on Feb 28 in common years. A lunar rule on day 30 falls on
  day 29 in years where that lunar month is short (29 days). Lunar rules always mean the regular month, never the
  leap (intercalary) month of the same number: festivals are kept in the regular month.
* **Errors.** A 5th weekday that a month does not have in a given year is an error naming the month and year (no
  silent fall back to the last weekday: use ``nth=-1`` for "last").
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lunardate import LunarDate

__all__ = [
    "CATEGORIES",
    "KINDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "CalendarError",
    "FestivalSpec",
    "LeadTimes",
    "Occurrence",
    "Rule",
    "Window",
    "check_year",
    "festival_day",
    "next_occurrence",
    "occurrences",
]

# The range of lunardate 0.3 (``LunarDate(year, ...)`` accepts lunar years in [1900, 2100) and raises ValueError
# outside it). The tests check these bounds against the installed library.
MIN_YEAR = 1900
MAX_YEAR = 2099

KINDS = ("fixed", "lunar", "nth_weekday", "span", "offset")
CATEGORIES = ("lifestyle", "food_beverage", "fashion")

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
# Longest length of each Gregorian month (February in a leap year).
_MAX_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class CalendarError(ValueError):
    """A rule, a festival definition or a year the calendar cannot handle.

    For example a year outside the supported range: 'The calendar covers the years 1900 to 2099; 2150 is outside.'
    """


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_year(year) -> int:
    """Return ``year`` if the calendar covers it, else raise :class:`CalendarError`."""
    if not _is_int(year):
        raise CalendarError(f"The year must be a whole number, not {year!r}.")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(f"The calendar covers the years {MIN_YEAR} to {MAX_YEAR}; {year} is outside.")
    return year


@dataclass(frozen=True)
class Rule:
    """How to find a festival's day (its first day) in a given year.

    kind:
        ``"fixed"``: Gregorian ``month``/``day`` (Feb 29 falls back to Feb 28 in common years).
        ``"span"``: the same, for a festival lasting several days (``length_days``), e.g. Golden Week Oct 1-7.
        ``"lunar"``: lunar ``month``/``day`` of the regular (non-leap) lunar month; day 30 falls back to 29 in a
        short month.
        ``"nth_weekday"``: the ``nth`` (1-5, or -1 for the last) ``weekday`` (0=Monday .. 6=Sunday) of ``month``.
        ``"offset"``: ``day_offset`` days from the festival day of the festival keyed ``anchor`` in the same year.
    day_offset:
        Days added to the base date (Black Friday = 4th Thursday of November + 1); for ``"offset"`` rules, the
        distance from the anchor's festival day.
    length_days:
        How many days the festival itself lasts (1 for one-day festivals).
    """

    kind: str
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    day_offset: int = 0
    anchor: str | None = None
    length_days: int = 1

    def validate(self) -> Rule:
        """Raise :class:`CalendarError` with a clear message if the rule is malformed; return the rule."""
        kind = self.kind
        if kind not in KINDS:
            raise CalendarError(f"Unknown rule kind {kind!r}; expected one of: {', '.join(KINDS)}.")
        uses = {
            "fixed": {"month", "day"},
            "span": {"month", "day"},
            "lunar": {"month", "day"},
            "nth_weekday": {"month", "weekday", "nth"},
            "offset": {"anchor"},
        }[kind]
        a_kind = f"{'An' if kind[0] in 'aeiou' else 'A'} {kind} rule"
        for name in ("month", "day", "weekday", "nth", "anchor"):
            value = getattr(self, name)
            if name in uses and value is None:
                raise CalendarError(f"{a_kind} needs {'an' if name[0] in 'aeiou' else 'a'} {name}.")
            if name not in uses and value is not None:
                raise CalendarError(f"{a_kind} takes no {name} (got {value!r}).")
        for name in ("month", "day", "weekday", "nth", "day_offset", "length_days"):
            value = getattr(self, name)
            if value is not None and not _is_int(value):
                raise CalendarError(f"The rule's {name} must be a whole number, not {value!r}.")
        if self.month is not None and not 1 <= self.month <= 12:
            raise CalendarError(f"The month must be between 1 and 12, not {self.month}.")
        if kind in ("fixed", "span") and not 1 <= self.day <= _MAX_MONTH_DAYS[self.month - 1]:
            raise CalendarError(
                f"{_MONTH_NAMES[self.month - 1]} has no day {self.day} (days 1 to {_MAX_MONTH_DAYS[self.month - 1]})."
            )
        if kind == "lunar" and not 1 <= self.day <= 30:
            raise CalendarError(f"A lunar month has days 1 to 30, not {self.day}.")
        if kind == "nth_weekday":
            if not 0 <= self.weekday <= 6:
                raise CalendarError(f"The weekday must be between 0 (Monday) and 6 (Sunday), not {self.weekday}.")
            if self.nth not in _ORDINALS:
                raise CalendarError(f"nth must be 1 to 5, or -1 for the last, not {self.nth}.")
        if kind == "offset" and (not isinstance(self.anchor, str) or not self.anchor.strip()):
            raise CalendarError(f"An offset rule needs the key of its anchor festival, not {self.anchor!r}.")
        if self.length_days < 1:
            raise CalendarError(f"A festival lasts at least 1 day, not {self.length_days}.")
        return self


@dataclass(frozen=True)
class Window:
    """The campaign window, in days relative to the festival (negative = before).

    ``start`` (warm-up / pre-sale start) and ``peak`` are relative to the festival day (its first day); ``end`` is
    relative to the festival's last day, so Golden Week (Oct 1-7) with ``end=0`` ends on Oct 7.
    """

    start: int
    peak: int = 0
    end: int = 0


@dataclass(frozen=True)
class LeadTimes:
    """Deadlines in days before the festival day (its first day); positive = before, ``None`` = not applicable."""

    content_due: int  # material / creative ready
    ship_by: int | None = None  # last cross-border dispatch
    signup: int | None = None  # platform sign-up


@dataclass(frozen=True)
class FestivalSpec:
    key: str
    name_it: str
    name_en: str
    name_zh: str
    rule: Rule
    window: Window
    lead: LeadTimes
    categories: tuple[str, ...]  # a subset of CATEGORIES
    notes_en: str = ""

    def validate(self) -> FestivalSpec:
        """Raise :class:`CalendarError` if the festival definition is inconsistent; return the spec."""
        if not isinstance(self.key, str) or not self.key.strip():
            raise CalendarError(f"A festival needs a key, not {self.key!r}.")
        try:
            self.rule.validate()
        except CalendarError as exc:
            raise CalendarError(f"Festival {self.key!r}: {exc}") from None
        w = self.window
        for name in ("start", "peak", "end"):
            if not _is_int(getattr(w, name)):
                raise CalendarError(f"Festival {self.key!r}: the window {name} must be a whole number of days.")
        last = self.rule.length_days - 1  # the last day, relative to the festival day
        if not w.start <= w.peak <= last + w.end:
            raise CalendarError(
                f"Festival {self.key!r}: the window must start on or before its peak,"
                f" and peak on or before its end (start {w.start}, peak {w.peak}, end {w.end} after the last day)."
            )
        for name in ("content_due", "ship_by", "signup"):
            value = getattr(self.lead, name)
            if value is None and name != "content_due":
                continue
            if not _is_int(value) or value < 0:
                raise CalendarError(
                    f"Festival {self.key!r}: the {name.replace('_', ' ')} lead time is a number of days"
                    f" before the festival (0 or more), not {value!r}."
                )
        if not self.categories or len(set(self.categories)) != len(self.categories):
            raise CalendarError(f"Festival {self.key!r}: list each category once, at least one.")
        unknown = [c for c in self.categories if c not in CATEGORIES]
        if unknown:
            raise CalendarError(
                f"Festival {self.key!r}: unknown categories {', '.join(map(repr, unknown))};"
                f" expected some of: {', '.join(CATEGORIES)}."
            )
        return self


@dataclass(frozen=True)
class Occurrence:
    key: str
    year: int  # the year the occurrence belongs to (see the module docstring)
    date: datetime.date  # festival day (first day)
    end_date: datetime.date  # last day of the festival itself (= date for one-day festivals)
    window_start: datetime.date
    peak: datetime.date
    window_end: datetime.date
    content_due: datetime.date
    ship_by: datetime.date | None
    signup: datetime.date | None
    spec: FestivalSpec

    def as_dict(self) -> dict:
        """A JSON-friendly dict: dates as ISO strings (or None), categories as a list."""

        def iso(value: datetime.date | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "key": self.key,
            "year": self.year,
            "name_it": self.spec.name_it,
            "name_en": self.spec.name_en,
            "name_zh": self.spec.name_zh,
            "date": iso(self.date),
            "end_date": iso(self.end_date),
            "window_start": iso(self.window_start),
            "peak": iso(self.peak),
            "window_end": iso(self.window_end),
            "content_due": iso(self.content_due),
            "ship_by": iso(self.ship_by),
            "signup": iso(self.signup),
            "categories": list(self.spec.categories),
        }


@functools.lru_cache(maxsize=4096)
def _lunar_to_solar(year: int, month: int, day: int) -> datetime.date:
    """The Gregorian date of a day of a regular lunar month; day 30 falls back to 29 in a short month."""
    try:
        return LunarDate(year, month, day, False).to_solar_date()
    except ValueError:
        if day != 30:
            raise
    # The regular month has only 29 days this year.
    return LunarDate(year, month, 29, False).to_solar_date()


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    if nth == -1:
        next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
        last = next_month - datetime.timedelta(days=1)
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    result = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    if result.month != month:
        raise CalendarError(
            f"{_MONTH_NAMES[month - 1]} {year} has no {_ORDINALS[nth]} {_WEEKDAY_NAMES[weekday]}"
            " (use nth=-1 for the last one)."
        )
    return result


def _fixed(year: int, month: int, day: int) -> datetime.date:
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        day = 28  # Feb 29 falls back to Feb 28 in common years
    return datetime.date(year, month, day)


Resolver = Callable[[str, int], datetime.date]


def festival_day(rule: Rule, year: int, resolve: Resolver | None = None) -> datetime.date:
    """The festival day (first day) of ``rule`` in ``year``.

    ``resolve(key, year)`` returns the festival day of another festival; it is needed for offset rules only.
    """
    rule.validate()
    check_year(year)
    kind = rule.kind
    if kind in ("fixed", "span"):
        base = _fixed(year, rule.month, rule.day)
    elif kind == "lunar":
        base = _lunar_to_solar(year, rule.month, rule.day)
    elif kind == "nth_weekday":
        base = _nth_weekday(year, rule.month, rule.weekday, rule.nth)
    else:  # offset
        if resolve is None:
            raise CalendarError(f"An offset rule needs its anchor festival {rule.anchor!r} to compute a date.")
        base = resolve(rule.anchor, year)
    return base + datetime.timedelta(days=rule.day_offset)


class _Calendar:
    """Festival days of a set of specs, with offset rules resolved (and memoised) against the same set."""

    def __init__(self, specs: Iterable[FestivalSpec] | None):
        if specs is None:
            from campaigns.festivals import DEFAULT_FESTIVALS

            specs = DEFAULT_FESTIVALS
        self.specs: dict[str, FestivalSpec] = {}
        for spec in specs:
            spec.validate()
            if spec.key in self.specs:
                raise CalendarError(f"The festival key {spec.key!r} is used twice.")
            self.specs[spec.key] = spec
        self._days: dict[tuple[str, int], datetime.date] = {}
        self._resolving: list[str] = []

    def spec(self, key: str) -> FestivalSpec:
        try:
            return self.specs[key]
        except KeyError:
            raise CalendarError(f"There is no festival {key!r} in the calendar.") from None

    def day(self, key: str, year: int) -> datetime.date:
        cached = self._days.get((key, year))
        if cached is not None:
            return cached
        if key in self._resolving:
            cycle = " -> ".join([*self._resolving[self._resolving.index(key) :], key])
            raise CalendarError(f"Festivals are anchored to each other in a cycle: {cycle}.")
        if key not in self.specs:
            if not self._resolving:
                self.spec(key)  # raises "There is no festival ..."
            raise CalendarError(
                f"Festival {self._resolving[-1]!r} is anchored to {key!r}, which is not in the calendar."
            )
        self._resolving.append(key)
        try:
            result = festival_day(self.specs[key].rule, year, self.day)
        finally:
            self._resolving.pop()
        self._days[(key, year)] = result
        return result

    def occurrence(self, key: str, year: int) -> Occurrence:
        spec = self.spec(key)
        start = self.day(key, year)
        end = start + datetime.timedelta(days=spec.rule.length_days - 1)

        def before(days: int | None) -> datetime.date | None:
            return None if days is None else start - datetime.timedelta(days=days)

        return Occurrence(
            key=key,
            year=year,
            date=start,
            end_date=end,
            window_start=start + datetime.timedelta(days=spec.window.start),
            peak=start + datetime.timedelta(days=spec.window.peak),
            window_end=end + datetime.timedelta(days=spec.window.end),
            content_due=before(spec.lead.content_due),
            ship_by=before(spec.lead.ship_by),
            signup=before(spec.lead.signup),
            spec=spec,
        )


def occurrences(year: int, specs: Iterable[FestivalSpec] | None = None) -> list[Occurrence]:
    """Every festival of ``specs`` (default: ``DEFAULT_FESTIVALS``) in ``year``, sorted by window start, then date.

    Offset rules are resolved against their anchor among ``specs``; a missing anchor, a cycle or a duplicate key
    raises :class:`CalendarError`.
    """
    check_year(year)
    cal = _Calendar(specs)
    result = [cal.occurrence(key, year) for key in cal.specs]
    result.sort(key=lambda o: (o.window_start, o.date, o.key))
    return result


def next_occurrence(spec_key: str, after: datetime.date, specs: Iterable[FestivalSpec] | None = None) -> Occurrence:
    """The first occurrence of festival ``spec_key`` whose festival day is strictly after ``after``.

    Used to copy a campaign onto the festival's next edition. Raises :class:`CalendarError` if the festival is
    unknown or its next occurrence is beyond :data:`MAX_YEAR`.
    """
    cal = _Calendar(specs)
    cal.spec(spec_key)
    # Festival days grow with the year, so walk from the year of ``after`` (clamped) to the first match.
    year = min(max(after.year, MIN_YEAR), MAX_YEAR)
    while year > MIN_YEAR and cal.day(spec_key, year - 1) > after:
        year -= 1
    while cal.day(spec_key, year) <= after:
        if year == MAX_YEAR:
            raise CalendarError(
                f"The calendar covers the years {MIN_YEAR} to {MAX_YEAR}; festival {spec_key!r} has no"
                f" occurrence after {after.isoformat()} in it."
            )
        year += 1
    return cal.occurrence(spec_key, year)
