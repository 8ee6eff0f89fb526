"""Numbers and dates as the reader writes them (the active language and time zone), for the reports and their mail.

1,234,567 / 1.234.567 (Chinese too is grouped by thousands with commas, as the platforms' dashboards write it);
agosto 2027 / 2027年8月; axis labels 2.5K / 2,5 mila / 2.5万; changes +12.3% / −4.0%, the CTR's in percentage points.
"""

import calendar
import datetime
import zoneinfo
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, pgettext

from .. import selectors
from ..analysis import percent
from ..metrics import label

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
# The headline figures, in the order of their tiles.
FIGURES = (
    "followers_total",
    "followers_gained",
    "impressions",
    "interactions",
    "viewers",
    "clicks",
    "ctr",
    "items_sold",
    "gmv_cny",
)
MINUS = "\u2212"


def active_language() -> str:
    return get_language() or "en"


def integer(value) -> str:
    """1,234,567 / 1.234.567. Chinese too is grouped by thousands with commas, as the platforms' dashboards write
    it (Django's Chinese format does not group at all)."""
    if value is None:
        return "—"
    value = int(value)
    if active_language().startswith("zh"):
        return f"{value:,}"
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def money(value) -> str:
    value = Decimal(value or 0).quantize(Decimal("0.01"))
    if active_language().startswith("zh"):
        return f"{value:,.2f}"
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def decimal(value: float, places: int) -> str:
    return formats.number_format(round(value, places), places, use_l10n=True)


def compact(value: float) -> str:
    """An axis label: 2.5K, 1,5 Mln, 150万."""
    units = {
        "zh": ((10**8, "亿"), (10**4, "万")),
        "it": ((10**9, " Mrd"), (10**6, " Mln"), (10**3, " mila")),
    }.get(active_language()[:2], ((10**9, "B"), (10**6, "M"), (10**3, "K")))
    for size, unit in units:
        if abs(value) >= size:
            scaled = value / size
            places = next(p for p in (0, 1, 2) if p == 2 or abs(round(scaled, p) - scaled) < 1e-9)
            return decimal(scaled, places) + unit
    return integer(round(value))


AXIS_WORDS = ["亿万", " Mrd Mln mila", "BMK"]


def pair(label_text: str, value: str) -> str:
    """ "Label: value" with the reader's colon (Chinese writes a full-width one, with no space)."""
    return gettext("%(label)s: %(value)s") % {"label": label_text, "value": value}


def figure(name: str, totals: selectors.Totals) -> str:
    """A headline figure as written in a tile or a mail."""
    if name == "ctr":
        return percent(totals.ctr)
    if name == "gmv_cny":
        return money(totals.gmv_cny)
    return integer(getattr(totals, name))


def figure_label(name: str) -> str:
    return gettext("Click-through rate") if name == "ctr" else label(name)


def sign(value) -> str:
    return "+" if value > 0 else MINUS if value < 0 else "±"


def change(name: str, now: selectors.Totals, before: selectors.Totals) -> tuple[str, int]:
    """The change from ``before`` to ``now`` as written (+12.3%; the CTR in percentage points) and its direction;
    ("", 0) when there is nothing to compare with."""
    if name == "ctr":
        if now.ctr is None or before.ctr is None:
            return "", 0
        delta = round((now.ctr - before.ctr) * 100, 2)
        text = pgettext("change in percentage points", "%(sign)s%(value)s pp") % {
            "sign": sign(delta),
            "value": decimal(abs(delta), 2),
        }
        return text, (delta > 0) - (delta < 0)
    old, new = Decimal(getattr(before, name) or 0), Decimal(getattr(now, name) or 0)
    if not old:
        return "", 0
    delta = round(float((new - old) / abs(old) * 100), 1)
    return f"{sign(delta)}{decimal(abs(delta), 1)}%", (delta > 0) - (delta < 0)


def month_name(day: datetime.date) -> str:
    """August 2027, agosto 2027, 2027年8月 (``brandhub/formats/it`` writes Italian months in lower case)."""
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def date_text(day: datetime.date) -> str:
    """Aug. 2, 2027 / 2 agosto 2027 / 2027年8月2日."""
    return formats.date_format(day, "DATE_FORMAT")


def short_day(day: datetime.date) -> str:
    """Aug 2 / 2 ago / 8月2日 (Django's Chinese month-day pads the month: 08月2日)."""
    language = active_language()
    if language.startswith("zh"):
        return f"{day.month}月{day.day}日"
    if language == "it":
        return formats.date_format(day, "j M").lower()
    return formats.date_format(day, "M j")


def short_month(day: datetime.date, *, with_year: bool) -> str:
    language = active_language()
    if language.startswith("zh"):
        return f"{day.year}年{day.month}月" if with_year else f"{day.month}月"
    text = formats.date_format(day, "M Y" if with_year else "M")
    return text.lower() if language == "it" else text


def date_range(start: datetime.date, end: datetime.date) -> str:
    return date_text(start) if start == end else f"{date_text(start)} – {date_text(end)}"


def moment(now: datetime.datetime) -> str:
    """The report's moment in the reader's time zone, with the zone named."""
    local = timezone.localtime(now)
    if active_language() == "it":
        when = formats.date_format(local, "j F Y, H:i").lower()
    else:
        when = formats.date_format(local, "DATETIME_FORMAT")
    zone = timezone.get_current_timezone_name()
    zones = dict(get_user_model().TimeZone.choices) if hasattr(get_user_model(), "TimeZone") else {}
    return gettext("made on %(when)s (%(zone)s)") % {"when": when, "zone": zones.get(zone, zone)}


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def days_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
