"""Reads of the tracking pages: scan figures from the hourly rollups, never from the raw scans.

Each figure is one grouped query on ``ScanHour``, so a page costs the same few queries for ten scans or
ten million.
"""

import dataclasses
import datetime
import zoneinfo

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractHour, TruncDate

from .models import App, Device, OfflineEvent, Outcome, ScanHour, Source, TrackedLink

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclasses.dataclass
class Bar:
    label: str
    value: int

    share: float = 0.0  # of the largest bar, 0..1


def _bars(rows, labels=None) -> list[Bar]:
    bars = [Bar(label=str(labels.get(key, key) if labels else key) or "—", value=value) for key, value in rows]
    top = max((bar.value for bar in bars), default=0)
    for bar in bars:
        bar.share = bar.value / top if top else 0
    return bars


@dataclasses.dataclass
class ScanFigures:
    total: int
    uniques: int
    by_day: list[Bar]
    by_hour: list[Bar]
    by_app: list[Bar]
    by_device: list[Bar]
    by_os: list[Bar]
    by_source: list[Bar]
    by_outcome: list[Bar]
    by_venue: list[Bar]
    by_city: list[Bar]
    bots: int


def scan_figures(links, *, include_bots: bool = False, since=None, until=None) -> ScanFigures:
    """The figures of a set of links (a queryset): totals, uniques, and each breakdown, in China time."""
    hours = ScanHour.objects.filter(link__in=links)
    if since:
        hours = hours.filter(hour__gte=since)
    if until:
        hours = hours.filter(hour__lt=until)
    bots = hours.filter(is_bot=True).aggregate(n=Sum("scans"))["n"] or 0
    if not include_bots:
        hours = hours.filter(is_bot=False)

    def grouped(*fields, order="-n"):
        return [
            (row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields), row["n"])
            for row in hours.values(*fields).annotate(n=Sum("scans")).order_by(order)
        ]

    totals = hours.aggregate(n=Sum("scans"), u=Sum("uniques"))
    by_day = [
        (row["day"].isoformat(), row["n"])
        for row in hours.annotate(day=TruncDate("hour", tzinfo=CHINA))
        .values("day")
        .annotate(n=Sum("scans"))
        .order_by("day")
    ]
    hour_counts = dict(
        (row["h"], row["n"])
        for row in hours.annotate(h=ExtractHour("hour", tzinfo=CHINA)).values("h").annotate(n=Sum("scans"))
    )
    venues = [
        (row["link__venue"] or row["link__label"], row["n"])
        for row in hours.values("link__venue", "link__label").annotate(n=Sum("scans")).order_by("-n")[:10]
    ]
    return ScanFigures(
        total=totals["n"] or 0,
        uniques=totals["u"] or 0,
        by_day=_bars(by_day),
        by_hour=_bars([(f"{h:02d}", hour_counts.get(h, 0)) for h in range(24)]),
        by_app=_bars(grouped("app"), dict(App.choices)),
        by_device=_bars(grouped("device"), dict(Device.choices)),
        by_os=_bars(grouped("os")),
        by_source=_bars(grouped("source"), dict(Source.choices)),
        by_outcome=_bars(grouped("outcome"), dict(Outcome.choices)),
        by_venue=_bars(venues),
        by_city=_bars(grouped("link__city")[:10]),
        bots=bots,
    )


def links_with_counts(links):
    """Links with their scan totals (bots excluded) for tables."""
    human = Q(scan_hours__is_bot=False)
    return links.annotate(
        scan_total=Sum("scan_hours__scans", filter=human, default=0),
        unique_total=Sum("scan_hours__uniques", filter=human, default=0),
    )


def events_for_list(events):
    return events.annotate(link_count=Count("links", distinct=True)).order_by("-starts_on", "-pk")


def event_window(event: OfflineEvent) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(event.starts_on, datetime.time(), tzinfo=CHINA)
    end = datetime.datetime.combine(event.ends_on + datetime.timedelta(days=1), datetime.time(), tzinfo=CHINA)
    return start, end


# Functions ``(brand_ids, first_day, last_day) -> object | None`` that other apps register from their
# AppConfig.ready(): the followers the brands gained in those days, with ``total`` and ``by_day`` ({date: n}), or
# None when nothing was measured. The results app fills it from its metric facts, without tracking importing it.
FOLLOWER_SOURCES: list = []


def measured_followers(brand_ids, start: datetime.date, end: datetime.date):
    """The first source's measured followers for these brands and days (None: not measured, or no source)."""
    for source in FOLLOWER_SOURCES:
        found = source(brand_ids, start, end)
        if found is not None:
            return found
    return None


MAX_EVENT_DAYS = 62  # an event longer than two months shows its totals only, not a row a day


@dataclasses.dataclass
class EventDay:
    day: datetime.date
    scans: int
    followers: int | None  # None: not measured


def event_days(event: OfflineEvent, figures: ScanFigures, measured) -> list[EventDay]:
    """The event's days with their scans (China time, as ``figures`` counted them) and, when measured, the
    followers gained: offline and online side by side, day by day."""
    length = (event.ends_on - event.starts_on).days + 1
    if length > MAX_EVENT_DAYS or (not figures.total and measured is None):
        return []
    scans = {bar.label: bar.value for bar in figures.by_day}
    days = [event.starts_on + datetime.timedelta(days=n) for n in range(length)]
    by_day = measured.by_day if measured is not None else {}
    return [EventDay(d, scans.get(d.isoformat(), 0), by_day.get(d, 0) if measured is not None else None) for d in days]


def links_of(user, **filters):
    return TrackedLink.objects.visible_to(user).filter(**filters)


def calendar_entries(user, first: datetime.date, last: datetime.date, category: str = "", brand: str = ""):
    """The events the reader may see on each of their days, for the planning calendar (one query)."""
    from campaigns.selectors import CalendarEntry

    events = OfflineEvent.objects.visible_to(user).filter(starts_on__lte=last, ends_on__gte=first)
    if brand:
        events = events.filter(
            pk__in=OfflineEvent.brands.through.objects.filter(brand__slug=brand).values("offlineevent_id")
        )
    if category:
        events = events.filter(
            pk__in=OfflineEvent.brands.through.objects.filter(brand__category=category).values("offlineevent_id")
        )
    for event in events.only("pk", "title", "kind", "city", "starts_on", "ends_on").order_by("starts_on", "pk"):
        entry = CalendarEntry(label=f"{event.title} · {event.city}", url=event.get_absolute_url(), kind="event")
        day = max(event.starts_on, first)
        while day <= min(event.ends_on, last):
            yield day, entry
            day += datetime.timedelta(days=1)
