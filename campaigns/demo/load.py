"""Load the demo campaigns through the services and the workflow, as the agency's people would have made them.

The manager plans each campaign (``campaign_save`` on the festival: the window comes from the rule); the
editor writes the items (``content_save``), adds the banners (``creative_add``) and submits them; the manager
approves (never their own work) and cancels; the editor schedules. Items that went out before now were
scheduled at a moment before their hour and then published or failed by the system, as the publisher will.
A campaign whose title and festival year exist already is skipped, so loading again creates nothing.
"""

import datetime
import itertools
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from brands.choices import BrandStatus
from brands.images import image_ingest
from brands.models import Brand
from campaigns import workflow
from campaigns.choices import Channel
from campaigns.models import Campaign, ContentItem, Festival
from campaigns.services import campaign_save, content_save, content_transition, creative_add

from .banners import banner_png
from .kols import demo_kols
from .plan import CHINA, PlannedCampaign, PlannedItem, demo_campaign_plan, item_texts
from .specs import (
    CAMPAIGNS,
    CANCEL_COMMENT,
    CHANNEL_SUBJECTS,
    CREATIVE_SIZES,
    DEFAULT_FAILURE,
    FAILURES,
    CampaignSpec,
)

FALLBACK_PRODUCT = ("精选产品", "selection", "selezione")


@dataclass(frozen=True)
class DemoCampaigns:
    """What a load did, and what the calendar holds afterwards."""

    created: int
    items: int
    creatives: int
    total: int
    past: int
    upcoming: int


def load_demo_campaigns(*, manager, editor, demo_brand: Brand | None = None, now=None) -> DemoCampaigns:
    """Create the demo campaigns of the year around ``now`` that do not exist yet; each in one transaction."""
    now = now or timezone.now()
    festivals = {f.key: f for f in Festival.objects.select_related("anchor")}
    plan = demo_campaign_plan([f.spec() for f in festivals.values()], now=now)
    existing = set(Campaign.objects.filter(festival__isnull=False).values_list("title", "festival_year"))
    brands = list(
        Brand.objects.active().filter(status=BrandStatus.ACTIVE).prefetch_related("products").order_by("slug")
    )
    todo = []
    for planned in plan:
        festival = festivals.get(planned.spec.festival)
        if festival is None or not festival.is_active or (planned.title, planned.year) in existing:
            continue
        chosen = _brands_for(planned.spec, brands, demo_brand)
        if chosen:
            todo.append((planned, festival, chosen))
    created = items = creatives = 0
    kols = demo_kols(manager=manager) if todo else {}  # the KOLs the items name are records
    # The banners are drawn and ingested on two threads while the campaigns are written: Pillow encodes
    # outside the GIL, and the images are most of the time a load takes.
    with ThreadPoolExecutor(max_workers=2) as pool:
        try:
            banners = [_banners(planned, pool) for planned, _festival, _brands in todo]
            for (planned, festival, chosen), images in zip(todo, banners, strict=True):
                with transaction.atomic():
                    n_items, n_creatives = _load(
                        planned, festival, chosen, images, manager=manager, editor=editor, kols=kols
                    )
                created, items, creatives = created + 1, items + n_items, creatives + n_creatives
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    today = now.astimezone(CHINA).date()
    return DemoCampaigns(
        created=created,
        items=items,
        creatives=creatives,
        total=Campaign.objects.count(),
        past=Campaign.objects.filter(ends_on__lt=today).count(),
        upcoming=Campaign.objects.filter(ends_on__gte=today).count(),
    )


def _brands_for(spec: CampaignSpec, brands: list[Brand], demo_brand: Brand | None) -> list[Brand]:
    """The demo brand first (when the campaign features it), then ``spec.others`` active registry brands of the
    campaign's category, preferring its sub-categories; the pick rotates with the campaign's place in the
    table, so different campaigns feature different brands."""
    pool = [b for b in brands if b != demo_brand and (not spec.category or b.category == spec.category)]
    offset = CAMPAIGNS.index(spec) * 5
    preferred = _rotate([b for b in pool if b.subcategory in spec.subcategories], offset)
    rest = _rotate([b for b in pool if b.subcategory not in spec.subcategories], offset)
    if not spec.category:  # a campaign for every category takes food, fashion and lifestyle brands in turn
        by_category = {}
        for brand in rest:
            by_category.setdefault(brand.category, []).append(brand)
        rest = [b for group in itertools.zip_longest(*by_category.values()) for b in group if b is not None]
    others = (preferred + rest)[: spec.others]
    return ([demo_brand] if spec.demo and demo_brand is not None else []) + others


