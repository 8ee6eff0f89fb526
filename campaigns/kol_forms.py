"""Forms of KOLs: the KOL with a row per platform, a follower count, and a booking."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brandhub.widgets import DatePicker, SearchableSelect

from .choices import BookingStatus, KolFocus, KolLanguage, KolPlatform
from .forms import KolChoiceField
from .models import Campaign, ContentItem, Kol, KolAccount, KolBooking


class KolForm(forms.ModelForm):
    focus = forms.MultipleChoiceField(
        label=_("Focus"), choices=KolFocus.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages on camera"), choices=KolLanguage.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Kol
        fields = [
            "name",
            "name_zh",
            "focus",
            "languages",
            "agency",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_wechat",
            "fee_min_cny",
            "fee_max_cny",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_zh"].widget.attrs["lang"] = "zh-Hans"

    def clean(self):
        data = super().clean()
        if not (data.get("name") or data.get("name_zh")):
            raise forms.ValidationError(_("Give the KOL a name, in Latin letters or in Chinese."))
        return data

    def _post_clean(self):
        # The service validates the instance (constraints included) and the accounts with it.
        pass


class AccountForm(forms.Form):
    """One platform's row of the KOL form: handle, profile URL, and a count of followers to record for today."""

    platform = forms.ChoiceField(choices=KolPlatform.choices, widget=forms.HiddenInput)
    handle = forms.CharField(label=_("Handle"), max_length=120, required=False)
    profile_url = forms.URLField(label=_("Profile URL"), max_length=500, required=False, assume_scheme="https")
    followers = forms.IntegerField(label=_("Followers today"), min_value=0, required=False)
    remove = forms.BooleanField(label=_("Remove this account and its history"), required=False)

    @property
    def platform_label(self):
        return KolPlatform(self["platform"].value()).label


class BaseAccountFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


AccountFormSet = forms.formset_factory(AccountForm, formset=BaseAccountFormSet, extra=0)


def account_formset(kol: Kol | None, data=None) -> BaseAccountFormSet:
    """One row per platform, in the choices' order, filled from the KOL's accounts."""
    accounts = {a.platform: a for a in kol.accounts.all()} if kol is not None and kol.pk else {}
    initial = [
        {
            "platform": platform,
            "handle": accounts[platform].handle if platform in accounts else "",
            "profile_url": accounts[platform].profile_url if platform in accounts else "",
        }
        for platform in KolPlatform.values
    ]
    formset = AccountFormSet(data, initial=initial, prefix="accounts")
    for form in formset.forms:
        platform = form.initial["platform"]
        form.has_account = platform in accounts
        if not form.has_account:
            del form.fields["remove"]
    return formset


class FollowerCountForm(forms.Form):
    """A count of an account's followers on a day (past or today)."""

    account = forms.ModelChoiceField(label=_("Platform"), queryset=KolAccount.objects.none())
    day = forms.DateField(label=_("Day"), widget=DatePicker())
    followers = forms.IntegerField(label=_("Followers"), min_value=0)

    def __init__(self, *args, kol: Kol, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = kol.accounts.order_by("platform")
        self.fields["account"].label_from_instance = lambda account: str(account.get_platform_display())
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())


class _ItemChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        return f"{item.title} · {item.get_channel_display()} · {item.scheduled_at:%Y-%m-%d}"


class KolBookingForm(forms.ModelForm):
    """A booking: which KOL, for which campaign (and which of its items), the fee, deliverables, dates and status.

    The items offered are the chosen campaign's (the page reloads with ``?campaign=`` when staff pick another)."""

    kol = KolChoiceField(label=_("KOL"))
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.order_by("-starts_on", "title"), widget=SearchableSelect
    )
    items = _ItemChoices(
        label=_("Content items"),
        queryset=ContentItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the KOL is booked for the whole campaign."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=BookingStatus.choices)

    class Meta:
        model = KolBooking
        fields = ["kol", "campaign", "items", "fee_cny", "deliverables", "starts_on", "ends_on", "status", "notes"]
        widgets = {
            "starts_on": DatePicker(),
            "ends_on": DatePicker(),
            "deliverables": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = campaign or (self.instance.campaign if self.instance.campaign_id else None)
        if self.is_bound:
            picked = self.data.get("campaign")
            chosen = Campaign.objects.filter(pk=picked).first() if str(picked or "").isdigit() else chosen
        if chosen is not None:
            from .kols import booking_items_choices

            self.fields["items"].queryset = booking_items_choices(chosen)
            # A new booking's initial holds None for these (the empty instance's): they come from the campaign.
            self.initial["campaign"] = chosen.pk
            if not self.instance.pk:
                self.initial["starts_on"] = self.initial.get("starts_on") or chosen.starts_on
                self.initial["ends_on"] = self.initial.get("ends_on") or chosen.ends_on
        if self.instance.pk:
            self.initial["items"] = list(self.instance.items.values_list("pk", flat=True))

    def _post_clean(self):
        pass

    def booking_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("kol", "campaign", "items")}


class KolMergeForm(forms.Form):
    """The other record of the same person, merged into the KOL whose page this is; ``confirm`` after the preview."""

    other = KolChoiceField(label=_("The same person's other record"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kol: Kol, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = self.fields["other"].queryset.exclude(pk=kol.pk)
