"""A brand's PDF reports — one per month, one per campaign — written in the reader's language and time zone.

``month_report`` and ``campaign_report`` read **one brand's** figures through the selectors (rollups for totals,
series and channels; the facts of a few campaigns for their items and creatives; the tracking rollups for scans)
and write everything as text in the active language: numbers, dates, labels. On a campaign shared with another
brand only this brand's rows are read, so nothing of the other brand can reach the page: no name, no item, no
figure. ``report_pdf`` draws the text (``report_layout``: charts in vector lines and bars, each followed by the
table of its numbers).

The report is the brand's whoever reads it: agency staff who download a brand's report get what the brand's users
get. Its items are the ones a brand user may see (reviewed: approved or later). Days are China days, as the
platforms count them; the moment the report was made is written in the reader's time zone.
"""

import calendar
import datetime
import zoneinfo
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Max, Min, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, pgettext

from campaigns.choices import CampaignStatus, Channel
from campaigns.models import Campaign, ContentItem
from campaigns.models.content import BRAND_VISIBLE_STATUSES
from campaigns.tracking.models import OfflineEvent, ScanHour, TrackedLink

from . import selectors
from .analysis import percent, variant_comparison
from .metrics import label
from .models import BrandDay, MetricRollup
from .report_layout import Chart, Kpi, Report, Section, Table, Text, report_pdf_bytes

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
# The headline figures, in the order of their tiles.
FIGURES = (
    "followers_total",
    "followers_gained",
    "impressions",
    "interactions",
    "viewers",
    "clicks",
    "ctr",
    "items_sold",
    "gmv_cny",
)
FOLLOWER_MONTHS = 12  # the monthly report's followers chart: this month and the eleven before
WEEKLY_AFTER_DAYS = 62  # a campaign report draws weeks, not days, past this many days
MINUS = "\u2212"


# --- numbers and dates in the reader's language ---------------------------------------------------------------------


def _language() -> str:
    return get_language() or "en"


def integer(value) -> str:
    """1,234,567 / 1.234.567. Chinese too is grouped by thousands with commas, as the platforms' dashboards write
    it (Django's Chinese format does not group at all)."""
    if value is None:
        return "—"
    value = int(value)
    if _language().startswith("zh"):
        return f"{value:,}"
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def money(value) -> str:
    value = Decimal(value or 0).quantize(Decimal("0.01"))
    if _language().startswith("zh"):
        return f"{value:,.2f}"
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def _decimal(value: float, places: int) -> str:
    return formats.number_format(round(value, places), places, use_l10n=True)


def compact(value: float) -> str:
    """An axis label: 2.5K, 1,5 Mln, 150万."""
    units = {
        "zh": ((10**8, "亿"), (10**4, "万")),
        "it": ((10**9, " Mrd"), (10**6, " Mln"), (10**3, " mila")),
    }.get(_language()[:2], ((10**9, "B"), (10**6, "M"), (10**3, "K")))
    for size, unit in units:
        if abs(value) >= size:
            scaled = value / size
            places = next(p for p in (0, 1, 2) if p == 2 or abs(round(scaled, p) - scaled) < 1e-9)
            return _decimal(scaled, places) + unit
    return integer(round(value))


AXIS_WORDS = ["亿万", " Mrd Mln mila", "BMK"]


def pair(label_text: str, value: str) -> str:
    """ "Label: value" with the reader's colon (Chinese writes a full-width one, with no space)."""
    return gettext("%(label)s: %(value)s") % {"label": label_text, "value": value}


def figure(name: str, totals: selectors.Totals) -> str:
    """A headline figure as written in a tile or a mail."""
    if name == "ctr":
        return percent(totals.ctr)
    if name == "gmv_cny":
        return money(totals.gmv_cny)
    return integer(getattr(totals, name))


def figure_label(name: str) -> str:
    return gettext("Click-through rate") if name == "ctr" else label(name)


