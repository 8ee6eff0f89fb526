"""What KOLs and livestreams brought, on the pages of ``campaigns`` (through its hooks, registered in
``ResultsConfig.ready``) and on pages of their own: a session's results (entry, sales import), and KOLs side by side.

A brand user reads their own brands' figures only: their products' sales and uplift, their share of a booking's
results, never a fee or a cost per result (a booking's fee is the agency's contract, and a cost over a shared
booking's whole results would give away the other brands' part). The session's audience shows to every brand of it.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from brandhub.access import AgencyStaffRequiredMixin, EditableLookupMixin
from campaigns.models import Kol, LivestreamSession
from campaigns.selectors import ItemColumn, Panel

from .. import kol_results
from ..forms.livestreams import KolCompareForm, LivestreamResultsForm, ProductSalesImportForm
from ..livestreams import livestream_results_save, product_sales_import
from ..models import LivestreamResult, ProductSale
from ..selectors import visible_brand_ids


def money(value) -> str:
    return "¥" + formats.number_format(round(value, 2), 2, use_l10n=True, force_grouping=True)


def count(value) -> str:
    return intcomma(value)


def ratio(value) -> str:
    return _("%(ratio)s×") % {"ratio": formats.number_format(value, 2, use_l10n=True)}


def percent(value) -> str:
    """A change in whole percent, rounded (``number_format`` alone would cut 151.85 to 151), with its sign."""
    value = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    text = formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    return f"+{text}%" if value > 0 else f"{text}%"


# --- a booking's results (the KOL page, the bookings list) ------------------------------------------------------------


def _figures_line(totals, livestream: bool) -> list[tuple[str, str]]:
    parts = []
    for name, label in (("followers_gained", _("followers gained")), ("impressions", _("impressions")),
                        ("interactions", _("interactions")), ("viewers", _("viewers"))):  # fmt: skip
        if getattr(totals, name):
            parts.append((count(getattr(totals, name)), label))
    if livestream or totals.items_sold:
        parts.append((count(totals.items_sold), _("items sold")))
        parts.append((money(totals.gmv_cny), _("GMV")))
    return parts


def _basis(result) -> str:
    if result.basis_items:
        return ngettext(
            "Basis: the figures of %(n)s booked content item.",
            "Basis: the figures of the %(n)s booked content items.",
            result.basis_items,
        ) % {"n": result.basis_items}
    return _("Basis: the whole campaign's results from %(start)s to %(end)s (no content item booked).") % {
        "start": formats.date_format(result.basis_start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(result.basis_end, "SHORT_DATE_FORMAT"),
    }


def _costs(result) -> list[str]:
    rows = []
    for value, template, missing in (
        (result.per_follower, _("%(cost)s per follower gained"), _("no follower gained")),
        (result.per_thousand_impressions, _("%(cost)s per 1,000 impressions"), _("no impression")),
        (result.per_interaction, _("%(cost)s per interaction"), _("no interaction")),
    ):
        rows.append(template % {"cost": money(value)} if value is not None else missing)
    if result.livestream:
        value = result.per_item_sold
        rows.append(_("%(cost)s per item sold") % {"cost": money(value)} if value is not None else _("no item sold"))
        fee_ratio = result.gmv_to_fee
        rows.append(_("GMV %(ratio)s the fee") % {"ratio": ratio(fee_ratio)} if fee_ratio is not None else _("no fee"))
    return rows


def booking_cell(result, staff: bool) -> str:
    if not result.has_results:
        return format_html('<span class="no-results">{}</span>', _("No results yet."))
    figures = format_html_join(" · ", "{} {}", _figures_line(result.totals, result.livestream))
    if not staff:
        return format_html('<small>{}</small><small class="basis">{}</small>', figures, _("Your brands' part."))
    costs = format_html_join("", "<small>{}</small>", ((c,) for c in _costs(result)))
    basis = format_html('<small class="basis">{} {}: {}</small>', _basis(result), _("Fee"), money(result.fee))
    return format_html("{}<small>{}</small>{}", costs, figures, basis)


def booking_column(user, bookings) -> ItemColumn | None:
    """``campaigns.kol_selectors.BOOKING_COLUMNS``: each booking's results; costs per result for staff."""
    if not bookings:
        return None
    brand_ids = visible_brand_ids(user)
    results = kol_results.booking_results(bookings, brand_ids)
    header = _("Results and costs") if brand_ids is None else _("Your results")
    return ItemColumn(header, {pk: booking_cell(r, brand_ids is None) for pk, r in results.items()})


