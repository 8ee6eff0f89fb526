"""A brand's PDF reports — one per month, one per campaign — written in the reader's language and time zone.

``month_report`` and ``campaign_report`` read **one brand's** figures through the selectors (rollups for totals,
series and channels; the facts of a few campaigns for their items and creatives; the tracking rollups for scans)
and write everything as text in the active language: numbers, dates, labels. On a campaign shared with another
brand only this brand's rows are read, so nothing of the other brand can reach the page: no name, no item, no
figure. ``report_pdf`` draws the text (``layout``: charts in vector lines and bars, each followed by the table of
its numbers).

The package by topic: ``text`` writes numbers and dates as the reader does, ``scans`` reads the brand's codes'
scans, ``parts`` writes the tiles and sections from the figures, ``layout`` draws them; this module puts a month's
or a campaign's report together.

The report is the brand's whoever reads it: agency staff who download a brand's report get what the brand's users
get. Its items are the ones a brand user may see (reviewed: approved or later). Days are China days, as the
platforms count them; the moment the report was made is written in the reader's time zone.
"""

import datetime

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.models import Campaign
from campaigns.tracking.models import ScanHour

from .. import selectors
from ..analysis import variant_comparisons
from ..models import BrandDay, MetricRollup
from .layout import Report, Section, Text, report_pdf_bytes
from .parts import (
    axis_chart,
    banner_section,
    brand_items,
    campaign_line,
    channel_section,
    filled,
    followers_section,
    items_table,
    kpis,
    month_campaigns_section,
    period_table,
    scans_section,
)
from .scans import brand_links, scan_rows, window
from .text import (
    CHINA,
    FIGURES,
    active_language,
    change,
    compact,
    days_between,
    figure,
    figure_label,
    integer,
    moment,
    money,
    month_bounds,
    month_name,
    pair,
    short_day,
)

FOLLOWER_MONTHS = 12  # the monthly report's followers chart: this month and the eleven before
WEEKLY_AFTER_DAYS = 62  # a campaign report draws weeks, not days, past this many days
# What the report mail and the views use besides the reports themselves.
__all__ = [
    "CHINA",
    "FIGURES",
    "brand_links",
    "campaign_report",
    "change",
    "compact",
    "figure",
    "figure_label",
    "integer",
    "money",
    "month_bounds",
    "month_has_results",
    "month_name",
    "month_report",
    "pair",
    "report_pdf",
    "scan_rows",
]


def other_name(brand) -> str:
    """The brand's registered (Italian) name, when the reader's language names it differently."""
    return brand.name_it if brand.name_it and brand.name_it != brand.name else ""


def filename(brand, *parts) -> str:
    return "-".join(["helloita", brand.slug, *map(str, parts), active_language()]) + ".pdf"


# --- the reports ----------------------------------------------------------------------------------------------------


def month_report(brand, year: int, month: int, *, now: datetime.datetime | None = None) -> Report:
    """A brand's month: headline figures against the month before, followers over the last twelve months, every
    figure per day, by channel, its campaigns and their items, its events' scans and its banner comparison. A month
    still running is reported up to today (China time) and compared with the same days of the month before."""
    now = now or timezone.now()
    today = timezone.localdate(now, CHINA)
    start, end = month_bounds(year, month)
    running = start <= today < end
    upto = today if running else end
    brand_ids = [brand.pk]
    before_end = start - datetime.timedelta(days=1)
    before_start = before_end.replace(day=1)
    this = selectors.period_totals(brand_ids, start, upto)
    if running:
        same = before_start.replace(day=min(upto.day, before_end.day))
        before = selectors.period_totals(brand_ids, before_start, same)
        before_name = f"{short_day(before_start)} – {short_day(same)}"
    else:
        before = selectors.period_totals(brand_ids, before_start, before_end)
        before_name = month_name(before_start)
    period = month_name(start)
    subtitle = gettext("Monthly report · %(month)s") % {"month": period}
    if running:
        subtitle = gettext("Monthly report · %(month)s, to %(day)s") % {"month": period, "day": short_day(upto)}

    scans = scan_rows(brand, start=start, end=end)
    note = gettext("Figures of %(brand)s only, from the platforms' and partners' data; days in China time.") % {
        "brand": brand.name
    }
    note += " " + gettext("Changes against %(before)s.") % {"before": before_name}
    if this.empty and not any(g["scans"] for g in scans):
        note = gettext("No results for %(brand)s in %(month)s yet.") % {"brand": brand.name, "month": period}

    months = [_month_back(start, n) for n in range(FOLLOWER_MONTHS - 1, -1, -1)]
    days = days_between(start, end)
    daily = selectors.series(brand_ids, start, upto, step="day")
    day_names = [short_day(d) for d in days]
    per_day = [
        axis_chart(
            "bars",
            gettext("Impressions per day, %(month)s") % {"month": period},
            [str(d.day) for d in days],
            filled(daily, days, "impressions"),
        ),
        period_table(daily, days, day_names, gettext("Day"), this),
    ]
    nothing = gettext("No results in %(period)s.") % {"period": period}
    sections = [
        followers_section(brand_ids, months, end, gettext("Followers at the end of each month"), "month"),
        Section(gettext("Day by day"), per_day if not this.empty else [Text(nothing, "muted")]),
        channel_section(selectors.channel_totals(brand_ids, start, upto), nothing),
        month_campaigns_section(brand, start, upto, period),
        scans_section(scans, gettext("No event with the brand's codes in %(period)s.") % {"period": period}),
        banner_section(
            variant_comparisons(brand_ids, start=start, end=upto),
            gettext("No creative had impressions in %(period)s.") % {"period": period},
        ),
    ]
    about = " · ".join(x for x in (other_name(brand), moment(now)) if x)
    return Report(
        title=brand.name,
        subtitle=subtitle,
        about=about[:1].upper() + about[1:],
        kpis=kpis(this, before, before_name),
        kpi_note=note,
        sections=sections,
        filename=filename(brand, f"{year}-{month:02d}"),
        language=active_language(),
        running_head=f"{brand.name} · {subtitle}",
    )


