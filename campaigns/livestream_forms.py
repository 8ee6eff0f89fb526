"""Forms of livestream sessions: the session (with its item's time, titles and brands), its hosts, its run sheet."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from brandhub.widgets import SearchableSelectMultiple
from brands.models import Brand, Product

from . import workflow
from .choices import LivePlatform
from .forms import ChinaDateTimeField, KolChoiceField, TimeWarningsMixin
from .models import Campaign, LivestreamSession

TITLES = (("title_zh_hans", "zh-Hans"), ("title_en", "en"), ("title_it", "it"))
BODIES = (("body_zh_hans", "zh-Hans"), ("body_en", "en"), ("body_it", "it"))


class _ProductChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, product):
        name = product.name_zh_hans or product.name_it
        price = f" · ¥{formats.number_format(product.price_cny, 0)}" if product.price_cny is not None else ""
        return f"{product.brand.name_it} · {product.code} {name}{price}"


class LivestreamForm(TimeWarningsMixin, forms.Form):
    """A session as staff plan it: when (China time), how long, where, which brands and products, with a title."""

    title_zh_hans = forms.CharField(label=_("Title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_it = forms.CharField(label=_("Title (Italian)"), max_length=200, required=False)
    body_zh_hans = forms.CharField(
        label=_("Text (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the session's announcement says: the channel needs it in Chinese before approval."),
    )  # fmt: skip
    body_en = forms.CharField(label=_("Text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body_it = forms.CharField(label=_("Text (Italian)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scheduled_at = ChinaDateTimeField(label=_("Starts at (China time)"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=10, max_value=720, initial=120)
    platform = forms.ChoiceField(label=_("Platform"), choices=LivePlatform.choices)
    brands = forms.ModelMultipleChoiceField(
        label=_("Brands"), queryset=Brand.objects.none(), widget=SearchableSelectMultiple(attrs={"size": 6})
    )
    products = _ProductChoices(
        label=_("Featured products"),
        queryset=Product.objects.none(),
        required=False,
        help_text=_("SKUs of the session's brands."),
    )
    room_url = forms.URLField(label=_("Live room URL"), max_length=500, required=False, assume_scheme="https")
    notes = forms.CharField(label=_("Internal notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_time = forms.BooleanField(label=_("Yes, this time is right"), required=False)

    def __init__(self, *args, campaign: Campaign, session: LivestreamSession | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.session = campaign, session
        self.time_warnings: list[str] = []
        brands = list(campaign.brands.order_by("name_it"))
        self.fields["brands"].queryset = campaign.brands.order_by("name_it")
        self.fields["products"].queryset = (
            Product.objects.filter(brand__in=brands).select_related("brand").order_by("brand__name_it", "code")
        )
        self.fields["products"].widget = SearchableSelectMultiple(
            attrs={"size": 8}, group_of=lambda product: product.brand_id, groups=[(b.pk, b.name_it) for b in brands]
        )
        self.fields["products"].widget.choices = self.fields["products"].choices
        for name, lang in TITLES + BODIES:
            self.fields[name].widget.attrs["lang"] = lang
        self.closed = session is not None and session.item.status in workflow.CLOSED
        if self.closed:
            # Gone out (or on its way): its time, titles and brands are the item's history; the session data stays open.
            for name in ("scheduled_at", "brands", "confirm_time", *(n for n, _lang in TITLES + BODIES)):
                del self.fields[name]
            item_brands = list(session.item.brands.all())
            self.fields["products"].queryset = self.fields["products"].queryset.filter(brand__in=item_brands)
            self.fields["products"].widget.choices = self.fields["products"].choices
        if session is not None and not self.is_bound:
            item = session.item
            self.initial.update(
                {name: getattr(item, name) for name, _lang in TITLES + BODIES}
                | {
                    "scheduled_at": item.scheduled_at,
                    "duration_minutes": session.duration_minutes,
                    "platform": session.platform,
                    "brands": list(item.brands.values_list("pk", flat=True)),
                    "products": list(session.products.values_list("pk", flat=True)),
                    "room_url": session.room_url,
                    "notes": session.notes,
                    "version": item.version,
                }
            )

    def clean(self):
        data = super().clean()
        if self.closed:
            return data
        if not any(data.get(name) for name, _lang in TITLES):
            self.add_error("title_zh_hans", _("Give the session a title in at least one language."))
        brands = {b.pk for b in data.get("brands") or []}
        for product in data.get("products") or []:
            if product.brand_id not in brands:
                self.add_error(
                    "products",
                    _("%(product)s is a product of %(brand)s, which is not among the session's brands.")
                    % {"product": product.code, "brand": product.brand.name_it},
                )
        when = data.get("scheduled_at")
        self.check_time(data, changed=self.session is None or bool(when and when != self.session.item.scheduled_at))
        return data

    def item_fields(self) -> dict:
        if self.closed:
            return {}
        data = self.cleaned_data
        return {name: data[name] for name, _lang in TITLES + BODIES} | {"scheduled_at": data["scheduled_at"]}

    def session_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("platform", "duration_minutes", "room_url", "notes")}


class HostForm(forms.Form):
    kol = KolChoiceField(label=_("KOL"), required=False)
    name = forms.CharField(label=_("Or a person's name"), max_length=120, required=False)
    brand = forms.ModelChoiceField(
        label=_("Of the brand"), queryset=Brand.objects.none(), required=False, empty_label=_("The agency")
    )
    role = forms.CharField(label=_("Role"), max_length=80, required=False)

    def __init__(self, *args, brands=None, **kwargs):
        super().__init__(*args, **kwargs)
        if brands is not None:
            self.fields["brand"].queryset = brands

    def clean(self):
        data = super().clean()
        if data.get("kol") is None and not data.get("name") and (data.get("brand") or data.get("role")):
            raise forms.ValidationError(_("Choose a KOL or give the host's name."))
        if data.get("kol") is not None and data.get("brand") is not None:
            raise forms.ValidationError(_("A KOL is nobody's staff: leave the brand empty, or give a person's name."))
        return data


class BaseHostFormSet(forms.BaseFormSet):
    def hosts(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and (form.cleaned_data.get("kol") or form.cleaned_data.get("name"))
        ]


HostFormSet = forms.formset_factory(HostForm, formset=BaseHostFormSet, extra=2, max_num=8)


def host_formset(campaign: Campaign, session: LivestreamSession | None, data=None) -> BaseHostFormSet:
    initial = []
    if session is not None:
        initial = [
            {"kol": host.kol_id, "name": host.name, "brand": host.brand_id, "role": host.role}
            for host in session.hosts.all()
        ]
    return HostFormSet(
        data, initial=initial, prefix="hosts", form_kwargs={"brands": campaign.brands.order_by("name_it")}
    )


class StepForm(forms.Form):
    """One step of the run sheet. Its time slot follows from the minutes of the steps before it."""

    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=240)
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    title = forms.CharField(label=_("Or what happens"), max_length=120, required=False)
    talking_points_zh = forms.CharField(
        label=_("Talking points (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 3, "lang": "zh-Hans"})
    )
    talking_points_en = forms.CharField(
        label=_("Talking points (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2, "lang": "en"})
    )
    talking_points_it = forms.CharField(
        label=_("Talking points (Italian)"), required=False, widget=forms.Textarea(attrs={"rows": 2, "lang": "it"})
    )
    offer = forms.CharField(label=_("Offer"), max_length=200, required=False)
    live_price_cny = forms.DecimalField(
        label=_("Live price (CNY)"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    link_code = forms.ChoiceField(label=_("Code on screen"), required=False)

    def __init__(self, *args, products=None, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        if products is not None:
            self.fields["product"].queryset = products
            self.fields["product"].label_from_instance = lambda p: f"{p.code} {p.name_zh_hans or p.name_it}"
        self.fields["link_code"].choices = [("", "—"), *((c.code, f"{c.label} ({c.code})") for c in codes)]

    def clean(self):
        data = super().clean()
        if data.get("minutes") and data.get("product") is None and not data.get("title"):
            self.add_error("title", _("Choose a product or say what happens in this step."))
        return data


class BaseStepFormSet(forms.BaseFormSet):
    def steps(self) -> list[dict]:
        """The filled steps in running order (the ORDER column; a step marked for deletion left out)."""
        kept = [form for form in self.ordered_forms if form.cleaned_data and not self._should_delete_form(form)]
        return [{k: v for k, v in form.cleaned_data.items() if k not in ("ORDER", "DELETE")} for form in kept]


StepFormSet = forms.formset_factory(
    StepForm, formset=BaseStepFormSet, extra=3, can_order=True, can_delete=True, max_num=60
)


def step_formset(session: LivestreamSession, codes, data=None) -> BaseStepFormSet:
    initial = [
        {
            "minutes": step.minutes,
            "product": step.product_id,
            "title": step.title,
            "talking_points_zh": step.talking_points_zh,
            "talking_points_en": step.talking_points_en,
            "talking_points_it": step.talking_points_it,
            "offer": step.offer,
            "live_price_cny": step.live_price_cny,
            "link_code": step.link_code,
            "ORDER": index,
        }
        for index, step in enumerate(session.steps.all(), start=1)
    ]
    products = session.products.select_related("brand").order_by("brand__name_it", "code")
    return StepFormSet(data, initial=initial, prefix="steps", form_kwargs={"products": products, "codes": list(codes)})