def _sign(value) -> str:
    return "+" if value > 0 else MINUS if value < 0 else "±"


def change(name: str, now: selectors.Totals, before: selectors.Totals) -> tuple[str, int]:
    """The change from ``before`` to ``now`` as written (+12.3%; the CTR in percentage points) and its direction;
    ("", 0) when there is nothing to compare with."""
    if name == "ctr":
        if now.ctr is None or before.ctr is None:
            return "", 0
        delta = round((now.ctr - before.ctr) * 100, 2)
        text = pgettext("change in percentage points", "%(sign)s%(value)s pp") % {
            "sign": _sign(delta),
            "value": _decimal(abs(delta), 2),
        }
        return text, (delta > 0) - (delta < 0)
    old, new = Decimal(getattr(before, name) or 0), Decimal(getattr(now, name) or 0)
    if not old:
        return "", 0
    delta = round(float((new - old) / abs(old) * 100), 1)
    return f"{_sign(delta)}{_decimal(abs(delta), 1)}%", (delta > 0) - (delta < 0)


def month_name(day: datetime.date) -> str:
    """August 2027, agosto 2027, 2027年8月 (Italian writes months in lower case; Django's catalogue does not)."""
    text = formats.date_format(day, "YEAR_MONTH_FORMAT")
    return text.lower() if _language() == "it" else text


def date_text(day: datetime.date) -> str:
    """Aug. 2, 2027 / 2 agosto 2027 / 2027年8月2日."""
    if _language() == "it":
        return formats.date_format(day, "j F Y").lower()
    return formats.date_format(day, "DATE_FORMAT")


def short_day(day: datetime.date) -> str:
    """Aug 2 / 2 ago / 8月2日 (Django's Chinese month-day pads the month: 08月2日)."""
    language = _language()
    if language.startswith("zh"):
        return f"{day.month}月{day.day}日"
    if language == "it":
        return formats.date_format(day, "j M").lower()
    return formats.date_format(day, "M j")


def _short_month(day: datetime.date, *, with_year: bool) -> str:
    language = _language()
    if language.startswith("zh"):
        return f"{day.year}年{day.month}月" if with_year else f"{day.month}月"
    text = formats.date_format(day, "M Y" if with_year else "M")
    return text.lower() if language == "it" else text


def date_range(start: datetime.date, end: datetime.date) -> str:
    return date_text(start) if start == end else f"{date_text(start)} – {date_text(end)}"


def moment(now: datetime.datetime) -> str:
    """The report's moment in the reader's time zone, with the zone named."""
    local = timezone.localtime(now)
    if _language() == "it":
        when = formats.date_format(local, "j F Y, H:i").lower()
    else:
        when = formats.date_format(local, "DATETIME_FORMAT")
    zone = timezone.get_current_timezone_name()
    zones = dict(get_user_model().TimeZone.choices) if hasattr(get_user_model(), "TimeZone") else {}
    return gettext("made on %(when)s (%(zone)s)") % {"when": when, "zone": zones.get(zone, zone)}


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _filled(series: selectors.Series, periods: list, name: str, default=0) -> list:
    found = dict(zip(series.periods, series.values.get(name, []), strict=True))
    return [found.get(period, default) for period in periods]


# --- the brand's codes and their scans ------------------------------------------------------------------------------


def brand_links(brand):
    """The brand's tracked links: those made for it, and the brand-less ones of the events it takes part in (the
    event's own codes). A link of a shared event made for another brand stays out, as on the tracking pages."""
    through = TrackedLink.brands.through.objects
    own = through.filter(brand=brand).values("trackedlink_id")
    events = OfflineEvent.brands.through.objects.filter(brand=brand).values("offlineevent_id")
    return TrackedLink.objects.filter(
        Q(pk__in=own) | (Q(event__in=events) & ~Q(pk__in=through.values("trackedlink_id")))
    )


