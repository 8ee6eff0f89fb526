"""Values as the platforms' exports write them, and as partners send them, turned into facts' figures.

One reader for every way in (file import, partner API, manual entry): dates in the common formats, counts with
thousands separators or 万 / 亿 (×10,000 / ×100,000,000), money with ¥ or CNY, and percentages (a click-through
rate, from which clicks are worked out when the export has no clicks column). A value that cannot be read raises
``ValueError``; the caller turns it into the row's issue.
"""

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%Y年%m月%d日",
    "%d/%m/%Y",  # Italian and most of Europe write the day first
    "%d.%m.%Y",
    "%d-%m-%Y",
)
_MULTIPLIERS = {"万": Decimal(10_000), "w": Decimal(10_000), "亿": Decimal(100_000_000), "k": Decimal(1000)}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def clean(value) -> str:
    """A cell as text: full-width characters folded (１２,３４５ → 12,345), spaces trimmed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean(value)
    # Exports often add a time ("2026-11-11 00:00:00"): the day is what a daily fact keeps.
    text = text.split(" ")[0].split("T")[0]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_decimal(value) -> Decimal:
    """A number as exports write it: ``12,345``, ``1.2万``, ``¥3,450.50``, ``3 450`` or a spreadsheet's float."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise ValueError(value)
        return number
    text = clean(value).lower().replace("¥", "").replace("cny", "").replace("rmb", "").replace("元", "")
    text = text.replace(",", "").replace(" ", "").replace("_", "").replace("'", "")
    factor = Decimal(1)
    if text and text[-1] in _MULTIPLIERS:
        factor, text = _MULTIPLIERS[text[-1]], text[:-1]
    if not _NUMBER.match(text):
        raise ValueError(value)
    try:
        return Decimal(text) * factor
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def parse_count(value) -> int:
    """A whole count: ``1.2万`` is 12,000; a count with a fraction left after the multiplier is refused."""
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


def parse_money(value) -> Decimal:
    """CNY with cents. A number too long for the cents (beyond the decimal context's 28 digits) is refused like any
    other unreadable value, not raised as an arithmetic error."""
    try:
        return parse_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def parse_rate(value) -> Decimal:
    """A rate as a fraction: ``3.5%`` and ``0.035`` are both 0.035; a bare number above 1 is read as percent."""
    text = clean(value)
    if text.endswith("%"):
        return parse_decimal(text[:-1]) / 100
    number = parse_decimal(value)
    return number / 100 if number > 1 else number
