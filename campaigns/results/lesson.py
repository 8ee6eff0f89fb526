"""Last year's lesson: what the previous occurrence of a campaign's festival brought, for planning this one.

When a campaign is planned on a festival, its page shows the campaigns of that festival's previous occurrence
(festival year − 1) — and, for a copy, the campaign it was copied from ("Copy to next year" carries the lesson
forward):

* their results against their targets;
* the best and worst creatives with colour, subject and topic, and whether the difference is significant, and the
  colour / subject / topic verdicts (``analysis.variant_comparisons`` over those campaigns, channel by channel);
* the channels that worked: followers gained, impressions, click-through rate (with its interval), interactions
  and viewers per channel, most followers first;
* for staff, targets suggested from last year's results (``suggest_targets``).

Every read is of the reader's brands (None: agency staff), in a fixed number of queries whatever the number of
campaigns, items and creatives last year had.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from campaigns.choices import CampaignStatus, Channel
from campaigns.models import Campaign, CampaignBrand

from . import selectors
from .analysis import Rate, variant_comparisons
from .metrics import label
from .selectors import SUMS, TARGETS, Target, Totals

#: Suggested targets are last year's results per brand, times this campaign's brands, plus this growth: a plan to
#: do a little better than last year, the agency's usual ambition (staff change it before saving).
TARGET_GROWTH = Decimal("0.10")


@dataclass
class PastCampaign:
    campaign: Campaign
    totals: Totals
    targets: list = field(default_factory=list)  # Target rows (staff only)
    source_of_copy: bool = False  # the campaign on the page was copied from this one
    rate: Rate = field(default_factory=Rate)  # clicks over the impressions of the channels that report clicks

    @property
    def target_rows(self) -> list:
        """(label, Target) for the targets it set."""
        return [(label(target.name), target) for target in self.targets]


@dataclass
class ChannelRow:
    channel: str
    totals: Totals
    rate: Rate

    @property
    def label(self) -> str:
        return Channel(self.channel).label if self.channel in Channel.values else self.channel


@dataclass
class Suggestion:
    """A target for this campaign worked out from last year's result."""

    target_field: str  # the campaign's field ("target_followers")
    figure: str  # the metric it measures ("followers_gained")
    last_target: int | None
    last_actual: int
    suggested: int
    current: int | None

    @property
    def label(self) -> str:
        return label(self.figure)


@dataclass
class Lesson:
    festival: object
    year: int
    campaigns: list  # PastCampaign
    totals: Totals
    channels: list  # ChannelRow, most followers gained first
    comparisons: list  # (channel label, VariantComparison): creatives compared within each channel
    suggestions: list = field(default_factory=list)  # Suggestion (staff only)
    brands_last_year: int = 0

    @property
    def has_results(self) -> bool:
        return not self.totals.empty

    @property
    def most_followers(self) -> ChannelRow | None:
        rows = [row for row in self.channels if row.totals.followers_gained > 0]
        return rows[0] if rows else None

    @property
    def best_ctr(self) -> ChannelRow | None:
        rows = [row for row in self.channels if row.rate.clicks]
        return max(rows, key=lambda row: (row.rate.fraction, row.rate.impressions), default=None)


def _past_campaigns(campaign: Campaign, brand_ids) -> list[Campaign]:
    """The festival's campaigns of the year before (not cancelled) and the campaign this one was copied from, among
    those the reader may see."""
    year = campaign.festival_year - 1
    found = Campaign.objects.filter(festival_id=campaign.festival_id, festival_year=year).exclude(
        status=CampaignStatus.CANCELLED
    )
    if campaign.copied_from_id:
        found = found | Campaign.objects.filter(pk=campaign.copied_from_id)
    found = found.exclude(pk=campaign.pk)
    if brand_ids is not None:
        found = found.filter(pk__in=CampaignBrand.objects.filter(brand_id__in=brand_ids).values("campaign_id"))
    return list(found.distinct().order_by("festival_year", "starts_on", "title", "pk"))


