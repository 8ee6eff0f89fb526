"""Demo results for ``seed_demo``: a year of platform figures for the demo brands and their campaigns.

Written through ``facts_upsert`` under a file source, as an import of the platforms' exports would write them:

* every brand's accounts, day by day over the year before today: followers (the level and those gained), the store
  page's impressions and interactions — the portal's and the agency dashboard's charts;
* each published item of the demo campaigns in the days after it went out: impressions, clicks, interactions and
  followers per creative (banners, article covers, RED notes), views and interactions of KOL posts and short
  videos, a livestream's viewers, items sold and GMV, a Taobao pop-up's impressions and clicks;
* a published banner also gets two variants in other colours (one with another picture subject), as the agency
  tests banners: their click-through rates follow colour, subject and topic effects (red and people pictures do
  better, black and logos worse) with binomial noise, so the banner comparison finds real differences on large
  banners and says "too few impressions" or "not significant" on small ones.

Everything is a function of the brand, the item and the calendar day (no running random state), so the figures do
not depend on the order of loading, and a second run finds every key and writes nothing.
"""

import datetime
import math
import zlib
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from brands.images import image_ingest, image_store
from brands.models import Brand
from campaigns.choices import Channel, ContentStatus
from campaigns.colors import color_name, dominant_color
from campaigns.models import Campaign, ContentItem, Creative, LivestreamSession

from .facts import FactRow
from .models import MetricFact, MetricSource
from .services import facts_upsert, source_for

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
DEMO_SOURCE = "Demo: platform exports"
EPOCH = datetime.date(2024, 1, 1)  # follower levels count from here, so every run gives each day the same level
DAYS = 365

# Where a brand's followers are counted: its Tmall store for everyone, then RED or WeChat by category.
ACCOUNTS = {"food_beverage": ("tmall_article", "wechat_article"), "": ("tmall_article", "red_post")}
# The account an item's followers land on.
ACCOUNT_OF = {
    "tmall_article": "tmall_article",
    "banner": "tmall_article",
    "taobao_popup": "tmall_article",
    "livestream": "tmall_article",
    "red_post": "red_post",
    "kol_post": "red_post",
    "short_video": "red_post",
    "wechat_article": "wechat_article",
}

# Click-through rate effects (the truth the comparison should find).
COLOUR = {"red": 1.30, "gold": 1.15, "orange": 1.05, "pink": 1.05, "purple": 1.0, "yellow": 1.0, "brown": 0.95,
          "green": 0.95, "teal": 0.95, "white": 0.9, "grey": 0.85, "blue": 0.85, "black": 0.75}  # fmt: skip
SUBJECT = {"people": 1.15, "food": 1.10, "festive": 1.05, "product": 1.0, "landscape": 0.9, "logo": 0.8}
TOPIC = {"promotion": 1.10, "festival": 1.05, "gifting": 1.05, "recipe": 1.0, "authenticity": 1.0, "heritage": 0.95,
         "lifestyle": 0.95}  # fmt: skip
BASE_CTR = {"banner": 0.021, "tmall_article": 0.016, "wechat_article": 0.028, "red_post": 0.034}
# Impressions of a creative on its first day, and how many days it keeps being seen.
REACH = {"banner": (16_000, 5), "tmall_article": (9_000, 7), "wechat_article": (6_000, 6), "red_post": (14_000, 7)}
MOBILE_REACH = 0.25  # the 750×390 mobile banner is seen by far fewer people than the PC poster
# Large campaigns test bold colours against each other (red, gold, blue, black: clear differences); small ones test
# the close colours (orange, pink, purple, teal) nearest their banner's in effect: differences too small to tell.
BOLD = ((200, 16, 46), (190, 150, 50), (30, 90, 170), (25, 25, 25))
CLOSE = ((230, 110, 20), (214, 51, 132), (110, 50, 150), (20, 130, 120))
BOLD_BUDGET = 60_000
OTHER_TOPIC = {"gifting": "promotion", "promotion": "gifting"}
VARIANT_TITLE = "helloITA"


@dataclass
class DemoResults:
    facts: int = 0
    variants: int = 0


# Salts of the draws, so two draws of the same thing differ.
SIZE, BASE, GAIN, DROP, SEEN, ENGAGED, VIEWERS, POPUP, U, V = range(1, 11)


