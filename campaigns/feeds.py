"""Calendar feeds: each person's ICS address, for a subscription in Outlook, DingTalk, WeCom or any calendar app.

The feed holds the festivals of the next 12 months (all-day, with their content deadlines), the content items the
person may see and the material deadlines of those items, from a month back to a year ahead. What a person may see
is decided where it is for every page (``ContentItem.objects.visible_to``): a brand user's feed has only the
reviewed items featuring their brands, never another brand's item, never a draft; no brand names are written, so a
shared campaign tells them nothing of the other brands. Times are China time with a ``VTIMEZONE`` (TZID
Asia/Shanghai); UIDs are stable (``item-42@…``) and SEQUENCE is the item's version, so a moved item moves in the
subscriber's calendar instead of appearing twice.
"""

import datetime
import secrets

import icalendar
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .calendar import CalendarError
from .choices import Channel, ContentStatus
from .models import CalendarFeed, ContentItem
from .planner import CHINA
from .selectors import festival_occurrences

FEED_PAST_DAYS = 31
FEED_DAYS = 366
# A subscription refreshes the whole feed every hour or so: a bound keeps a busy hub's feed a few MB at most.
FEED_MAX_ITEMS = 5_000
UID_DOMAIN = "brandhub.helloita"
ITEM_MINUTES = 30  # how long an item's event lasts in the calendar (content goes out at a moment)
ITEM_FIELDS = ("id", "scheduled_at", "channel", "status", "version", "updated_at", "title_it", "title_en",
               "title_zh_hans", "campaign__title")  # fmt: skip
CONFIRMED = (ContentStatus.APPROVED, ContentStatus.SCHEDULED, ContentStatus.PUBLISHING, ContentStatus.PUBLISHED)


def calendar_feed_reset(*, user) -> CalendarFeed:
    """Give ``user`` a feed address: their first, or a new one in place of the old, which stops at once."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied
    token, now = secrets.token_urlsafe(32), timezone.now()
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return CalendarFeed.objects.create(user=user, token=token, created_at=now)
        feed.token, feed.created_at = token, now
        feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_user(token: str):
    """The active user whose feed has this token, or None."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    return feed.user if feed is not None and feed.user.is_active else None


def _festival_name(spec) -> str:
    from .templatetags.campaign_tags import festival_name

    name = festival_name(spec)
    return name if not spec.name_zh or name == spec.name_zh else f"{spec.name_zh} · {name}"


def _event(uid: str, summary: str, stamp: datetime.datetime, **fields) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    for name, value in fields.items():
        if value not in (None, ""):
            event.add(name.replace("_", "-"), value)
    return event


def _all_day(uid, summary, stamp, first: datetime.date, last: datetime.date, **fields) -> icalendar.Event:
    # All-day events end the day after (DTEND is exclusive) and do not make the person look busy.
    return _event(uid, summary, stamp, dtstart=first, dtend=last + datetime.timedelta(days=1), transp="TRANSPARENT",
                  **fields)  # fmt: skip


def calendar_ics(user, *, base_url: str, today: datetime.date | None = None) -> bytes:
    """The person's calendar as iCalendar bytes, in the active language."""
    today = today or timezone.localdate(timezone=CHINA)
    start, end = today - datetime.timedelta(days=FEED_PAST_DAYS), today + datetime.timedelta(days=FEED_DAYS)
    stamp = timezone.now().replace(microsecond=0)
    name = user.get_full_name() or user.username
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Italian Trade Agency//helloITA Brand Hub//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"helloITA · {name}")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    cal.add_component(icalendar.Timezone.from_tzid("Asia/Shanghai", first_date=start, last_date=end))

    for event in _festival_events(stamp, today, end, start):
        cal.add_component(event)
    channels = {value: str(label) for value, label in Channel.choices}
    statuses = {value: str(label) for value, label in ContentStatus.choices}
    items = (
        ContentItem.objects.visible_to(user)
        .filter(scheduled_at__gte=datetime.datetime.combine(start, datetime.time(), tzinfo=CHINA))
        .filter(scheduled_at__lt=datetime.datetime.combine(end, datetime.time(), tzinfo=CHINA))
        .exclude(status=ContentStatus.CANCELLED)
        .select_related("campaign")
        .only(*ITEM_FIELDS)
        .order_by("scheduled_at", "pk")[:FEED_MAX_ITEMS]
    )
    for item in items:
        at = item.scheduled_at.astimezone(CHINA)
        url = f"{base_url}{item.get_absolute_url()}"
        cal.add_component(
            _event(
                f"item-{item.pk}",
                f"{channels.get(item.channel, item.channel)}: {item.title}",
                stamp,
                dtstart=at,
                dtend=at + datetime.timedelta(minutes=ITEM_MINUTES),
                description=f"{item.campaign.title}\n{statuses.get(item.status, item.status)}\n{url}",
                url=url,
                sequence=item.version,
                last_modified=item.updated_at.replace(microsecond=0),
                status="CONFIRMED" if item.status in CONFIRMED else "TENTATIVE",
                categories=[channels.get(item.channel, item.channel)],
                transp="TRANSPARENT",
            )
        )
    due = (
        ContentItem.objects.visible_to(user)
        .filter(due_on__gte=start, due_on__lt=end)
        .exclude(status__in=[ContentStatus.PUBLISHED, ContentStatus.CANCELLED])
        .only("id", "due_on", "title_it", "title_en", "title_zh_hans")
        .order_by("due_on", "pk")[:FEED_MAX_ITEMS]
    )
    for item in due:
        url = f"{base_url}{item.get_absolute_url()}"
        summary = gettext("Material due: %(title)s") % {"title": item.title}
        cal.add_component(_all_day(f"due-{item.pk}", summary, stamp, item.due_on, item.due_on, url=url,
                                   description=url))  # fmt: skip
    return cal.to_ical()


def _festival_events(stamp, today: datetime.date, end: datetime.date, start: datetime.date):
    """Festivals of the next 12 months (all-day over their days) and their content deadlines."""
    for year in range(today.year, end.year + 1):
        try:
            found = festival_occurrences(year)
        except CalendarError:
            continue
        for occurrence in found:
            if occurrence.end_date < today or occurrence.date >= end:
                continue
            name = _festival_name(occurrence.spec)
            window = gettext("Campaign window: %(start)s – %(end)s") % {
                "start": occurrence.window_start.isoformat(),
                "end": occurrence.window_end.isoformat(),
            }
            key = f"{occurrence.key}-{occurrence.date.year}"
            yield _all_day(f"festival-{key}", name, stamp, occurrence.date, occurrence.end_date,
                           description=window, categories=[gettext("Festival")])  # fmt: skip
            if start <= occurrence.content_due < end:
                summary = gettext("Content due: %(name)s") % {"name": name}
                yield _all_day(f"festival-due-{key}", summary, stamp, occurrence.content_due, occurrence.content_due)
