"""Forms of the file import: the upload (file, source, defaults) and the mapping step (each column's field)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from brandhub.sheets import SheetError, SheetReader
from brandhub.widgets import SearchableSelectMultiple
from brands.models import Brand
from campaigns.choices import Channel
from campaigns.models import Campaign

from ..importfile import problem_message, problems
from ..metrics import FIELD_LABELS, FIELDS
from ..models import MetricSource

IGNORE = "ignore"


class SearchableSelect(SearchableSelectMultiple):
    """The campaign form's type-to-search picker (select2 from our static files) for one choice; without
    JavaScript, a plain select."""

    allow_multiple_selected = False

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data


def _brand_label(brand: Brand) -> str:
    return f"{brand.name_it} · {brand.name_zh_hans}" if brand.name_zh_hans else brand.name_it


def _campaign_label(campaign: Campaign) -> str:
    return f"{campaign.title} ({campaign.starts_on:%Y-%m-%d})"


class DefaultsMixin(forms.Form):
    """Coordinates for what a file has no column for: every row of the file gets them (a row's own value wins)."""

    brand = forms.ModelChoiceField(
        label=_("Brand of every row"),
        queryset=Brand.objects.order_by("name_it"),
        required=False,
        empty_label=_("— from the file —"),
        help_text=_("For an export of one brand's store or account."),
        widget=SearchableSelect,
    )
    channel = forms.ChoiceField(
        label=_("Channel of every row"),
        choices=[("", _("— from the file —")), *Channel.choices],
        required=False,
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign of every row"),
        queryset=Campaign.objects.order_by("-starts_on", "title"),
        required=False,
        empty_label=_("— none —"),
        widget=SearchableSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].label_from_instance = _brand_label
        self.fields["campaign"].label_from_instance = _campaign_label

    def defaults(self) -> dict:
        data = self.cleaned_data
        return {
            "brand": data["brand"].pk if data.get("brand") else None,
            "channel": data.get("channel") or None,
            "campaign": data["campaign"].pk if data.get("campaign") else None,
        }


class MetricImportForm(DefaultsMixin, forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_("CSV or XLSX, as the platform's tool exports it (生意参谋, 抖音, 小红书, 微信 …)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=MetricSource.objects.filter(kind=MetricSource.Kind.FILE).order_by("name"),
        required=False,
        empty_label=pgettext_lazy("source", "— a new source —"),
        help_text=_("Files of one source share their column mapping and their rows' keys."),
    )
    new_source = forms.CharField(
        label=_("Name of a new source"),
        max_length=120,
        required=False,
        help_text=_("e.g. “Tmall 生意参谋 – content”."),
    )

    field_order = ["file", "source", "new_source", "brand", "channel", "campaign"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.RESULTS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the largest file the import takes is %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        try:
            SheetReader(upload, name=upload.name)
        except SheetError as exc:
            raise ValidationError(exc.messages[0], code=exc.code) from exc
        upload.seek(0)
        return upload

    def clean(self):
        data = super().clean()
        new = " ".join((data.get("new_source") or "").split())
        if data.get("source") and new:
            self.add_error("new_source", _("Choose a source or name a new one, not both."))
        elif not data.get("source") and not new:
            self.add_error("new_source", _("Choose the source of the file, or name a new one."))
        data["new_source"] = new
        return data


class MetricImportMappingForm(DefaultsMixin, forms.Form):
    """One select per column of the file (``column_<n>``): a field, or "ignore". The file's problems (no date, no
    brand or channel and no default for it, two columns for one field) are the form's errors."""

    def __init__(self, *args, run, samples=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        choices = [("", _("— choose —")), (IGNORE, _("Ignore this column")), *((f, FIELD_LABELS[f]) for f in FIELDS)]
        self.columns = []
        for index, header in enumerate(run.headers):
            current = run.columns[index] if index < len(run.columns) else None
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("(no name)"),
                choices=choices,
                initial=IGNORE if current == "" else current or "",
                error_messages={"required": _("Choose what this column holds, or ignore it.")},
            )
            self.columns.append(
                {
                    "field": self[name],
                    "header": header,
                    "known": current is not None,
                    "samples": (samples[index] if samples and index < len(samples) else []),
                }
            )
        for name, value in (run.defaults or {}).items():
            if name in self.fields:
                self.fields[name].initial = value
        # Unknown columns first: they are what the person came for.
        self.columns.sort(key=lambda c: c["known"])

    def chosen(self) -> list[str]:
        return [
            "" if self.cleaned_data.get(f"column_{i}") == IGNORE else self.cleaned_data.get(f"column_{i}") or ""
            for i in range(len(self.run.headers))
        ]

    def clean(self):
        data = super().clean()
        if any(f"column_{i}" in self.errors for i in range(len(self.run.headers))):
            return data
        found = [
            (code, params)
            for code, params in problems(self.chosen(), self.run.headers, self.defaults())
            if code != "unknown"
        ]
        for code, params in found:
            self.add_error(None, problem_message(code, params))
        return data
