"""How the calendar pages lay things out: campaign bars in lanes across a week, and what a day cell shows.

A busy month holds thousands of items but a cell shows a few (``MAX_ITEMS_PER_DAY``). So the selectors read in
two steps: first the id and time of every item, to place and count them on their days (``bucket``: rows as the
database driver gives them, bisected against the day bounds: 5,000 rows in a few milliseconds), then the rows of
the items the cells show, with their first creative. The chips a cell repeats (items, deadlines) are written by
``CellRenderer`` in Python, labels and URLs worked out once per page: rendering ~450 chips through the template
engine cost more than everything else on the month page.
"""

import bisect
import datetime
import functools
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .choices import CampaignStatus, Channel, ContentStatus
from .models import ContentItem, Creative

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
MAX_ITEMS_PER_DAY = 8
# Bars drawn per week; more campaigns than this in a week are counted and linked to the list of the month.
MAX_BAR_LANES = 4
# Items shown per hour of the week view; the rest are counted and linked to the day's full list.
MAX_ITEMS_PER_HOUR = 6
# What a calendar item can be dragged from: not once it is out for publication, published, held, failed or closed.
MOVABLE = (ContentStatus.DRAFT, ContentStatus.IN_REVIEW, ContentStatus.APPROVED, ContentStatus.SCHEDULED)
NEEDS_NEW_REVIEW = (ContentStatus.APPROVED, ContentStatus.SCHEDULED)
CELL_FIELDS = ("id", "scheduled_at", "due_on", "status", "channel", "version", "title_it", "title_en", "title_zh_hans")
_PK = 2147483647  # a marker id: one reverse() per page, then each real id replaces it by string formatting


def day_label(date: datetime.date) -> str:
    """A day as a calendar names it, in the active language: 星期四 8月5日, giovedì 5 agosto, Thursday August 5.

    Django's Chinese MONTH_DAY_FORMAT pads the month (08月5日), which Chinese does not write.
    """
    from django.utils.translation import get_language

    return _day_label(get_language() or "", date)


@functools.lru_cache(maxsize=4096)
def _day_label(language: str, date: datetime.date) -> str:
    from django.utils.formats import date_format

    month_day = "n月j日" if language.startswith("zh") else "MONTH_DAY_FORMAT"
    return f"{date_format(date, 'l')} {date_format(date, month_day)}"


def _truncate(text: str, length: int = 40) -> str:
    """Django's ``truncatechars``: the first ``length - 1`` characters and an ellipsis."""
    return text if len(text) <= length else f"{text[: length - 1]}…"


def pk_url(name: str, **kwargs):
    """``reverse(name, pk=...)`` made once: a function of the id giving the same path."""
    head, tail = reverse(name, kwargs={"pk": _PK, **kwargs}).split(str(_PK))
    return lambda pk: f"{head}{pk}{tail}"


# --- placing rows on days ---------------------------------------------------------------------------


def bucket(queryset, field: str, *fields: str, bounds: list) -> list[tuple]:
    """``(index, *fields)`` for each row of ``queryset`` whose ``field`` lies in ``bounds[index] <= value <
    bounds[index + 1]`` (bounds ascending: dates, or aware datetimes of the page's zone).

    The rows are read as the driver returns them, without Django's per-value converters, and bisected against the
    bounds put in the same form: on SQLite the stored text itself (read through a cast, so not even the driver
    parses it; the bounds adapted as Django stores them, which sorts as the times do), on PostgreSQL the driver's
    datetimes, with the bounds in the rows' zone. Placing 5,000 items costs a few milliseconds.
    """
    connection = connections[queryset.db]
    keys = bounds
    if connection.vendor == "sqlite":
        queryset = queryset.values_list(Cast(field, CharField()), *fields)
        is_time = isinstance(bounds[0], datetime.datetime)
        adapt = connection.ops.adapt_datetimefield_value if is_time else connection.ops.adapt_datefield_value
        keys = [adapt(b) for b in bounds]
    else:
        queryset = queryset.values_list(field, *fields)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    sample = rows[0][0]
    if isinstance(sample, datetime.datetime):
        # Compared in the rows' own form: a comparison across two zones would work out both offsets each time.
        keys = [b.astimezone(sample.tzinfo) if sample.tzinfo else timezone.make_naive(b, datetime.UTC) for b in bounds]
    last = len(bounds) - 1
    placed = []
    for value, *rest in rows:
        index = bisect.bisect_right(keys, value) - 1
        if 0 <= index < last:
            placed.append((index, *rest))
    return placed


# --- campaign bars ----------------------------------------------------------------------------------


@dataclass
class Bar:
    """A campaign's stretch inside one week: grid columns ``start`` to ``end`` (1-8, end exclusive), its lane."""

    campaign: object
    start: int
    end: int
    lane: int
    before: bool  # the campaign started in an earlier week
    after: bool  # it goes on after this week
    url: str = ""


