"""``/api/v1/content/`` and ``/api/v1/campaigns/``: the partner feed of published content (scope ``campaigns:read``).

Only published items are there: nothing is visible before its hour, creatives included (their files answer 404
until the item is out). A key limited to some brands sees the items featuring them and, of each item and
campaign, only those brands. Lists are paged by cursor with a strong ETag (``CursorListView``, as the brand
list); reads and access are in ``campaigns.api.feed``.
"""

import orjson
from django.db.models import Max
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation

from brandhub.api.base import (
    ApiView,
    CursorListView,
    body_version,
    json_response,
    negotiate_language,
    not_modified,
    not_modified_response,
    strong_etag,
)
from brandhub.api.schema import ERROR_RESPONSES, LANG_PARAMETER, NOT_MODIFIED, PAGING_PARAMETERS, filter_parameters
from brandhub.media import MEDIA_TYPES, private_file_response
from brands.api.documents import variant
from campaigns.filters import CampaignApiFilterSet, ContentItemApiFilterSet
from campaigns.models import ContentItem, Creative

from .feed import (
    feed_campaigns,
    feed_campaigns_for_rendering,
    feed_items,
    feed_items_for_rendering,
    items_latest_change,
)
from .serializers import CampaignSerializer, ContentItemSerializer


class ContentPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="The next page's URL, or null on the last page.")
    results = ContentItemSerializer(many=True)


class CampaignPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="The next page's URL, or null on the last page.")
    results = CampaignSerializer(many=True)


def _render_many(serializer_class, rows, language: str) -> list[bytes]:
    """Each row's JSON in the asked language (one serializer for the page: building one per row costs more)."""
    data = serializer_class(rows, many=True).data
    return [orjson.dumps(row if language == "all" else variant(row, language)) for row in data]


def _render(serializer_class, row, language: str) -> bytes:
    return _render_many(serializer_class, [row], language)[0]


def _filtered(filterset_class, request, queryset):
    filterset = filterset_class(request.query_params, queryset=queryset, brand_ids=request.auth.brand_ids)
    if not filterset.is_valid():
        raise exceptions.ValidationError(filterset.errors)
    return filterset.qs


class FeedView(ApiView):
    required_scope = "campaigns:read"

    @property
    def brand_ids(self):
        return self.request.auth.brand_ids

    def version(self, changed_at) -> str:
        """An item's version for this key: the same item reads differently for keys limited to other brands."""
        restriction = "all" if self.brand_ids is None else ",".join(map(str, sorted(self.brand_ids)))
        return f"{changed_at.isoformat()}/{restriction}"


