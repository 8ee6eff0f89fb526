"""FilterSets of the partner feed (content items and campaigns as ``/api/v1/content/`` and ``/campaigns/`` filter them)
and of the KOL list.

The feed's two work on the querysets ``campaigns.api.feed`` builds, whose ``changed_at`` annotation is the moment a
row's JSON last changed (the row itself or the brands it shows): ``updated_since`` filters on it.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brandhub.api.filters import IdFilter, since_in_utc
from brands.choices import Category
from brands.search import search_filter

from .api.feed import items_changed_since
from .choices import Channel, KolFocus, KolLanguage, KolPlatform
from .models import Campaign, CampaignBrand, ContentItem, Kol, KolAccount


class FeedFilterSet(django_filters.FilterSet):
    """``brand_ids``: the brands of a key limited to some (None: every brand). Filtering by another brand finds
    nothing, so a limited key cannot learn which other brands take part in what it sees."""

    updated_since = django_filters.IsoDateTimeFilter(label=_("Changed at or after (ISO 8601)"), method="filter_since")
    brand = django_filters.CharFilter(label=_("Brand"), method="filter_brand")

    def __init__(self, *args, brand_ids=None, **kwargs):
        self.brand_ids = brand_ids
        super().__init__(*args, **kwargs)

    def filter_since(self, queryset, name, value):
        return queryset.filter(changed_at__gte=since_in_utc(value))

    # Each subclass names the model linking brands to its rows, and that model's column naming the row.
    brand_link_model: type
    link_column: str

    def filter_brand(self, queryset, name, value):
        links = self.brand_link_model.objects.filter(brand__slug=value)
        if self.brand_ids is not None:
            links = links.filter(brand_id__in=self.brand_ids)
        return queryset.filter(pk__in=links.values(self.link_column))


class ContentItemApiFilterSet(FeedFilterSet):
    """Published items by campaign, channel or brand, and ``updated_since`` for incremental sync."""

    campaign = IdFilter(label=_("Campaign"), field_name="campaign_id")
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    brand_link_model = ContentItem.brands.through
    link_column = "contentitem_id"

    class Meta:
        model = ContentItem
        fields = ["updated_since", "campaign", "channel", "brand"]

    def filter_since(self, queryset, name, value):
        return queryset.filter(items_changed_since(since_in_utc(value), self.brand_ids))


class CampaignApiFilterSet(FeedFilterSet):
    """Campaigns with published items, by category focus or brand, and ``updated_since``."""

    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    brand_link_model = CampaignBrand
    link_column = "campaign_id"

    class Meta:
        model = Campaign
        fields = ["updated_since", "category", "brand"]


# --- KOLs -----------------------------------------------------------------------------------------------------------

KOL_SORTS = {
    "name": ("name", "name_zh", "pk"),
    "-followers": ("-followers", "name", "pk"),
    "followers": ("followers", "name", "pk"),
    "fee": ("fee_min_cny", "name", "pk"),
    "-updated": ("-updated_at", "pk"),
}


class KolFilterSet(django_filters.FilterSet):
    """The KOL list's search and filters: a name, handle or agency; platform, focus, language; followers between
    two counts (all platforms together); a fee within a budget. One FilterSet for the page and its links."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    platform = django_filters.ChoiceFilter(
        label=_("Platform"), choices=KolPlatform.choices, method="filter_platform", empty_label=_("All")
    )
    focus = django_filters.ChoiceFilter(
        label=_("Focus"), choices=KolFocus.choices, method="filter_focus", empty_label=_("All")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=KolLanguage.choices, method="filter_language", empty_label=_("All")
    )
    followers_min = django_filters.NumberFilter(
        label=_("Followers from"), field_name="followers", lookup_expr="gte", min_value=0
    )
    followers_max = django_filters.NumberFilter(
        label=_("Followers up to"), field_name="followers", lookup_expr="lte", min_value=0
    )
    budget = django_filters.NumberFilter(label=_("Budget per booking (CNY)"), method="filter_budget", min_value=0)
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=(
            ("name", _("Name A-Z")),
            ("-followers", _("Most followers first")),
            ("followers", _("Fewest followers first")),
            ("fee", _("Lowest fee first")),
            ("-updated", _("Recently updated")),
        ),
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Kol
        fields = ["q", "platform", "focus", "language", "followers_min", "followers_max", "budget"]

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*KOL_SORTS["name"])
        return queryset

    def filter_search(self, queryset, name, value):
        """As the brand list searches: the query as typed, folded, or without spaces (``lao chen`` → ``laochen``)."""
        return search_filter(queryset, value)

    def filter_platform(self, queryset, name, value):
        return queryset.filter(pk__in=KolAccount.objects.filter(platform=value).values("kol_id"))

    def filter_focus(self, queryset, name, value):
        return queryset.filter(tags__contains=f" focus:{value} ")

    def filter_language(self, queryset, name, value):
        return queryset.filter(tags__contains=f" lang:{value} ")

    def filter_budget(self, queryset, name, value):
        """KOLs who can be had for the budget: their lowest fee within it (a KOL without a known fee stays in)."""
        return queryset.filter(Q(fee_min_cny__lte=value) | Q(fee_min_cny__isnull=True))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*KOL_SORTS.get(value, KOL_SORTS["name"]))