def _window(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
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
        since, until = _window(start, end)
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


# --- the report's parts ---------------------------------------------------------------------------------------------


def _kpis(this: selectors.Totals, before: selectors.Totals | None = None, before_name: str = "") -> list[Kpi]:
    kpis = []
    for name in FIGURES:
        kpi = Kpi(label=figure_label(name), value=figure(name, this))
        if before is not None:
            kpi.before = pair(before_name, figure(name, before))
            kpi.change, kpi.trend = change(name, this, before)
        kpis.append(kpi)
    return kpis


def _columns(*names: str) -> list[str]:
    return [figure_label(name) for name in names]


FLOW_COLUMNS = ("impressions", "interactions", "clicks", "ctr", "viewers", "followers_gained", "items_sold", "gmv_cny")


def _flow_cells(totals: selectors.Totals, names=FLOW_COLUMNS) -> list[str]:
    return [figure(name, totals) for name in names]


def _axis_chart(kind: str, title: str, labels: list[str], values: list) -> Chart:
    return Chart(kind=kind, title=title, labels=labels, values=values, tick_label=compact, axis_words=AXIS_WORDS)


def _followers_section(brand_ids, periods: list[datetime.date], end: datetime.date, title: str, step: str) -> Section:
    """The accounts' followers at the end of each period (a line), and the table of levels and gains."""
    months = periods
    found = selectors.series(brand_ids, months[0], end, step=step, names=("followers_total", "followers_gained"))
    levels = _filled(found, months, "followers_total", None)
    gains = _filled(found, months, "followers_gained", 0)
    if not any(levels) and not any(gains):
        return Section(gettext("Followers over time"), [Text(gettext("No followers figure in this period."), "muted")])
    if step == "month":
        labels = [_short_month(m, with_year=i == 0 or m.month == 1) for i, m in enumerate(months)]
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
            *_columns("followers_total", "followers_gained"),
        ],
        rows=rows,
        widths=[3, 2, 2],
        align="LRR",
    )
    chart = _axis_chart("line", title, labels, levels)
    note = Text(gettext("Followers: the accounts' followers on the last day with a figure."), "muted")
    return Section(gettext("Followers over time"), [chart, table, note])


def _period_table(found: selectors.Series, periods: list, names: list[str], heading: str, total: selectors.Totals):
    flows = [n for n in FLOW_COLUMNS if n != "ctr"]
    values = {n: _filled(found, periods, n) for n in flows}
    rows = []
    for index, name in enumerate(names):
        totals = selectors.Totals(**{n: values[n][index] for n in flows})
        if totals.impressions or any(values[n][index] for n in flows):
            rows.append([name, *_flow_cells(totals)])
    return Table(
        columns=[heading, *_columns(*FLOW_COLUMNS)],
        rows=rows,
        widths=[2.6, 2.2, 2, 1.8, 1.6, 1.9, 1.8, 1.7, 2.4],
        align="LRRRRRRRR",
        total=[gettext("Total"), *_flow_cells(total)],
    )


def _channel_section(pairs: list, empty: str) -> Section:
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
        columns=[gettext("Channel"), *_columns(*FLOW_COLUMNS)],
        rows=[[str(name), *_flow_cells(t)] for name, (_c, t) in zip(labels, pairs, strict=True)],
        widths=[3.2, 2.2, 2, 1.8, 1.6, 1.9, 1.8, 1.7, 2.4],
        align="LRRRRRRRR",
    )
    return Section(heading, [chart, table])


ITEM_COLUMNS = ("impressions", "clicks", "ctr", "interactions", "viewers", "items_sold", "gmv_cny")


def _items_table(items: list, results: dict) -> Table:
    rows = []
    for item in items:
        totals = results.get(item.pk)
        cells = _flow_cells(totals, ITEM_COLUMNS) if totals else ["—"] * len(ITEM_COLUMNS)
        day = timezone.localtime(item.scheduled_at, CHINA).date()
        rows.append([item.title or f"#{item.pk}", str(item.get_channel_display()), short_day(day), *cells])
    return Table(
        columns=[gettext("Content item"), gettext("Channel"), gettext("Date"), *_columns(*ITEM_COLUMNS)],
        rows=rows,
        widths=[3.9, 2.5, 1.6, 2.1, 1.6, 1.5, 1.9, 1.9, 1.6, 2.6],
        align="LLLRRRRRRR",
    )


