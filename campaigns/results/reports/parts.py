"""The parts of a report — headline tiles, sections with their charts and tables — written from one brand's figures."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.choices import CampaignStatus, Channel
from campaigns.models import Campaign, ContentItem
from campaigns.models.content import BRAND_VISIBLE_STATUSES

from .. import selectors
from ..analysis import percent
from ..models import MetricRollup
from .layout import Chart, Kpi, Section, Table, Text
from .text import (
    AXIS_WORDS,
    CHINA,
    FIGURES,
    change,
    compact,
    date_range,
    figure,
    figure_label,
    integer,
    month_name,
    pair,
    short_day,
    short_month,
)


def filled(series: selectors.Series, periods: list, name: str, default=0) -> list:
    found = dict(zip(series.periods, series.values.get(name, []), strict=True))
    return [found.get(period, default) for period in periods]


def kpis(this: selectors.Totals, before: selectors.Totals | None = None, before_name: str = "") -> list[Kpi]:
    kpis = []
    for name in FIGURES:
        kpi = Kpi(label=figure_label(name), value=figure(name, this))
        if before is not None:
            kpi.before = pair(before_name, figure(name, before))
            kpi.change, kpi.trend = change(name, this, before)
        kpis.append(kpi)
    return kpis


def columns(*names: str) -> list[str]:
    return [figure_label(name) for name in names]


FLOW_COLUMNS = ("impressions", "interactions", "clicks", "ctr", "viewers", "followers_gained", "items_sold", "gmv_cny")


def flow_cells(totals: selectors.Totals, names=FLOW_COLUMNS) -> list[str]:
    return [figure(name, totals) for name in names]


def axis_chart(kind: str, title: str, labels: list[str], values: list) -> Chart:
    return Chart(kind=kind, title=title, labels=labels, values=values, tick_label=compact, axis_words=AXIS_WORDS)


def followers_section(brand_ids, periods: list[datetime.date], end: datetime.date, title: str, step: str) -> Section:
    """The accounts' followers at the end of each period (a line), and the table of levels and gains."""
    months = periods
    found = selectors.series(brand_ids, months[0], end, step=step, names=("followers_total", "followers_gained"))
    levels = filled(found, months, "followers_total", None)
    gains = filled(found, months, "followers_gained", 0)
    if not any(levels) and not any(gains):
        return Section(gettext("Followers over time"), [Text(gettext("No followers figure in this period."), "muted")])
    if step == "month":
        labels = [short_month(m, with_year=i == 0 or m.month == 1) for i, m in enumerate(months)]
        names = [month_name(m) for m in months]
    else:
        labels = [short_day(d) for d in months]
        names = labels if step == "day" else [gettext("Week of %(day)s") % {"day": d} for d in labels]
    rows = [
        [name, integer(level) if level is not None else "—", integer(gain)]
        for name, level, gain in zip(names, levels, gains, strict=True)
        if level is not None or gain
    ]
    table = Table(
        columns=[
            {"month": gettext("Month"), "week": gettext("Week"), "day": gettext("Day")}[step],
            *columns("followers_total", "followers_gained"),
        ],
        rows=rows,
        widths=[3, 2, 2],
        align="LRR",
    )
    chart = axis_chart("line", title, labels, levels)
    note = Text(gettext("Followers: the accounts' followers on the last day with a figure."), "muted")
    return Section(gettext("Followers over time"), [chart, table, note])


def period_table(found: selectors.Series, periods: list, names: list[str], heading: str, total: selectors.Totals):
    flows = [n for n in FLOW_COLUMNS if n != "ctr"]
    values = {n: filled(found, periods, n) for n in flows}
    rows = []
    for index, name in enumerate(names):
        totals = selectors.Totals(**{n: values[n][index] for n in flows})
        if totals.impressions or any(values[n][index] for n in flows):
            rows.append([name, *flow_cells(totals)])
    return Table(
        columns=[heading, *columns(*FLOW_COLUMNS)],
        rows=rows,
        widths=[2.6, 2.2, 2, 1.8, 1.6, 1.9, 1.8, 1.7, 2.4],
        align="LRRRRRRRR",
        total=[gettext("Total"), *flow_cells(total)],
    )


