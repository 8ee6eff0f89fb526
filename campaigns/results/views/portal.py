"""The brand portal: a brand's results as its own users see them (staff may open any brand's, read-only).

``/results/`` sends a user with one brand to that brand's portal and lets a user with several (and staff) pick one.
Every page looks the brand up among those the reader may see (``Brand.objects.visible_to``: another brand answers
404) and reads that one brand's figures only — on a shared campaign or event too.
"""

import csv
import datetime
import zoneinfo

from django.db.models import Sum
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from brandhub.access import LookupMixin
from brands.models import Brand
from campaigns.choices import Channel

from .. import charts, overview, selectors
from ..analysis import variant_comparisons
from ..charts import COMPARED, Series, comparison_rows, format_number, period_label
from ..metrics import label as metric_label
from ..models import BrandDay, MetricRollup
from ..periods import DateRangeForm, pick_period

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def today() -> datetime.date:
    """Results are counted in China days (the platforms' exports)."""
    from django.utils import timezone

    return timezone.localdate(timezone=CHINA)


def optional_url(name: str, **kwargs) -> str | None:
    """The URL, or None while the page does not exist (pages built alongside: the PDF reports, the imports)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


# --- figures into rows and charts, shared with the dashboard ------------------------------------------------------


def aligned(series: selectors.Series, start, end, step) -> tuple[list, dict]:
    """The series on every period of the range: flows 0 where nothing was reported, levels empty (a gap)."""
    periods = overview.periods_between(start, end, step)
    index = {p: i for i, p in enumerate(series.periods)}
    values = {}
    for name, found in series.values.items():
        missing = None if name == "followers_total" else 0
        values[name] = [found[index[p]] if p in index else missing for p in periods]
    return periods, values


def overview_charts(series: selectors.Series, period, prefix: str = "") -> list[charts.Chart]:
    """Followers over time (a line of the level), impressions (bars), interactions and viewers (grouped bars)."""
    periods, values = aligned(series, period.start, period.end, period.step)
    labels = [period_label(p, period.step) for p in periods]
    x_title = {"day": _("Day"), "week": _("Week from"), "month": _("Month")}[period.step]
    followers = metric_label("followers_total")
    return [
        charts.line(f"{prefix}followers", followers, labels, [Series(followers, values["followers_total"])],
                    x_title=x_title, y_title=followers),
        charts.bars(f"{prefix}impressions", metric_label("impressions"), labels,
                    [Series(metric_label("impressions"), values["impressions"])], x_title=x_title,
                    y_title=metric_label("impressions")),
        charts.grouped(f"{prefix}engagement", _("Interactions and viewers"), labels,
                       [Series(metric_label("interactions"), values["interactions"], colour=charts.PALETTE[2]),
                        Series(metric_label("viewers"), values["viewers"], colour=charts.PALETTE[3])],
                       x_title=x_title),
    ]  # fmt: skip


def variant_charts(comparison, prefix: str = "") -> list[tuple]:
    """(dimension, chart) of a banner comparison: each group's click-through rate with its 95% interval as error
    bars, the impressions and creatives behind it in the table; no chart (None) for an attribute no creative has."""
    found = []
    for dimension in comparison.dimensions:
        groups = dimension.groups
        if not groups:
            continue
        if dimension.verdict.kind == "unset":  # one bar of creatives without the attribute tells nothing
            found.append((dimension, None))
            continue
        chart = charts.ci_bars(
            f"{prefix}ctr-{dimension.key}",
            _("Click-through rate by %(dimension)s") % {"dimension": dimension.verdict.dimension},
            [str(group.label) for group in groups],
            [group.ctr for group in groups],
            [group.low for group in groups],
            [group.high for group in groups],
            name=_("Click-through rate"),
            x_title=str(dimension.label),
            y_title=_("Click-through rate"),
            extra=[
                (metric_label("impressions"), [format_number(group.impressions) for group in groups]),
                (_("Creatives"), [format_number(len(group.creatives)) for group in groups]),
            ],
            height=260,
        )
        found.append((dimension, chart))
    return found


def variant_sections(comparisons) -> list[dict]:
    """The banner comparison channel by channel (``analysis.variant_comparisons``: a RED note's click-through rate is
    not a banner's), each with its figures and its charts (ids prefixed by the channel)."""
    labels = dict(Channel.choices)
    return [
        {
            "channel": str(labels.get(channel, channel)),
            "comparison": comparison,
            "comparison_figures": comparison_figures(comparison),
            "variant_charts": variant_charts(comparison, prefix=f"{channel}-"),
        }
        for channel, comparison in comparisons
    ]


def comparison_figures(comparison) -> list[tuple[str, str]]:
    return [
        (_("Creatives"), format_number(len(comparison.creatives))),
        (metric_label("impressions"), format_number(comparison.total.impressions)),
        (metric_label("clicks"), format_number(comparison.total.clicks)),
        (_("Click-through rate"), charts.format_percent(comparison.total.ctr)),
    ]


def scans_chart(scans: overview.EventScans) -> charts.Chart:
    labels = [charts.day_label(day) for day, _s, _u in scans.days]
    return charts.grouped(
        "scans",
        _("Scans of your codes by day (China time)"),
        labels,
        [
            Series(_("Scans"), [s for _d, s, _u in scans.days], colour=charts.PALETTE[0]),
            Series(_("Unique visitors"), [u for _d, _s, u in scans.days], colour=charts.PALETTE[1]),
        ],
        x_title=_("Day"),
    )


# --- pages --------------------------------------------------------------------------------------------------------


class PortalView(LookupMixin, TemplateView):
    """``/results/``: a brand user with one brand goes straight to its portal; with several, and for staff, a list
    of the brands to pick from, with their last 30 days' figures."""

    template_name = "results/portal_pick.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        brands = Brand.objects.visible_to(user).order_by("name_it", "pk")
        if not user.is_agency_staff:
            slugs = list(brands.values_list("slug", flat=True)[:2])
            if len(slugs) == 1:
                return redirect("results:portal_brand", slug=slugs[0])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        brands = list(
            Brand.objects.visible_to(user)
            .only("pk", "slug", "name_it", "name_zh_hans", "category", "status")
            .order_by("name_it", "pk")
        )
        end = today()
        start = end - datetime.timedelta(days=29)
        days = BrandDay.objects.filter(day__gte=start, day__lte=end)
        if not user.is_agency_staff:
            days = days.filter(brand__in=[b.pk for b in brands])
        figures = {
            row["brand_id"]: row
            for row in days.values("brand_id").annotate(
                impressions=Sum("impressions"), followers_gained=Sum("followers_gained"), facts=Sum("facts")
            )
        }
        for brand in brands:
            found = figures.get(brand.pk, {})
            brand.impressions = format_number(found.get("impressions") or 0)
            brand.followers_gained = format_number(found.get("followers_gained") or 0)
            brand.has_figures = bool(found.get("facts"))
        return super().get_context_data(brands=brands, staff=user.is_agency_staff, **kwargs)


class BrandLookupMixin(LookupMixin):
    """The URL's brand, among those the reader may see (404 otherwise)."""

    def lookup(self, user, slug, **kwargs):
        self.brand = get_object_or_404(Brand.objects.visible_to(user), slug=slug)


class PortalBrandView(BrandLookupMixin, TemplateView):
    """A brand's overview: this month against last, its figures over the chosen period (charts with their tables),
    its campaigns with their results, its events' scans, and the downloads."""

    template_name = "results/portal_brand.html"

    def get_context_data(self, **kwargs):
        user, brand, day = self.request.user, self.brand, today()
        brand_ids = [brand.pk]
        form, period = pick_period(self.request, day, overview.data_years(brand_ids))
        month = selectors.month_comparison(brand_ids, day)
        series = selectors.series(brand_ids, period.start, period.end, step=period.step)
        scans = overview.event_scans(user, brand, period.start, period.end)
        variants = variant_sections(variant_comparisons(brand_ids, start=period.start, end=period.end))
        campaigns = overview.brand_campaigns(user, brand, period.start, period.end)
        for row in campaigns:
            row.url = reverse("results:portal_campaign", kwargs={"slug": brand.slug, "pk": row.campaign.pk})
            row.report_url = optional_url("results:report_campaign", slug=brand.slug, pk=row.campaign.pk)
            row.figures = {name: format_number(getattr(row.totals, name)) for name in COMPARED[1:]}
            row.ctr = charts.format_percent(row.totals.ctr)
        last_month = month.last_start
        reports = [
            (label, optional_url("results:report_month", slug=brand.slug, year=month.year, month=month.month))
            for label, month in ((charts.month_label(last_month), last_month), (charts.month_label(day), day))
        ]
        return super().get_context_data(
            brand=brand,
            staff=user.is_agency_staff,
            period_form=form,
            period=period,
            month=month,
            kpis=comparison_rows(month.this, month.last_same_days),
            charts=overview_charts(series, period),
            campaigns=campaigns,
            scans=scans,
            scans_chart=scans_chart(scans),
            scan_total=format_number(scans.scans),
            scan_uniques=format_number(scans.uniques),
            event_rows=[(row.event, format_number(row.scans), format_number(row.uniques)) for row in scans.events],
            variants=variants,
            export_form=DateRangeForm(initial=DateRangeForm.initial_for(day)),
            export_url=reverse("results:portal_export", kwargs={"slug": brand.slug}),
            reports=[(label, url) for label, url in reports if url],
            **kwargs,
        )


class PortalCampaignView(BrandLookupMixin, TemplateView):
    """One campaign as the brand took part in it: the brand's totals, by channel and by day, and each of its items'
    results (the items the reader may see: reviewed ones for brand users)."""

    template_name = "results/portal_campaign.html"

    def lookup(self, user, slug, pk):
        super().lookup(user, slug)
        self.campaign = overview.campaign_of_brand(user, self.brand, pk)
        if self.campaign is None:
            raise Http404

    def get_context_data(self, **kwargs):
        user, brand, campaign = self.request.user, self.brand, self.campaign
        result = selectors.campaign_results(campaign, [brand.pk])
        items = overview.campaign_items(user, brand, campaign)
        for row in items:
            row.figures = {
                name: format_number(getattr(row.totals, name))
                for name in ("impressions", "clicks", "interactions", "viewers", "followers_gained")
            }
            row.ctr = charts.format_percent(row.totals.ctr)
        days = overview.campaign_days(campaign, brand)
        variants = variant_sections(variant_comparisons([brand.pk], campaigns=[campaign]))
        channel_labels = dict(Channel.choices)
        by_channel = charts.bars(
            "channels",
            _("Impressions by channel"),
            [str(channel_labels.get(channel, channel)) for channel, _t in result.by_channel],
            [Series(metric_label("impressions"), [t.impressions for _c, t in result.by_channel])],
            horizontal=True,
            y_title=_("Channel"),
            x_title=metric_label("impressions"),
            height=max(160, 50 * len(result.by_channel) + 60),
        )
        day_labels = [charts.day_label(day) for day, _v in days]
        by_day = charts.grouped(
            "days",
            _("Impressions and interactions by day"),
            day_labels,
            [
                Series(metric_label("impressions"), [v["impressions"] or 0 for _d, v in days]),
                Series(
                    metric_label("interactions"), [v["interactions"] or 0 for _d, v in days], colour=charts.PALETTE[2]
                ),
            ],
            x_title=_("Day"),
        )
        totals = result.totals
        return super().get_context_data(
            brand=brand,
            campaign=campaign,
            staff=user.is_agency_staff,
            result=result,
            # Impressions always; the other figures when the campaign's channels report them (a banner has no
            # viewers, a livestream's items sold are not a banner's).
            figures=[
                (metric_label(name), format_number(getattr(totals, name)))
                for name in ("impressions", "interactions", "viewers", "clicks", "followers_gained", "items_sold")
                if name == "impressions" or getattr(totals, name)
            ]
            + ([(_("Click-through rate"), charts.format_percent(totals.ctr))] if totals.clicks else []),
            items=items,
            charts=[by_day, by_channel],
            variants=variants,
            report_url=optional_url("results:report_campaign", slug=brand.slug, pk=campaign.pk),
            **kwargs,
        )


class _Echo:
    def write(self, value):
        return value


EXPORT_FIGURES = ("followers_total", "followers_gained", "impressions", "interactions", "viewers", "clicks",
                  "items_sold", "gmv_cny")  # fmt: skip


class PortalExportView(BrandLookupMixin, TemplateView):
    """The brand's figures per day, campaign and channel as CSV, streamed (any number of rows, flat memory), with
    headers in the reader's language. Without dates: the last 12 months; bad dates: the form again with the
    errors (400)."""

    template_name = "results/portal_export.html"

    def get(self, request, *args, **kwargs):
        day = today()
        data = request.GET if ("start" in request.GET or "end" in request.GET) else DateRangeForm.initial_for(day)
        form = DateRangeForm(data)
        if not form.is_valid():
            context = self.get_context_data(brand=self.brand, form=form, **kwargs)
            return self.render_to_response(context, status=400)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        response = StreamingHttpResponse(self.rows(start, end), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.brand.slug}-results-{start}-{end}.csv"'
        return response

    def rows(self, start, end):
        """Everything in the reader's language is written now (the generator runs after the view has returned)."""
        from campaigns.models import Campaign

        user, brand = self.request.user, self.brand
        headers = [_("Date"), _("Brand"), _("Campaign"), _("Channel")] + [metric_label(n) for n in EXPORT_FIGURES]
        channels = {key: str(name) for key, name in Channel.choices}
        titles = dict(Campaign.objects.visible_to(user).filter(campaign_brands__brand=brand).values_list("pk", "title"))
        rollups = (
            MetricRollup.objects.filter(brand=brand, day__gte=start, day__lte=end)
            .order_by("day", "campaign_key", "channel")
            .values_list("day", "campaign_key", "channel", *EXPORT_FIGURES)
        )
        name = brand.name_it

        def generate():
            writer = csv.writer(_Echo())
            yield "\ufeff"  # Excel opens UTF-8 (Chinese titles) correctly with a BOM
            yield writer.writerow(headers)
            for day, campaign_key, channel, *figures in rollups.iterator(chunk_size=2000):
                campaign = titles.get(campaign_key, "") if campaign_key else ""
                yield writer.writerow([day.isoformat(), name, campaign, channels.get(channel, channel), *figures])

        return generate()
