"""Results where staff and brands plan and review: the campaign page's and the item page's results (drawn through
the ``campaigns`` page hooks, registered in ``ResultsConfig.ready``), manual entry of a few figures, and applying
the targets last year's lesson suggests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from brandhub.access import AgencyStaffRequiredMixin, EditableLookupMixin
from campaigns import services as campaign_services
from campaigns.choices import Channel
from campaigns.models import Campaign, ContentItem
from campaigns.selectors import ItemColumn, Panel

from .. import offline, selectors
from ..analysis import Rate, creative_rates, percent, rank, variant_comparisons
from ..forms.entry import FactEntryForm
from ..lesson import last_year_lesson
from ..metrics import METRIC_NAMES, label
from ..models import MetricFact, MetricSource
from ..selectors import Totals
from ..services import MANUAL_SOURCE, fact_delete, fact_enter

# --- figures as a page shows them -----------------------------------------------------------------------------------

#: What a campaign's results show, in this order, when not 0: a livestream has viewers and items sold, a banner
#: impressions and clicks, a KOL post interactions.
SHOWN = ("followers_gained", "impressions", "clicks", "interactions", "viewers", "items_sold", "gmv_cny")


def _bar(rate: Rate, scale: float) -> dict:
    """An interval bar in a 100-wide SVG: the CTR as a bar, its 95% interval as a band (numbers written with a
    dot whatever the language: they are SVG attributes)."""
    if not rate.impressions or not scale:
        return {"value": "0", "low": "0", "width": "0"}
    low, high = rate.low, rate.high
    return {
        "value": f"{rate.ctr / scale * 100:.1f}",
        "low": f"{low / scale * 100:.1f}",
        "width": f"{max(high - low, 0) / scale * 100:.1f}",
    }


def _with_bars(comparison) -> None:
    """Give each group and creative of a comparison its bar, on one scale per table (the highest upper bound)."""
    for dimension in comparison.dimensions:
        scale = max((g.high or 0 for g in dimension.groups), default=0)
        for group in dimension.groups:
            group.bar = _bar(group, scale)
    scale = max((c.high or 0 for c in comparison.creatives), default=0)
    for creative in comparison.creatives:
        creative.bar = _bar(creative, scale)


def _item_cell(totals: Totals) -> str:
    """A content item's results in a table cell: its first three figures that are not 0."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    parts = []
    for name in SHOWN:
        value = getattr(totals, name)
        if not value:
            continue
        if name == "clicks" and totals.impressions:
            parts.append((_("CTR"), percent(totals.ctr)))  # an item's clicks and impressions are of one channel
        elif name == "gmv_cny":
            parts.append((label(name), formats.number_format(round(value, 2), 2, use_l10n=True, force_grouping=True)))
        else:
            parts.append((label(name), intcomma(value)))
    if not parts:
        return ""
    return format_html_join("", "<small>{}: {}</small>", parts[:3])


def _channel_label(channel: str) -> str:
    return Channel(channel).label if channel in Channel.values else channel


def _clicked(by_channel) -> Rate:
    """Clicks over the impressions of the channels that report clicks: a livestream's or a KOL post's impressions
    without clicks would make every click-through rate look lower."""
    rate = Rate()
    for _channel, totals in by_channel:
        if totals.clicks:
            rate.add(totals.clicks, totals.impressions)
    return rate


def _totals_rows(totals: Totals, clicked: Rate) -> list:
    """(label, value, metric) for the figures a total has, in ``SHOWN`` order, and its CTR after the clicks."""
    rows = []
    for name in SHOWN:
        value = getattr(totals, name)
        if value:
            rows.append((label(name), value, name))
            if name == "clicks" and clicked.impressions:
                rows.append((_("Click-through rate"), clicked.ctr_text, "ctr"))
    return rows


# --- the campaign page ------------------------------------------------------------------------------------------------


