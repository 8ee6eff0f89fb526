"""Writing a livestream session's results: its audience, its sales per product (typed in or imported), the store's
daily sales of products (what baselines are made of), and the metric facts that carry them into the rollups.

How the figures land, and why:

* the session's audience (peak and total viewers, interactions, followers gained) is kept as entered
  (``LivestreamResult``), because the session's total viewers show to every brand of a shared session;
* its sales per product are ``ProductSale`` rows of the session (one source, "Livestream sessions", keyed by session and
  product, so typing or importing the same product again corrects it);
* in the same transaction ``facts_upsert`` writes one fact per brand of the session (keyed by session and brand):
  that brand's own items sold and GMV, and its share of the audience — split evenly among the session's brands, the
  rest going to the first brands, as the demo splits an item's figures — so that summed over brands the rollups hold
  the session's audience once and every brand's own sales, and a brand user's portal shows their part only.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brandhub.access import require_agency_staff
from brandhub.sheets import FileError, SheetReader
from campaigns.choices import Channel
from campaigns.kol_names import fold
from campaigns.models import LivestreamSession
from campaigns.services import CHINA

from . import parsing
from .facts import MAX_COUNT, MAX_MONEY, FactRow
from .metrics import METRIC_NAMES, field_for_header
from .models import LivestreamResult, MetricFact, MetricSource, ProductSale
from .services import facts_upsert, source_for

SESSION_SOURCE = "Livestream sessions"
STORE_SOURCE = "Store sales by product"
AUDIENCE = ("viewers", "interactions", "followers_gained")
MAX_BASELINE_DAYS = 366
MAX_IMPORT_ROWS = 50_000
HEADER_ROWS = 10


def session_day(session: LivestreamSession) -> datetime.date:
    """The China-time day a session starts on: the day its facts and sales are counted on."""
    return session.item.scheduled_at.astimezone(CHINA).date()


def session_source() -> MetricSource:
    return source_for(MetricSource.Kind.MANUAL, SESSION_SOURCE)


def store_source() -> MetricSource:
    return source_for(MetricSource.Kind.FILE, STORE_SOURCE)


def split(value, parts: int, index: int):
    """A session figure's share for the ``index``-th of ``parts`` brands: even shares, the remainder to the first."""
    return value // parts + (1 if index < value % parts else 0)


def _check_started(session: LivestreamSession) -> None:
    if session.item.scheduled_at > timezone.now():
        raise ValidationError(_("The session has not started yet: its results come after it."))


def check_baseline(session: LivestreamSession, start, end) -> None:
    """A baseline is a period before the session's day, of at most a year."""
    if (start is None) != (end is None):
        raise ValidationError({"baseline_starts_on": _("Give both the first and the last day of the baseline.")})
    if start is None:
        return
    if end < start:
        raise ValidationError({"baseline_ends_on": _("The baseline period cannot end before it starts.")})
    if end >= session_day(session):
        raise ValidationError({"baseline_ends_on": _("The baseline must end before the session's day.")})
    if (end - start).days + 1 > MAX_BASELINE_DAYS:
        raise ValidationError(
            {"baseline_starts_on": _("A baseline covers at most %(n)s days.") % {"n": MAX_BASELINE_DAYS}}
        )


def livestream_results_save(
    *,
    user,
    session: LivestreamSession,
    audience: dict,
    sales: dict | None = None,
    baseline: tuple = (None, None),
) -> LivestreamResult:
    """Record a session's results: ``audience`` (peak_viewers, viewers, interactions, followers_gained: counts or
    None), ``sales`` (product id -> (items sold, GMV), None for a product left blank: its row goes), ``baseline``
    (first and last day, or (None, None)); then the session's facts follow (see the module's docstring)."""
    require_agency_staff(user)
    _check_started(session)
    start, end = baseline
    check_baseline(session, start, end)
    featured = {p.pk: p for p in session.products.select_related("brand")}
    for product_id in sales or {}:
        if product_id not in featured:
            raise ValidationError(_("That product is not featured in this session."))
    for name in ("peak_viewers", *AUDIENCE):
        value = audience.get(name)
        if value is not None and ((value < 0 and name != "followers_gained") or abs(value) > MAX_COUNT):
            raise ValidationError({name: _("This figure cannot be negative or that large.")})
    with transaction.atomic():
        result = LivestreamResult.objects.select_for_update().filter(item=session.item).first()
        result = result or LivestreamResult(item=session.item)
        for name in ("peak_viewers", *AUDIENCE):
            setattr(result, name, audience.get(name))
        result.baseline_starts_on, result.baseline_ends_on = start, end
        result.entered_by = user
        result.full_clean(exclude=["item"])
        result.save()
        source = session_source()
        day = session_day(session)
        for product_id, (items_sold, gmv) in (sales or {}).items():
            _session_sale(source, session, featured[product_id], day, items_sold, gmv, user)
        write_session_facts(session=session, user=user)
    return result