def _campaign_line(campaign: Campaign) -> str:
    parts = []
    if campaign.festival_id:
        parts.append(f"{campaign.festival.name} {campaign.festival_year}")
    parts.append(date_range(campaign.starts_on, campaign.ends_on))
    if campaign.status == CampaignStatus.CANCELLED:
        parts.append(str(campaign.get_status_display()))
    return " · ".join(parts)


def _brand_items(brand, campaigns) -> list:
    """The reviewed items featuring the brand in these campaigns (what its users may see of them)."""
    return list(
        ContentItem.objects.filter(campaign__in=campaigns, brands=brand, status__in=BRAND_VISIBLE_STATUSES)
        .order_by("scheduled_at", "pk")
        .distinct()
    )


def _month_campaigns_section(brand, start: datetime.date, end: datetime.date, period: str) -> Section:
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
    items = _brand_items(brand, campaigns)
    blocks = [Text(gettext("Figures of %(period)s only.") % {"period": period}, "muted")]
    for campaign in campaigns:
        own = [i for i in items if i.campaign_id == campaign.pk and (i.pk in results or _in(i, start, end))]
        found = totals.get(campaign.pk, selectors.Totals())
        blocks.append(Text(campaign.title, "B"))
        summary = gettext("%(line)s · impressions %(impressions)s · clicks %(clicks)s · interactions %(interactions)s")
        blocks.append(
            Text(
                summary
                % {
                    "line": _campaign_line(campaign),
                    "impressions": integer(found.impressions),
                    "clicks": integer(found.clicks),
                    "interactions": integer(found.interactions),
                },
                "muted",
            )
        )
        if own:
            blocks.append(_items_table(own, results))
    return Section(heading, blocks)


def _in(item, start: datetime.date, end: datetime.date) -> bool:
    return start <= timezone.localtime(item.scheduled_at, CHINA).date() <= end


def _scans_section(groups: list[dict], empty: str) -> Section:
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


def _banner_section(comparison, empty: str) -> Section:
    """The creatives' click-through rates by colour, picture subject and topic (``analysis.variant_comparison``),
    a bar chart and a table per attribute, and the verdicts in words."""
    heading = gettext("Banner comparison")
    if comparison.empty:
        return Section(heading, [Text(empty, "muted")])
    blocks = [
        Text(
            gettext(
                "Click-through rate of the creatives by dominant colour, picture subject and topic, with its "
                "%(level)s interval; the best group is tested against the other creatives."
            )
            % {"level": "95%"},
            "muted",
        )
    ]
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
                    *_columns("impressions", "clicks"),
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
                *_columns("impressions", "clicks"),
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
    return Section(heading, blocks)


def _other_name(brand) -> str:
    """The brand's registered (Italian) name, when the reader's language names it differently."""
    return brand.name_it if brand.name_it and brand.name_it != brand.name else ""


