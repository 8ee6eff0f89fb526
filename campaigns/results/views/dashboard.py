"""The agency dashboard: the whole hub for agency staff (brand users get 403).

Followers and impressions over time by category, the festivals of a festival year against the year before, the top
and bottom brands, the content published per channel, the campaigns' targets met and the latest imports — for the
period picked. The page costs the same fixed number of queries for ten brands or a hundred, a week or two years:
everything comes from the rollups.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from brandhub.access import AgencyStaffRequiredMixin
from brands.choices import Category
from campaigns.choices import Channel

from .. import charts, overview, selectors
from ..charts import COMPARED, Series, comparison_rows, format_number, period_label
from ..metrics import label as metric_label
from ..periods import pick_period
from .portal import optional_url, today

RANKING_SIZE = 5


def category_charts(period, hub: overview.HubDays) -> list[charts.Chart]:
    periods = overview.periods_between(period.start, period.end, period.step)
    labels = [period_label(p, period.step) for p in periods]
    x_title = {"day": _("Day"), "week": _("Week from"), "month": _("Month")}[period.step]
    levels = hub.by_category(period.start, period.end, period.step, "followers_total")
    impressions = hub.by_category(period.start, period.end, period.step, "impressions")
    names = dict(Category.choices)
    order = [c for c in Category.values if c in levels or c in impressions]
    return [
        charts.line(
            "category-followers", _("Followers by category"), labels,
            [Series(str(names[c]), [levels.get(c, {}).get(p) for p in periods], colour=charts.CATEGORY_COLOURS[c])
             for c in order if c in levels],
            x_title=x_title, y_title=metric_label("followers_total"), legend=True,
        ),
        charts.grouped(
            "category-impressions", _("Impressions by category"), labels,
            [Series(str(names[c]), [impressions.get(c, {}).get(p, 0) for p in periods],
                    colour=charts.CATEGORY_COLOURS[c])
             for c in order if c in impressions],
            x_title=x_title, y_title=metric_label("impressions"), legend=True,
        ),
    ]  # fmt: skip


def festival_charts(year: int, spans) -> tuple[list[charts.Chart], list]:
    """Each festival of the year (its window so far) against its window the year before: impressions and
    followers gained of the whole hub."""
    from campaigns.templatetags.campaign_tags import festival_name

    windows = overview.festival_windows(spans)
    labels = [festival_name(w.occurrence.spec) for w in windows]
    built = []
    for key, name in (("impressions", "impressions"), ("followers", "followers_gained")):
        built.append(
            charts.grouped(
                f"festival-{key}",
                _("%(figure)s by festival: %(year)s against %(before)s")
                % {"figure": metric_label(name), "year": year, "before": year - 1},
                labels,
                [
                    Series(str(year), [w.this[name] for w in windows], colour=charts.PALETTE[0]),
                    Series(
                        str(year - 1),
                        [w.before[name] if w.before else None for w in windows],
                        colour=charts.PALETTE[5],
                    ),
                ],
                x_title=_("Festival"),
                y_title=metric_label(name),
                extra=[(_("Window"), [f"{charts.day_label(w.start)} – {charts.day_label(w.end)}" for w in windows])],
            )
        )
    return built, windows


class DashboardView(AgencyStaffRequiredMixin, TemplateView):
    template_name = "results/dashboard.html"

    def get_context_data(self, **kwargs):
        day = today()
        form, period = pick_period(self.request, day, overview.data_years(None))
        previous = period.previous()
        # One read of the hub's days by category for the totals against the period before and the charts.
        hub = overview.HubDays(previous.start, period.end, names=COMPARED)
        now, before = hub.totals(period.start, period.end), hub.totals(previous.start, previous.end)
        category = category_charts(period, hub)
        spans = overview.festival_spans(period.festival_year, min(day, period.end))
        festivals, festival_rows = festival_charts(period.festival_year, spans)
        channel_labels = dict(Channel.choices)
        published = selectors.published_per_channel(period.start, period.end)
        published_chart = charts.bars(
            "published",
            _("Content published per channel"),
            [str(channel_labels.get(channel, channel)) for channel, _n in published],
            [Series(_("Items published"), [n for _c, n in published])],
            horizontal=True,
            y_title=_("Channel"),
            x_title=_("Items published"),
            height=max(160, 40 * len(published) + 60),
        )
        rankings = []
        ranked = overview.brand_rankings(period.start, period.end, ("followers_gained", "impressions"), RANKING_SIZE)
        for name, (top, bottom) in ranked.items():
            rankings.append(
                {
                    "key": name,
                    "label": metric_label(name),
                    "top": [(b, format_number(v)) for b, v in top],
                    "bottom": [(b, format_number(v)) for b, v in bottom],
                }
            )
        targets = []
        for campaign, rows in selectors.targets_met(period.start, period.end):
            targets.append(
                {
                    "campaign": campaign,
                    "met": all(t.met for t in rows),
                    "rows": [
                        (
                            metric_label(t.name),
                            format_number(t.actual),
                            format_number(t.target),
                            charts.format_number(t.share, 0),
                            t.met,
                        )
                        for t in rows
                    ],
                }
            )
        imports = overview.latest_imports()
        for run in imports:
            run.url = optional_url("results:import_detail", pk=run.pk)
        return super().get_context_data(
            period_form=form,
            period=period,
            previous=previous,
            kpis=comparison_rows(now, before, COMPARED),
            charts=category,
            festival_year=period.festival_year,
            festival_charts=festivals,
            festival_count=len(festival_rows),
            published_chart=published_chart,
            published_total=format_number(sum(n for _c, n in published)),
            rankings=rankings,
            targets=targets,
            targets_met=sum(1 for t in targets if t["met"]),
            imports=imports,
            import_list_url=optional_url("results:import_list"),
            portal_url=reverse("results:portal"),
            **kwargs,
        )
