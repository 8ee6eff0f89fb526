"""Reading what KOLs and livestreams brought: each booking's results and costs per result, KOLs side by side, and a
session's audience, sales per product and uplift. Always of the reader's brands (``brand_ids``; None for staff).

A booking's results are the metric facts of the content items it names; a booking of a whole campaign reads the
campaign's rollups on the booking's days. The basis of every figure is kept with it (``basis_*``), so pages say what a
cost was divided from.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from campaigns.choices import Channel
from campaigns.models import KolBooking
from campaigns.models.kols import BRAND_VISIBLE_BOOKINGS

from .costs import Uplift, cost_per, cost_per_thousand, gmv_to_fee
from .models import LivestreamResult, MetricFact, MetricRollup, ProductSale
from .selectors import Totals

FLOWS = ("followers_gained", "impressions", "interactions", "viewers", "clicks", "items_sold", "gmv_cny")


def _add(target: Totals, values: dict) -> None:
    target.facts += values.get("facts") or 0
    for name in FLOWS:
        setattr(target, name, getattr(target, name) + (values.get(name) or 0))


class CostsPerResult:
    """What each result cost: ``fee`` over ``totals``; items sold and GMV over ``_live()`` (a booking's own fee and
    figures; a KOL's record keeps its livestream bookings apart, since items sold and GMV mean nothing for a post)."""

    fee: Decimal
    totals: Totals

    def _live(self) -> tuple[Decimal, Totals]:
        """The fee and figures items sold and GMV are read against."""
        return self.fee, self.totals

    @property
    def per_follower(self):
        return cost_per(self.fee, self.totals.followers_gained)

    @property
    def per_thousand_impressions(self):
        return cost_per_thousand(self.fee, self.totals.impressions)

    @property
    def per_interaction(self):
        return cost_per(self.fee, self.totals.interactions)

    @property
    def per_item_sold(self):
        fee, totals = self._live()
        return cost_per(fee, totals.items_sold)

    @property
    def gmv_to_fee(self):
        fee, totals = self._live()
        return gmv_to_fee(totals.gmv_cny, fee)


@dataclass
class BookingResult(CostsPerResult):
    """A booking's figures (of the reader's brands) and, for staff, what each result cost."""

    booking: KolBooking
    totals: Totals = field(default_factory=Totals)
    livestream: bool = False  # the booking names a livestream session: items sold and GMV matter
    basis_items: int = 0  # items whose facts were read (0: the whole campaign on the booking's days)
    basis_start: datetime.date | None = None
    basis_end: datetime.date | None = None

    @property
    def has_results(self) -> bool:
        return self.totals.facts > 0

    @property
    def fee(self) -> Decimal:
        return self.booking.fee_cny


def booking_results(bookings, brand_ids) -> dict[int, BookingResult]:
    """Results of each booking: two queries whatever the number of bookings (the items' facts summed per item, the
    whole-campaign bookings' rollups per campaign and day). ``bookings`` come with their items prefetched."""
    results = {}
    item_ids, campaign_ids = set(), set()
    for booking in bookings:
        items = list(booking.items.all())
        result = BookingResult(booking=booking, basis_items=len(items))
        result.livestream = any(item.channel == Channel.LIVESTREAM for item in items)
        results[booking.pk] = result
        if items:
            item_ids.update(item.pk for item in items)
        else:
            campaign_ids.add(booking.campaign_id)
            result.basis_start, result.basis_end = booking.starts_on, booking.ends_on
    sums = {name: Sum(name) for name in FLOWS}
    per_item = {}
    if item_ids:
        facts = MetricFact.objects.filter(item_id__in=item_ids)
        if brand_ids is not None:
            facts = facts.filter(brand_id__in=brand_ids)
        per_item = {row["item_id"]: row for row in facts.values("item_id").annotate(facts=Count("pk"), **sums)}
    per_day = {}
    if campaign_ids:
        rollups = MetricRollup.objects.filter(campaign_key__in=campaign_ids)
        if brand_ids is not None:
            rollups = rollups.filter(brand_id__in=brand_ids)
        for row in rollups.values("campaign_key", "day").annotate(facts=Sum("facts"), **sums):
            per_day.setdefault(row["campaign_key"], []).append(row)
    for booking in bookings:
        result = results[booking.pk]
        if result.basis_items:
            for item in booking.items.all():
                if item.pk in per_item:
                    _add(result.totals, per_item[item.pk])
        else:
            for row in per_day.get(booking.campaign_id, []):
                if booking.starts_on <= row["day"] <= booking.ends_on:
                    _add(result.totals, row)
    return results


# --- KOLs side by side ------------------------------------------------------------------------------------------------


@dataclass
class KolRecord(CostsPerResult):
    """One KOL's past results: their agreed bookings, and the costs over the bookings that have results."""

    kol: object
    bookings: int = 0  # agreed bookings (confirmed, delivered, paid)
    with_results: int = 0
    fee: Decimal = Decimal("0.00")  # fees of the bookings with results: what the costs divide
    totals: Totals = field(default_factory=Totals)
    live_bookings: int = 0  # of those, bookings of a livestream session
    live_fee: Decimal = Decimal("0.00")
    live_totals: Totals = field(default_factory=Totals)

    def _live(self) -> tuple[Decimal, Totals]:
        return self.live_fee, self.live_totals


def kol_records(kols) -> list[KolRecord]:
    """Each KOL's past results from their agreed bookings (staff: every brand). Three queries for any number of KOLs:
    the bookings with their items, and ``booking_results``' two."""
    kols = list(kols)
    bookings = list(
        KolBooking.objects.filter(kol__in=kols, status__in=BRAND_VISIBLE_BOOKINGS).prefetch_related("items")
    )
    results = booking_results(bookings, None)
    records = {kol.pk: KolRecord(kol=kol) for kol in kols}
    for booking in bookings:
        record, result = records[booking.kol_id], results[booking.pk]
        record.bookings += 1
        if not result.has_results:
            continue
        record.with_results += 1
        record.fee += booking.fee_cny
        _add(record.totals, {"facts": result.totals.facts, **{n: getattr(result.totals, n) for n in FLOWS}})
        if result.livestream:
            record.live_bookings += 1
            record.live_fee += booking.fee_cny
            _add(record.live_totals, {"facts": result.totals.facts, **{n: getattr(result.totals, n) for n in FLOWS}})
    return [records[kol.pk] for kol in kols]


# --- a livestream session ---------------------------------------------------------------------------------------------


@dataclass
class Audience:
    """A session's audience: as entered for the session, else summed from its item's facts (every brand: the
    session's total viewers show to each brand of it)."""

    peak_viewers: int | None = None
    viewers: int | None = None
    interactions: int | None = None
    followers_gained: int | None = None
    entered: bool = False  # True: typed in for the session; False: the platforms' facts of the item

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.peak_viewers, self.viewers, self.interactions, self.followers_gained))