def last_year_lesson(campaign: Campaign, brand_ids, *, brands_now: int | None = None) -> Lesson | None:
    """The lesson for ``campaign`` (None when it is not on a festival, or last year has no campaign the reader may
    see). ``brands_now``: how many brands take part this year (for suggested targets; staff only)."""
    if not campaign.festival_id or not campaign.festival_year:
        return None
    past = _past_campaigns(campaign, brand_ids)
    if not past:
        return None
    ids = [c.pk for c in past]
    # One read of the rollups by campaign and channel gives each campaign's totals, its click-through rate over the
    # channels that report clicks (a livestream's impressions without clicks would lower it), and the channels.
    per_campaign: dict[int, Totals] = {}
    clicked: dict[int, Rate] = {}
    by_channel: dict[str, Totals] = {}
    rollups = selectors._campaign_rollups(ids, brand_ids).values("campaign_key", "channel").annotate(**SUMS)
    for row in rollups.order_by():
        figures = Totals.of(row)
        _add(per_campaign.setdefault(row["campaign_key"], Totals()), figures)
        _add(by_channel.setdefault(row["channel"], Totals()), figures)
        if figures.clicks:
            clicked.setdefault(row["campaign_key"], Rate()).add(figures.clicks, figures.impressions)
    totals = Totals()
    rows = []
    for old in past:
        found = per_campaign.get(old.pk, Totals())
        _add(totals, found)
        targets = []
        if brand_ids is None:
            targets = [
                Target(figure, getattr(old, target_field), getattr(found, figure))
                for target_field, figure in TARGETS
                if getattr(old, target_field)
            ]
        rows.append(
            PastCampaign(
                old, found, targets, source_of_copy=old.pk == campaign.copied_from_id, rate=clicked.get(old.pk, Rate())
            )
        )
    totals.followers_total = 0  # a level, meaningless summed over days
    channels = [
        ChannelRow(channel, figures, Rate(figures.clicks, figures.impressions))
        for channel, figures in by_channel.items()
    ]
    channels.sort(key=lambda r: (-r.totals.followers_gained, -r.totals.impressions, r.channel))
    lesson = Lesson(
        festival=campaign.festival,
        year=campaign.festival_year - 1,
        campaigns=rows,
        totals=totals,
        channels=channels,
        comparisons=[
            (Channel(c).label if c in Channel.values else c, found)
            for c, found in variant_comparisons(brand_ids, campaigns=ids)
        ],
    )
    if brand_ids is None:
        lesson.brands_last_year = (
            CampaignBrand.objects.filter(campaign_id__in=ids).aggregate(n=Count("brand_id", distinct=True))["n"] or 0
        )
        lesson.suggestions = suggest_targets(campaign, rows, totals, lesson.brands_last_year, brands_now)
    return lesson


def _add(total: Totals, more: Totals) -> None:
    for name in SUMS:
        setattr(total, name, getattr(total, name) + getattr(more, name))


def nice_round(value: float) -> int:
    """Up to three significant figures (123,456 → 123,000; 8,765 → 8,770): a target, not a measurement."""
    if value <= 0:
        return 0
    digits = max(math.floor(math.log10(value)) - 2, 0)
    step = Decimal(10) ** digits
    return int((Decimal(str(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def suggest_targets(campaign: Campaign, past: list, totals: Totals, brands_last: int, brands_now: int | None) -> list:
    """For each target (followers, impressions, interactions) last year's campaigns reached something in: last
    year's result per brand × this campaign's brands × (1 + ``TARGET_GROWTH``), rounded. Per brand, because the
    copy of an eight-brand campaign planned with five brands should not aim at the eight brands' total."""
    suggestions = []
    scale = Decimal(brands_now) / Decimal(brands_last) if brands_now and brands_last else Decimal(1)
    for target_field, figure in TARGETS:
        actual = getattr(totals, figure)
        if actual <= 0:
            continue
        targets = [getattr(p.campaign, target_field) for p in past if getattr(p.campaign, target_field)]
        suggested = nice_round(float(Decimal(actual) * scale * (1 + TARGET_GROWTH)))
        suggestions.append(
            Suggestion(
                target_field=target_field,
                figure=figure,
                last_target=sum(targets) if targets else None,
                last_actual=actual,
                suggested=suggested,
                current=getattr(campaign, target_field),
            )
        )
    return suggestions
