"""Reads behind the calendar pages and lists, each in a fixed number of queries."""

import calendar as pycalendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from brands.models import Brand

from .calendar import CalendarError, Occurrence, check_year, occurrences
from .choices import ContentStatus
from .models import Campaign, CampaignBrand, ContentItem, Festival
from .planner import (
    CHINA,
    MAX_ITEMS_PER_DAY,
    MAX_ITEMS_PER_HOUR,
    CellRenderer,
    Week,
    bucket,
    day_label,
    label_campaigns,
    shown_items,
    week_bars,
)


def festival_occurrences(year: int, category: str = "") -> list[Occurrence]:
    """The active festivals of ``year`` (offset festivals resolved against every festival)."""
    check_year(year)
    festivals = list(Festival.objects.select_related("anchor"))
    active = {f.key for f in festivals if f.is_active}
    result = [o for o in occurrences(year, [f.spec() for f in festivals]) if o.key in active]
    return [o for o in result if not category or category in o.spec.categories]


def _campaign_filter(queryset, category: str, brand: str):
    if category:
        queryset = queryset.filter(Q(category=category) | Q(category=""))
    if brand:
        queryset = queryset.filter(campaign_brands__brand__slug=brand)
    return queryset


def campaigns_between(user, start: datetime.date, end: datetime.date, category: str = "", brand: str = ""):
    queryset = Campaign.objects.visible_to(user).filter(starts_on__lte=end, ends_on__gte=start)
    return _campaign_filter(queryset, category, brand).select_related("festival").order_by("starts_on", "title")


def _calendar_campaigns(user, start: datetime.date, end: datetime.date, category: str = "", brand: str = ""):
    """What the month and week pages show of their campaigns: title, dates and status."""
    fields = ("id", "title", "starts_on", "ends_on", "status")
    return campaigns_between(user, start, end, category, brand).select_related(None).only(*fields)


def items_between(user, start: datetime.datetime, end: datetime.datetime, category: str = "", brand: str = ""):
    queryset = ContentItem.objects.visible_to(user).filter(scheduled_at__gte=start, scheduled_at__lt=end)
    if category:
        queryset = queryset.filter(Q(campaign__category=category) | Q(campaign__category=""))
    if brand:
        queryset = queryset.filter(brands__slug=brand)
    return queryset.select_related("campaign").order_by("scheduled_at")


@dataclass
class Day:
    """A day of a calendar page. ``items`` and ``due`` are what its cell shows (the first ``MAX_ITEMS_PER_DAY``);
    ``more_items`` and ``more_due`` count the rest; ``all_items`` and ``all_due`` are filled for the day whose full
    list is open."""

    date: datetime.date
    in_month: bool
    festivals: list = field(default_factory=list)
    windows: list = field(default_factory=list)
    items: list = field(default_factory=list)
    due: list = field(default_factory=list)
    entries: list = field(default_factory=list)  # from other apps' calendar sources (offline events ...)
    item_ids: list = field(default_factory=list)
    due_keys: list = field(default_factory=list)  # ("festival", occurrence) or ("item", id, late)
    more_items: int = 0
    more_due: int = 0
    all_items: list = field(default_factory=list)
    all_due: list = field(default_factory=list)
    label: str = ""
    hour_ids: dict = field(default_factory=dict)  # the week view: item ids by hour
    festivals_html: str = ""  # festival days and windows, written by ``planner.CellRenderer``
    items_html: str = ""  # the chips of ``items`` and ``due``
    due_html: str = ""
    all_items_html: str = ""
    all_due_html: str = ""

    @property
    def is_empty(self) -> bool:
        """Nothing but windows on this day: the phone's agenda leaves it out."""
        return not (self.festivals or self.item_ids or self.due_keys or self.entries)


@dataclass(frozen=True)
class CalendarEntry:
    """Something another app puts on the calendar: a label, a link and a CSS class."""

    label: str
    url: str
    kind: str