def _unit(*parts: int) -> float:
    """A number in [0, 1) fixed by ``parts`` (integers): the demo's noise, the same on every run. A tuple of ints
    hashes the same in every process (unlike text, whose hash is salted per process)."""
    return (hash(parts) & 0xFFFFFFFF) / 2**32


def _code(text: str) -> int:
    return zlib.crc32(text.encode())


def _gauss(*parts: int) -> float:
    """A standard normal number fixed by ``parts`` (Box-Muller on two ``_unit`` draws)."""
    u, v = max(_unit(*parts, U), 1e-12), _unit(*parts, V)
    return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * v)


def _clicks(impressions: int, rate: float, *key) -> int:
    """Clicks as a binomial draw (normal approximation) around ``impressions × rate``."""
    mean = impressions * rate
    value = round(mean + math.sqrt(mean * (1 - rate)) * _gauss(*key))
    return min(max(value, 0), impressions)


def load_demo_results(*, demo_brand: Brand | None = None, today: datetime.date | None = None) -> DemoResults:
    """Write the demo's facts that are not there yet (a second run writes nothing) and the banner variants."""
    today = today or timezone.localdate(timezone=CHINA)
    result = DemoResults()
    result.variants = _banner_variants()
    source = source_for(MetricSource.Kind.FILE, DEMO_SOURCE)
    existing = set(MetricFact.objects.filter(source=source).values_list("source_key", flat=True))
    campaigns = list(
        Campaign.objects.filter(festival__isnull=False).prefetch_related("brands").order_by("starts_on", "pk")
    )
    items = list(
        ContentItem.objects.filter(
            campaign__in=campaigns, status=ContentStatus.PUBLISHED, scheduled_at__date__lte=today
        )
        .select_related("campaign")
        .prefetch_related("brands__products", "creatives__image")
        .order_by("scheduled_at", "pk")
    )
    # A livestream with its session gets its results from the session (results.demo_livestreams): its viewers and
    # sales per product, written as the session's facts; figures here as well would count it twice.
    sessions = set(LivestreamSession.objects.filter(item__in=items).values_list("pk", flat=True))
    items = [item for item in items if item.pk not in sessions]
    content_rows, content_followers = _content_rows(items, today)
    rows = [row for row in content_rows if row.source_key not in existing]
    brands = list(Brand.objects.order_by("pk"))
    windows = _campaign_windows(campaigns)
    for brand in brands:
        rows.extend(
            row
            for row in _account_rows(brand, windows.get(brand.pk, ()), content_followers, today)
            if row.source_key not in existing
        )
    if rows:
        result.facts = facts_upsert(source=source, rows=rows).written
    return result


def _campaign_windows(campaigns) -> dict:
    windows = {}
    for campaign in campaigns:
        for brand in campaign.brands.all():
            windows.setdefault(brand.pk, []).append((campaign.starts_on, campaign.ends_on))
    return windows


def _account_rows(brand: Brand, windows, content_followers: dict, today: datetime.date):
    """A brand's accounts, a row a day for the year before ``today``: the level counts every follower gained since
    ``EPOCH`` (the organic ones of the day and those its content brought), so it is the same whenever the demo runs.
    Every brand has its Tmall store; the brands of the demo campaigns also their RED or WeChat account."""
    code = _code(brand.slug)
    size = 0.4 + 2.6 * _unit(code, SIZE)  # small and large brands
    first = today - datetime.timedelta(days=DAYS)
    accounts = ACCOUNTS.get(brand.category, ACCOUNTS[""])
    for account in accounts if windows else accounts[:1]:
        share = 1.0 if account == "tmall_article" else 0.45
        account_code = _code(account)
        level = round(8_000 * size * share * (0.6 + _unit(code, account_code, BASE)))
        daily = 9 * size * share
        for ordinal in range(EPOCH.toordinal(), today.toordinal()):
            day = datetime.date.fromordinal(ordinal)
            boost = 1.8 if any(start <= day <= end for start, end in windows) else 1.0
            weekend = 1.25 if day.weekday() >= 5 else 1.0
            gained = round(daily * weekend * boost * (0.5 + _unit(code, account_code, ordinal, GAIN)))
            if _unit(code, account_code, ordinal, DROP) < 0.03:
                gained = -round(gained * 0.3)  # a day of more unfollows than follows
            level += gained + content_followers.get((brand.pk, account, day), 0)
            if day < first:
                continue
            impressions = round(abs(gained) * 55 * (0.7 + 0.6 * _unit(code, account_code, ordinal, SEEN))) + 300
            yield FactRow(
                f"account|{brand.slug}|{account}|{day.isoformat()}",
                day,
                account,
                brand.pk,
                figures={
                    "followers_total": max(level, 0),
                    "followers_gained": gained,
                    "impressions": impressions,
                    "interactions": round(impressions * 0.018 * (0.6 + 0.8 * _unit(code, ordinal, ENGAGED))),
                },
            )


