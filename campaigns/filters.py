"""FilterSets of the partner feed: content items and campaigns as ``/api/v1/content/`` and ``/campaigns/`` filter them.

Both work on the querysets ``campaigns.api.feed`` builds, whose ``changed_at`` annotation is the moment a row's
JSON last changed (the row itself or the brands it shows): ``updated_since`` filters on it.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from brandhub.api.filters import IdFilter, since_in_utc
from brands.choices import Category

from .api.feed import items_changed_since
from .choices import Channel
from .models import Campaign, CampaignBrand, ContentItem


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
