"""What the brand portal and the agency dashboard read, on top of ``selectors``: a fixed number of queries per page
whatever the data, from the rollups (``BrandDay``, ``MetricRollup``) and the scans' hourly rollup (``ScanHour``).

Every read for a brand user is narrowed to one brand they may see before anything is summed: on a campaign or an
event shared with another brand, the other brand's rows never enter a total.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import TruncDate

from brands.models import Brand
from campaigns.choices import CampaignStatus
from campaigns.models import Campaign, ContentItem
from campaigns.tracking.models import OfflineEvent, ScanHour, TrackedLink

from . import selectors
from .models import BrandDay, MetricImport, MetricRollup
from .selectors import Totals

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def data_years(brand_ids) -> tuple[int, int] | None:
    """The first and the last year with figures of these brands (None: every brand); None without any."""
    days = BrandDay.objects.all() if brand_ids is None else BrandDay.objects.filter(brand_id__in=brand_ids)
    found = days.aggregate(first=Min("day"), last=Max("day"))
    return (found["first"].year, found["last"].year) if found["first"] else None


# --- a brand's campaigns ------------------------------------------------------------------------------------------


@dataclass
class CampaignRow:
    campaign: Campaign
    totals: Totals


def brand_campaigns(user, brand: Brand, start: datetime.date, end: datetime.date, limit: int = 50) -> list:
    """The campaigns of the period the brand takes part in (and the reader may see), latest first, each with the
    brand's own totals (all its days, not only the period's: a campaign's result is the whole campaign)."""
    campaigns = list(
        Campaign.objects.visible_to(user)
        .filter(campaign_brands__brand=brand, starts_on__lte=end, ends_on__gte=start)
        .exclude(status=CampaignStatus.CANCELLED)
        .select_related("festival")
        .order_by("-starts_on", "-pk")[:limit]
    )
    totals = selectors.campaigns_results(campaigns, [brand.pk])
    return [CampaignRow(c, totals.get(c.pk, Totals())) for c in campaigns]


def campaign_of_brand(user, brand: Brand, pk: int) -> Campaign | None:
    """The campaign, if the reader may see it and the brand takes part in it."""
    return (
        Campaign.objects.visible_to(user).filter(pk=pk, campaign_brands__brand=brand).select_related("festival").first()
    )


@dataclass
class ItemRow:
    item: ContentItem
    totals: Totals


def campaign_items(user, brand: Brand, campaign: Campaign) -> list[ItemRow]:
    """The campaign's items featuring the brand that the reader may see (a brand user: reviewed items only), with
    the brand's own figures for each."""
    items = list(
        ContentItem.objects.visible_to(user)
        .filter(campaign=campaign, brands=brand)
        .only("pk", "campaign_id", "channel", "status", "scheduled_at", "title_it", "title_en", "title_zh_hans")
        .order_by("scheduled_at", "pk")
    )
    found = selectors.item_results(campaign, [brand.pk])
    return [ItemRow(item, found.get(item.pk, Totals())) for item in items]


def campaign_days(campaign: Campaign, brand: Brand) -> list[tuple[datetime.date, dict]]:
    """The brand's figures per day of the campaign: one grouped query over the campaign's rollups."""
    rows = (
        MetricRollup.objects.filter(campaign_key=campaign.pk, brand=brand)
        .values("day")
        .annotate(**{name: Sum(name) for name in ("impressions", "interactions", "clicks", "followers_gained")})
        .order_by("day")
    )
    return [(row.pop("day"), row) for row in rows]


# --- a brand's events and their scans -----------------------------------------------------------------------------


@dataclass
class EventRow:
    event: OfflineEvent
    scans: int = 0
    uniques: int = 0


@dataclass
class EventScans:
    days: list = field(default_factory=list)  # (date, scans, unique visitors), China days with scans
    events: list = field(default_factory=list)  # EventRow, latest first
    scans: int = 0
    uniques: int = 0


def brand_links(user, brand: Brand):
    """The codes whose scans count for the brand: those made for it, and those made for no brand of its events
    (an event's entrance code). A code of a shared event made for another brand stays out."""
    through = TrackedLink.brands.through.objects
    own = through.filter(brand=brand).values("trackedlink_id")
    unbranded = Q(event__in=brand.offline_events.all()) & ~Q(pk__in=through.values("trackedlink_id"))
    return TrackedLink.objects.visible_to(user).filter(Q(pk__in=own) | unbranded)


def event_scans(user, brand: Brand, start: datetime.date, end: datetime.date, limit: int = 20) -> EventScans:
    """Scans (bots left out) and unique visitors of the brand's codes per China day in the period, and per event:
    three queries whatever the number of events, codes and scans."""
    since = datetime.datetime.combine(start, datetime.time(), tzinfo=CHINA)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=CHINA)
    hours = ScanHour.objects.filter(link__in=brand_links(user, brand), is_bot=False, hour__gte=since, hour__lt=until)
    result = EventScans()
    for row in (
        hours.annotate(day=TruncDate("hour", tzinfo=CHINA))
        .values("day")
        .annotate(scans=Sum("scans"), uniques=Sum("uniques"))
        .order_by("day")
    ):
        result.days.append((row["day"], row["scans"], row["uniques"]))
        result.scans += row["scans"]
        result.uniques += row["uniques"]
    per_event = {
        row["link__event"]: (row["scans"], row["uniques"])
        for row in hours.values("link__event").annotate(scans=Sum("scans"), uniques=Sum("uniques"))
    }
    events = (
        OfflineEvent.objects.visible_to(user)
        .filter(brands=brand)
        .filter(Q(pk__in=[pk for pk in per_event if pk]) | Q(starts_on__lte=end, ends_on__gte=start))
        .only("pk", "title", "kind", "city", "venue", "starts_on", "ends_on")
        .order_by("-starts_on", "-pk")[:limit]
    )
    for event in events:
        scans, uniques = per_event.get(event.pk, (0, 0))
        result.events.append(EventRow(event, scans, uniques))
    return result


