"""Offline to online: each event's QR scans next to the followers its brands gained in the event's days.

Scans come from the tracking app's hourly rollups (``ScanHour``: bots left out, unique visitors per day summed);
followers gained from the day × brand rollups (``BrandDay``). An event's ``followers_gained`` typed in by hand
(before metrics existed) is the fallback: it is used only when no fact with a followers-gained figure exists for the
event's brands in its days, so a measured figure always wins over a remembered one.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum

from campaigns.tracking.models import OfflineEvent, ScanHour, TrackedLink

from .models import BrandDay, MetricFact


@dataclass
class WindowFollowers:
    """Followers gained by some brands over some days, from the rollups."""

    total: int = 0
    by_day: dict = field(default_factory=dict)  # date -> followers gained that day


def followers_in_window(brand_ids, start: datetime.date, end: datetime.date) -> WindowFollowers | None:
    """The followers ``brand_ids`` gained from ``start`` to ``end`` (days included); None when there is no fact with
    a followers-gained figure for them in those days (then nothing was measured, which is not the same as 0).

    Two queries on short windows: an indexed existence check on the facts (brand, date) and the rollup's days."""
    brand_ids = list(brand_ids)
    if not brand_ids or end < start:
        return None
    measured = MetricFact.objects.filter(
        brand_id__in=brand_ids, date__gte=start, date__lte=end, followers_gained__isnull=False
    ).exists()
    if not measured:
        return None
    rows = (
        BrandDay.objects.filter(brand_id__in=brand_ids, day__gte=start, day__lte=end)
        .values("day")
        .annotate(gained=Sum("followers_gained"))
        .order_by("day")
    )
    result = WindowFollowers()
    for row in rows:
        result.by_day[row["day"]] = row["gained"] or 0
        result.total += row["gained"] or 0
    return result


@dataclass
class EventRow:
    """One event of a campaign as the reader may see it."""

    event: OfflineEvent
    scans: int = 0
    uniques: int = 0
    followers: int | None = None  # measured (facts), else the hand-entered figure when the reader may see it
    measured: bool = False  # ``followers`` comes from metric facts

    @property
    def followers_per_visitor(self) -> float | None:
        """Followers gained per unique visitor who scanned: the event's conversion, roughly (other channels add
        followers in the same days too)."""
        if self.followers is None or not self.uniques:
            return None
        return self.followers / self.uniques


def campaign_events(user, campaign, brand_ids) -> list[EventRow]:
    """The campaign's events the reader may see, each with its scans (the reader's visible codes, bots left out) and
    its brands' followers gained in its days (the reader's brands only). Five queries, whatever the number of
    events: the events, their brands, the scans grouped by event, the measured brand-days, the rollups."""
    events = list(
        OfflineEvent.objects.visible_to(user)
        .filter(campaign=campaign)
        .prefetch_related("brands")
        .order_by("starts_on", "pk")
    )
    if not events:
        return []
    links = TrackedLink.objects.visible_to(user).filter(event__in=events)
    scans = {
        row["link__event"]: row
        for row in ScanHour.objects.filter(link__in=links, is_bot=False)
        .values("link__event")
        .annotate(scans=Sum("scans"), uniques=Sum("uniques"))
        .order_by()
    }
    wanted = {}
    for event in events:
        ids = {brand.pk for brand in event.brands.all()}
        wanted[event.pk] = ids if brand_ids is None else ids & set(brand_ids)
    every = set().union(*wanted.values())
    first, last = min(e.starts_on for e in events), max(e.ends_on for e in events)
    measured, gained = set(), {}
    if every:
        measured = set(
            MetricFact.objects.filter(
                brand_id__in=every, date__gte=first, date__lte=last, followers_gained__isnull=False
            )
            .values_list("brand_id", "date")
            .distinct()
        )
        gained = {
            (row["brand_id"], row["day"]): row["followers_gained"]
            for row in BrandDay.objects.filter(brand_id__in=every, day__gte=first, day__lte=last).values(
                "brand_id", "day", "followers_gained"
            )
        }
    rows = []
    for event in events:
        found = scans.get(event.pk, {})
        row = EventRow(event, scans=found.get("scans") or 0, uniques=found.get("uniques") or 0)
        brands = wanted[event.pk]
        if any(b in brands and event.starts_on <= d <= event.ends_on for b, d in measured):
            row.measured = True
            row.followers = sum(
                value for (b, d), value in gained.items() if b in brands and event.starts_on <= d <= event.ends_on
            )
        elif event.followers_gained is not None and (brand_ids is None or len(brands) == len(event.brands.all())):
            # Typed in for the whole event (all its brands together): shown to staff, and to a brand user only when
            # every brand of the event is theirs.
            row.followers = event.followers_gained
        rows.append(row)
    return rows