def campaign_panel(user, campaign: Campaign, items: list) -> Panel:
    """The campaign's results for its page (``campaigns.selectors.CAMPAIGN_PANELS``): totals against the targets,
    by channel (and by brand for staff), each item's results as a column of the content table, the banner
    comparison, the events' scans against followers, and last year's lesson. A brand user reads their own brands'
    figures only; the targets and the other brands' parts are for staff. A fixed number of queries."""
    brand_ids = selectors.visible_brand_ids(user)
    staff = brand_ids is None
    brands = {brand.pk: brand for brand in campaign.brands.all()}  # the reader's brands of the campaign (prefetched)
    result = selectors.campaign_results(campaign, brand_ids)
    per_item = selectors.item_results(campaign, brand_ids)
    comparisons = [(_channel_label(c), found) for c, found in variant_comparisons(brand_ids, campaigns=[campaign])]
    for _label, comparison in comparisons:
        _with_bars(comparison)
    lesson = last_year_lesson(campaign, brand_ids, brands_now=len(brands))
    channels = [
        (_channel_label(channel), totals, Rate(totals.clicks, totals.impressions))
        for channel, totals in result.by_channel
    ]
    context = {
        "campaign": campaign,
        "result": result,
        "targets": [(label(target.name), target) for target in result.targets],
        "figures": _totals_rows(result.totals, _clicked(result.by_channel)),
        "channels": channels,
        "by_brand": [(brands.get(pk), totals) for pk, totals in result.by_brand] if staff else [],
        "comparisons": comparisons,
        "events": offline.campaign_events(user, campaign, brand_ids),
        "lesson": lesson,
        "staff": staff,
    }
    actions = []
    if staff:
        entry = reverse("results:fact_entry") + "?" + urlencode({"campaign": campaign.pk})
        actions.append((_("Enter figures"), entry))
    columns = []
    if per_item:
        cells = {item.pk: _item_cell(per_item[item.pk]) for item in items if item.pk in per_item}
        columns.append(ItemColumn(_("Results"), cells))
    return Panel("results/campaign_results.html", context, actions, columns)


# --- the content item page --------------------------------------------------------------------------------------------


def item_panel(user, item: ContentItem) -> Panel:
    """An item's results on its page (``campaigns.selectors.ITEM_PANELS``): its totals and each creative's CTR with its
    interval, of the reader's brands; staff get the link to enter figures for it."""
    brand_ids = selectors.visible_brand_ids(user)
    facts = MetricFact.objects.filter(item=item)
    if brand_ids is not None:
        facts = facts.filter(brand_id__in=brand_ids)
    flows = [name for name in METRIC_NAMES if name != "followers_total"]
    totals = Totals.of(facts.aggregate(facts=Count("pk"), **{name: Sum(name) for name in flows}))
    rates = creative_rates(brand_ids, campaigns=[item.campaign_id], channel=item.channel)
    creatives = rank([rate for rate in rates if rate.creative.item_id == item.pk])
    scale = max((c.high or 0 for c in creatives), default=0)
    for creative in creatives:
        creative.bar = _bar(creative, scale)
    actions = []
    if brand_ids is None:
        entry = reverse("results:fact_entry") + "?" + urlencode({"item": item.pk})
        actions.append((_("Enter figures"), entry))
    clicked = Rate(totals.clicks, totals.impressions) if totals.clicks else Rate()
    context = {"item": item, "totals": totals, "figures": _totals_rows(totals, clicked), "creatives": creatives}
    return Panel("results/item_results.html", context, actions)


# --- manual entry -----------------------------------------------------------------------------------------------------


def _number(value) -> str:
    return "" if value is None else str(value)


