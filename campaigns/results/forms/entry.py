"""Manual entry of a few figures (a livestream's viewers and items sold, a KOL post's interactions).

The form only collects values: ``FactChecker`` reads and checks them exactly as it does a file's row or a partner's
JSON (numbers with separators or 万, dates in the future refused, an item that does not feature the brand ...), and
its issues become the form's errors, in the reader's language.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brandhub.widgets import DatePicker
from brands.models import Brand
from campaigns.choices import Channel
from campaigns.models import Campaign, ContentItem, Creative

from ..facts import FactChecker, FactRow
from ..metrics import METRICS


class _ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{item.title} · {item.get_channel_display()} · {item.scheduled_at:%Y-%m-%d}"


class _CreativeChoice(forms.ModelChoiceField):
    def label_from_instance(self, creative):
        parts = [f"#{creative.pk}", creative.item.title, creative.dominant_label]
        if creative.subject:
            parts.append(str(creative.get_subject_display()))
        return " · ".join(parts)


class FactEntryForm(forms.Form):
    """A day × channel × brand (× campaign, item, creative) and its figures. Built for a content item (its
    campaign, brands and creatives are the choices), for a campaign (its brands, items and creatives), or for
    neither (any brand, any campaign)."""

    date = forms.DateField(label=_("Date"), widget=DatePicker())
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *Channel.choices])
    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.none())
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    item = _ItemChoice(label=_("Content item"), queryset=ContentItem.objects.none(), required=False)
    creative = _CreativeChoice(label=_("Creative"), queryset=Creative.objects.none(), required=False)

    def __init__(self, *args, campaign: Campaign | None = None, item: ContentItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.context_campaign, self.context_item = campaign, item
        self.row: FactRow | None = None
        for metric in METRICS:
            # Text, not a number input: the checker reads 1,200, 1.2万 and ¥3,450.50 as a file's cell would be read.
            field = forms.CharField(
                label=metric.label,
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            # A number needs no character counter (the page's script adds one to every maxlength): the length is
            # still checked here.
            field.widget.attrs.pop("maxlength", None)
            self.fields[metric.name] = field
        self.fields["followers_total"].help_text = _("The account's followers at the end of the day.")
        self.fields["gmv_cny"].help_text = _("In yuan, e.g. 12,800 or 1.28万.")
        brands = Brand.objects.order_by("name_it")
        if item is not None:
            self.fields["brand"].queryset = brands.filter(pk__in=item.brands.values("pk"))
            self.fields["creative"].queryset = item.creatives.select_related("item").order_by("pk")
            del self.fields["campaign"], self.fields["item"]
        elif campaign is not None:
            self.fields["brand"].queryset = brands.filter(pk__in=campaign.brands.values("pk"))
            self.fields["item"].queryset = campaign.items.order_by("scheduled_at", "pk")
            self.fields["creative"].queryset = Creative.objects.filter(item__campaign=campaign).select_related("item")
            del self.fields["campaign"]
        else:
            self.fields["brand"].queryset = brands
            self.fields["campaign"].queryset = Campaign.objects.select_related("festival").order_by("-starts_on", "pk")
            del self.fields["item"], self.fields["creative"]
        if item is not None and not self.fields["creative"].queryset.exists():
            del self.fields["creative"]
        if not self.is_bound and "brand" not in self.initial:
            only = list(self.fields["brand"].queryset[:2])
            if len(only) == 1:  # the item's or campaign's one brand: nothing to choose
                self.initial["brand"] = only[0].pk
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        campaign = data.get("campaign") or self.context_campaign
        item = data.get("item") or self.context_item
        creative = data.get("creative")
        values = {
            "date": data["date"],
            "channel": data["channel"],
            "brand": data["brand"].pk,
            "campaign": campaign.pk if campaign else "",
            "item": item.pk if item else "",
            "creative": creative.pk if creative else "",
            **{metric.name: data.get(metric.name, "") for metric in METRICS},
        }
        row, issues = FactChecker().check(values)
        for issue in issues:
            name = issue.column if issue.column in self.fields else None
            self.add_error(name, issue.message())
        self.row = row
        return data

    @property
    def figure_fields(self):
        return [self[metric.name] for metric in METRICS]

    @property
    def where_fields(self):
        return [
            self[name] for name in ("date", "channel", "brand", "campaign", "item", "creative") if name in self.fields
        ]