# --- the sessions list and a session's page ---------------------------------------------------------------------------


def livestream_column(user, sessions) -> ItemColumn | None:
    """``campaigns.kol_selectors.LIVESTREAM_COLUMNS``: each session's viewers (the session's) and sales (the reader's
    brands'): two queries for the page."""
    if not sessions:
        return None
    brand_ids = visible_brand_ids(user)
    ids = [s.pk for s in sessions]
    audience = {r.item_id: r for r in LivestreamResult.objects.filter(item_id__in=ids)}
    sales = ProductSale.objects.filter(item_id__in=ids)
    if brand_ids is not None:
        sales = sales.filter(brand_id__in=brand_ids)
    sold = {row["item_id"]: row for row in sales.values("item_id").annotate(items=Sum("items_sold"),
                                                                            gmv=Sum("gmv_cny"))}  # fmt: skip
    cells = {}
    for pk in ids:
        parts = []
        result = audience.get(pk)
        if result is not None and result.viewers is not None:
            parts.append((count(result.viewers), _("viewers")))
        if pk in sold:
            parts.append((count(sold[pk]["items"]), _("items sold")))
            parts.append((money(sold[pk]["gmv"]), _("GMV")))
        cells[pk] = format_html_join(" · ", "{} {}", parts) if parts else ""
    return ItemColumn(_("Results"), cells)


def livestream_panel(user, session) -> Panel:
    """``campaigns.kol_selectors.LIVESTREAM_PANELS``: the session's audience, the reader's products' sales and their
    uplift against the baseline (shown beside it), and for staff the links to enter or import results."""
    brand_ids = visible_brand_ids(user)
    staff = brand_ids is None
    audience = kol_results.session_audience(session)
    sales = kol_results.session_sales(session, brand_ids)
    by_brand = []
    if staff:
        names = {b.pk: b.name_it for b in session.item.brands.all()}
        totals = {}
        for line in sales.lines:
            items, gmv = totals.get(line.brand_id, (0, 0))
            totals[line.brand_id] = (items + (line.items_sold or 0), gmv + (line.gmv_cny or 0))
        by_brand = [(names.get(pk, ""), items, gmv) for pk, (items, gmv) in totals.items()]
    actions = []
    if staff:
        actions = [
            (_("Enter the results"), reverse("results:livestream_entry", kwargs={"pk": session.pk})),
            (_("Import sales per product"), reverse("results:livestream_import", kwargs={"pk": session.pk})),
        ]
    context = {
        "session": session,
        "audience": audience,
        "sales": sales,
        "by_brand": by_brand,
        "staff": staff,
        "uplift": _uplift_rows(sales),
    }
    return Panel("results/livestream_results.html", context, actions)


def _uplift_rows(sales) -> list[dict]:
    """The uplift figures with their baselines, as the panel writes them."""
    rows = []
    if sales.uplift_items is None:
        return rows
    for label, uplift, show in (
        (_("Items sold"), sales.uplift_items, count),
        (_("GMV"), sales.uplift_gmv, money),
    ):
        rows.append(
            {
                "label": label,
                "percent": percent(uplift.percent) if uplift.percent is not None else None,
                "measured": show(uplift.measured if show is money else int(uplift.measured)),
                "per_day": show(uplift.per_day if show is money else round(uplift.per_day)),
                "total": show(uplift.baseline_total if show is money else int(uplift.baseline_total)),
            }
        )
    return rows


class _SessionMixin(EditableLookupMixin):
    def lookup(self, user, pk):
        sessions = LivestreamSession.objects.editable_by(user).select_related("item__campaign")
        self.session = get_object_or_404(sessions.prefetch_related("products__brand"), pk=pk)