class Week(list):
    """A week's seven days (Monday first) with the campaign bars drawn over it."""

    def __init__(self, days, bars=(), hidden=0):
        super().__init__(days)
        self.bars = list(bars)
        self.hidden = hidden  # campaigns of the week that found no lane
        self.iso_year, self.number, _weekday = days[0].date.isocalendar()


def week_bars(campaigns, monday: datetime.date, lanes: int = MAX_BAR_LANES) -> tuple[list[Bar], int]:
    """Bars of the campaigns running in the week starting ``monday``, packed into ``lanes`` rows.

    Campaigns are taken in their order (start, title), each in the first lane free over its days, so a campaign
    that goes on from last week tends to keep its row; those that find no free lane are counted, not drawn.
    """
    sunday = monday + datetime.timedelta(days=6)
    ends = [0] * lanes  # the last column taken in each lane
    bars, hidden = [], 0
    for campaign in campaigns:
        if campaign.ends_on < monday or campaign.starts_on > sunday:
            continue
        start = (max(campaign.starts_on, monday) - monday).days + 1
        end = (min(campaign.ends_on, sunday) - monday).days + 2
        lane = next((i for i, taken in enumerate(ends) if taken < start), None)
        if lane is None:
            hidden += 1
            continue
        ends[lane] = end - 1
        bar = Bar(campaign, start, end, lane + 1, before=campaign.starts_on < monday, after=campaign.ends_on > sunday)
        bar.url = getattr(campaign, "url", "")
        bars.append(bar)
    bars.sort(key=lambda b: (b.lane, b.start))
    return bars, hidden


def label_campaigns(campaigns) -> None:
    """Status labels, dates and URLs of the campaigns on a calendar page, each label and date formatted once
    (campaigns on one festival share their dates)."""
    from django.utils.formats import date_format

    labels = {value: str(label) for value, label in CampaignStatus.choices}
    url = pk_url("campaigns:campaign_detail")
    dates = {}
    for campaign in campaigns:
        campaign.status_label = labels.get(campaign.status, campaign.status)
        campaign.url = url(campaign.pk)
        for day in (campaign.starts_on, campaign.ends_on):
            if day not in dates:
                dates[day] = date_format(day, "SHORT_DATE_FORMAT")
        campaign.dates_label = f"{dates[campaign.starts_on]} – {dates[campaign.ends_on]}"


def campaign_items(campaigns) -> SafeString:
    """The ``<li>`` of a calendar page's list of campaigns (a busy month lists 200), after ``label_campaigns``."""
    return mark_safe(  # every value escaped
        "".join(
            f'<li><a href="{c.url}">{escape(c.title)}</a> <span class="muted">{escape(c.dates_label)}</span> '
            f'<span class="status status-{escape(c.status)}">{escape(c.status_label)}</span></li>'
            for c in campaigns
        )
    )


# --- the cells' items ---------------------------------------------------------------------------------


class CellItem:
    """What a calendar cell needs of a content item, read as a plain row: 450 model instances with deferred fields
    cost three times as much as the rows themselves."""

    __slots__ = (*CELL_FIELDS[1:], "pk", "thumb_id", "hhmm", "iso", "short_title", "movable", "needs_new_review")
    title = property(ContentItem.title.fget)  # the title in the active language, as on the model

    def __init__(self, row):
        self.pk, *values = row
        for name, value in zip(CELL_FIELDS[1:], values, strict=True):
            setattr(self, name, value)
        self.thumb_id = None

    def get_absolute_url(self) -> str:
        return reverse("campaigns:contentitem_detail", kwargs={"pk": self.pk})


def shown_items(ids) -> dict[int, CellItem]:
    """The items a page shows, by id, with the id of their first creative (for the thumbnail): two queries."""
    if not ids:
        return {}
    items = {row[0]: CellItem(row) for row in ContentItem.objects.filter(pk__in=ids).values_list(*CELL_FIELDS)}
    creatives = Creative.objects.filter(item_id__in=items).order_by("-created_at", "-pk").values_list("item_id", "pk")
    for item_id, pk in creatives:
        items[item_id].thumb_id = pk  # newest first: the oldest is written last
    return items