# Functions ``(user, first, last, category, brand) -> iterable of (date, CalendarEntry)`` that apps register
# from their AppConfig.ready(): the tracking app adds offline events without campaigns importing it.
CALENDAR_SOURCES: list = []


@dataclass
class MonthCalendar:
    year: int
    month: int
    weeks: list[Week]
    campaigns: list
    festivals: list[Occurrence]
    overdue_count: int
    render: CellRenderer | None = None  # writes the day cells (``campaign_tags.day_cell``)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first + datetime.timedelta(days=32)).replace(day=1)


def _festival_days(days: dict, first: datetime.date, last: datetime.date, category: str) -> list[Occurrence]:
    """Put the festivals of the years these days touch on their days, windows and content deadlines."""
    festivals = []
    for y in sorted({first.year, last.year}):
        try:
            festivals.extend(festival_occurrences(y, category))
        except CalendarError:
            continue
    for occurrence in festivals:
        for offset in range((occurrence.end_date - occurrence.date).days + 1):
            day = days.get(occurrence.date + datetime.timedelta(days=offset))
            if day:
                day.festivals.append(occurrence)
        if occurrence.content_due in days:
            days[occurrence.content_due].due_keys.append(("festival", occurrence))
        current = max(occurrence.window_start, first)
        while current <= min(occurrence.window_end, last):
            if not occurrence.date <= current <= occurrence.end_date:
                days[current].windows.append(occurrence)
            current += datetime.timedelta(days=1)
    return festivals


def _due_items(user, first: datetime.date, last: datetime.date, category: str, brand: str):
    """Material due in these days, of items not yet out or cancelled."""
    due_items = (
        ContentItem.objects.visible_to(user)
        .filter(due_on__range=(first, last))
        .exclude(status__in=[ContentStatus.PUBLISHED, ContentStatus.CANCELLED])
    )
    if category:
        due_items = due_items.filter(Q(campaign__category=category) | Q(campaign__category=""))
    if brand:
        due_items = due_items.filter(brands__slug=brand)
    return due_items