def _creative_rate(creative: Creative, channel: str) -> float:
    return (
        BASE_CTR[channel]
        * COLOUR.get(creative.dominant_name, 1.0)
        * SUBJECT.get(creative.subject, 1.0)
        * TOPIC.get(creative.topic, 1.0)
    )


def _content_rows(items, today: datetime.date) -> tuple[list, dict]:
    """Each published item's figures per day after it went out, for each brand it features (split evenly), and the
    followers they brought per (brand, account, day) for the accounts' levels."""
    rows, followers = [], {}
    for item in items:
        brands = list(item.brands.all())
        if not brands:
            continue
        start = item.scheduled_at.astimezone(CHINA).date()
        budget = float(item.campaign.budget_cny or 50_000) / 50_000
        for day_rows in _item_days(item, start, today, budget):
            for offset, figures, creative in day_rows:
                day = start + datetime.timedelta(days=offset)
                for brand in brands:
                    share = {k: _split(v, len(brands), brands.index(brand)) for k, v in figures.items()}
                    key = f"item|{item.pk}|{creative.pk if creative else ''}|{brand.pk}|{day.isoformat()}"
                    rows.append(FactRow(key, day, item.channel, brand.pk, item.campaign_id, item.pk,
                                        creative.pk if creative else None, figures=share))  # fmt: skip
                    gained = share.get("followers_gained") or 0
                    account = (brand.pk, ACCOUNT_OF.get(item.channel, "tmall_article"), day)
                    followers[account] = followers.get(account, 0) + gained
    return rows, followers


def _split(value, parts: int, index: int):
    """An item's figure shared by the brands it features; the first brands take the remainder."""
    if isinstance(value, Decimal):
        share = (value / parts).quantize(Decimal("0.01"))
        return share + (value - share * parts if index == 0 else 0)
    return value // parts + (1 if index < value % parts else 0)


def _item_days(item: ContentItem, start: datetime.date, today: datetime.date, budget: float):
    """Lists of (day offset, figures, creative or None) per day, up to ``today``."""
    channel = item.channel
    creatives = list(item.creatives.all())
    if channel in REACH and creatives:
        first, length = REACH[channel]
        for offset in range(length):
            if start + datetime.timedelta(days=offset) > today:
                break
            day = []
            for creative in creatives:
                image = creative.image_id
                mobile = MOBILE_REACH if (channel == "banner" and _is_mobile(creative)) else 1.0
                seen = first * budget * mobile * 0.55**offset / len(creatives)
                impressions = round(seen * (0.85 + 0.3 * _unit(item.pk, creative.pk, offset, SEEN)))
                clicks = _clicks(impressions, _creative_rate(creative, channel), item.pk, creative.pk, offset, image)
                figures = {"impressions": impressions, "clicks": clicks}
                if channel != "banner":
                    figures["interactions"] = round(impressions * 0.025 * (0.7 + 0.6 * _unit(item.pk, offset, ENGAGED)))
                figures["followers_gained"] = round(clicks * 0.12)
                day.append((offset, figures, creative))
            yield day
        return
    if channel == "livestream":
        viewers = round(90_000 * budget * (0.8 + 0.4 * _unit(item.pk, VIEWERS)))
        sold = round(viewers * 0.048)
        price = _price(item)
        yield [
            (0, {"viewers": viewers, "items_sold": sold, "gmv_cny": (price * sold).quantize(Decimal("0.01")),
                 "interactions": round(viewers * 0.21), "followers_gained": round(viewers * 0.011),
                 "impressions": viewers * 6}, None),
        ]  # fmt: skip
        return
    if channel in ("kol_post", "short_video"):
        views = 60_000 if channel == "kol_post" else 45_000
        for offset in range(5):
            if start + datetime.timedelta(days=offset) > today:
                break
            impressions = round(views * budget * 0.6**offset * (0.8 + 0.4 * _unit(item.pk, offset, SEEN)))
            interactions = round(impressions * (0.045 if channel == "kol_post" else 0.03))
            yield [(offset, {"impressions": impressions, "interactions": interactions,
                             "followers_gained": round(interactions * 0.08)}, None)]  # fmt: skip
        return
    if channel == "taobao_popup":
        impressions = round(400_000 * budget * (0.8 + 0.4 * _unit(item.pk, POPUP)))
        yield [(0, {"impressions": impressions, "clicks": _clicks(impressions, 0.009, item.pk, POPUP)}, None)]