def session_audience(session) -> Audience:
    result = LivestreamResult.objects.filter(item_id=session.pk).first()
    if result is not None and any(
        getattr(result, n) is not None for n in ("peak_viewers", "viewers", "interactions", "followers_gained")
    ):
        return Audience(result.peak_viewers, result.viewers, result.interactions, result.followers_gained, True)
    row = MetricFact.objects.filter(item_id=session.pk).aggregate(
        facts=Count("pk"), viewers=Sum("viewers"), interactions=Sum("interactions"), gained=Sum("followers_gained")
    )
    if not row["facts"]:
        return Audience()
    return Audience(None, row["viewers"], row["interactions"], row["gained"], False)


@dataclass
class ProductLine:
    """One featured product's sales in the session, and its uplift against the baseline."""

    code: str
    name: str
    brand_id: int
    items_sold: int | None = None
    gmv_cny: Decimal | None = None
    uplift_items: Uplift | None = None
    uplift_gmv: Uplift | None = None


@dataclass
class SessionSales:
    lines: list = field(default_factory=list)
    items_sold: int = 0
    gmv_cny: Decimal = Decimal("0.00")
    entered: bool = False  # any sales figure recorded
    baseline_start: datetime.date | None = None
    baseline_end: datetime.date | None = None
    uplift_items: Uplift | None = None  # over the products with baseline figures
    uplift_gmv: Uplift | None = None
    compared: list = field(default_factory=list)  # codes of the products the uplift compares
    left_out: list = field(default_factory=list)  # featured products without baseline figures

    @property
    def baseline_days(self) -> int:
        if self.baseline_start is None:
            return 0
        return (self.baseline_end - self.baseline_start).days + 1


def session_sales(session, brand_ids) -> SessionSales:
    """The session's sales per featured product of the reader's brands, and their uplift against the baseline period
    staff chose: three queries (the session's sales, the baseline's sums per product, the result row)."""
    products = [p for p in session.products.all() if brand_ids is None or p.brand_id in brand_ids]
    report = SessionSales()
    sold = {
        row["product_id"]: row
        for row in ProductSale.objects.filter(item_id=session.pk, product__in=products)
        .values("product_id")
        .annotate(items=Sum("items_sold"), gmv=Sum("gmv_cny"))
    }
    result = LivestreamResult.objects.filter(item_id=session.pk).first()
    baseline = {}
    if result is not None and result.baseline_starts_on is not None:
        report.baseline_start, report.baseline_end = result.baseline_starts_on, result.baseline_ends_on
        rows = (
            ProductSale.objects.filter(
                item__isnull=True, product__in=products, day__gte=report.baseline_start, day__lte=report.baseline_end
            )
            .values("product_id")
            .annotate(items=Sum("items_sold"), gmv=Sum("gmv_cny"), rows=Count("pk"))
        )
        baseline = {row["product_id"]: row for row in rows}
    days = report.baseline_days
    measured_items = baseline_items = 0
    measured_gmv = baseline_gmv = Decimal("0.00")
    for product in products:
        line = ProductLine(product.code, product.name_zh_hans or product.name_it, product.brand_id)
        if product.pk in sold:
            report.entered = True
            line.items_sold, line.gmv_cny = sold[product.pk]["items"], sold[product.pk]["gmv"]
            report.items_sold += line.items_sold
            report.gmv_cny += line.gmv_cny
        if days and product.pk in baseline:
            base = baseline[product.pk]
            line.uplift_items = Uplift(Decimal(line.items_sold or 0), Decimal(base["items"]), days)
            line.uplift_gmv = Uplift(line.gmv_cny or Decimal("0.00"), base["gmv"], days)
            report.compared.append(product.code)
            measured_items += line.items_sold or 0
            baseline_items += base["items"]
            measured_gmv += line.gmv_cny or Decimal("0.00")
            baseline_gmv += base["gmv"]
        elif days:
            report.left_out.append(product.code)
        report.lines.append(line)
    if days and report.compared:
        report.uplift_items = Uplift(Decimal(measured_items), Decimal(baseline_items), days)
        report.uplift_gmv = Uplift(measured_gmv, baseline_gmv, days)
    return report