class LivestreamResultsView(_SessionMixin, TemplateView):
    """Staff enter a session's results: its audience, each featured product's items sold and GMV, and the baseline
    period its uplift is measured against. Figures are read as the platforms write them (万, separators, ¥)."""

    template_name = "results/livestream_entry.html"

    def _form(self, data=None):
        products = sorted(self.session.products.all(), key=lambda p: (p.brand.name_it, p.code))
        initial = {}
        result = LivestreamResult.objects.filter(item_id=self.session.pk).first()
        if result is not None:
            for name in ("peak_viewers", "viewers", "interactions", "followers_gained"):
                value = getattr(result, name)
                initial[name] = "" if value is None else str(value)
            initial["baseline_starts_on"] = result.baseline_starts_on
            initial["baseline_ends_on"] = result.baseline_ends_on
        for sale in ProductSale.objects.filter(item_id=self.session.pk, product__isnull=False):
            initial[f"items_{sale.product_id}"] = str(sale.items_sold)
            initial[f"gmv_{sale.product_id}"] = str(sale.gmv_cny)
        return LivestreamResultsForm(data, initial=initial, products=products)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self._form())
        return super().get_context_data(session=self.session, item=self.session.item, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            livestream_results_save(
                user=request.user,
                session=self.session,
                audience=form.audience,
                sales=form.sales,
                baseline=(data.get("baseline_starts_on"), data.get("baseline_ends_on")),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("The session's results were saved."))
        return redirect(self.session)


def _add_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: on its field when it names one of the form's, else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ProductSalesImportView(_SessionMixin, TemplateView):
    """Staff import sales per product from a file: the session's own, or the store's daily sales for its baseline.
    A file with a bad row writes nothing; the page lists every bad row with its number and what is wrong."""

    template_name = "results/livestream_import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ProductSalesImportForm())
        return super().get_context_data(session=self.session, item=self.session.item, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ProductSalesImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            report = product_sales_import(
                user=request.user,
                session=self.session,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form))
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report), status=400)
        messages.success(request, _("%(n)s rows of sales were imported.") % {"n": report.written})
        return redirect(self.session)


# --- KOLs side by side ------------------------------------------------------------------------------------------------


def _best(values, lowest: bool) -> set:
    present = [(v, i) for i, v in enumerate(values) if v is not None]
    if len(present) < 2:
        return set()
    target = min(present)[0] if lowest else max(present)[0]
    return {i for v, i in present if v == target}


class KolCompareView(AgencyStaffRequiredMixin, TemplateView):
    """Two to four KOLs side by side on their past results: their agreed bookings, the figures of those with
    results, and what each result cost (the best of each row marked). ``?kol=1&kol=2``."""

    template_name = "results/kol_compare.html"

    def get_context_data(self, **kwargs):
        form = KolCompareForm(self.request.GET or None)
        context = {"form": form, "kols": Kol.objects.order_by("name", "name_zh")}
        if form.is_valid():
            kols = sorted(form.cleaned_data["kol"], key=lambda k: (k.name.casefold(), k.name_zh))
            records = kol_results.kol_records(
                Kol.objects.filter(pk__in=[k.pk for k in kols]).prefetch_related("accounts").order_by("name", "pk")
            )
            context.update(records=records, rows=_comparison_rows(records))
        return super().get_context_data(**context, **kwargs)


def _comparison_rows(records) -> list[dict]:
    def row(label, values, shown, lowest=None):
        best = _best(values, lowest) if lowest is not None else set()
        # Each cell names its KOL: on a phone the table becomes one block a figure (``kol-compare`` in the CSS).
        cells = [(shown(v) if v is not None else "—", i in best, records[i].kol) for i, v in enumerate(values)]
        return {"label": label, "cells": cells}

    return [
        row(_("Followers now (all platforms)"), [r.kol.followers for r in records], count),
        row(_("Agreed bookings"), [r.bookings for r in records], count),
        row(_("Bookings with results"), [r.with_results for r in records], count),
        row(_("Fees of the bookings with results"), [r.fee for r in records], money),
        row(_("Followers gained"), [r.totals.followers_gained for r in records], count, lowest=False),
        row(_("Impressions"), [r.totals.impressions for r in records], count, lowest=False),
        row(_("Interactions"), [r.totals.interactions for r in records], count, lowest=False),
        row(_("Cost per follower gained"), [r.per_follower for r in records], money, lowest=True),
        row(_("Cost per 1,000 impressions"), [r.per_thousand_impressions for r in records], money, lowest=True),
        row(_("Cost per interaction"), [r.per_interaction for r in records], money, lowest=True),
        row(_("Livestream bookings with results"), [r.live_bookings for r in records], count),
        row(_("Items sold in livestreams"), [r.live_totals.items_sold for r in records], count, lowest=False),
        row(_("GMV of livestreams"), [r.live_totals.gmv_cny for r in records], money, lowest=False),
        row(_("Cost per item sold"), [r.per_item_sold for r in records], money, lowest=True),
        row(_("GMV to fee"), [r.gmv_to_fee for r in records], ratio, lowest=False),
    ]
