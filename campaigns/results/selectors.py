"""Reads of results for pages, reports and the API: always from the rollups, never by summing raw facts over time.

Every function takes the brands the reader may see (``brand_ids``: a list, or None for agency staff, who see the
whole hub). A brand user on a campaign shared with another brand gets their own brands' figures only: the other
brand's rows are filtered out before anything is summed, so no total can reveal them.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from brands.models import Brand
from campaigns.choices import CampaignStatus, Channel, ContentStatus
from campaigns.models import Campaign, ContentItem, Festival

from .metrics import METRIC_NAMES
from .models import BrandDay, CampaignTotal, MetricFact, MetricRollup

SUMS = {name: Sum(name) for name in ("facts", *METRIC_NAMES)}


@dataclass
class Totals:
    """Sums of figures. ``followers_total`` is a level (the accounts' followers on the last day with a figure), the
    rest are flows over the period."""

    facts: int = 0
    followers_total: int = 0
    followers_gained: int = 0
    impressions: int = 0
    interactions: int = 0
    viewers: int = 0
    clicks: int = 0
    items_sold: int = 0
    gmv_cny: Decimal = Decimal("0.00")

    @classmethod
    def of(cls, values: dict) -> "Totals":
        return cls(**{k: (v or (Decimal("0.00") if k == "gmv_cny" else 0)) for k, v in values.items() if k in SUMS})

    @property
    def ctr(self) -> float | None:
        """Clicks per impression (None when there were no impressions)."""
        return self.clicks / self.impressions if self.impressions else None

    @property
    def empty(self) -> bool:
        return not self.facts


def visible_brand_ids(user) -> list[int] | None:
    """None for agency staff (every brand), else the ids of the user's brands."""
    if user.is_agency_staff:
        return None
    return list(Brand.objects.visible_to(user).values_list("pk", flat=True))


def _for_brands(queryset, brand_ids):
    return queryset if brand_ids is None else queryset.filter(brand_id__in=brand_ids)


def _last_level(brand_ids, start: datetime.date, end: datetime.date) -> int:
    """The followers of the accounts on the last day of the period that has a followers figure."""
    days = _for_brands(BrandDay.objects.filter(day__gte=start, day__lte=end, followers_total__gt=0), brand_ids)
    last = days.order_by("-day").values_list("day", flat=True).first()
    if last is None:
        return 0
    return days.filter(day=last).aggregate(total=Sum("followers_total"))["total"] or 0


def period_totals(brand_ids, start: datetime.date, end: datetime.date) -> Totals:
    days = _for_brands(BrandDay.objects.filter(day__gte=start, day__lte=end), brand_ids)
    totals = Totals.of(days.aggregate(**SUMS))
    totals.followers_total = _last_level(brand_ids, start, end)
    return totals


@dataclass
class Comparison:
    """This month so far against the same days of last month (and last month whole)."""

    this: Totals
    last_same_days: Totals
    last_month: Totals
    this_start: datetime.date
    today: datetime.date
    last_start: datetime.date

    def change(self, name: str) -> float | None:
        """The change in percent, None when last month had nothing to compare with."""
        before, now = getattr(self.last_same_days, name), getattr(self.this, name)
        if not before:
            return None
        return float((Decimal(now) - Decimal(before)) / Decimal(before) * 100)


def month_comparison(brand_ids, today: datetime.date) -> Comparison:
    """Two queries whatever the data (the portal, the home page and the dashboard show it): the three windows'
    sums as filtered aggregates of one pass over the two months, and the followers per day for the levels."""
    this_start = today.replace(day=1)
    last_end = this_start - datetime.timedelta(days=1)
    last_start = last_end.replace(day=1)
    same_day = min(today.day, last_end.day)
    windows = {
        "this": (this_start, today),
        "last_same_days": (last_start, last_start.replace(day=same_day)),
        "last_month": (last_start, last_end),
    }
    days = _for_brands(BrandDay.objects.filter(day__gte=last_start, day__lte=today), brand_ids)
    sums = {
        f"{window}__{name}": Sum(name, filter=Q(day__gte=start, day__lte=end))
        for window, (start, end) in windows.items()
        for name in SUMS
    }
    row = days.aggregate(**sums)
    levels = dict(
        days.filter(followers_total__gt=0)
        .values("day")
        .annotate(level=Sum("followers_total"))
        .values_list("day", "level")
    )
    totals = {}
    for window, (start, end) in windows.items():
        totals[window] = Totals.of({name: row[f"{window}__{name}"] for name in SUMS})
        last = max((day for day in levels if start <= day <= end), default=None)
        totals[window].followers_total = levels[last] if last else 0
    return Comparison(**totals, this_start=this_start, today=today, last_start=last_start)


@dataclass
class Series:
    """One figure per period (day, week or month) for a chart and its table."""

    periods: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # metric -> list aligned with periods


def _period_of(day: datetime.date, step: str) -> datetime.date:
    """The first day of the day's period, as ``TruncWeek`` (Monday) and ``TruncMonth`` give it."""
    if step == "week":
        return day - datetime.timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    return day


def _flows(rows, step: str, flows) -> Series:
    """The flows of ``rows`` (day rollups) summed per day, week or month, in period order."""
    trunc = {"day": F("day"), "week": TruncWeek("day"), "month": TruncMonth("day")}[step]
    rows = rows.annotate(period=trunc).values("period").annotate(**{n: Sum(n) for n in flows}).order_by("period")
    by_period = {}
    for row in rows:
        period = row["period"].date() if isinstance(row["period"], datetime.datetime) else row["period"]
        by_period[period] = row
    result = Series(periods=sorted(by_period))
    for name in flows:
        result.values[name] = [by_period[p][name] or 0 for p in result.periods]
    return result


def series(brand_ids, start: datetime.date, end: datetime.date, *, step: str = "day", names=METRIC_NAMES) -> Series:
    """Figures per day, week (from Monday) or month. ``followers_total`` per period is the last day's level."""
    days = _for_brands(BrandDay.objects.filter(day__gte=start, day__lte=end), brand_ids)
    result = _flows(days, step, [n for n in names if n != "followers_total"])
    if "followers_total" in names:
        levels = {}
        per_day = days.filter(followers_total__gt=0).values("day").annotate(level=Sum("followers_total"))
        for row in per_day.order_by("day"):
            levels[_period_of(row["day"], step)] = row["level"]  # the period's last day wins: rows come in day order
        result.values["followers_total"] = [levels.get(p) for p in result.periods]
    return result


def campaign_series(campaign, brand_ids, start: datetime.date, end: datetime.date, *, step: str = "day") -> Series:
    """A campaign's flows (of the reader's brands) per day, week or month, from its rollups. No followers level:
    a campaign has none of its own (the accounts' level is ``series``)."""
    flows = [n for n in METRIC_NAMES if n != "followers_total"]
    return _flows(_campaign_rollups([campaign.pk], brand_ids, start, end), step, flows)


# --- campaigns --------------------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    target: int
    actual: int

    @property
    def share(self) -> float:
        return self.actual / self.target * 100 if self.target else 0.0

    @property
    def met(self) -> bool:
        return self.actual >= self.target


@dataclass
class CampaignResult:
    campaign: Campaign
    totals: Totals
    by_channel: list = field(default_factory=list)  # (channel, Totals), most impressions first
    targets: list = field(default_factory=list)  # Target rows for the targets the campaign set
    by_brand: list = field(default_factory=list)  # (brand id, Totals): staff only

    @property
    def has_results(self) -> bool:
        return not self.totals.empty


TARGETS = (
    ("target_followers", "followers_gained"),
    ("target_impressions", "impressions"),
    ("target_interactions", "interactions"),
)


def _campaign_rollups(campaign_ids, brand_ids, start: datetime.date | None = None, end: datetime.date | None = None):
    rollups = _for_brands(MetricRollup.objects.filter(campaign_key__in=campaign_ids), brand_ids)
    if start is not None:
        rollups = rollups.filter(day__gte=start)
    if end is not None:
        rollups = rollups.filter(day__lte=end)
    return rollups


def campaign_results(campaign: Campaign, brand_ids, *, start=None, end=None) -> CampaignResult:
    """A campaign's figures (of the reader's brands) by channel, against its targets. A brand user's targets are the
    campaign's: the targets are the agency's plan for the whole campaign, so they compare only with the whole.
    ``start`` / ``end`` keep the days of a period (a monthly report's month)."""
    rollups = _campaign_rollups([campaign.pk], brand_ids, start, end)
    # The whole campaign per brand is kept as it goes (CampaignTotal); a period of it is summed from its days.
    per_brand = _campaign_totals([campaign.pk], brand_ids) if start is None and end is None else rollups
    by_brand = [(row["brand_id"], Totals.of(row)) for row in per_brand.values("brand_id").annotate(**SUMS)]
    result = CampaignResult(campaign=campaign, totals=_sum(totals for _brand, totals in by_brand))
    result.totals.followers_total = 0  # a level has no meaning summed over a campaign's days
    result.by_channel = sorted(
        ((row["channel"], Totals.of(row)) for row in rollups.values("channel").annotate(**SUMS)),
        key=lambda pair: -pair[1].impressions,
    )
    if brand_ids is None:
        result.by_brand = by_brand
        for target_field, figure in TARGETS:
            target = getattr(campaign, target_field)
            if target:
                result.targets.append(Target(figure, target, getattr(result.totals, figure)))
    return result


def _campaign_totals(campaign_ids, brand_ids):
    return _for_brands(CampaignTotal.objects.filter(campaign_id__in=campaign_ids), brand_ids)


def _sum(many) -> Totals:
    total = Totals()
    for totals in many:
        for name in SUMS:
            setattr(total, name, getattr(total, name) + getattr(totals, name))
    return total


def campaigns_results(campaigns, brand_ids, *, start=None, end=None) -> dict[int, Totals]:
    """Totals per campaign for a list of campaigns: one query (over a few rows a campaign, unless a period is given:
    then over the period's daily rows)."""
    ids = [c.pk for c in campaigns]
    if start is None and end is None:
        rows = _campaign_totals(ids, brand_ids).values("campaign_id").annotate(**SUMS)
        return {row["campaign_id"]: Totals.of(row) for row in rows}
    rows = _campaign_rollups(ids, brand_ids, start, end).values("campaign_key").annotate(**SUMS)
    return {row["campaign_key"]: Totals.of(row) for row in rows}


def item_results(campaign: Campaign, brand_ids, *, start=None, end=None) -> dict[int, Totals]:
    """Each content item's totals in a campaign (of the reader's brands): one query over the campaign's facts."""
    return items_results([campaign], brand_ids, start=start, end=end)


def items_results(campaigns, brand_ids, *, start=None, end=None) -> dict[int, Totals]:
    """Each content item's totals in some campaigns (of the reader's brands), optionally in a period: one query over
    those campaigns' facts (a campaign's facts, not the hub's: bounded by the campaigns)."""
    facts = _for_brands(MetricFact.objects.filter(campaign__in=campaigns, item__isnull=False), brand_ids)
    if start is not None:
        facts = facts.filter(date__gte=start)
    if end is not None:
        facts = facts.filter(date__lte=end)
    figures = {name: Sum(name) for name in METRIC_NAMES if name != "followers_total"}
    rows = facts.values("item_id").annotate(facts=Count("pk"), **figures)
    return {row["item_id"]: Totals.of(row) for row in rows}


def channel_totals(brand_ids, start: datetime.date, end: datetime.date, *, campaign=None) -> list[tuple[str, Totals]]:
    """(channel, Totals) of the reader's brands in a period (of one campaign, if given), most impressions first.
    ``followers_total`` stays 0: a level summed over days means nothing."""
    rollups = _for_brands(MetricRollup.objects.filter(day__gte=start, day__lte=end), brand_ids)
    if campaign is not None:
        rollups = rollups.filter(campaign_key=campaign.pk)
    pairs = []
    for row in rollups.values("channel").annotate(**SUMS):
        totals = Totals.of(row)
        totals.followers_total = 0
        pairs.append((row["channel"], totals))
    return sorted(pairs, key=lambda pair: (-pair[1].impressions, pair[0]))


def festival_results(festival, year: int, brand_ids) -> Totals:
    campaigns = Campaign.objects.filter(festival=festival, festival_year=year).exclude(status=CampaignStatus.CANCELLED)
    totals = Totals.of(_campaign_totals(list(campaigns.values_list("pk", flat=True)), brand_ids).aggregate(**SUMS))
    totals.followers_total = 0
    return totals


# --- the whole hub (agency staff) ----------------------------------------------------------------------------------


def series_by_category(start: datetime.date, end: datetime.date, *, step: str = "week", name: str = "impressions"):
    """``{category: Series}`` of one figure for the hub's brands by category."""
    trunc = {"day": F("day"), "week": TruncWeek("day"), "month": TruncMonth("day")}[step]
    rows = (
        BrandDay.objects.filter(day__gte=start, day__lte=end)
        .annotate(period=trunc)
        .values("period", "brand__category")
        .annotate(value=Sum(name))
        .order_by("period")
    )
    periods, values = [], {}
    for row in rows:
        period = row["period"].date() if isinstance(row["period"], datetime.datetime) else row["period"]
        if not periods or periods[-1] != period:
            periods.append(period)
        values.setdefault(row["brand__category"], {})[period] = row["value"] or 0
    return periods, {category: [found.get(p, 0) for p in periods] for category, found in values.items()}


def festival_totals(year: int) -> list[tuple]:
    """(festival, Totals) for the festivals of a year that had campaigns with results, most impressions first."""
    rows = (
        MetricRollup.objects.filter(campaign__festival__isnull=False, campaign__festival_year=year)
        .values("campaign__festival")
        .annotate(**SUMS)
    )
    festivals = Festival.objects.in_bulk([row["campaign__festival"] for row in rows])
    pairs = [(festivals[row["campaign__festival"]], Totals.of(row)) for row in rows]
    return sorted(pairs, key=lambda pair: -pair[1].impressions)


def brand_ranking(start: datetime.date, end: datetime.date, *, name: str = "followers_gained", count: int = 5):
    """The ``count`` brands with the most and the fewest of a figure in the period (brands with results only)."""
    rows = list(
        BrandDay.objects.filter(day__gte=start, day__lte=end)
        .values("brand_id")
        .annotate(value=Sum(name), facts=Sum("facts"))
        .filter(facts__gt=0)
        .order_by("-value", "brand_id")
    )
    brands = Brand.objects.in_bulk([row["brand_id"] for row in rows[:count] + rows[-count:]])
    top = [(brands[row["brand_id"]], row["value"]) for row in rows[:count]]
    bottom = [(brands[row["brand_id"]], row["value"]) for row in reversed(rows[-count:])] if len(rows) > count else []
    return top, bottom


def published_per_channel(start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    """How many items went live per channel in the period (China-time days of their hour)."""
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    rows = (
        ContentItem.objects.filter(status=ContentStatus.PUBLISHED, scheduled_at__gte=begin, scheduled_at__lt=finish)
        .values("channel")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    return [(row["channel"], row["count"]) for row in rows if row["channel"] in Channel.values]


def targets_met(start: datetime.date, end: datetime.date) -> list[tuple[Campaign, list[Target]]]:
    """Campaigns that ended in the period and set targets, with each target against its result."""
    campaigns = list(
        Campaign.objects.filter(ends_on__gte=start, ends_on__lte=end)
        .exclude(status=CampaignStatus.CANCELLED)
        .filter(Q(target_followers__gt=0) | Q(target_impressions__gt=0) | Q(target_interactions__gt=0))
        .order_by("-ends_on")
    )
    totals = campaigns_results(campaigns, None)
    result = []
    for campaign in campaigns:
        found = totals.get(campaign.pk, Totals())
        rows = [
            Target(figure, getattr(campaign, target_field), getattr(found, figure))
            for target_field, figure in TARGETS
            if getattr(campaign, target_field)
        ]
        result.append((campaign, rows))
    return result