def _month_back(start: datetime.date, months: int) -> datetime.date:
    index = start.year * 12 + start.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def campaign_report(brand, campaign: Campaign, *, now: datetime.datetime | None = None) -> Report:
    """A brand's part of a campaign: its figures on it (never another brand's), per day (per week past two
    months) and by channel, the accounts' followers over the campaign, its items, the scans of its codes at the
    campaign's events and its banner comparison."""
    now = now or timezone.now()
    brand_ids = [brand.pk]
    result = selectors.campaign_results(campaign, brand_ids)
    totals = result.totals
    bounds = MetricRollup.objects.filter(campaign_key=campaign.pk, brand=brand).aggregate(
        first=Min("day"), last=Max("day")
    )
    start = min(campaign.starts_on, bounds["first"] or campaign.starts_on)
    end = max(campaign.ends_on, bounds["last"] or campaign.ends_on)
    weekly = (end - start).days + 1 > WEEKLY_AFTER_DAYS
    if weekly:
        start -= datetime.timedelta(days=start.weekday())
        periods = [start + datetime.timedelta(weeks=n) for n in range((end - start).days // 7 + 1)]
        labels = [short_day(p) for p in periods]
        names = [gettext("Week of %(day)s") % {"day": short_day(p)} for p in periods]
    else:
        periods = days_between(start, end)
        labels = [short_day(p) for p in periods]
        names = labels
    found = selectors.campaign_series(campaign, brand_ids, start, end, step="week" if weekly else "day")
    level = BrandDay.objects.filter(brand=brand, day__gte=start, day__lte=end, followers_total__gt=0)
    totals.followers_total = selectors.period_totals(brand_ids, start, end).followers_total if level.exists() else 0

    title = campaign.title
    subtitle = gettext("Campaign report · %(campaign)s") % {"campaign": title}
    nothing = gettext("No results on this campaign yet.")
    per_period = [
        axis_chart(
            "bars",
            gettext("Impressions per week") if weekly else gettext("Impressions per day"),
            labels,
            filled(found, periods, "impressions"),
        ),
        period_table(found, periods, names, gettext("Week") if weekly else gettext("Day"), totals),
    ]
    items = brand_items(brand, [campaign])
    results = selectors.item_results(campaign, brand_ids)
    item_blocks = [items_table(items, results)] if items else [Text(gettext("No reviewed content item yet."), "muted")]
    sections = [
        Section(
            gettext("Week by week") if weekly else gettext("Day by day"),
            per_period if not totals.empty else [Text(nothing, "muted")],
        ),
        followers_section(
            brand_ids, periods, end, gettext("Followers during the campaign"), "week" if weekly else "day"
        ),
        channel_section(result.by_channel, nothing),
        Section(gettext("Content items"), item_blocks),
        scans_section(
            scan_rows(brand, campaign=campaign), gettext("No event of this campaign with the brand's codes.")
        ),
        banner_section(
            variant_comparisons(brand_ids, campaigns=[campaign]),
            gettext("No creative of this campaign had impressions."),
        ),
    ]
    note = gettext(
        "Figures of %(brand)s on this campaign only, from the platforms' and partners' data; days in China time."
    )
    note %= {"brand": brand.name}
    if totals.empty:
        note = nothing
    about = " · ".join(x for x in (other_name(brand), campaign_line(campaign), moment(now)) if x)
    return Report(
        title=brand.name,
        subtitle=subtitle,
        about=about[:1].upper() + about[1:],
        kpis=kpis(totals),
        kpi_note=note,
        sections=sections,
        filename=filename(brand, "campaign", campaign.pk),
        language=active_language(),
        running_head=f"{brand.name} · {subtitle}",
    )


def report_pdf(report: Report) -> bytes:
    return report_pdf_bytes(report)


def month_has_results(brand, year: int, month: int) -> bool:
    """Whether a month has anything to report for a brand: figures, or scans of its codes."""
    start, end = month_bounds(year, month)
    if BrandDay.objects.filter(brand=brand, day__gte=start, day__lte=end, facts__gt=0).exists():
        return True
    since, until = window(start, end)
    return ScanHour.objects.filter(
        link__in=brand_links(brand), hour__gte=since, hour__lt=until, is_bot=False, scans__gt=0
    ).exists()