def channel_section(pairs: list, empty: str) -> Section:
    heading = gettext("By channel")
    if not pairs:
        return Section(heading, [Text(empty, "muted")])
    labels = [Channel(c).label if c in Channel.values else c for c, _t in pairs]
    chart = Chart(
        kind="hbars",
        title=gettext("Impressions per channel"),
        labels=[str(x) for x in labels],
        values=[t.impressions for _c, t in pairs],
        value_labels=[integer(t.impressions) for _c, t in pairs],
    )
    table = Table(
        columns=[gettext("Channel"), *columns(*FLOW_COLUMNS)],
        rows=[[str(name), *flow_cells(t)] for name, (_c, t) in zip(labels, pairs, strict=True)],
        widths=[3.2, 2.2, 2, 1.8, 1.6, 1.9, 1.8, 1.7, 2.4],
        align="LRRRRRRRR",
    )
    return Section(heading, [chart, table])


ITEM_COLUMNS = ("impressions", "clicks", "ctr", "interactions", "viewers", "items_sold", "gmv_cny")


def items_table(items: list, results: dict) -> Table:
    rows = []
    for item in items:
        totals = results.get(item.pk)
        cells = flow_cells(totals, ITEM_COLUMNS) if totals else ["—"] * len(ITEM_COLUMNS)
        day = timezone.localtime(item.scheduled_at, CHINA).date()
        rows.append([item.title or f"#{item.pk}", str(item.get_channel_display()), short_day(day), *cells])
    return Table(
        columns=[gettext("Content item"), gettext("Channel"), gettext("Date"), *columns(*ITEM_COLUMNS)],
        rows=rows,
        widths=[3.9, 2.5, 1.6, 2.1, 1.6, 1.5, 1.9, 1.9, 1.6, 2.6],
        align="LLLRRRRRRR",
    )


def campaign_line(campaign: Campaign) -> str:
    parts = []
    if campaign.festival_id:
        parts.append(f"{campaign.festival.name} {campaign.festival_year}")
    parts.append(date_range(campaign.starts_on, campaign.ends_on))
    if campaign.status == CampaignStatus.CANCELLED:
        parts.append(str(campaign.get_status_display()))
    return " · ".join(parts)


def brand_items(brand, campaigns) -> list:
    """The reviewed items featuring the brand in these campaigns (what its users may see of them)."""
    return list(
        ContentItem.objects.filter(campaign__in=campaigns, brands=brand, status__in=BRAND_VISIBLE_STATUSES)
        .order_by("scheduled_at", "pk")
        .distinct()
    )


def month_campaigns_section(brand, start: datetime.date, end: datetime.date, period: str) -> Section:
    """The campaigns the brand took part in during the month (or that brought it results then), each with its
    figures of the month and its items' (reviewed ones only)."""
    heading = gettext("Campaigns")
    with_results = MetricRollup.objects.filter(brand=brand, day__gte=start, day__lte=end, campaign_key__gt=0)
    campaigns = list(
        Campaign.objects.filter(campaign_brands__brand=brand)
        .filter(Q(starts_on__lte=end, ends_on__gte=start) | Q(pk__in=with_results.values("campaign_key")))
        .exclude(Q(status=CampaignStatus.CANCELLED) & ~Q(pk__in=with_results.values("campaign_key")))
        .select_related("festival")
        .order_by("starts_on", "pk")
        .distinct()
    )
    if not campaigns:
        return Section(heading, [Text(gettext("No campaign in %(period)s.") % {"period": period}, "muted")])
    totals = selectors.campaigns_results(campaigns, [brand.pk], start=start, end=end)
    results = selectors.items_results(campaigns, [brand.pk], start=start, end=end)
    items = brand_items(brand, campaigns)
    blocks = [Text(gettext("Figures of %(period)s only.") % {"period": period}, "muted")]
    for campaign in campaigns:
        own = [i for i in items if i.campaign_id == campaign.pk and (i.pk in results or scheduled_in(i, start, end))]
        found = totals.get(campaign.pk, selectors.Totals())
        blocks.append(Text(campaign.title, "B"))
        summary = gettext("%(line)s · impressions %(impressions)s · clicks %(clicks)s · interactions %(interactions)s")
        blocks.append(
            Text(
                summary
                % {
                    "line": campaign_line(campaign),
                    "impressions": integer(found.impressions),
                    "clicks": integer(found.clicks),
                    "interactions": integer(found.interactions),
                },
                "muted",
            )
        )
        if own:
            blocks.append(items_table(own, results))
    return Section(heading, blocks)


def scheduled_in(item, start: datetime.date, end: datetime.date) -> bool:
    return start <= timezone.localtime(item.scheduled_at, CHINA).date() <= end


