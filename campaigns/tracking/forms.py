"""Forms of events, tracked links, QR downloads and the bulk link import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brandhub.widgets import DatePicker, SearchableSelectMultiple
from brands.choices import Category
from brands.models import Brand, Product
from campaigns.forms import ChinaDateTimeField
from campaigns.models import Campaign

from .models import OfflineEvent, TrackedLink
from .services import EVENT_FIELDS, LINK_FIELDS


class OfflineEventForm(forms.ModelForm):
    brands = forms.ModelMultipleChoiceField(
        label=_("Brands"),
        queryset=Brand.objects.active().order_by("name_it"),
        widget=SearchableSelectMultiple(attrs={"size": 10}, group_of=lambda b: b.category, groups=Category.choices),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Featured products"),
        queryset=Product.objects.select_related("brand").order_by("brand__name_it", "code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("SKUs from the registry, of the brands above."),
    )

    class Meta:
        model = OfflineEvent
        fields = ["brands", "products", *EVENT_FIELDS]
        widgets = {
            "starts_on": DatePicker(),
            "ends_on": DatePicker(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on")
        self.fields["products"].label_from_instance = lambda product: f"{product.brand.name_it} · {product}"


class TrackedLinkForm(forms.ModelForm):
    valid_from = ChinaDateTimeField(label=_("Valid from (China time)"), required=False)
    valid_until = ChinaDateTimeField(label=_("Valid until (China time)"), required=False)
    brands = forms.ModelMultipleChoiceField(
        label=_("Brands of this code"),
        queryset=Brand.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a code of the whole event: every brand of the event sees its scans."),
    )

    class Meta:
        model = TrackedLink
        fields = ["brands", *(name for name in LINK_FIELDS if name not in ("event", "campaign"))]
        widgets = {"destination": forms.URLInput(attrs={"placeholder": "https://"})}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            self.fields["brands"].queryset = event.brands.order_by("name_it")
        if self.instance.pk:
            self.initial["brands"] = list(self.instance.brands.values_list("pk", flat=True))

    def clean_destination(self):
        from .services import validate_destination

        value = self.cleaned_data["destination"]
        try:
            validate_destination(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["destination"]) from exc
        return value


class LinkImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: label, destination, city, venue, reward, scan_cap — one link per row."),
    )


class QrForm(forms.Form):
    """How a QR image is drawn: print size, resolution, colours, the brand's logo and a caption."""

    FORMATS = (("png", "PNG"), ("svg", "SVG"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="png")
    size_cm = forms.DecimalField(label=_("Size (cm)"), min_value=1, max_value=30, decimal_places=1, initial=4)
    dpi = forms.IntegerField(label=_("Resolution (dpi)"), min_value=72, max_value=1200, initial=300)
    foreground = forms.RegexField(
        label=_("Code colour"),
        regex=r"^#[0-9A-Fa-f]{6}$",
        initial="#000000",
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    background = forms.RegexField(
        label=_("Background"),
        regex=r"^#[0-9A-Fa-f]{6}$",
        initial="#FFFFFF",
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.BooleanField(label=_("Brand logo in the centre"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=80, required=False)

    def clean(self):
        from .qr import validate_colours

        data = super().clean()
        if data.get("foreground") and data.get("background"):
            try:
                validate_colours(data["foreground"], data["background"])
            except forms.ValidationError as exc:
                self.add_error("foreground", exc)
        return data
