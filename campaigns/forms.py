"""Forms of campaign planning. Scheduling is always entered in China time, whatever the user's own zone."""

import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from brandhub.widgets import DatePicker, SearchableSelect, SearchableSelectMultiple
from brands.choices import Category
from brands.models import Brand

from .choices import Channel, PictureSubject, Topic
from .models import Campaign, ContentItem, Festival, Kol
from .services import CAMPAIGN_FIELDS, CHINA

LANGUAGES = (("it", "Italiano"), ("en", "English"), ("zh_hans", "中文"))


class ChinaDateTimeField(forms.DateTimeField):
    """A date and time typed as China Standard Time (Asia/Shanghai), stored as an aware UTC datetime."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M")

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return value.astimezone(CHINA).strftime("%Y-%m-%dT%H:%M")
        return value

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        # Django read the wall-clock time in the user's zone; keep the wall clock, but in China.
        wall = timezone.localtime(result).replace(tzinfo=None) if timezone.is_aware(result) else result
        return wall.replace(tzinfo=CHINA)


class CampaignForm(forms.ModelForm):
    brands = forms.ModelMultipleChoiceField(
        label=_("Brands taking part"),
        queryset=Brand.objects.active().order_by("name_it"),
        required=False,
        widget=SearchableSelectMultiple(attrs={"size": 12}, group_of=lambda b: b.category, groups=Category.choices),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Campaign
        # What the service accepts, plus the brands taking part (placed by the template).
        fields = ["brands", *CAMPAIGN_FIELDS]
        widgets = {
            "starts_on": DatePicker(),
            "ends_on": DatePicker(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["festival"].queryset = Festival.objects.active().order_by("month", "day")
        self.fields["starts_on"].required = False
        self.fields["ends_on"].required = False
        self.fields["starts_on"].help_text = _("Leave the dates empty to use the festival's campaign window.")
        self.fields["festival_year"].help_text = _("Leave it empty for the festival's next date.")
        if self.instance.pk:
            self.initial["brands"] = list(self.instance.brands.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        if not data.get("festival") and not (data.get("starts_on") and data.get("ends_on")):
            raise forms.ValidationError(_("Choose a festival, or give the campaign its own start and end."))
        return data

    def _post_clean(self):
        # Dates may still be empty here (the service fills them from the festival): validate in the service.
        pass

    def campaign_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "brands"}


class KolChoiceField(forms.ModelChoiceField):
    """A KOL picked by any of their names, as a searchable list: "意式生活家Lily · Lily · RED, Douyin"."""

    widget = SearchableSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Kol.objects.prefetch_related("accounts").order_by("name", "name_zh", "pk"))
        super().__init__(**kwargs)

    def label_from_instance(self, kol):
        parts = [kol.name_zh or kol.name]
        if kol.name and kol.name_zh and kol.name.casefold() not in kol.name_zh.casefold():
            parts.append(kol.name)
        platforms = [account.get_platform_display() for account in kol.accounts.all()]
        if platforms:
            parts.append(", ".join(str(p) for p in platforms))
        return " · ".join(parts)


class TimeWarningsMixin:
    """A time in the past, or outside the campaign's window, asks for a confirmation (``confirm_time``) before it is
    saved: the item and livestream forms. ``self.campaign`` is the campaign (None: nothing to compare with)."""

    time_warnings: list  # set by the form's __init__ ([]) and by check_time

    def check_time(self, data: dict, *, changed: bool) -> None:
        when = data.get("scheduled_at")
        if when and changed:
            self.time_warnings = self._time_warnings(when)
            if self.time_warnings and not data.get("confirm_time"):
                for warning in self.time_warnings:
                    self.add_error("scheduled_at", warning)

    def _time_warnings(self, when) -> list[str]:
        warnings = []
        if when <= timezone.now():
            warnings.append(_("This time has passed."))
        campaign = self.campaign
        if campaign is not None:
            day = when.astimezone(CHINA).date()
            if not campaign.starts_on <= day <= campaign.ends_on:
                outside = (campaign.starts_on - day).days if day < campaign.starts_on else (day - campaign.ends_on).days
                warnings.append(
                    _("The campaign runs from %(start)s to %(end)s: this is %(days)s days outside it.")
                    % {
                        "start": formats.date_format(campaign.starts_on, "SHORT_DATE_FORMAT"),
                        "end": formats.date_format(campaign.ends_on, "SHORT_DATE_FORMAT"),
                        "days": outside,
                    }
                )
        return warnings


class ContentItemForm(TimeWarningsMixin, forms.ModelForm):
    scheduled_at = ChinaDateTimeField(label=_("Goes out at (China time)"))
    kol = KolChoiceField(label=_("KOL"), required=False)
    brands = forms.ModelMultipleChoiceField(label=_("Brands"), queryset=Brand.objects.none(), required=False)
    # The version of the item this form was built on; the service refuses a form older than the item.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Shown once the time is in the past or outside the campaign's window: the planner confirms it is meant.
    confirm_time = forms.BooleanField(label=_("Yes, this time is right"), required=False)

    class Meta:
        model = ContentItem
        fields = [
            "channel",
            "scheduled_at",
            "brands",
            "kol",
            "kol_text",
            *(f"{f}_{code}" for code, _label in LANGUAGES for f in ("title", "body")),
        ]
        widgets = {f"body_{code}": forms.Textarea(attrs={"rows": 6}) for code, _label in LANGUAGES}

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.time_warnings: list[str] = []
        self.fields["brands"].queryset = campaign.brands.order_by("name_it") if campaign else Brand.objects.none()
        if self.instance.pk:
            self.initial["brands"] = list(self.instance.brands.values_list("pk", flat=True))
            self.initial["version"] = self.instance.version
        for code, _label in LANGUAGES:
            for name in ("title", "body"):
                self.fields[f"{name}_{code}"].widget.attrs["lang"] = code.replace("_", "-")
        if self.instance.kol_text:
            # A name typed before KOLs were records that could not be matched: shown until a KOL is picked.
            self.fields["kol_text"].help_text = _(
                "Nobody could tell which KOL this is. Pick the KOL above (this text then goes), or empty it."
            )
        else:
            del self.fields["kol_text"]

    def clean(self):
        data = super().clean()
        self.check_time(data, changed=not self.instance.pk or "scheduled_at" in self.changed_data)
        return data

    def _post_clean(self):
        # The service validates the instance (after computing the due date); don't mutate it here.
        pass

    def language_fields(self):
        return [(code, label, [self[f"title_{code}"], self[f"body_{code}"]]) for code, label in LANGUAGES]

    def item_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("brands", "version", "confirm_time")}


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    accept_warnings = forms.BooleanField(label=_("Schedule despite the warnings"), required=False)


class ContentItemMoveForm(forms.Form):
    """A new day (and time) for an item, dragged on the calendar or chosen with the keyboard. ``zone`` is the zone
    the page showed (the month view: the user's; the week view: China time); ``time`` left out keeps the item's
    time of day in that zone."""

    ZONES = ("Asia/Shanghai", "Europe/Rome", "UTC")

    version = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("Day"))
    time = forms.TimeField(label=_("Time"), required=False)
    zone = forms.ChoiceField(choices=[(z, z) for z in ZONES], required=False)


class CreativeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    image = forms.FileField(label=_("Banner image"), help_text=_("JPEG, PNG or WebP."))
    subject = forms.ChoiceField(label=_("Picture subject"), choices=[("", "---------"), *PictureSubject.choices])
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "---------"), *Topic.choices])

    def clean_image(self):
        from brands.images import ImageRejected, image_ingest

        try:
            return image_ingest(self.cleaned_data["image"])
        except ImageRejected as exc:
            raise forms.ValidationError(exc.messages) from exc


class QuickSelect(forms.Select):
    """A plain single select written without the widget templates: the calendar's brand filter lists every brand
    (100+), and rendering each option through Django's option templates cost ~5 ms a page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == chosen else ""}>{escape(label)}</option>'
            for v, label in self.choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, mark_safe(options))  # options escaped


class CalendarFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All")), *Category.choices], required=False)
    brand = forms.ChoiceField(label=_("Brand"), required=False, widget=QuickSelect)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        brands = Brand.objects.visible_to(user).active().order_by("name_it").values_list("slug", "name_it")
        self.fields["brand"].choices = [("", _("All")), *brands]


class CampaignFilterForm(CalendarFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Campaign._meta.get_field("status").choices]
    )
    q = forms.CharField(label=_("Search"), required=False)


class FestivalForm(forms.ModelForm):
    """A festival's rule, window and lead times; the rule is checked by the calendar engine."""

    categories = forms.MultipleChoiceField(
        label=_("Suited categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Festival
        fields = [
            "name_it",
            "name_en",
            "name_zh_hans",
            "rule_kind",
            "month",
            "day",
            "weekday",
            "nth",
            "day_offset",
            "anchor",
            "length_days",
            "window_start",
            "window_peak",
            "window_end",
            "content_due_days",
            "ship_by_days",
            "signup_days",
            "categories",
            "notes",
            "is_active",
        ]