def scans_section(groups: list[dict], empty: str) -> Section:
    heading = gettext("Events: scans of the brand's codes")
    if not groups:
        return Section(heading, [Text(empty, "muted")])
    rows, bold = [], set()
    for group in groups:
        event = group["event"]
        bold.add(len(rows))
        if event is not None:
            rows.append(
                [
                    event.title,
                    event.city,
                    date_range(event.starts_on, event.ends_on),
                    integer(group["scans"]),
                    integer(group["uniques"]),
                ]
            )
        else:
            rows.append([gettext("Codes outside events"), "", "", integer(group["scans"]), integer(group["uniques"])])
        for link, scans, uniques in group["links"]:
            where = " · ".join(x for x in (link.label, link.venue) if x)
            rows.append([f"   {where}", link.city, "", integer(scans), integer(uniques)])
    total_scans = sum(g["scans"] for g in groups)
    total_uniques = sum(g["uniques"] for g in groups)
    table = Table(
        columns=[
            gettext("Event / code"),
            gettext("City"),
            gettext("Dates"),
            gettext("Scans"),
            gettext("Unique visitors"),
        ],
        rows=rows,
        widths=[5, 2, 4, 1.6, 1.8],
        align="LLLRR",
        bold=bold,
        total=[gettext("Total"), "", "", integer(total_scans), integer(total_uniques)],
    )
    note = Text(gettext("Scans by people (bots left out); unique visitors are counted once a day per code."), "muted")
    return Section(heading, [table, note])


def banner_section(comparisons, empty: str) -> Section:
    """The creatives' click-through rates by colour, picture subject and topic, channel by channel
    (``analysis.variant_comparisons``: a RED note's rate is not a banner's), a bar chart and a table per attribute,
    and the verdicts in words."""
    heading = gettext("Banner comparison")
    comparisons = [(channel, comparison) for channel, comparison in comparisons if not comparison.empty]
    if not comparisons:
        return Section(heading, [Text(empty, "muted")])
    blocks = [
        Text(
            gettext(
                "Click-through rate of the creatives by dominant colour, picture subject and topic, with its "
                "%(level)s interval; the best group is tested against the other creatives of its channel."
            )
            % {"level": "95%"},
            "muted",
        )
    ]
    labels = dict(Channel.choices)
    for channel, comparison in comparisons:
        if len(comparisons) > 1:
            blocks.append(Text(str(labels.get(channel, channel)), "B"))
        blocks += _banner_blocks(comparison)
    return Section(heading, blocks)


def _banner_blocks(comparison) -> list:
    blocks = []
    for dimension in comparison.dimensions:
        name = str(dimension.label)
        groups = dimension.groups
        if len(groups) < 2:  # one colour (or none set): nothing to draw, the verdict says so
            blocks.append(Text(pair(name, dimension.verdict.message)))
            continue
        blocks.append(
            Chart(
                kind="hbars",
                title=gettext("Click-through rate by %(dimension)s") % {"dimension": str(dimension.verdict.dimension)},
                labels=[str(g.label) for g in groups],
                values=[g.ctr or 0 for g in groups],
                value_labels=[percent(g.ctr) for g in groups],
            )
        )
        blocks.append(
            Table(
                columns=[
                    name,
                    *columns("impressions", "clicks"),
                    gettext("CTR"),
                    gettext("%(level)s interval") % {"level": "95%"},
                ],
                rows=[
                    [
                        str(g.label),
                        integer(g.impressions),
                        integer(g.clicks),
                        percent(g.ctr),
                        f"{percent(g.low)} – {percent(g.high)}",
                    ]
                    for g in groups
                ],
                widths=[4, 2, 2, 1.6, 3],
                align="LRRRR",
                bold={i for i, g in enumerate(groups) if g.best},
            )
        )
        blocks.append(Text(dimension.verdict.message))
    blocks.append(
        Table(
            title=gettext("Creatives"),
            columns=[
                gettext("Content item"),
                gettext("Colour"),
                gettext("Picture subject"),
                gettext("Topic"),
                *columns("impressions", "clicks"),
                gettext("CTR"),
            ],
            rows=[
                [
                    rate.creative.item.title or f"#{rate.creative.item_id}",
                    str(rate.colour),
                    str(rate.subject),
                    str(rate.topic),
                    integer(rate.impressions),
                    integer(rate.clicks),
                    percent(rate.ctr),
                ]
                for rate in comparison.creatives
            ],
            widths=[4, 2, 2.4, 2.4, 2, 1.6, 1.5],
            align="LLLLRRR",
        )
    )
    blocks.append(Text(comparison.creative_verdict.message))
    return blocks