def _rotate(values: list, by: int) -> list:
    by = by % len(values) if values else 0
    return values[by:] + values[:by]


def _load(
    planned: PlannedCampaign, festival: Festival, brands: list[Brand], images: dict, *, manager, editor, kols: dict
):
    spec = planned.spec
    channels = {item.spec.channel for item in planned.items}
    campaign = campaign_save(
        user=manager,
        brands=brands,
        title=planned.title,
        festival=festival,
        festival_year=planned.year,
        category=spec.category,
        channels=[c for c in Channel.values if c in channels],
        budget_cny=Decimal(spec.budget_cny),
        target_followers=spec.budget_cny // 25,
        target_impressions=spec.budget_cny * 40,
        target_interactions=spec.budget_cny * 2,
        status=planned.status,
    )
    creatives = 0
    for index, planned_item in enumerate(planned.items):
        item_spec = planned_item.spec
        featured = list(dict.fromkeys(brands[i % len(brands)] for i in item_spec.brands))
        main = featured[0]
        products = list(main.products.all())
        product = products[index % len(products)] if products else None
        texts = item_texts(
            spec,
            item_spec,
            (main.name_zh_hans or main.name_it, main.name_en or main.name_it, main.name_it),
            (product.name_zh_hans or product.name_it, product.name_en or product.name_it, product.name_it)
            if product
            else FALLBACK_PRODUCT,
        )
        item = content_save(
            user=editor,
            campaign=campaign,
            brands=featured,
            channel=item_spec.channel,
            scheduled_at=planned_item.scheduled_at,
            kol=kols[item_spec.kol] if item_spec.kol else None,
            **texts,
        )
        size = _creative_size(planned_item)
        if size:
            subject = CHANNEL_SUBJECTS.get(item_spec.channel, spec.subject)
            creative_add(item=item, user=editor, image=images[size].result(), subject=subject, topic=spec.topic)
            creatives += 1
        _walk(item, planned_item, campaign=campaign, manager=manager, editor=editor)
    return len(planned.items), creatives


def _creative_size(planned: PlannedItem) -> tuple[int, int] | None:
    """The size of the item's banner, or None: drafts and cancelled items have no material yet."""
    if planned.spec.channel not in CREATIVE_SIZES or planned.status in ("draft", "cancelled"):
        return None
    return planned.spec.size or CREATIVE_SIZES[planned.spec.channel]


def _banners(planned: PlannedCampaign, pool: ThreadPoolExecutor) -> dict[tuple[int, int], Future]:
    """One generated banner per size the campaign needs, ingested as an upload would be; each item that uses it
    stores its own copy."""
    sizes = sorted({size for item in planned.items if (size := _creative_size(item))})

    def ingest(size):
        png = banner_png(planned.spec.color, size, planned.title)
        return image_ingest(ContentFile(png, name=f"{slugify(planned.title)}-{size[0]}x{size[1]}.png"))

    return {size: pool.submit(ingest, size) for size in sizes}


def _walk(item: ContentItem, planned: PlannedItem, *, campaign: Campaign, manager, editor) -> None:
    """Move a new draft to its planned status, one workflow step at a time."""
    status = planned.status
    if status == "draft":
        return
    item = content_transition(item=item, user=editor, action="submit")
    if status == "cancelled":
        content_transition(item=item, user=manager, action="cancel", comment=CANCEL_COMMENT)
        return
    if planned.spec.changes_asked:
        comment, addition = planned.spec.changes_asked
        item = content_transition(item=item, user=manager, action="request_changes", comment=comment)
        item = content_save(user=editor, campaign=campaign, item=item, body_zh_hans=item.body_zh_hans + addition)
        item = content_transition(item=item, user=editor, action="submit")
    if status == "in_review":
        return
    item = content_transition(item=item, user=manager, action="approve")
    if status == "approved":
        return
    if status == "scheduled":
        content_transition(item=item, user=editor, action="schedule", accept_warnings=True)
        return
    # Gone out already: scheduled in time (two days before its hour), then taken by the publisher.
    before = planned.scheduled_at - datetime.timedelta(days=2)
    item = workflow.transition(item=item, user=editor, action="schedule", accept_warnings=True, now=before)
    if status == "published":
        workflow.transition(item=item, user=None, action="publish", system=True)
    else:
        comment = FAILURES.get(planned.spec.channel, DEFAULT_FAILURE)
        workflow.transition(item=item, user=None, action="fail", comment=comment, system=True)
