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


def items_between(user, start: datetime.datetime, end: datetime.datetime, category: str = "", brand: str = ""):
    queryset = ContentItem.objects.visible_to(user).filter(scheduled_at__gte=start, scheduled_at__lt=end)
    if category:
        queryset = queryset.filter(Q(campaign__category=category) | Q(campaign__category=""))
    if brand:
        queryset = queryset.filter(brands__slug=brand)
    return queryset.select_related("campaign").order_by("scheduled_at")


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    festivals: list = field(default_factory=list)
    windows: list = field(default_factory=list)
    items: list = field(default_factory=list)
    due: list = field(default_factory=list)
    entries: list = field(default_factory=list)  # from other apps' calendar sources (offline events ...)


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
    weeks: list[list[Day]]
    campaigns: list
    festivals: list[Occurrence]
    overdue_count: int

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first + datetime.timedelta(days=32)).replace(day=1)


def month_calendar(user, year: int, month: int, category: str = "", brand: str = "") -> MonthCalendar:
    """Weeks of days (Monday first) with festival days, festival windows, items at their local hour and deadlines.

    Items are placed on the day of their local time (the user's zone: China time for staff by default).
    """
    if not 1 <= month <= 12:
        raise CalendarError(f"There is no month {month}.")
    weeks_dates = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks_dates[0][0], weeks_dates[-1][-1]
    days = {d: Day(d, d.month == month) for week in weeks_dates for d in week}

    festivals = []
    for y in {first.year, year, last.year}:
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
            days[occurrence.content_due].due.append(("festival", occurrence))
        current = max(occurrence.window_start, first)
        while current <= min(occurrence.window_end, last):
            if not occurrence.date <= current <= occurrence.end_date:
                days[current].windows.append(occurrence)
            current += datetime.timedelta(days=1)

    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    # Only what a calendar cell shows: a busy month holds thousands of items.
    cell_fields = ("id", "scheduled_at", "due_on", "status", "channel", "title_it", "title_en", "title_zh_hans")
    for item in items_between(user, start, end, category, brand).select_related(None).only(*cell_fields):
        day = days.get(timezone.localtime(item.scheduled_at, zone).date())
        if day:
            day.items.append(item)
    due_items = (
        ContentItem.objects.visible_to(user)
        .filter(due_on__range=(first, last))
        .exclude(status__in=[ContentStatus.PUBLISHED, ContentStatus.CANCELLED])
    )
    if category:
        due_items = due_items.filter(Q(campaign__category=category) | Q(campaign__category=""))
    if brand:
        due_items = due_items.filter(brands__slug=brand)
    today = timezone.localdate()
    overdue = 0
    for item in due_items.only(*cell_fields).order_by("due_on", "pk"):
        late = item.due_on < today and item.status in (ContentStatus.DRAFT, ContentStatus.IN_REVIEW)
        overdue += late
        days[item.due_on].due.append(("item", item, late))

    for source in CALENDAR_SOURCES:
        for date, entry in source(user, first, last, category, brand):
            if date in days:
                days[date].entries.append(entry)

    campaigns = list(campaigns_between(user, first, last, category, brand))
    return MonthCalendar(
        year=year,
        month=month,
        weeks=[[days[d] for d in week] for week in weeks_dates],
        campaigns=campaigns,
        festivals=[o for o in festivals if o.window_start <= last and o.window_end >= first],
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


def items_for_page(queryset, user):
    """An item page's item: the reader's brands only; its review history for staff."""
    queryset = queryset.select_related("campaign__festival", "author", "approved_by").prefetch_related(
        Prefetch("brands", queryset=_visible_brands(user)), "creatives__image"
    )
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
