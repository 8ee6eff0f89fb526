"""The partner feed's reads: what a key sees of published content and campaigns, and when that changed.

Access: ``ContentItem.objects.in_feed`` / ``Campaign.objects.in_feed`` (published items only; a key limited to
some brands sees the items featuring them, and of each item and campaign only those brands).

Each row carries ``changed_at``, the moment its JSON last changed: the row itself or a brand it shows (a
brand renamed changes the items that name it). Lists filter on it (``updated_since``) and take their
Last-Modified from it.

The answers are rendered per request, not stored like brand documents: one published item reads differently
for a key limited to one of its brands than for an unlimited key, and an item no longer changes once it is
out (``workflow.CLOSED``), so there would be little to gain. The fast path (``brandhub.api.fastpath``) still
holds repeated answers in each worker's memory; every write that changes what the feed shows calls
``feed_changed`` in its transaction, which drops them in every process once it commits.
"""

from django.db import models, transaction
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from brands.models import Brand
from campaigns.models import Campaign, ContentItem, Creative

DATETIME = models.DateTimeField()


def feed_changed() -> None:
    """The feed changed (an item published, a campaign edited): drop the API's held answers after the commit."""

    def publish():
        from brandhub.api.hotcache import publish

        publish("gen")

    transaction.on_commit(publish)


def visible_brands(brand_ids):
    """The brands a key may see named, in a stable order."""
    queryset = Brand.objects.all() if brand_ids is None else Brand.objects.filter(pk__in=brand_ids)
    return queryset.order_by("name_it", "pk")


def _latest(queryset, column="updated_at"):
    """The latest ``column`` of ``queryset`` (which holds an ``OuterRef``), as a subquery."""
    return Subquery(queryset.order_by(f"-{column}").values(column)[:1], output_field=DATETIME)


def _changed_at(own: str, *latest) -> Greatest:
    return Greatest(own, *(Coalesce(value, own, output_field=DATETIME) for value in latest), output_field=DATETIME)


def feed_items(brand_ids=None):
    """Published items a key sees, with ``changed_at``, ``published_at`` (when the publisher recorded it out;
    items published without a record, such as demo data, give their scheduled hour) and ``live_url``."""
    brands = visible_brands(brand_ids).filter(content_items=OuterRef("pk"))
    return ContentItem.objects.in_feed(brand_ids).annotate(
        changed_at=_changed_at("updated_at", _latest(brands)),
        published_at=Coalesce("publication__finished_at", "scheduled_at", output_field=DATETIME),
        live_url=F("publication__url"),
    )


def items_changed_since(since, brand_ids=None) -> Q:
    """``changed_at >= since`` without computing ``changed_at`` for every item: the item changed, or a brand it
    shows did (index lookups instead of a subquery per published item)."""
    links = ContentItem.brands.through.objects.filter(brand__in=visible_brands(brand_ids).filter(updated_at__gte=since))
    return Q(updated_at__gte=since) | Q(pk__in=links.values("contentitem_id"))


def items_latest_change(brand_ids=None):
    """The Last-Modified of the content list: the latest change of an item in the feed or of a brand the key may
    see (any such brand, as the brand list does: two indexed reads, where the brands of the feed's items would
    be a join over every published item)."""
    items = ContentItem.objects.in_feed(brand_ids).aggregate(latest=Max("updated_at"))["latest"]
    brands = visible_brands(brand_ids).order_by().aggregate(latest=Max("updated_at"))["latest"]
    return max((v for v in (items, brands) if v is not None), default=None)


def feed_items_for_rendering(queryset, brand_ids=None):
    """``feed_items`` with what their JSON shows, in a fixed number of queries whatever the number of rows."""
    return queryset.prefetch_related(
        Prefetch("brands", queryset=visible_brands(brand_ids)),
        Prefetch("creatives", queryset=Creative.objects.select_related("image").order_by("created_at", "pk")),
    )


#: A campaign lists this many of its published items (the first ones); all of them are at its ``items_url``.
CAMPAIGN_ITEMS = 100


def feed_campaigns(brand_ids=None):
    """Campaigns with published items a key sees, with ``item_count`` and ``changed_at``: the campaign, one of its
    published items (which it lists) or one of its brands changed. A festival renamed changes the campaign's
    JSON (and so its ETag) but not ``changed_at``: a festival keeps no change time."""
    items = ContentItem.objects.in_feed(brand_ids).filter(campaign=OuterRef("pk"))
    brands = visible_brands(brand_ids).filter(campaign_links__campaign=OuterRef("pk"))
    count = items.order_by().values("campaign").annotate(n=Count("pk")).values("n")
    return Campaign.objects.in_feed(brand_ids).annotate(
        changed_at=_changed_at("updated_at", _latest(items), _latest(brands)),
        item_count=Coalesce(Subquery(count[:1]), 0),
    )


def feed_campaigns_for_rendering(queryset, brand_ids=None):
    items = feed_items(brand_ids).order_by("published_at", "pk")[:CAMPAIGN_ITEMS]
    return queryset.select_related("festival").prefetch_related(
        Prefetch("brands", queryset=visible_brands(brand_ids)), Prefetch("items", queryset=items, to_attr="feed_items")
    )