class CellRenderer:
    """The chips of calendar cells: an item (time in the page's zone, channel, title, status, the first creative's
    thumbnail; draggable for staff) and a material deadline. Labels in the page's language, computed once."""

    def __init__(self, zone, movable: bool):
        self.zone = zone
        self.movable = movable
        self.channels = {value: escape(label) for value, label in Channel.choices}
        self.statuses = {value: escape(label) for value, label in ContentStatus.choices}
        self.url = pk_url("campaigns:contentitem_detail")
        self.thumb = pk_url("campaigns:creative_image", rendition="thumb")
        self.due_label, self.overdue_label = escape(gettext("Due:")), escape(gettext("Overdue:"))
        self._festivals = self._windows = None

    def festivals(self, day) -> SafeString:
        """A day's festival days and the campaign windows it lies in (each festival's snippet written once)."""
        from django.utils.translation import get_language

        from .templatetags.campaign_tags import festival_name

        if self._festivals is None:
            self._festivals, self._windows = {}, {}
            self._chinese = (get_language() or "").startswith("zh")
        out = []
        for occurrence in day.festivals:
            snippet = self._festivals.get(occurrence.key)
            if snippet is None:
                name, zh = escape(festival_name(occurrence.spec)), escape(occurrence.spec.name_zh)
                local = "" if self._chinese else f" <span>{name}</span>"
                snippet = self._festivals[occurrence.key] = (
                    f'<div class="festival-day" title="{name}">{zh}{local}</div>'
                )
            out.append(snippet)
        if day.windows:
            out.append('<div class="windows">')
            for occurrence in day.windows:
                snippet = self._windows.get(occurrence.key)
                if snippet is None:
                    title = gettext("%(name)s campaign window") % {"name": festival_name(occurrence.spec)}
                    zh = escape(occurrence.spec.name_zh)
                    snippet = self._windows[occurrence.key] = (
                        f'<span class="window-tag" title="{escape(title)}">{zh}</span>'
                    )
                out.append(snippet)
            out.append("</div>")
        return mark_safe("".join(out))

    def day_cell(self, day, today: datetime.date, querystring: str = "") -> SafeString:
        """A month view's day: its number (its date for the phone's agenda), festivals, windows, deadlines, other
        apps' entries, items, and links to the rest of a busy day's list. A drop target for dragged items."""
        from django.utils.translation import ngettext

        css = "day-cell"
        css += "" if day.in_month else " other-month"
        css += " today" if day.date == today else ""
        css += " empty" if day.is_empty else ""
        iso = day.date.isoformat()
        entries = "".join(
            f'<a class="item entry-{escape(e.kind)}" href="{escape(e.url)}">{escape(_truncate(e.label))}</a>'
            for e in day.entries
        )
        more = ""
        link = f"?{escape(querystring)}&amp;day={iso}#day-list" if querystring else f"?day={iso}#day-list"
        if day.more_due:
            text = ngettext("+%(counter)s more deadline", "+%(counter)s more deadlines", day.more_due)
            more += f'<a class="more" href="{link}">{escape(text % {"counter": day.more_due})}</a>'
        if day.more_items:
            text = ngettext("+%(counter)s more", "+%(counter)s more", day.more_items)
            more += f'<a class="more" href="{link}">{escape(text % {"counter": day.more_items})}</a>'
        return mark_safe(
            f'<td class="{css}" data-date="{iso}" data-slot><div class="day-number">{day.date.day}</div>'
            f'<h2 class="agenda-date">{escape(day_label(day.date))}</h2>{day.festivals_html}{day.due_html}{entries}'
            f"{day.items_html}{more}</td>"
        )

    def prepare(self, item: CellItem) -> CellItem:
        """Give the item what the page writes about it (once: an item may be shown in a cell and a list)."""
        if not hasattr(item, "hhmm"):
            local = item.scheduled_at.astimezone(self.zone)
            item.hhmm = local.strftime("%H:%M")
            item.iso = local.isoformat()
            item.short_title = _truncate(item.title)
            item.movable = self.movable and item.status in MOVABLE
            item.needs_new_review = item.status in NEEDS_NEW_REVIEW
        return item

    def item(self, item: CellItem, drag: bool = True) -> str:
        item = self.prepare(item)
        attrs = ""
        if drag and item.movable:
            review = " data-review" if item.needs_new_review else ""
            attrs = (
                f' draggable="true" data-id="{item.pk}" data-version="{item.version}" data-time="{item.hhmm}"{review}'
                ' aria-describedby="planner-help"'
            )
        thumb = ""
        if item.thumb_id:
            thumb = f'<img src="{self.thumb(item.thumb_id)}" alt="" width="24" height="24" loading="lazy">'
        return (
            f'<a class="item status-{escape(item.status)}" href="{self.url(item.pk)}"{attrs}>{thumb}'
            f'<time datetime="{item.iso}">{item.hhmm}</time> {self.channels.get(item.channel, "")} · '
            f'<span class="item-title">{escape(item.short_title)}</span> '
            f'<span class="item-status">{self.statuses.get(item.status, "")}</span></a>'
        )

    def items(self, items, drag: bool = True) -> SafeString:
        return mark_safe("".join(self.item(item, drag) for item in items))

    def due(self, entries, full: bool = False) -> SafeString:
        """Deadline chips: ``("festival", occurrence)`` or ``("item", item, late)``; ``full`` writes whole titles
        and leaves the festivals out (the day's list)."""
        from .templatetags.campaign_tags import festival_name

        out = []
        for entry in entries:
            if entry[0] == "festival":
                if not full:
                    name = gettext("Content due: %(name)s") % {"name": festival_name(entry[1].spec)}
                    out.append(f'<div class="due">{escape(name)}</div>')
                continue
            item, late = self.prepare(entry[1]), entry[2]
            title = escape(item.title if full else item.short_title)
            css = "item" if full else ("due overdue" if late else "due")
            label = self.overdue_label if late else self.due_label
            out.append(f'<a class="{css}" href="{self.url(item.pk)}">{label} {title}</a>')
        return mark_safe("".join(out))