class ContentListView(FeedView, CursorListView):
    """Published content items, 50 a page by default, in the order they were planned (a stable cursor).

    For incremental sync, pass the time of your last sync as `updated_since`: an item counts as changed when
    it is published and when a brand it names changes. An item never leaves the feed once it is in.
    """

    cache_kind = "content_list"
    query_parameters = frozenset({"lang", *CursorListView.paging_parameters, *ContentItemApiFilterSet.base_filters})

    @extend_schema(
        operation_id="content_list",
        parameters=[LANG_PARAMETER, *filter_parameters(ContentItemApiFilterSet), *PAGING_PARAMETERS],
        responses={200: ContentPageSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
        tags=["content"],
    )
    def get(self, request):
        language = negotiate_language(request)
        queryset = _filtered(ContentItemApiFilterSet, request, feed_items(self.brand_ids))
        modified = items_latest_change(self.brand_ids)
        return self.list_response(request, queryset, language=language, modified=modified)

    def page_versions(self, queryset, limit):
        rows = queryset.values_list("pk", "changed_at")[:limit]
        return [(pk, self.version(changed_at)) for pk, changed_at in rows]

    def page_bodies(self, queryset, limit, language):
        items = list(feed_items_for_rendering(queryset, self.brand_ids)[:limit])
        bodies = _render_many(ContentItemSerializer, items, language)
        return [(item.pk, self.version(item.changed_at), body) for item, body in zip(items, bodies, strict=True)]


class ContentDetailView(FeedView):
    """One published content item with its texts, brands, live URL and creatives (404 until it is published)."""

    cache_kind = "content_detail"
    query_parameters = frozenset({"lang"})

    @extend_schema(
        operation_id="content_retrieve",
        parameters=[LANG_PARAMETER],
        responses={200: ContentItemSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
        tags=["content"],
    )
    def get(self, request, pk):
        language = negotiate_language(request)
        queryset = feed_items(self.brand_ids).filter(pk=pk)
        changed_at = queryset.values_list("changed_at", flat=True).first()
        if changed_at is None:
            raise exceptions.NotFound()
        etag = strong_etag(pk, self.version(changed_at), language)
        if not_modified(request, etag, changed_at):
            return not_modified_response(etag, changed_at)
        item = feed_items_for_rendering(queryset, self.brand_ids).first()
        if item is None:  # gone between the two reads
            raise exceptions.NotFound()
        return json_response(_render(ContentItemSerializer, item, language), etag, changed_at)


class AnyAccept(BaseContentNegotiation):
    """A file endpoint answers an image whatever ``Accept`` says (``image/*`` included); errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


RENDITION_PARAMETER = OpenApiParameter(
    "rendition", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(Creative.RENDITIONS), description="Image size."
)


class ContentCreativeView(FeedView):
    """A creative of a published item, as an image: send the key as for every other endpoint.

    404 for any creative of an item not yet published. With media on S3-compatible storage, the answer is a
    redirect to a signed URL valid a few minutes (fetch it without the key).
    """

    query_parameters = frozenset()
    content_negotiation_class = AnyAccept

    @extend_schema(
        operation_id="content_creative_retrieve",
        parameters=[RENDITION_PARAMETER],
        responses={
            **{(200, media_type): OpenApiTypes.BINARY for media_type in sorted(set(MEDIA_TYPES.values()))},
            302: OpenApiResponse(description="A short-lived signed URL of the file (S3-compatible storage)"),
            **ERROR_RESPONSES,
        },
        tags=["content"],
    )
    def get(self, request, pk, creative_id, rendition):
        if rendition not in Creative.RENDITIONS:
            raise exceptions.NotFound()
        items = ContentItem.objects.in_feed(self.brand_ids).filter(pk=pk)
        creative = Creative.objects.select_related("image").filter(item__in=items, pk=creative_id).first()
        if creative is None:
            raise exceptions.NotFound()
        return private_file_response(creative.image.file.storage, creative.image.rendition_path(rendition))


class CampaignListView(FeedView, CursorListView):
    """Campaigns with at least one published item, 50 a page by default, each with its published items.

    No budget, targets or planning: what is out. For incremental sync, `updated_since` finds the campaigns
    that changed, gained a published item, or whose brands changed.
    """

    cache_kind = "campaigns_list"
    query_parameters = frozenset({"lang", *CursorListView.paging_parameters, *CampaignApiFilterSet.base_filters})

    @extend_schema(
        operation_id="campaigns_list",
        parameters=[LANG_PARAMETER, *filter_parameters(CampaignApiFilterSet), *PAGING_PARAMETERS],
        responses={200: CampaignPageSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
        tags=["campaigns"],
    )
    def get(self, request):
        language = negotiate_language(request)
        queryset = _filtered(CampaignApiFilterSet, request, feed_campaigns(self.brand_ids))
        modified = feed_campaigns(self.brand_ids).aggregate(latest=Max("changed_at"))["latest"]
        return self.list_response(request, queryset, language=language, modified=modified)

    def page_bodies(self, queryset, limit, language):
        # A campaign shows its festival's names, which carry no change time: versions come from the bodies.
        campaigns = list(feed_campaigns_for_rendering(queryset, self.brand_ids)[:limit])
        bodies = _render_many(CampaignSerializer, campaigns, language)
        return [(campaign.pk, body_version(body), body) for campaign, body in zip(campaigns, bodies, strict=True)]


class CampaignDetailView(FeedView):
    """One campaign with its published items (404 until it has one this key may see)."""

    cache_kind = "campaigns_detail"
    query_parameters = frozenset({"lang"})

    @extend_schema(
        operation_id="campaigns_retrieve",
        parameters=[LANG_PARAMETER],
        responses={200: CampaignSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
        tags=["campaigns"],
    )
    def get(self, request, pk):
        language = negotiate_language(request)
        queryset = feed_campaigns(self.brand_ids).filter(pk=pk)
        campaign = feed_campaigns_for_rendering(queryset, self.brand_ids).first()
        if campaign is None:
            raise exceptions.NotFound()
        body = _render(CampaignSerializer, campaign, language)
        etag = strong_etag(body_version(body))
        if not_modified(request, etag, campaign.changed_at):
            return not_modified_response(etag, campaign.changed_at)
        return json_response(body, etag, campaign.changed_at)