# --- the whole hub (agency staff) ---------------------------------------------------------------------------------


def _period_start(day: datetime.date, step: str) -> datetime.date:
    return selectors._period_of(day, step)


def periods_between(start: datetime.date, end: datetime.date, step: str) -> list[datetime.date]:
    """Every period's first day from ``start`` to ``end``, so a chart has a point (maybe empty) for each."""
    found, day = [], _period_start(start, step)
    while day <= end:
        found.append(day)
        if step == "day":
            day += datetime.timedelta(days=1)
        elif step == "week":
            day += datetime.timedelta(days=7)
        else:
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return found


def followers_by_category(start: datetime.date, end: datetime.date, step: str) -> dict[str, dict]:
    """``{category: {period: followers}}``: each period's level is the accounts' followers on its last day with a
    figure (as ``selectors.series`` counts a brand's). One query: followers per day and category."""
    rows = (
        BrandDay.objects.filter(day__gte=start, day__lte=end, followers_total__gt=0)
        .values("day", "brand__category")
        .annotate(level=Sum("followers_total"))
        .order_by("day")
    )
    found: dict[str, dict] = {}
    for row in rows:  # in day order: the period's last day wins
        found.setdefault(row["brand__category"], {})[_period_start(row["day"], step)] = row["level"]
    return found


def flows_by_category(start: datetime.date, end: datetime.date, step: str, name: str) -> dict[str, dict]:
    """``{category: {period: sum}}`` of one figure that adds up over days (impressions, followers gained ...)."""
    periods, values = selectors.series_by_category(start, end, step=step, name=name)
    return {category: dict(zip(periods, found, strict=True)) for category, found in values.items()}


@dataclass
class FestivalWindow:
    """A festival of the year with the hub's figures in its window, against the same days of its window the year
    before (for a window still running: as many days as have passed)."""

    occurrence: object  # campaigns.calendar.Occurrence
    start: datetime.date
    end: datetime.date
    this: dict
    before: dict | None  # None: the festival had no window the year before


def festival_windows(year: int, today: datetime.date, names=("impressions", "followers_gained")) -> list:
    """The festivals of ``year`` whose window has begun, with the whole hub's figures in their windows then and a
    year earlier: two queries (the festivals, the hub's figures per day of the two years), whatever the data.

    Windows, not campaigns: a festival year's campaigns have ~700,000 rollup rows at the §7 scale (their items go
    on being counted after the festival), 600 ms to sum on the benchmark machine for each year; the hub's figures
    per day are 730 rows. Campaign by campaign results against targets are on the campaign pages."""
    from campaigns.calendar import CalendarError, occurrences
    from campaigns.models import Festival

    specs = Festival.objects.specs()
    try:
        current = [o for o in occurrences(year, specs) if o.window_start <= today]
        previous = {o.key: o for o in occurrences(year - 1, specs)}
    except CalendarError:
        return []
    if not current:
        return []
    spans = []
    for occurrence in current:
        end = min(occurrence.window_end, today)
        then = previous.get(occurrence.key)
        before = None
        if then is not None:
            before = (then.window_start, min(then.window_end, then.window_start + (end - occurrence.window_start)))
        spans.append((occurrence, (occurrence.window_start, end), before))
    first = min(min(s[1][0], s[2][0] if s[2] else s[1][0]) for s in spans)
    last = max(s[1][1] for s in spans)
    per_day = {
        row.pop("day"): row
        for row in BrandDay.objects.filter(day__gte=first, day__lte=last)
        .values("day")
        .annotate(**{name: Sum(name) for name in names})
    }

    def total(span):
        if span is None:
            return None
        found = dict.fromkeys(names, 0)
        day = span[0]
        while day <= span[1]:
            for name in names:
                found[name] += (per_day.get(day) or {}).get(name) or 0
            day += datetime.timedelta(days=1)
        return found

    found = [FestivalWindow(o, this[0], this[1], total(this), total(before)) for o, this, before in spans]
    return [w for w in found if any(w.this.values()) or (w.before and any(w.before.values()))]  # figures only


def latest_imports(limit: int = 8) -> list[MetricImport]:
    return list(MetricImport.objects.select_related("source", "created_by").order_by("-created_at", "-pk")[:limit])


# --- the brand user's home page -----------------------------------------------------------------------------------


def home_today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate(timezone=CHINA)


def home_summary(user) -> dict | None:
    """This month against the same days of last month, for all the user's brands together (three queries); None
    for a user without brands."""
    from .charts import comparison_rows

    brand_ids = selectors.visible_brand_ids(user)
    if not brand_ids:
        return None
    comparison = selectors.month_comparison(brand_ids, home_today())
    names = ("followers_total", "impressions", "interactions")
    return {"comparison": comparison, "rows": comparison_rows(comparison.this, comparison.last_same_days, names)}