def _session_sale(source, session, product, day, items_sold, gmv, user) -> None:
    key = f"session|{session.pk}|{product.pk}"
    if items_sold is None and gmv is None:
        ProductSale.objects.filter(source=source, source_key=key).delete()
        return
    for value, limit in ((items_sold, MAX_COUNT), (gmv, MAX_MONEY)):
        if value is not None and (value < 0 or value > limit):
            raise ValidationError(_("%(product)s: a sales figure cannot be negative or that large.") % {
                "product": product.code})  # fmt: skip
    ProductSale.objects.update_or_create(
        source=source,
        source_key=key,
        defaults={
            "product": product,
            "product_code": product.code,
            "product_name": product.name_zh_hans or product.name_it,
            "brand_id": product.brand_id,
            "day": day,
            "item": session.item,
            "items_sold": items_sold or 0,
            "gmv_cny": gmv if gmv is not None else Decimal("0.00"),
            "entered_by": user,
        },
    )


def write_session_facts(*, session: LivestreamSession, user=None) -> None:
    """The session's facts, one per brand of the session, from its recorded audience and sales (see the module's
    docstring). A brand no longer in the session, or left with nothing, has its earlier fact set to zero."""
    item = session.item
    source = session_source()
    result = LivestreamResult.objects.filter(item=item).first()
    brands = list(item.brands.order_by("pk").values_list("pk", flat=True))
    sales = {}
    for row in ProductSale.objects.filter(item=item).values("brand_id", "items_sold", "gmv_cny"):
        items, gmv = sales.get(row["brand_id"], (0, Decimal("0.00")))
        sales[row["brand_id"]] = (items + row["items_sold"], gmv + row["gmv_cny"])
    day = session_day(session)
    rows = {}
    for index, brand_id in enumerate(brands):
        figures = {}
        for name in AUDIENCE:
            value = getattr(result, name) if result is not None else None
            if value is not None:
                figures[name] = split(value, len(brands), index)
        if brand_id in sales:
            figures["items_sold"], figures["gmv_cny"] = sales[brand_id]
        key = f"session|{item.pk}|{brand_id}"
        rows[key] = FactRow(key, day, Channel.LIVESTREAM, brand_id, item.campaign_id, item.pk, figures=figures)
    for fact in MetricFact.objects.filter(source=source, item=item):
        row = rows.get(fact.source_key)
        if row is None or not row.figures:
            # Gone from the session, or nothing left: its earlier figures become zeros, so the rollups lose them.
            zeros = {name: 0 for name in METRIC_NAMES if getattr(fact, name) is not None}
            rows[fact.source_key] = FactRow(
                fact.source_key, day, Channel.LIVESTREAM, fact.brand_id, item.campaign_id, item.pk, figures=zeros
            )
    written = [row for row in rows.values() if row.figures]
    if written:
        facts_upsert(source=source, rows=written, user=user)


# --- importing sales per product --------------------------------------------------------------------------------------

PRODUCT_HEADERS = frozenset(
    fold(h).casefold()
    for h in ("product", "sku", "sku code", "code", "product code", "item code", "商品", "商品名称", "商品编码",
              "货号", "商家编码", "sku编码", "codice", "prodotto", "articolo")
)  # fmt: skip


@dataclass
class SalesImport:
    """What an import of sales found: rows read and written, or the bad rows (row number, column, message)."""

    rows: int = 0
    written: int = 0
    issues: list = field(default_factory=list)
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not self.issues and not self.failure


def _columns(header: list) -> dict:
    found = {}
    for index, cell in enumerate(header):
        text = fold(str(cell or "")).casefold()
        if text in PRODUCT_HEADERS:
            found.setdefault("product", index)
            continue
        name = field_for_header(cell)
        if name in ("date", "items_sold", "gmv_cny"):
            found.setdefault(name, index)
    return found


def _product_lookup(session: LivestreamSession, *, featured_only: bool) -> dict:
    from brands.models import Product

    products = session.products.all() if featured_only else Product.objects.filter(brand__in=session.item.brands.all())
    lookup = {}
    for product in products.select_related("brand"):
        for key in (product.code, product.name_zh_hans, product.name_it, product.name_en):
            if key:
                lookup.setdefault(fold(key).casefold(), product)
    return lookup


