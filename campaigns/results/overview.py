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
from .metrics import METRIC_NAMES
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


class HubDays:
    """The whole hub's figures per day and brand category over a range, read in one query (at most 3 rows a day):
    what the dashboard's totals, its charts by category and its festival windows are all made of, instead of one
    pass over every brand's days for each of them."""

    def __init__(self, start: datetime.date, end: datetime.date, names=METRIC_NAMES):
        self.start, self.end = start, end
        self.names = ("facts", *names)
        rows = (
            BrandDay.objects.filter(day__gte=start, day__lte=end)
            .values("day", "brand__category")
            .annotate(**{name: Sum(name) for name in self.names})
            .order_by("day")
        )
        self.rows = list(rows)
        self.days: dict[datetime.date, dict] = {}  # the hub's sums per day, categories together
        for row in self.rows:
            found = self.days.setdefault(row["day"], {})
            for name in self.names:
                found[name] = found.get(name, 0) + (row[name] or 0)

    def _covers(self, start, end) -> None:
        if start < self.start or end > self.end:
            raise ValueError(f"{start}..{end} is outside the days read ({self.start}..{self.end})")

    def totals(self, start: datetime.date, end: datetime.date) -> Totals:
        """As ``selectors.period_totals(None, start, end)``: flows summed, followers the level of the last day with a
        followers figure."""
        self._covers(start, end)
        values, level = {}, 0
        for day in sorted(d for d in self.days if start <= d <= end):
            found = self.days[day]
            for name in self.names:
                values[name] = values.get(name, 0) + found[name]
            if found.get("followers_total", 0) > 0:
                level = found["followers_total"]
        totals = Totals.of(values)
        totals.followers_total = level
        return totals

    def by_category(self, start: datetime.date, end: datetime.date, step: str, name: str) -> dict[str, dict]:
        """``{category: {period: value}}``: a flow summed over each period's days; ``followers_total`` each period's
        level (the category's followers on its last day with a figure, as ``selectors.series`` counts a brand's)."""
        self._covers(start, end)
        found: dict[str, dict] = {}
        for row in self.rows:  # in day order: for a level, the period's last day wins
            if not start <= row["day"] <= end:
                continue
            periods = found.setdefault(row["brand__category"], {})
            period = _period_start(row["day"], step)
            value = row[name] or 0
            if name == "followers_total":
                if value > 0:
                    periods[period] = value
            else:
                periods[period] = periods.get(period, 0) + value
        return {category: periods for category, periods in found.items() if periods}


class HubPerDay:
    """The whole hub's sums of a few figures per day over a range, in one query (no join): the festivals' windows
    of two years are 730 rows."""

    def __init__(self, start: datetime.date, end: datetime.date, names):
        self.start, self.end, self.names = start, end, tuple(names)
        self.days = {
            row.pop("day"): row
            for row in BrandDay.objects.filter(day__gte=start, day__lte=end)
            .values("day")
            .annotate(**{name: Sum(name) for name in self.names})
        }

    def sums(self, start: datetime.date, end: datetime.date) -> dict:
        if start < self.start or end > self.end:
            raise ValueError(f"{start}..{end} is outside the days read ({self.start}..{self.end})")
        found = dict.fromkeys(self.names, 0)
        for day, values in self.days.items():
            if start <= day <= end:
                for name in self.names:
                    found[name] += values[name] or 0
        return found


def brand_rankings(start: datetime.date, end: datetime.date, names, count: int = 5) -> dict[str, tuple]:
    """``{figure: (top, bottom)}`` as ``selectors.brand_ranking`` gives one figure's, for several figures from one
    pass over the brands' days (and one read of the brands named)."""
    rows = list(
        BrandDay.objects.filter(day__gte=start, day__lte=end)
        .values("brand_id")
        .annotate(facts=Sum("facts"), **{name: Sum(name) for name in names})
        .filter(facts__gt=0)
    )
    ranked = {name: sorted(rows, key=lambda row, n=name: (-(row[n] or 0), row["brand_id"])) for name in names}
    wanted = {row["brand_id"] for found in ranked.values() for row in found[:count] + found[-count:]}
    brands = Brand.objects.in_bulk(wanted)
    result = {}
    for name, found in ranked.items():
        top = [(brands[row["brand_id"]], row[name] or 0) for row in found[:count]]
        bottom = (
            [(brands[row["brand_id"]], row[name] or 0) for row in reversed(found[-count:])]
            if len(found) > count
            else []
        )
        result[name] = (top, bottom)
    return result


@dataclass
class FestivalWindow:
    """A festival of the year with the hub's figures in its window, against the same days of its window the year
    before (for a window still running: as many days as have passed)."""

    occurrence: object  # campaigns.calendar.Occurrence
    start: datetime.date
    end: datetime.date
    this: dict
    before: dict | None  # None: the festival had no window the year before


def festival_spans(year: int, today: datetime.date) -> list[tuple]:
    """(occurrence, its window so far, the same days of its window the year before or None) for each festival of
    ``year`` whose window has begun: one query (the festivals)."""
    from campaigns.calendar import CalendarError, occurrences
    from campaigns.models import Festival

    specs = Festival.objects.specs()
    try:
        current = [o for o in occurrences(year, specs) if o.window_start <= today]
        previous = {o.key: o for o in occurrences(year - 1, specs)}
    except CalendarError:
        return []
    spans = []
    for occurrence in current:
        end = min(occurrence.window_end, today)
        then = previous.get(occurrence.key)
        before = None
        if then is not None:
            before = (then.window_start, min(then.window_end, then.window_start + (end - occurrence.window_start)))
        spans.append((occurrence, (occurrence.window_start, end), before))
    return spans


def festival_windows(spans: list[tuple], names=("impressions", "followers_gained")) -> list:
    """The festivals' windows with the whole hub's figures in them, this year and the year before (one query, or
    none without festivals); festivals without a figure in either year are left out.

    Windows, not campaigns: a festival year's campaigns have ~700,000 rollup rows at the §7 scale (their items go
    on being counted after the festival), 0.6 s to add up on the benchmark machine for each year, while the hub's
    figures per day are 730 rows. Each campaign's results against its targets are on its page."""
    days = span_of(spans)
    if days is None:
        return []
    hub = HubPerDay(*days, names)
    found = [
        FestivalWindow(o, this[0], this[1], hub.sums(*this), hub.sums(*before) if before else None)
        for o, this, before in spans
    ]
    return [w for w in found if any(w.this.values()) or (w.before and any(w.before.values()))]


def span_of(spans: list[tuple]) -> tuple[datetime.date, datetime.date] | None:
    days = [day for _o, this, before in spans for span in (this, before) if span for day in span]
    return (min(days), max(days)) if days else None


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