class FactEntryView(AgencyStaffRequiredMixin, FormView):
    """Staff type in a few figures (a livestream's viewers and items sold, a KOL post's interactions) for a day,
    channel and brand, optionally a campaign, content item and creative. ``?campaign=`` or ``?item=`` narrow the
    choices (the campaign's or item's page links here); ``?fact=`` opens a manual entry to correct it. The same
    day, channel, brand, campaign, item and creative entered again replaces that entry's figures."""

    form_class = FactEntryForm
    template_name = "results/fact_entry.html"

    def lookup(self, user, **kwargs):
        def found(model, name):
            value = self.request.GET.get(name) or ""  # a POST keeps the page's query string
            if not value:
                return None
            if not value.isdigit():
                raise Http404
            return get_object_or_404(model.objects.all(), pk=int(value))

        self.fact = found(MetricFact, "fact")
        if self.fact is not None and not _typed_in(self.fact):
            raise Http404  # imported and pushed facts are corrected at their source, a session's on its page
        self.item = found(ContentItem, "item")
        if self.item is None and self.fact is not None and self.fact.item_id:
            self.item = self.fact.item
        self.campaign = self.item.campaign if self.item is not None else found(Campaign, "campaign")
        if self.campaign is None and self.fact is not None and self.fact.campaign_id:
            self.campaign = self.fact.campaign

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "campaign": self.campaign, "item": self.item}

    def get_initial(self):
        fact = self.fact
        if fact is None:
            return {"channel": self.item.channel if self.item else ""}
        initial = {
            "date": fact.date,
            "channel": fact.channel,
            "brand": fact.brand_id,
            "campaign": fact.campaign_id,
            "item": fact.item_id,
            "creative": fact.creative_id,
        }
        initial.update({name: _number(getattr(fact, name)) for name in METRIC_NAMES})
        return initial

    def _here(self) -> str:
        query = {}
        if self.item is not None:
            query["item"] = self.item.pk
        elif self.campaign is not None:
            query["campaign"] = self.campaign.pk
        return reverse("results:fact_entry") + ("?" + urlencode(query) if query else "")

    def get_context_data(self, **kwargs):
        recent = MetricFact.objects.filter(source__kind=MetricSource.Kind.MANUAL, source__name=MANUAL_SOURCE)
        if self.item is not None:
            recent = recent.filter(item=self.item)
        elif self.campaign is not None:
            recent = recent.filter(campaign=self.campaign)
        recent = recent.select_related("brand", "item", "entered_by").order_by("-updated_at", "-pk")[:20]
        return super().get_context_data(
            campaign=self.campaign,
            item=self.item,
            fact=self.fact,
            recent=recent,
            here=self._here(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            result = fact_enter(user=self.request.user, row=form.row, replaces=self.fact)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        values = {"day": formats.date_format(form.row.date, "DATE_FORMAT"), "brand": form.cleaned_data["brand"]}
        if result.created and self.fact is None:
            messages.success(self.request, _("The figures of %(brand)s on %(day)s were entered.") % values)
        elif result.updated or result.created:  # created: a correction that moved the entry
            messages.success(self.request, _("The figures of %(brand)s on %(day)s were updated.") % values)
        else:
            messages.info(self.request, _("Nothing changed: these figures were entered already."))
        return redirect(self._here())


def _typed_in(fact: MetricFact) -> bool:
    return fact.source.kind == MetricSource.Kind.MANUAL and fact.source.name == MANUAL_SOURCE


def _entry_page(fact: MetricFact) -> str:
    """The entry page a fact was typed in from: its item's, else its campaign's, else the general one."""
    query = {"item": fact.item_id} if fact.item_id else {"campaign": fact.campaign_id} if fact.campaign_id else {}
    return reverse("results:fact_entry") + ("?" + urlencode(query) if query else "")


class FactDeleteView(AgencyStaffRequiredMixin, TemplateView):
    """A figure typed in by mistake (wrong day, brand or item): the page says what goes, a POST deletes it and the
    sums move back (``fact_delete``). Imported, pushed and session facts answer 404."""

    template_name = "results/fact_delete.html"

    def lookup(self, user, pk):
        self.fact = get_object_or_404(MetricFact.objects.select_related("source", "brand", "item", "entered_by"), pk=pk)
        if not _typed_in(self.fact):
            raise Http404

    def get_context_data(self, **kwargs):
        figures = [(label(name), getattr(self.fact, name)) for name in METRIC_NAMES]
        return super().get_context_data(
            fact=self.fact,
            figures=[(name, value) for name, value in figures if value is not None],
            back=_entry_page(self.fact),
            **kwargs,
        )

    def post(self, request, pk):
        fact = self.fact
        values = {"day": formats.date_format(fact.date, "DATE_FORMAT"), "brand": fact.brand.name_it}
        if fact_delete(user=request.user, fact=fact):
            messages.success(request, _("The figures of %(brand)s on %(day)s were deleted.") % values)
        return redirect(_entry_page(fact))


# --- last year's lesson: suggested targets ----------------------------------------------------------------------------


class CampaignTargetsApplyView(EditableLookupMixin, View):
    """POST only: set the campaign's targets the staff member ticked to the ones last year's lesson suggests (worked
    out again now, from the same figures the page showed), through ``campaign_save``."""

    def lookup(self, user, pk):
        self.campaign = get_object_or_404(Campaign.objects.editable_by(user).select_related("festival"), pk=pk)

    def post(self, request, pk):
        campaign = self.campaign
        chosen = set(request.POST.getlist("targets"))
        lesson = last_year_lesson(campaign, None, brands_now=campaign.brands.count())
        suggestions = [s for s in (lesson.suggestions if lesson else []) if s.target_field in chosen]
        if not suggestions:
            messages.error(request, _("Choose at least one of the suggested targets."))
            return redirect(reverse("campaigns:campaign_detail", kwargs={"pk": campaign.pk}) + "#lesson")
        try:
            campaign_services.campaign_save(
                user=request.user, campaign=campaign, **{s.target_field: s.suggested for s in suggestions}
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The campaign's targets now follow last year's results."))
        return redirect(reverse("campaigns:campaign_detail", kwargs={"pk": campaign.pk}) + "#lesson")