def _place_items(user, days: dict, first, last, zone, category, brand, hours: bool = False) -> int:
    """Put the ids of the items (on their day in ``zone``) and of the material deadlines on the days: plain rows
    placed by ``planner.bucket``, no model objects. With ``hours``, each day also gets ``hour_ids``: the ids by
    hour of the day (the week view).

    Returns how many items' material is overdue.
    """
    dates = [first + datetime.timedelta(days=i) for i in range((last - first).days + 2)]
    step = 24 if hours else 1
    bounds = [datetime.datetime.combine(d, datetime.time(h), tzinfo=zone) for d in dates[:-1] for h in range(step)] + [
        datetime.datetime.combine(dates[-1], datetime.time(), tzinfo=zone)
    ]
    placed = items_between(user, bounds[0], bounds[-1], category, brand).select_related(None)
    for index, pk in bucket(placed.order_by("scheduled_at", "pk"), "scheduled_at", "pk", bounds=bounds):
        day = days[dates[index // step]]
        day.item_ids.append(pk)
        if hours:
            day.hour_ids.setdefault(index % step, []).append(pk)
    today = timezone.localdate()
    open_statuses = (ContentStatus.DRAFT, ContentStatus.IN_REVIEW)
    overdue = 0
    due = _due_items(user, first, last, category, brand).order_by("due_on", "pk")
    for index, pk, status in bucket(due, "due_on", "pk", "status", bounds=dates):
        late = dates[index] < today and status in open_statuses
        overdue += late
        days[dates[index]].due_keys.append(("item", pk, late))
    return overdue


def _entries(keys, found):
    return [key if key[0] == "festival" else ("item", found[key[1]], key[2]) for key in keys
            if key[0] == "festival" or key[1] in found]  # fmt: skip


def _fill_cells(days, selected, render: CellRenderer, limit: int) -> None:
    """Give each day the items and deadlines its cell shows (and the selected day all of them): one read."""
    wanted = set()
    for day in days:
        wanted.update(day.item_ids[:limit])
        wanted.update(key[1] for key in day.due_keys[:limit] if key[0] == "item")
    if selected is not None:
        wanted.update(selected.item_ids)
        wanted.update(key[1] for key in selected.due_keys if key[0] == "item")
    found = shown_items(wanted)
    for day in days:
        day.festivals_html = render.festivals(day)
        day.items = [found[pk] for pk in day.item_ids[:limit] if pk in found]
        day.items_html = render.items(day.items)
        day.more_items = max(len(day.item_ids) - limit, 0)
        day.due = _entries(day.due_keys[:limit], found)
        day.due_html = render.due(day.due)
        day.more_due = max(len(day.due_keys) - limit, 0)
    if selected is not None:
        selected.all_items = [found[pk] for pk in selected.item_ids if pk in found]
        selected.all_items_html = render.items(selected.all_items, drag=False)
        selected.all_due = _entries(selected.due_keys, found)
        selected.all_due_html = render.due(selected.all_due, full=True)


def _add_sources(user, days: dict, first, last, category, brand) -> None:
    for source in CALENDAR_SOURCES:
        for date, entry in source(user, first, last, category, brand):
            if date in days:
                days[date].entries.append(entry)


def month_calendar(
    user,
    year: int,
    month: int,
    category: str = "",
    brand: str = "",
    selected: datetime.date | None = None,
    limit: int = MAX_ITEMS_PER_DAY,
) -> MonthCalendar:
    """Weeks of days (Monday first) with festival days, festival windows, campaign bars, items at their local hour
    and deadlines; ``selected``, a day of the page, gets its full lists.

    Items are placed on the day of their local time (the user's zone: China time for staff by default). A cell
    shows the first ``limit`` items and deadlines and counts the rest.
    """
    if not 1 <= month <= 12:
        raise CalendarError(f"There is no month {month}.")
    weeks_dates = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks_dates[0][0], weeks_dates[-1][-1]
    days = {d: Day(d, d.month == month) for week in weeks_dates for d in week}
    festivals = _festival_days(days, first, last, category)
    zone = timezone.get_current_timezone()
    overdue = _place_items(user, days, first, last, zone, category, brand)
    render = CellRenderer(zone, movable=user.is_agency_staff)
    _fill_cells(days.values(), days.get(selected), render, limit)
    _add_sources(user, days, first, last, category, brand)
    campaigns = list(_calendar_campaigns(user, first, last, category, brand))
    label_campaigns(campaigns)
    weeks = [Week([days[d] for d in week], *week_bars(campaigns, week[0])) for week in weeks_dates]
    return MonthCalendar(
        year=year,
        month=month,
        weeks=weeks,
        campaigns=campaigns,
        festivals=[o for o in festivals if o.window_start <= last and o.window_end >= first],
        overdue_count=overdue,
        render=render,
    )


@dataclass
class Slot:
    """An hour of a day in the week view: the items it shows and how many more there are."""

    date: datetime.date
    hour: int
    label: str
    items: list = field(default_factory=list)
    items_html: str = ""
    more: int = 0


@dataclass
class WeekCalendar:
    """An ISO week in China time: festivals, windows and deadlines per day, then 24 hours of items."""

    year: int
    week: int
    days: list[Day]
    hours: list[tuple[str, list[Slot]]]
    campaigns: list
    bars: list
    hidden: int
    overdue_count: int

    @property
    def monday(self) -> datetime.date:
        return self.days[0].date

    @property
    def sunday(self) -> datetime.date:
        return self.days[-1].date

    @property
    def previous(self) -> tuple[int, int]:
        return tuple((self.monday - datetime.timedelta(days=7)).isocalendar())[:2]

    @property
    def next(self) -> tuple[int, int]:
        return tuple((self.monday + datetime.timedelta(days=7)).isocalendar())[:2]


def week_calendar(user, year: int, week: int, category: str = "", brand: str = "", limit: int = MAX_ITEMS_PER_HOUR):
    """The ISO week ``week`` of ``year`` with every item at its hour in China time (whatever the reader's own
    zone: content goes out at China hours), the festivals, windows and deadlines of each day on top."""
    check_year(year)
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise CalendarError(f"There is no week {week} in {year}.") from exc
    dates = [monday + datetime.timedelta(days=i) for i in range(7)]
    days = {d: Day(d, True) for d in dates}
    _festival_days(days, dates[0], dates[-1], category)
    overdue = _place_items(user, days, dates[0], dates[-1], CHINA, category, brand, hours=True)
    wanted = set()
    for day in days.values():
        day.label = day_label(day.date)
        for ids in day.hour_ids.values():
            wanted.update(ids[:limit])
        wanted.update(key[1] for key in day.due_keys[:MAX_ITEMS_PER_DAY] if key[0] == "item")
    found = shown_items(wanted)
    render = CellRenderer(CHINA, movable=user.is_agency_staff)
    hours = []
    for hour in range(24):
        slots = []
        for day in days.values():
            ids = day.hour_ids.get(hour, [])
            slot = Slot(day.date, hour, day.label, [found[pk] for pk in ids[:limit] if pk in found])
            slot.items_html, slot.more = render.items(slot.items), max(len(ids) - limit, 0)
            slots.append(slot)
        hours.append((f"{hour:02d}:00", slots))
    for day in days.values():
        day.festivals_html = render.festivals(day)
        day.due = _entries(day.due_keys[:MAX_ITEMS_PER_DAY], found)
        day.due_html = render.due(day.due)
        day.more_due = max(len(day.due_keys) - MAX_ITEMS_PER_DAY, 0)
    _add_sources(user, days, dates[0], dates[-1], category, brand)
    campaigns = list(_calendar_campaigns(user, dates[0], dates[-1], category, brand))
    label_campaigns(campaigns)
    bars, hidden = week_bars(campaigns, monday)
    return WeekCalendar(
        year=year,
        week=week,
        days=[days[d] for d in dates],
        hours=hours,
        campaigns=campaigns,
        bars=bars,
        hidden=hidden,
        overdue_count=overdue,
    )


# --- what each reader sees of a campaign ------------------------------------------------------------
# One rule per page, for staff and brand users alike: the brands shown are the reader's visible brands
# (a brand user on a campaign shared with other brands sees only their own), the items are the reader's
# visible items (for a brand user: reviewed items featuring their brand), and counts count only those.


def _visible_brands(user):
    return Brand.objects.visible_to(user).order_by("name_it")


def _count(queryset) -> Subquery:
    return Coalesce(Subquery(queryset.order_by().values("campaign").annotate(n=Count("pk")).values("n")[:1]), 0)


def campaign_list(queryset, user):
    """Campaigns with the number of brands and items the reader may see in each."""
    brands = CampaignBrand.objects.filter(campaign=OuterRef("pk"), brand__in=Brand.objects.visible_to(user))
    items = ContentItem.objects.visible_to(user).filter(campaign=OuterRef("pk"))
    # Meta.ordering is not applied to aggregate queries: order explicitly, for stable pages.
    return (
        queryset.select_related("festival", "owner")
        .annotate(brand_count=_count(brands), item_count=_count(items))
        .order_by("-starts_on", "title", "pk")
    )


def campaigns_for_page(queryset, user):
    """A campaign page's campaign, its brands limited to the reader's."""
    return queryset.select_related("festival", "owner").prefetch_related(
        Prefetch("brands", queryset=_visible_brands(user))
    )


def campaign_items(campaign: Campaign, user):
    """The campaign's items the reader may see, each with the reader's brands only."""
    return (
        ContentItem.objects.visible_to(user)
        .filter(campaign=campaign)
        .prefetch_related(Prefetch("brands", queryset=_visible_brands(user)))
    )


@dataclass
class ItemColumn:
    """A column another app adds to a campaign's content table: a header and each item's cell (safe HTML)."""

    header: str
    cells: dict = field(default_factory=dict)  # item id -> safe HTML ("" for an item without a value)


@dataclass
class Panel:
    """A part of a campaign's or an item's page drawn by another app: ``template`` is included with ``panel`` set
    to ``context``; ``actions`` are links for the page head ((label, url) pairs); ``columns`` are ``ItemColumn``s
    for the campaign's content table."""

    template: str = ""
    context: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)
    columns: list = field(default_factory=list)


# Functions ``(user, campaign, items) -> Panel | None`` that nested apps register from their AppConfig.ready(), like
# CALENDAR_SOURCES: the results app adds a campaign's results to its page without campaigns importing it. ``items``
# are the campaign's items the reader may see, as the page lists them.
CAMPAIGN_PANELS: list = []
# Functions ``(user, item) -> Panel | None``: the same on a content item's page.
ITEM_PANELS: list = []


def campaign_panels(user, campaign: Campaign, items: list) -> list[Panel]:
    return [panel for hook in CAMPAIGN_PANELS if (panel := hook(user, campaign, items)) is not None]


def item_panels(user, item: ContentItem) -> list[Panel]:
    return [panel for hook in ITEM_PANELS if (panel := hook(user, item)) is not None]


def items_for_page(queryset, user):
    """An item page's item: the reader's brands only; its review history for staff."""
    queryset = queryset.select_related(
        "campaign__festival", "author", "approved_by", "kol", "livestream"
    ).prefetch_related(Prefetch("brands", queryset=_visible_brands(user)), "creatives__image")
    if user.is_agency_staff:
        queryset = queryset.prefetch_related("transitions__user")
    return queryset


def todo(user, today: datetime.date):
    """A staff member's to-do: material past due and not approved, items waiting for review, own drafts."""
    items = ContentItem.objects.visible_to(user).select_related("campaign")
    open_statuses = [ContentStatus.DRAFT, ContentStatus.IN_REVIEW]
    return {
        "overdue": list(items.filter(due_on__lt=today, status__in=open_statuses).order_by("due_on")[:200]),
        "due_soon": list(
            items.filter(
                due_on__gte=today, due_on__lte=today + datetime.timedelta(days=14), status__in=open_statuses
            ).order_by("due_on")[:200]
        ),
        "in_review": list(items.filter(status=ContentStatus.IN_REVIEW).order_by("scheduled_at")[:200]),
        "my_drafts": list(items.filter(status=ContentStatus.DRAFT, author=user).order_by("scheduled_at")[:200]),
    }


LABEL_WIDTH, ROW_HEIGHT, TOP = 150, 18, 22


def year_bands(year: int, occurrences_: list[Occurrence], campaigns) -> dict:
    """SVG geometry of the year view (one unit per day, a row per festival and per campaign).

    Positions are computed here because the page's Content-Security-Policy forbids inline styles, and SVG
    attributes are the clean way to place bars.
    """
    start = datetime.date(year, 1, 1)
    length = 366 if pycalendar.isleap(year) else 365

    def span(a: datetime.date, b: datetime.date):
        x0 = max((a - start).days, 0)
        x1 = min((b - start).days + 1, length)
        return {"x": LABEL_WIDTH + x0, "width": max(x1 - x0, 1)} if x1 > 0 and x0 < length else None

    rows, y = [], TOP
    for occurrence in occurrences_:
        window = span(occurrence.window_start, occurrence.window_end)
        if window:
            rows.append({"kind": "festival", "occurrence": occurrence, "y": y, "window": window,
                         "day": span(occurrence.date, occurrence.end_date)})  # fmt: skip
            y += ROW_HEIGHT
    y += ROW_HEIGHT // 2
    for campaign in campaigns:
        bar = span(campaign.starts_on, campaign.ends_on)
        if bar:
            rows.append({"kind": "campaign", "campaign": campaign, "y": y, "bar": bar})
            y += ROW_HEIGHT
    months = [
        {"x": LABEL_WIDTH + (datetime.date(year, m, 1) - start).days, "number": m, "date": datetime.date(year, m, 1)}
        for m in range(1, 13)
    ]
    today = timezone.localdate()
    return {
        "width": LABEL_WIDTH + length,
        "height": y + 4,
        "label_width": LABEL_WIDTH,
        "months": months,
        "rows": rows,
        "today_x": LABEL_WIDTH + (today - start).days if today.year == year else None,
        "row_height": ROW_HEIGHT,
    }


# --- home pages -------------------------------------------------------------------------------------

HOME_ROWS = 8


def staff_home(user, now: datetime.datetime) -> dict:
    """Today's work for agency staff, each list in one query: what waits for their review (managers: what
    they may approve), material past due, what goes live in the next 48 hours, and the next festivals with
    their planning state."""
    items = ContentItem.objects.visible_to(user).select_related("campaign")
    today = timezone.localdate(now)
    to_review = items.filter(status=ContentStatus.IN_REVIEW)
    if user.is_agency_manager:
        to_review = to_review.exclude(author=user).exclude(last_edited_by=user)
    open_statuses = [ContentStatus.DRAFT, ContentStatus.IN_REVIEW]
    going_live = items.filter(
        status__in=[ContentStatus.APPROVED, ContentStatus.SCHEDULED],
        scheduled_at__gte=now,
        scheduled_at__lt=now + datetime.timedelta(hours=48),
    )
    return {
        "to_review": list(to_review.order_by("scheduled_at")[:HOME_ROWS]),
        "to_review_count": to_review.count(),
        "overdue": list(items.filter(due_on__lt=today, status__in=open_statuses).order_by("due_on")[:HOME_ROWS]),
        "overdue_count": items.filter(due_on__lt=today, status__in=open_statuses).count(),
        "going_live": list(going_live.order_by("scheduled_at")[:HOME_ROWS]),
        "festivals": next_festivals(user, today),
    }


def next_festivals(user, today: datetime.date, count: int = 5) -> list[dict]:
    """The next festivals (from today) with a countdown, their campaigns and how many items are approved."""
    upcoming = []
    for year in (today.year, today.year + 1):
        try:
            upcoming.extend(o for o in festival_occurrences(year) if o.end_date >= today)
        except CalendarError:
            continue
    upcoming = sorted(upcoming, key=lambda o: o.date)[:count]
    keys = {(o.key, o.date.year) for o in upcoming}
    campaigns = (
        Campaign.objects.visible_to(user)
        .filter(festival__key__in={k for k, _y in keys}, festival_year__in={y for _k, y in keys})
        .values("festival__key", "festival_year")
        .annotate(
            campaigns=Count("pk", distinct=True),
            approved=Count(
                "items",
                filter=Q(items__status__in=[ContentStatus.APPROVED, ContentStatus.SCHEDULED, ContentStatus.PUBLISHED]),
                distinct=True,
            ),
            items_total=Count("items", distinct=True),
        )
        .order_by()
    )
    state = {(row["festival__key"], row["festival_year"]): row for row in campaigns}
    pks = dict(Festival.objects.filter(key__in={k for k, _y in keys}).values_list("key", "pk"))
    return [
        {
            "occurrence": o,
            "festival_pk": pks.get(o.key),
            "days": (o.date - today).days,
            **state.get((o.key, o.date.year), {"campaigns": 0}),
        }
        for o in upcoming
    ]


def brand_home(user, today: datetime.date) -> dict:
    """A brand user's start: each of their brands' completeness and what is missing, and their campaigns
    from today on with the reviewed items of their brands."""
    brands = list(Brand.objects.visible_to(user).active().order_by("name_it"))
    items = ContentItem.objects.visible_to(user).filter(campaign=OuterRef("pk"))
    campaigns = (
        Campaign.objects.visible_to(user)
        .filter(ends_on__gte=today)
        .select_related("festival")
        .annotate(item_count=_count(items))
        .order_by("starts_on", "pk")[:HOME_ROWS]
    )
    return {"brands": brands, "campaigns": list(campaigns)}
