"""Which demo campaigns fall in the year around today, when their items go out and what each becomes.

Pure Python over the rule engine (``campaigns.calendar``): no database, so the plan can be checked for any
"today". A campaign is planned when its festival day lies from six months before today (included) to six
months after; its items are placed at their China-time hour and take their ``past`` or ``upcoming`` status
depending on whether they go out before or after ``now``.
"""

import calendar
import dataclasses
import datetime
import zoneinfo
from dataclasses import dataclass

from campaigns.calendar import FestivalSpec, Occurrence, occurrences

from .specs import CAMPAIGNS, COPY, KOLS, CampaignSpec, ItemSpec

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
MONTHS_BACK = MONTHS_AHEAD = 6  # twelve months: one occurrence of every fixed-date festival


@dataclass(frozen=True)
class PlannedItem:
    spec: ItemSpec
    scheduled_at: datetime.datetime  # China time
    status: str
    due_on: datetime.date  # as the content service will compute it (the festival's content lead time)


@dataclass(frozen=True)
class PlannedCampaign:
    spec: CampaignSpec
    occurrence: Occurrence
    title: str
    status: str  # the campaign's own status: done, live or planned
    items: tuple[PlannedItem, ...]
    lesson: bool = False  # last year's campaign of the next festival, outside the twelve months

    @property
    def year(self) -> int:
        return self.occurrence.year


def demo_campaign_plan(festivals: list[FestivalSpec], *, now: datetime.datetime) -> list[PlannedCampaign]:
    """The demo campaigns around ``now`` (aware), in date order, for the festivals given (all of them, so
    offset rules resolve; a festival without a spec here is simply not planned)."""
    today = now.astimezone(CHINA).date()
    first, last = _add_months(today, -MONTHS_BACK), _add_months(today, MONTHS_AHEAD)
    found = [o for year in range(today.year - 1, today.year + 2) for o in occurrences(year, festivals)]
    plan = []
    for spec in CAMPAIGNS:
        for occurrence in sorted((o for o in found if o.key == spec.festival), key=lambda o: o.date):
            if first <= occurrence.date < last:
                plan.append(_campaign(spec, occurrence, now, today))
    plan += _last_years_lesson(plan, found, now, today)
    return sorted(plan, key=lambda p: (p.occurrence.date, p.title))


def _last_years_lesson(plan: list[PlannedCampaign], found: list[Occurrence], now, today) -> list[PlannedCampaign]:
    """The next festival's campaign of last year, when the twelve months leave it out: planning the coming one, staff
    see last year's lesson on its page (results against targets, best and worst creatives, channels)."""
    coming = next((p for p in sorted(plan, key=lambda p: p.occurrence.date) if p.occurrence.date >= today), None)
    if coming is None:
        return []
    planned = {(p.spec.festival, p.year) for p in plan}
    for occurrence in found:
        key = (occurrence.key, occurrence.year)
        if key == (coming.spec.festival, coming.year - 1) and key not in planned:
            return [dataclasses.replace(_campaign(coming.spec, occurrence, now, today), lesson=True)]
    return []


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _campaign(spec: CampaignSpec, occurrence: Occurrence, now: datetime.datetime, today) -> PlannedCampaign:
    lead = datetime.timedelta(days=occurrence.spec.lead.content_due)
    items = []
    for item in spec.items:
        day = occurrence.date + datetime.timedelta(days=item.day)
        at = datetime.datetime.combine(day, datetime.time(item.hour, item.minute), tzinfo=CHINA)
        status = item.past if at <= now else item.upcoming
        items.append(PlannedItem(item, at, status, day - lead))
    if occurrence.window_end < today:
        status = "done"
    elif occurrence.window_start <= today:
        status = "live"
    else:
        status = "planned"
    return PlannedCampaign(spec, occurrence, f"{spec.title} {occurrence.year}", status, tuple(items))


def item_texts(campaign: CampaignSpec, item: ItemSpec, brand: tuple[str, str, str], product: tuple[str, str, str]):
    """The item's title and text in its languages (Chinese always): ``title_zh_hans``, ``body_en`` …

    ``brand`` and ``product`` are names in Chinese, English and Italian.
    """
    kol_zh, kol_en = KOLS.get(item.kol, ("", ""))
    values = {"kol_zh": kol_zh, "kol_en": kol_en}
    for name, triple in (("theme", campaign.theme), ("offer", campaign.offer), ("brand", brand), ("product", product)):
        values.update({f"{name}_{lang}": text for lang, text in zip(("zh", "en", "it"), triple, strict=True)})
    titles, bodies = COPY[item.channel]
    fields = {}
    for index, (lang, suffix) in enumerate((("zh", "zh_hans"), ("en", "en"), ("it", "it"))):
        if lang in item.languages:
            fields[f"title_{suffix}"] = titles[index].format(**values)
            fields[f"body_{suffix}"] = bodies[index].format(**values)
    return fields