def _filename(brand, *parts) -> str:
    return "-".join(["helloita", brand.slug, *map(str, parts), _language()]) + ".pdf"


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
    days = _days(start, end)
    daily = selectors.series(brand_ids, start, upto, step="day")
    day_names = [short_day(d) for d in days]
    per_day = [
        _axis_chart(
            "bars",
            gettext("Impressions per day, %(month)s") % {"month": period},
            [str(d.day) for d in days],
            _filled(daily, days, "impressions"),
        ),
        _period_table(daily, days, day_names, gettext("Day"), this),
    ]
    nothing = gettext("No results in %(period)s.") % {"period": period}
    sections = [
        _followers_section(brand_ids, months, end, gettext("Followers at the end of each month"), "month"),
        Section(gettext("Day by day"), per_day if not this.empty else [Text(nothing, "muted")]),
        _channel_section(selectors.channel_totals(brand_ids, start, upto), nothing),
        _month_campaigns_section(brand, start, upto, period),
        _scans_section(scans, gettext("No event with the brand's codes in %(period)s.") % {"period": period}),
        _banner_section(
            variant_comparison(brand_ids, start=start, end=upto),
            gettext("No creative had impressions in %(period)s.") % {"period": period},
        ),
    ]
    about = " · ".join(x for x in (_other_name(brand), moment(now)) if x)
    return Report(
        title=brand.name,
        subtitle=subtitle,
        about=about[:1].upper() + about[1:],
        kpis=_kpis(this, before, before_name),
        kpi_note=note,
        sections=sections,
        filename=_filename(brand, f"{year}-{month:02d}"),
        language=_language(),
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
        periods = _days(start, end)
        labels = [short_day(p) for p in periods]
        names = labels
    found = selectors.campaign_series(campaign, brand_ids, start, end, step="week" if weekly else "day")
    level = BrandDay.objects.filter(brand=brand, day__gte=start, day__lte=end, followers_total__gt=0)
    totals.followers_total = selectors.period_totals(brand_ids, start, end).followers_total if level.exists() else 0

    title = campaign.title
    subtitle = gettext("Campaign report · %(campaign)s") % {"campaign": title}
    nothing = gettext("No results on this campaign yet.")
    per_period = [
        _axis_chart(
            "bars",
            gettext("Impressions per week") if weekly else gettext("Impressions per day"),
            labels,
            _filled(found, periods, "impressions"),
        ),
        _period_table(found, periods, names, gettext("Week") if weekly else gettext("Day"), totals),
    ]
    items = _brand_items(brand, [campaign])
    results = selectors.item_results(campaign, brand_ids)
    item_blocks = [_items_table(items, results)] if items else [Text(gettext("No reviewed content item yet."), "muted")]
    sections = [
        Section(
            gettext("Week by week") if weekly else gettext("Day by day"),
            per_period if not totals.empty else [Text(nothing, "muted")],
        ),
        _followers_section(
            brand_ids, periods, end, gettext("Followers during the campaign"), "week" if weekly else "day"
        ),
        _channel_section(result.by_channel, nothing),
        Section(gettext("Content items"), item_blocks),
        _scans_section(
            scan_rows(brand, campaign=campaign), gettext("No event of this campaign with the brand's codes.")
        ),
        _banner_section(
            variant_comparison(brand_ids, campaigns=[campaign]),
            gettext("No creative of this campaign had impressions."),
        ),
    ]
    note = gettext(
        "Figures of %(brand)s on this campaign only, from the platforms' and partners' data; days in China time."
    )
    note %= {"brand": brand.name}
    if totals.empty:
        note = nothing
    about = " · ".join(x for x in (_other_name(brand), _campaign_line(campaign), moment(now)) if x)
    return Report(
        title=brand.name,
        subtitle=subtitle,
        about=about[:1].upper() + about[1:],
        kpis=_kpis(totals),
        kpi_note=note,
        sections=sections,
        filename=_filename(brand, "campaign", campaign.pk),
        language=_language(),
        running_head=f"{brand.name} · {subtitle}",
    )


def report_pdf(report: Report) -> bytes:
    return report_pdf_bytes(report)


def month_has_results(brand, year: int, month: int) -> bool:
    """Whether a month has anything to report for a brand: figures, or scans of its codes."""
    start, end = month_bounds(year, month)
    if BrandDay.objects.filter(brand=brand, day__gte=start, day__lte=end, facts__gt=0).exists():
        return True
    since, until = _window(start, end)
    return ScanHour.objects.filter(
        link__in=brand_links(brand), hour__gte=since, hour__lt=until, is_bot=False, scans__gt=0
    ).exists()
