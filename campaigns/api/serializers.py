"""Published content and campaigns as partners see them: less than a brand user (no budget, targets, owner, KOL
fees, review history, colour analysis or other brands), and only what is out.

Texts come in the three languages as an object (``TranslatedField``); the views reduce them to one language
when the partner asks for one, as the brand endpoints do. Creatives are private files: their URLs point at
``/api/v1/content/{id}/creatives/{creative_id}/{rendition}/``, fetched with the partner's key.
"""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brands.api.serializers import TranslatedField
from campaigns.choices import Channel
from campaigns.models import Creative

from .feed import CAMPAIGN_ITEMS


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


class FeedBrandSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = TranslatedField("name")


class FeedCreativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    width = serializers.IntegerField(source="image.width")
    height = serializers.IntegerField(source="image.height")
    original = serializers.CharField(read_only=True, help_text="URL of the image as uploaded (with the key).")
    thumb = serializers.CharField(read_only=True, help_text="URL of a rendition inside 240×240.")
    square = serializers.CharField(read_only=True, help_text="URL of a centred square rendition.")
    banner = serializers.CharField(read_only=True, help_text="URL of a centred 32:9 rendition.")

    def to_representation(self, creative):
        data = {"id": creative.pk, "width": creative.image.width, "height": creative.image.height}
        # One reverse per creative (a feed page has hundreds of these URLs); the renditions differ in the last part.
        kwargs = {"pk": creative.item_id, "creative_id": creative.pk, "rendition": "original"}
        base = _absolute(reverse("api_content_creative", kwargs=kwargs)).removesuffix("original/")
        return data | {rendition: f"{base}{rendition}/" for rendition in Creative.RENDITIONS}


class LiveUrlField(serializers.CharField):
    """The item's live URL (recorded by its publisher or the go-live confirmation), or null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The live URL on the channel, when its publisher or a person recorded one.")
        super().__init__(source="live_url", allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


class FeedItemSummarySerializer(serializers.Serializer):
    """An item as its campaign lists it; the whole item is at ``/api/v1/content/{id}/``."""

    id = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    title = TranslatedField("title")
    published_at = serializers.DateTimeField()
    url = LiveUrlField()


class ContentItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = serializers.IntegerField(source="campaign_id")
    brands = FeedBrandSerializer(many=True, help_text="Only the brands this key may see.")
    channel = serializers.ChoiceField(choices=Channel.choices)
    title = TranslatedField("title")
    body = TranslatedField("body")
    published_at = serializers.DateTimeField()
    url = LiveUrlField()
    creatives = FeedCreativeSerializer(many=True)
    updated_at = serializers.DateTimeField(
        source="changed_at", help_text="When this item's data last changed (its brands' names included)."
    )


class FeedFestivalSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = TranslatedField("name")
    year = serializers.IntegerField()


FESTIVAL_NAME = TranslatedField("name")


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    festival = serializers.SerializerMethodField()
    category = serializers.CharField(help_text="Category focus; empty: every category.")
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    brands = FeedBrandSerializer(many=True, help_text="Only the brands this key may see.")
    item_count = serializers.IntegerField(help_text="How many published items it has (that this key may see).")
    items = FeedItemSummarySerializer(
        many=True, source="feed_items", help_text=f"Its first {CAMPAIGN_ITEMS} published items, in publication order."
    )
    items_url = serializers.SerializerMethodField(help_text="All its published items, whole: the content list.")
    updated_at = serializers.DateTimeField(
        source="changed_at", help_text="When this campaign, its brands or its published items last changed."
    )

    def get_items_url(self, campaign) -> str:
        return _absolute(f"{reverse('api_content_list')}?campaign={campaign.pk}")

    @extend_schema_field(FeedFestivalSerializer(allow_null=True))
    def get_festival(self, campaign):
        festival = campaign.festival
        if festival is None:
            return None
        name = FESTIVAL_NAME.to_representation(festival)
        return {"key": festival.key, "name": name, "year": campaign.festival_year}
