"""The brand's tracked codes and their scans, for the reports: from the tracking app's hourly rollups, bots left
out, in China days."""

import datetime

from django.db.models import Q, Sum

from campaigns.tracking.models import OfflineEvent, ScanHour, TrackedLink

from .text import CHINA


def brand_links(brand):
    """The brand's tracked links: those made for it, and the brand-less ones of the events it takes part in (the
    event's own codes). A link of a shared event made for another brand stays out, as on the tracking pages."""
    through = TrackedLink.brands.through.objects
    own = through.filter(brand=brand).values("trackedlink_id")
    events = OfflineEvent.brands.through.objects.filter(brand=brand).values("offlineevent_id")
    return TrackedLink.objects.filter(
        Q(pk__in=own) | (Q(event__in=events) & ~Q(pk__in=through.values("trackedlink_id")))
    )


def window(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=CHINA),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=CHINA),
    )


def scan_rows(brand, *, start=None, end=None, campaign=None) -> list[dict]:
    """The brand's events with the scans of its codes (bots left out), each event with its codes: in a period
    (China days; the events on those days are listed even without scans), or of one campaign's events and links.
    Three queries."""
    links = brand_links(brand)
    hours = ScanHour.objects.filter(is_bot=False)
    if campaign is not None:
        links = links.filter(Q(event__campaign=campaign) | Q(campaign=campaign))
    if start is not None:
        since, until = window(start, end)
        hours = hours.filter(hour__gte=since, hour__lt=until)
    counts = {
        row["link_id"]: (row["scans"], row["uniques"])
        for row in hours.filter(link__in=links).values("link_id").annotate(scans=Sum("scans"), uniques=Sum("uniques"))
    }
    shown = Q(pk__in=list(counts))
    if start is not None:
        events = OfflineEvent.objects.filter(brands=brand, starts_on__lte=end, ends_on__gte=start)
        shown |= Q(event__in=events)
    elif campaign is not None:
        shown |= Q(event__campaign=campaign)
    found = links.filter(shown).select_related("event").order_by("event__starts_on", "event_id", "label", "pk")
    groups: dict = {}
    for link in found:
        group = groups.setdefault(link.event_id, {"event": link.event, "links": [], "scans": 0, "uniques": 0})
        scans, uniques = counts.get(link.pk, (0, 0))
        group["links"].append((link, scans, uniques))
        group["scans"] += scans
        group["uniques"] += uniques
    return sorted(groups.values(), key=lambda g: (g["event"] is None, g["event"].starts_on if g["event"] else None))