def _is_mobile(creative: Creative) -> bool:
    return creative.image.width == 750


def _price(item: ContentItem) -> Decimal:
    for brand in item.brands.all():
        for product in brand.products.all():
            if product.price_cny:
                # What a livestream sells most is the entry product: at most CNY 399, whatever the brand's range.
                return min(Decimal(product.price_cny), Decimal("399.00"))
    return Decimal("168.00")


# --- banner variants ------------------------------------------------------------------------------------------------


def _banner_variants() -> int:
    """Two variants of each published demo banner that has only its own creative. Large campaigns test boldly: another
    colour with the same picture subject, and a third colour with people (or the product, if the banner shows
    people) — and, on every other banner, the other of gifting and promotion as its topic. Small campaigns test two
    close colours only."""
    items = list(
        ContentItem.objects.filter(
            channel=Channel.BANNER, status=ContentStatus.PUBLISHED, campaign__festival__isnull=False
        )
        .select_related("campaign")
        .prefetch_related("creatives__image")
        .order_by("pk")
    )
    todo = [(item, item.creatives.all()[0]) for item in items if len(item.creatives.all()) == 1]
    if not todo:
        return 0
    assets = {}
    created = []
    for item, original in todo:
        size = (original.image.width, original.image.height)
        if (item.campaign.budget_cny or 0) >= BOLD_BUDGET:
            colours = [c for c in BOLD if color_name(c) != original.dominant_name]
            turn = item.pk % len(colours)
            picks = [colours[turn], colours[(turn + 1) % len(colours)]]
            subjects = [original.subject, "product" if original.subject == "people" else "people"]
            topics = [
                original.topic,
                OTHER_TOPIC.get(original.topic, original.topic) if item.pk % 2 else original.topic,
            ]
        else:  # a colour test only, with the two close colours whose effect is nearest the banner's own
            effect = COLOUR.get(original.dominant_name, 1.0)
            colours = [c for c in CLOSE if color_name(c) != original.dominant_name]
            picks = sorted(colours, key=lambda c: (abs(COLOUR[color_name(c)] - effect), c))[:2]
            subjects, topics = [original.subject] * 2, [original.topic] * 2
        for colour, subject, topic in zip(picks, subjects, topics, strict=True):
            asset, found = _asset(colour, size, assets)
            created.append(
                Creative(
                    item=item,
                    image=asset,
                    dominant_hex=found.hex,
                    dominant_name=found.name,
                    subject=subject,
                    topic=topic,
                    size_check=original.size_check,
                )
            )
    with transaction.atomic():
        Creative.objects.bulk_create(created)
    return len(created)


def _asset(colour, size, assets):
    """One stored image per colour and size, shared by the variants that use it (as a copied campaign's creatives
    share their image)."""
    if (colour, size) not in assets:
        from campaigns.demo.banners import banner_png

        png = banner_png(colour, size, VARIANT_TITLE)
        image = image_ingest(ContentFile(png, name=f"variant-{size[0]}x{size[1]}.png"))
        assets[(colour, size)] = (image_store(image, original_name=image.original_name, private=True),
                                  dominant_color(png))  # fmt: skip
    return assets[(colour, size)]
