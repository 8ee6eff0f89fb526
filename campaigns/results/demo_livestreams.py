"""Demo results of the demo's past livestream sessions, for ``seed_demo``: the audience, each featured product's sales
in the session, and four weeks of the store's daily sales of those products before the campaign as the baseline, so
each session page shows its "+160%" with the baseline beside it.

Written through ``livestream_results_save`` (the facts per brand follow) and the store-sales rows as an import writes
them. Each figure is a function of the session and product (no running random state); a session that has results, or
whose item has figures from the platforms already (a demo loaded before sessions existed), is left as it is.
"""

import datetime
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaigns.choices import ContentStatus
from campaigns.models import LivestreamSession

from .livestreams import livestream_results_save, session_day, session_source, store_source
from .models import LivestreamResult, MetricFact, ProductSale

BASELINE_DAYS = 28


@dataclass
class DemoLivestreams:
    sessions: int = 0
    sales: int = 0


def _unit(*parts) -> float:
    return (zlib.crc32("|".join(str(p) for p in parts).encode()) & 0xFFFFFFFF) / 2**32


def load_demo_livestream_results(*, manager, now: datetime.datetime | None = None) -> DemoLivestreams:
    now = now or timezone.now()
    result = DemoLivestreams()
    sessions = (
        LivestreamSession.objects.filter(
            item__campaign__festival__isnull=False, item__status=ContentStatus.PUBLISHED, item__scheduled_at__lt=now
        )
        .select_related("item__campaign")
        .prefetch_related("products__brand", "steps")
        .order_by("item__scheduled_at", "pk")
    )
    done = set(LivestreamResult.objects.values_list("item_id", flat=True))
    source = session_source()
    for session in sessions:
        if session.pk in done or MetricFact.objects.filter(item_id=session.pk).exclude(source=source).exists():
            continue
        with transaction.atomic():
            result.sales += _load_one(session, manager)
        result.sessions += 1
    return result


def _load_one(session: LivestreamSession, manager) -> int:
    item = session.item
    budget = float(item.campaign.budget_cny or 50_000) / 50_000
    viewers = round(90_000 * budget * (0.8 + 0.4 * _unit(item.pk, "viewers")))
    prices = {step.product_id: step.live_price_cny for step in session.steps.all() if step.product_id}
    day = session_day(session)
    end = item.campaign.starts_on - datetime.timedelta(days=1)
    if end >= day:
        end = day - datetime.timedelta(days=1)
    start = end - datetime.timedelta(days=BASELINE_DAYS - 1)
    store = store_source()
    rows, sales = [], {}
    for product in session.products.all():
        price = prices.get(product.pk) or product.price_cny or Decimal("199")
        daily = 30 + round(90 * _unit(item.pk, product.pk, "daily"))
        # The live sells two to three times an ordinary day: +120% to +200%.
        sold = round(daily * (2.2 + 0.8 * _unit(item.pk, product.pk, "lift")))
        sales[product.pk] = (sold, (Decimal(price) * sold).quantize(Decimal("0.01")))
        list_price = Decimal(product.price_cny or price)
        for offset in range(BASELINE_DAYS):
            when = start + datetime.timedelta(days=offset)
            weekend = 1.2 if when.weekday() >= 5 else 0.93
            count = round(daily * weekend * (0.8 + 0.4 * _unit(product.pk, when.toordinal(), "day")))
            rows.append(
                ProductSale(
                    source=store,
                    source_key=f"store|{product.pk}|{when.isoformat()}",
                    product=product,
                    product_code=product.code,
                    product_name=product.name_zh_hans or product.name_it,
                    brand_id=product.brand_id,
                    day=when,
                    items_sold=count,
                    gmv_cny=(list_price * count).quantize(Decimal("0.01")),
                    entered_by=manager,
                )
            )
    existing = set(ProductSale.objects.filter(source=store, source_key__in=[r.source_key for r in rows]).values_list(
        "source_key", flat=True))  # fmt: skip
    fresh = [row for row in rows if row.source_key not in existing]
    ProductSale.objects.bulk_create(fresh)
    livestream_results_save(
        user=manager,
        session=session,
        audience={
            "peak_viewers": round(viewers * (0.08 + 0.04 * _unit(item.pk, "peak"))),
            "viewers": viewers,
            "interactions": round(viewers * 0.21),
            "followers_gained": round(viewers * 0.011),
        },
        sales=sales,
        baseline=(start, end),
    )
    return len(fresh) + len(sales)
