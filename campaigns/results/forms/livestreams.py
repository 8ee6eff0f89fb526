"""Forms of livestream results: a session's audience, its sales per featured product and its baseline period; a file
of sales per product; two to four KOLs to compare. Figures are typed as platforms show them (``1.2万``, ``¥3,450``)
and read by the import's own parser."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brandhub.widgets import DatePicker
from campaigns.models import Kol

from .. import parsing
from ..facts import MAX_COUNT, MAX_MONEY


def _figure(label, help_text=""):
    field = forms.CharField(
        label=label,
        required=False,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    field.widget.attrs.pop("maxlength", None)  # a number needs no character counter (the length is still checked)
    return field


class LivestreamResultsForm(forms.Form):
    """The session's audience and baseline, then a pair of fields (items sold, GMV) per featured product."""

    peak_viewers = _figure(_("Peak viewers"), _("The most people watching at once."))
    viewers = _figure(_("Total viewers"), _("E.g. 420,000 or 42万."))
    interactions = _figure(_("Interactions"), _("Likes, comments and shares."))
    followers_gained = _figure(_("Followers gained"))
    baseline_starts_on = forms.DateField(label=_("Baseline from"), required=False, widget=DatePicker())
    baseline_ends_on = forms.DateField(
        label=_("Baseline until"),
        required=False,
        widget=DatePicker(),
        help_text=_("Days before the session whose store sales the session is compared with (an average day)."),
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for product in self.products:
            name = product.name_zh_hans or product.name_it
            self.fields[f"items_{product.pk}"] = _figure(_("%(code)s %(name)s: items sold") % {
                "code": product.code, "name": name})  # fmt: skip
            self.fields[f"gmv_{product.pk}"] = _figure(_("%(code)s %(name)s: GMV (CNY)") % {
                "code": product.code, "name": name})  # fmt: skip

    def _read(self, name, parse, limit, signed=False):
        value = self.cleaned_data.get(name, "")
        if not value:
            return None
        try:
            number = parse(value)
        except ValueError:
            self.add_error(name, _("“%(value)s” is not a number.") % {"value": value})
            return None
        if (number < 0 and not signed) or abs(number) > limit:
            self.add_error(name, _("This figure cannot be negative or that large."))
            return None
        return number

    def clean(self):
        data = super().clean()
        self.audience = {
            "peak_viewers": self._read("peak_viewers", parsing.parse_count, MAX_COUNT),
            "viewers": self._read("viewers", parsing.parse_count, MAX_COUNT),
            "interactions": self._read("interactions", parsing.parse_count, MAX_COUNT),
            "followers_gained": self._read("followers_gained", parsing.parse_count, MAX_COUNT, signed=True),
        }
        peak, total = self.audience["peak_viewers"], self.audience["viewers"]
        if peak is not None and total is not None and peak > total:
            self.add_error("peak_viewers", _("The peak cannot be above the total viewers."))
        self.sales = {}
        for product in self.products:
            items = self._read(f"items_{product.pk}", parsing.parse_count, MAX_COUNT)
            gmv = self._read(f"gmv_{product.pk}", parsing.parse_money, MAX_MONEY)
            self.sales[product.pk] = (items, gmv)
        return data

    @property
    def audience_fields(self):
        return [self[name] for name in ("peak_viewers", "viewers", "interactions", "followers_gained")]

    @property
    def baseline_fields(self):
        return [self["baseline_starts_on"], self["baseline_ends_on"]]

    @property
    def product_rows(self):
        return [(p, self[f"items_{p.pk}"], self[f"gmv_{p.pk}"]) for p in self.products]


class ProductSalesImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=(
            ("session", _("The session's sales: product, items sold, GMV")),
            ("daily", _("The store's daily sales, for the baseline: date, product, items sold, GMV")),
        ),
        widget=forms.RadioSelect,
        initial="session",
    )
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("Products by SKU code or name; 万 and ¥ are read."))


class KolCompareForm(forms.Form):
    """Two to four KOLs to set side by side on their past results."""

    kol = forms.ModelMultipleChoiceField(label=_("KOLs"), queryset=Kol.objects.all())

    def clean_kol(self):
        chosen = self.cleaned_data["kol"]
        if not 2 <= len(chosen) <= 4:
            raise forms.ValidationError(_("Choose two to four KOLs to compare."))
        return chosen
