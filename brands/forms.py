"""Forms of the staff console. They validate and hand plain data to ``brands.services``; they never save."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from brandhub.widgets import DatePicker

from . import completeness
from .choices import CertificationKind, MembershipRole, Platform, StoreType
from .documents import AGENCY_ONLY_FIELDS, CHILDREN
from .images import ImageRejected, image_ingest
from .models import Brand, CompletenessRule

# Each language tab is named in its own language, whatever the interface language.
LANGUAGE_TABS = (("it", "Italiano"), ("en", "English"), ("zh_hans", "中文"))
TRANSLATED = ("name", "description", "story")
GENERAL_FIELDS = (
    "slug",
    "category",
    "subcategory",
    "region",
    "city",
    "founded_year",
    "website",
    "status",
    "joined_on",
    "sales_channel",
)


class BrandForm(forms.ModelForm):
    """The brand's own fields, grouped into a general tab and one tab per language."""

    logo_upload = forms.FileField(
        label=_("Logo"), required=False, help_text=_("JPEG, PNG or WebP, up to 10 MB; a square image works best.")
    )
    cover_upload = forms.FileField(
        label=_("Cover image"), required=False, help_text=_("JPEG, PNG or WebP, up to 10 MB; wide images work best.")
    )

    class Meta:
        model = Brand
        fields = [*GENERAL_FIELDS, *(f"{name}_{lang}" for lang, _label in LANGUAGE_TABS for name in TRANSLATED)]
        widgets = {
            "joined_on": DatePicker(),
            **{f"description_{lang}": forms.Textarea(attrs={"rows": 4}) for lang, _label in LANGUAGE_TABS},
            **{f"story_{lang}": forms.Textarea(attrs={"rows": 6}) for lang, _label in LANGUAGE_TABS},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and not user.is_agency_staff:
            for name in AGENCY_ONLY_FIELDS:
                self.fields.pop(name, None)
        self.fields["name_it"].required = True
        self.fields["name_it"].help_text = _("The brand's own name, as on its labels.")
        self.fields["name_zh_hans"].help_text = _("The Chinese name consumers see on Tmall.")
        for lang, _label in LANGUAGE_TABS:
            self.fields[f"name_{lang}"].widget.attrs["lang"] = lang.replace("_", "-")

    def _clean_image(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        try:
            return image_ingest(upload)
        except ImageRejected as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean_logo_upload(self):
        return self._clean_image("logo_upload")

    def clean_cover_upload(self):
        return self._clean_image("cover_upload")

    def language_fields(self):
        """[(code, label, [bound fields])] for the per-language tabs."""
        return [(lang, label, [self[f"{name}_{lang}"] for name in TRANSLATED]) for lang, label in LANGUAGE_TABS]

    def general_fields(self):
        return [self[name] for name in GENERAL_FIELDS if name in self.fields]

    def brand_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("logo_upload", "cover_upload")}


# A blank first choice keeps the untouched extra row of a formset "unchanged", so it is skipped, not saved.
BLANK = [("", "---------")]


class StoreForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=BLANK + Platform.choices)
    store_type = forms.ChoiceField(label=_("Store type"), choices=StoreType.choices, initial=StoreType.OFFICIAL)
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DatePicker())


class ProductForm(forms.Form):
    code = forms.CharField(label=_("SKU code"), max_length=40)
    name_it = forms.CharField(label=_("Name (it)"), max_length=160)
    name_en = forms.CharField(label=_("Name (en)"), max_length=160, required=False)
    name_zh_hans = forms.CharField(label=_("Name (中文)"), max_length=160, required=False)
    price_cny = forms.DecimalField(label=_("Price (CNY)"), max_digits=10, decimal_places=2, min_value=0, required=False)
    category = forms.CharField(label=_("Category"), max_length=60, required=False)
    image = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + CertificationKind.choices)
    label = forms.CharField(label=_("Label"), max_length=120, required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    role = forms.CharField(label=_("Role"), max_length=80, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    wechat = forms.CharField(label=_("WeChat ID"), max_length=60, required=False)


class ChildFormSet(forms.BaseFormSet):
    """Rows of one child kind; two rows with the same natural key (e.g. two Tmall stores) are an error."""

    kind = None

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            key = self.kind.key_of(form.cleaned_data)
            if key in seen:
                raise forms.ValidationError(
                    _("Two %(kind)s rows have the same %(key)s.")
                    % {"kind": self.kind.label.lower(), "key": ", ".join(str(k) for k in key if k)}
                )
            seen.add(key)

    def rows(self) -> list[dict]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


def _formset(kind_name, form):
    return forms.formset_factory(
        form,
        formset=type(f"{form.__name__}Set", (ChildFormSet,), {"kind": CHILDREN[kind_name]}),
        extra=1,
        can_delete=True,
        max_num=50,
        validate_max=True,
    )


CHILD_LABELS = {
    "stores": _("Stores"),
    "products": _("Products"),
    "certifications": _("Certifications"),
    "contacts": _("Contacts"),
}
CHILD_FORMSETS = {
    "stores": _formset("stores", StoreForm),
    "products": _formset("products", ProductForm),
    "certifications": _formset("certifications", CertificationForm),
    "contacts": _formset("contacts", ContactForm),
}


class CompletenessRuleForm(forms.ModelForm):
    field = forms.ChoiceField(label=_("Required field"), choices=completeness.FIELD_CHOICES)

    class Meta:
        model = CompletenessRule
        fields = ["field", "platform"]


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Brand user"),
        queryset=get_user_model().objects.filter(role="brand", is_active=True).order_by("username"),
    )
    role = forms.ChoiceField(label=_("Access"), choices=MembershipRole.choices, initial=MembershipRole.VIEWER)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("Use an export as a template."))


class ProposalAcceptForm(forms.Form):
    """Accepting a proposal: an optional note, kept with the revision in the brand's history."""

    comment = forms.CharField(label=_("Note for the history (optional)"), max_length=200, required=False)


class ProposalRejectForm(forms.Form):
    """Rejecting a proposal: why, for the brand user who made it (required)."""

    comment = forms.CharField(
        label=_("Why it is rejected (the proposer reads this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