def product_sales_import(*, user, session: LivestreamSession, upload, kind: str) -> SalesImport:
    """Sales per product from a CSV or XLSX file, all or nothing. ``kind``: ``session`` (the session's own sales of
    its featured products: a product, items sold and GMV per row) or ``daily`` (the store's sales per day of the
    session's brands' products, for baselines: a date too). A file with a bad row writes nothing and says which rows
    are wrong and why."""
    require_agency_staff(user)
    report = SalesImport()
    if kind == "session":
        _check_started(session)
    needed = ["product", "items_sold"] + (["date"] if kind == "daily" else [])
    try:
        reader = SheetReader(upload, name=getattr(upload, "name", ""))
        rows = iter(reader)
        # Exports put a title and notes above the header: the header is the first of the top rows naming the columns.
        columns, header_row = {}, 0
        for header_row, head in enumerate(rows, start=1):
            columns = _columns(head)
            if all(name in columns for name in needed) or header_row >= HEADER_ROWS:
                break
    except FileError as exc:
        report.failure = " ".join(exc.messages)
        return report
    if not all(name in columns for name in needed):
        if kind == "daily":
            report.failure = _(
                "The file needs a column for the date, one for the product (SKU code or name) and one for items sold."
            )
        else:
            report.failure = _("The file needs a column for the product (SKU code or name) and one for items sold.")
        return report
    lookup = _product_lookup(session, featured_only=kind == "session")
    today = timezone.localdate(timezone=CHINA)
    wanted = {}
    try:
        for number, row in enumerate(rows, start=header_row + 1):
            if not any(str(cell).strip() for cell in row if cell is not None):
                continue
            report.rows += 1
            if report.rows > MAX_IMPORT_ROWS:
                report.failure = _("The file has more than %(n)s rows: split it.") % {"n": MAX_IMPORT_ROWS}
                return report
            parsed = _read_row(row, number, columns, lookup, kind, today, report)
            if parsed is not None:
                product, day, items_sold, gmv = parsed
                wanted[(product.pk, day)] = (product, day, items_sold, gmv)
    except FileError as exc:
        report.failure = " ".join(exc.messages)
        return report
    if report.issues or not wanted:
        if not wanted and not report.issues:
            report.failure = _("The file has no rows.")
        return report
    with transaction.atomic():
        if kind == "session":
            day = session_day(session)
            source = session_source()
            for product, _day, items_sold, gmv in wanted.values():
                _session_sale(source, session, product, day, items_sold, gmv, user)
            write_session_facts(session=session, user=user)
        else:
            source = store_source()
            for product, day, items_sold, gmv in wanted.values():
                ProductSale.objects.update_or_create(
                    source=source,
                    source_key=f"store|{product.pk}|{day.isoformat()}",
                    defaults={"product": product, "product_code": product.code,
                              "product_name": product.name_zh_hans or product.name_it, "brand_id": product.brand_id,
                              "day": day, "item": None, "items_sold": items_sold,
                              "gmv_cny": gmv if gmv is not None else Decimal("0.00"), "entered_by": user},
                )  # fmt: skip
    report.written = len(wanted)
    return report


def _cell(row, columns, name):
    index = columns.get(name)
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _read_row(row, number, columns, lookup, kind, today, report):
    issues = report.issues
    before = len(issues)
    raw = _cell(row, columns, "product")
    product = lookup.get(fold(str(raw)).casefold()) if raw is not None else None
    if raw is None:
        issues.append((number, _("Product"), _("The product is missing.")))
    elif product is None:
        where = _("among the session's featured products") if kind == "session" else _("among the session's brands")
        issues.append((number, _("Product"), _("No product “%(value)s” %(where)s.") % {"value": raw, "where": where}))
    day = None
    if kind == "daily":
        value = _cell(row, columns, "date")
        try:
            day = parsing.parse_date(value) if value is not None else None
        except ValueError:
            day = None
        if day is None:
            issues.append((number, _("Date"), _("“%(value)s” is not a date.") % {"value": value or ""}))
        elif day > today:
            issues.append((number, _("Date"), _("%(value)s is in the future.") % {"value": day.isoformat()}))
    items_sold = _number(row, columns, "items_sold", parsing.parse_count, number, issues, _("Items sold"), MAX_COUNT)
    gmv = _number(row, columns, "gmv_cny", parsing.parse_money, number, issues, _("GMV (CNY)"), MAX_MONEY)
    if items_sold is None and len(issues) == before:
        issues.append((number, _("Items sold"), _("The number of items sold is missing.")))
    if len(issues) > before:
        return None
    return product, day, items_sold, gmv


def _number(row, columns, name, parse, number, issues, label, limit):
    value = _cell(row, columns, name)
    if value is None:
        return None
    try:
        parsed = parse(value)
    except ValueError:
        issues.append((number, label, _("“%(value)s” is not a number.") % {"value": value}))
        return None
    if parsed < 0 or parsed > limit:
        issues.append((number, label, _("%(value)s cannot be negative or that large.") % {"value": value}))
        return None
    return parsed
