"""What a KOL booking cost per result, and how much a livestream lifted its products' sales: plain arithmetic on
figures, with ``None`` wherever the figure to divide by is missing or zero (a page says why, never divides by zero).

Money is ``Decimal`` rounded to the fen; ratios and percentages are ``Decimal`` rounded to two places.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def cost_per(fee: Decimal, count) -> Decimal | None:
    """The fee divided by a count of results (followers gained, interactions, items sold); None without results."""
    if fee is None or not count or count <= 0:
        return None
    return _money(Decimal(fee) / Decimal(count))


def cost_per_thousand(fee: Decimal, impressions) -> Decimal | None:
    """CPM: the fee per 1,000 impressions."""
    if fee is None or not impressions or impressions <= 0:
        return None
    return _money(Decimal(fee) * 1000 / Decimal(impressions))


def gmv_to_fee(gmv: Decimal, fee: Decimal) -> Decimal | None:
    """How many times its fee a booking sold (GMV ÷ fee); None for a booking without a fee."""
    if gmv is None or fee is None or fee <= 0:
        return None
    return _money(Decimal(gmv) / Decimal(fee))


@dataclass(frozen=True)
class Uplift:
    """A session's sales of some products against those products' sales on an average day of a baseline period.

    ``measured``: what the session sold; ``baseline_total`` over ``baseline_days`` days gives ``per_day``;
    ``percent`` is (measured − per_day) ÷ per_day × 100, None when the baseline sold nothing.
    """

    measured: Decimal
    baseline_total: Decimal
    baseline_days: int

    @property
    def per_day(self) -> Decimal | None:
        if self.baseline_days <= 0:
            return None
        return _money(Decimal(self.baseline_total) / self.baseline_days)

    @property
    def percent(self) -> Decimal | None:
        if self.baseline_days <= 0 or not self.baseline_total:
            return None
        # measured / (total / days) - 1, without rounding per_day first: exact for whole figures.
        ratio = Decimal(self.measured) * self.baseline_days / Decimal(self.baseline_total)
        return _money((ratio - 1) * 100)
