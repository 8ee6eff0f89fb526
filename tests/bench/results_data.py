"""The §7 results data set: two years of daily facts for 103 brands × 8 channels × 50 content items per brand.

``build(scale=1.0)`` fills the current (empty, migrated, PostgreSQL) database the way the hub would have filled it
over two years, and returns a ``DataSet`` describing it, for the benchmarks that time pages on it:

- 103 brands (``brand_create``, the registry's own service) in the three categories;
- a campaign on every festival whose window falls in the two years (``campaign_save``: windows from the calendar's
  rules), with the brands of the festival's categories that took part, channels and targets;
- 50 published content items per brand in its campaigns' windows, banners with three creatives each (colours,
  picture subjects and topics, so the banner analysis has variants to compare);
- facts: every brand × channel × day at account level (a file import's source: followers level and the
  followers gained outside content, impressions, interactions, viewers, clicks, items sold, GMV), and every item
  (banners: every creative) × day from its publication to the end (a partner's source), decaying after the
  launch, higher in festival windows. About 3.1 million facts at scale 1 (2 million rollup rows: the items of many
  campaigns keep reporting every day, so a brand-day has a row per campaign and channel).

Facts are written with PostgreSQL ``COPY`` while the next chunk is generated (a producer thread), with the table's
secondary indexes and constraints set aside and rebuilt once at the end (``bulk_load``), keyed like the hub keys
them (``FactRow.natural_key``), so a later import or push of the same facts updates instead of doubling.
The rollups are then built in SQL with the rules of ``services._vector`` (a figure not reported adds nothing;
``followers_total`` only from facts without a content item) and checked against ``services.rollups_rebuild`` for
one brand. ``scale`` scales the number of brands; ``days`` the period; ``BENCH_QUICK=1`` (run as a module): 10
brands over 120 days.

Run as ``python -m tests.bench.results_data`` to time a build on a database of its own (``test_bench_results_data``).
Needs PostgreSQL (DATABASE_URL); says n/a otherwise.
"""

import datetime
import io
import math
import os
import queue
import random
import sys
import threading
import time
import zoneinfo
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.bench.common import bench_database, report, setup_django

QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK", "") not in ("", "0")
N_BRANDS = 103
ITEMS_PER_BRAND = 50
DAYS = 730
CREATIVES_PER_BANNER = 3
CHUNK_ROWS = 100_000
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
# The 8 online channels (offline events have scans, not platform figures).
CHANNELS = ("tmall_article", "banner", "short_video", "livestream", "kol_post", "taobao_popup", "red_post",
            "wechat_article")  # fmt: skip
CHANNEL_WEIGHTS = (12, 14, 16, 8, 14, 8, 18, 10)
VIDEO = {"short_video", "livestream"}
COMMERCE = {"tmall_article", "banner", "livestream", "taobao_popup"}
PREFIXES = {
    "food_beverage": [("Cantina", "酒庄"), ("Frantoio", "榨油坊"), ("Pastificio", "面坊"), ("Caseificio", "奶酪坊"),
                      ("Torrefazione", "咖啡烘焙坊"), ("Distilleria", "酒厂")],
    "fashion": [("Maglificio", "针织"), ("Pelletteria", "皮具"), ("Calzaturificio", "鞋履"), ("Sartoria", "裁缝坊")],
    "lifestyle": [("Profumeria", "香氛"), ("Ceramiche", "陶瓷"), ("Vetreria", "玻璃坊"), ("Saponificio", "皂坊")],
}  # fmt: skip
SURNAMES = [("Rossi", "罗西"), ("Bianchi", "比安奇"), ("Ferrari", "法拉利"), ("Esposito", "埃斯波西托"),
            ("Romano", "罗马诺"), ("Colombo", "科隆博"), ("Ricci", "里奇"), ("Marino", "马里诺"), ("Greco", "格雷科"),
            ("Bruno", "布鲁诺"), ("Gallo", "加洛"), ("Conti", "孔蒂"), ("De Luca", "德卢卡"), ("Mancini", "曼奇尼"),
            ("Costa", "科斯塔"), ("Giordano", "焦尔达诺"), ("Rizzo", "里佐"), ("Lombardi", "隆巴尔迪"),
            ("Moretti", "莫雷蒂"), ("Barbieri", "巴尔别里")]  # fmt: skip
REGIONS = ("toscana", "veneto", "piemonte", "lombardia", "emilia_romagna", "campania", "puglia", "sicilia", "marche")
# Banner colours (name, RGB, CTR factor: red and gold banners do better, as the agency believes they do).
BANNER_COLORS = (("red", (200, 16, 46), 1.25), ("gold", (212, 175, 55), 1.15), ("green", (0, 140, 69), 1.0),
                 ("blue", (0, 70, 160), 0.9), ("white", (250, 250, 250), 0.85),
                 ("black", (20, 20, 20), 0.95))  # fmt: skip
FACT_COLUMNS = ("source_id", "source_key", "date", "channel", "brand_id", "campaign_id", "item_id", "creative_id",
                "followers_total", "followers_gained", "impressions", "interactions", "viewers", "clicks",
                "items_sold", "gmv_cny", "updated_at")  # fmt: skip
NULL = "\\N"


@dataclass
class DataSet:
    """What ``build`` made: ids to open pages with, the period, the counts and where the time went."""

    start: datetime.date
    end: datetime.date
    manager_id: int  # an agency manager (campaigns are his)
    brand_ids: list[int]
    brand_slugs: list[str]
    campaign_ids: list[int]
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


def china_yesterday() -> datetime.date:
    return datetime.datetime.now(CHINA).date() - datetime.timedelta(days=1)


# --- the registry, campaigns, items, creatives ------------------------------------------------------------------


def _brands(n: int, rng: random.Random) -> list:
    from brands.services import brand_create

    categories = ("food_beverage", "fashion", "lifestyle")
    brands = []
    for i in range(n):
        category = categories[i % 3] if i % 5 else "food_beverage"  # food and wine are half the hub
        prefix, prefix_zh = PREFIXES[category][i % len(PREFIXES[category])]
        surname, surname_zh = SURNAMES[(i * 7) % len(SURNAMES)]
        name = f"{prefix} {surname} {i:03d}"
        brands.append(
            brand_create(
                user=None,
                fields={
                    "slug": f"marchio-{i:03d}",
                    "name_it": name,
                    "name_en": name,
                    "name_zh_hans": f"{surname_zh}{prefix_zh}{i:03d}",
                    "category": category,
                    "region": REGIONS[i % len(REGIONS)],
                    "city": "Firenze",
                    "description_it": "Un'azienda di famiglia dal 1950.",
                    "description_zh_hans": "一家自1950年起的家族企业。",
                },
                stores=[{"platform": "tmall_global", "url": f"https://marchio-{i:03d}.tmall.hk"}],
                products=[
                    {"code": f"P{i}-{k}", "name_it": f"Prodotto {k}", "price_cny": str(rng.choice((98, 268, 680)))}
                    for k in range(2)
                ],
                rules=[],
            )
        )
    return brands


def _campaigns(brands, start, end, manager, rng: random.Random) -> list:
    """A campaign on every festival occurrence whose window overlaps the period, with some of the brands of the
    festival's categories (every brand in at least two campaigns)."""
    from campaigns.calendar import occurrences
    from campaigns.choices import CampaignStatus
    from campaigns.models import Festival
    from campaigns.services import campaign_save

    festivals = {f.key: f for f in Festival.objects.all()}
    specs = Festival.objects.specs()
    today = china_yesterday() + datetime.timedelta(days=1)
    made, joined = [], {b.pk: 0 for b in brands}
    for year in range(start.year, end.year + 1):
        for occurrence in occurrences(year, specs):
            if occurrence.window_end < start or occurrence.window_start > end:
                continue
            festival = festivals[occurrence.key]
            suited = [b for b in brands if b.category in (festival.categories or ())] or brands
            chosen = [b for b in suited if rng.random() < 0.45]
            chosen += [b for b in suited if joined[b.pk] < 2 and b not in chosen]
            for brand in chosen:
                joined[brand.pk] += 1
            status = CampaignStatus.DONE if occurrence.window_end < today else CampaignStatus.LIVE
            channels = sorted(rng.sample(CHANNELS, 5))
            made.append(
                campaign_save(
                    user=manager,
                    title=f"{festival.name_en or festival.name} {year}",
                    festival=festival,
                    festival_year=year,
                    brands=chosen,
                    channels=channels,
                    budget_cny=rng.choice((50_000, 120_000, 300_000)),
                    status=status,
                )
            )
    return made


def _banner_images() -> list:
    """One stored image per banner colour (creatives share them: the analysis reads the creative's colour)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from brands.images import image_ingest, image_store
    from campaigns.colors import dominant_color

    images = []
    for name, rgb, factor in BANNER_COLORS:
        buffer = io.BytesIO()
        Image.new("RGB", (1920, 540), rgb).save(buffer, "PNG")
        ingested = image_ingest(SimpleUploadedFile(f"{name}.png", buffer.getvalue(), content_type="image/png"))
        color = dominant_color(ingested.content)
        images.append((image_store(ingested, original_name=f"{name}.png", private=True), color, factor))
    return images


def _items(brands, campaigns, start, end, manager, rng: random.Random):
    """``ITEMS_PER_BRAND`` published items per brand in its campaigns' windows (inside the period), written in bulk;
    banners get their creatives. Returns the items and {item id: [(creative id, CTR factor)]}."""
    from campaigns.choices import ContentStatus, PictureSubject, Topic
    from campaigns.models import ContentItem, Creative

    campaigns_of: dict[int, list] = {b.pk: [] for b in brands}
    for campaign in campaigns:
        for brand_id in campaign.brands.values_list("pk", flat=True):
            campaigns_of[brand_id].append(campaign)
    items, links = [], []
    for brand in brands:
        own = campaigns_of[brand.pk]
        for n in range(ITEMS_PER_BRAND):
            campaign = own[n % len(own)]
            first, last = max(campaign.starts_on, start), min(campaign.ends_on, end)
            if first > last:
                first = last = min(max(campaign.starts_on, start), end)
            day = first + datetime.timedelta(days=rng.randrange((last - first).days + 1))
            offered = [c for c in campaign.channels if c in CHANNELS] or list(CHANNELS)
            channel = rng.choices(offered, weights=[CHANNEL_WEIGHTS[CHANNELS.index(c)] for c in offered])[0]
            moment = datetime.datetime.combine(day, datetime.time(20, 0), tzinfo=CHINA)
            items.append(
                ContentItem(
                    campaign=campaign,
                    channel=channel,
                    title_zh_hans=f"{brand.name_zh_hans} · {campaign.title} #{n}",
                    title_en=f"{brand.name_en} · {campaign.title} #{n}",
                    scheduled_at=moment,
                    due_on=day - datetime.timedelta(days=7),
                    status=ContentStatus.PUBLISHED,
                    author=manager,
                    approved_by=manager,
                    approved_at=moment - datetime.timedelta(days=3),
                )
            )
            links.append(brand.pk)
    ContentItem.objects.bulk_create(items, batch_size=2000)
    through = ContentItem.brands.through
    through.objects.bulk_create(
        [through(contentitem_id=item.pk, brand_id=brand_id) for item, brand_id in zip(items, links, strict=True)],
        batch_size=5000,
    )
    images = _banner_images()
    creatives, factors = [], []
    for item in items:
        if item.channel != "banner":
            continue
        for image, color, factor in rng.sample(images, CREATIVES_PER_BANNER):
            creatives.append(
                Creative(
                    item=item,
                    image=image,
                    dominant_hex=color.hex,
                    dominant_name=color.name,
                    subject=rng.choice(PictureSubject.values),
                    topic=rng.choice(Topic.values),
                )
            )
            factors.append(factor)
    Creative.objects.bulk_create(creatives, batch_size=2000)
    by_item: dict[int, list] = {}
    for creative, factor in zip(creatives, factors, strict=True):
        by_item.setdefault(creative.item_id, []).append((creative.pk, factor))
    return items, links, by_item


# --- facts ------------------------------------------------------------------------------------------------------


def _festival_boost(campaigns, start, days) -> list[float]:
    """Traffic per day relative to a normal day: up to ×2.5 towards a festival's peak inside its window."""
    boost = [1.0] * days
    for campaign in campaigns:
        length = max(1, (campaign.ends_on - campaign.starts_on).days)
        for offset in range(length + 1):
            index = (campaign.starts_on - start).days + offset
            if 0 <= index < days:
                boost[index] = max(boost[index], 1.0 + 1.5 * (offset / length) ** 2)
    return boost


class FactWriter:
    """Rows of facts as COPY text, sent in chunks by this thread while the caller's thread makes the next ones."""

    def __init__(self, cursor, table: str):
        self.cursor, self.table = cursor, table
        self.rows: list[str] = []
        self.count = 0
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def add(self, row: str) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.error is not None:
            raise self.error
        if self.rows:
            self.queue.put("".join(self.rows))
            self.count += len(self.rows)
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _send(self) -> None:
        columns = ", ".join(FACT_COLUMNS)
        while (chunk := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.cursor.copy_expert(f"COPY {self.table} ({columns}) FROM STDIN", io.StringIO(chunk))
                except BaseException as exc:  # the caller raises it
                    self.error = exc


@contextmanager
def bulk_load(cursor, *tables: str):
    """Load ``tables`` without their secondary indexes and their unique and foreign-key constraints, then put them
    back as they were (built once over all rows, and every foreign key validated over the whole table): maintaining
    a dozen indexes and five foreign-key checks row by row made loading millions of facts four times slower. The
    primary key stays. Inside the caller's transaction, so a failure leaves the tables as they were."""
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    constraints, indexes = [], []

    def count():
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])),"
            " (SELECT COUNT(*) FROM pg_index WHERE indrelid = ANY(%s::regclass[]))",
            [list(tables), list(tables)],
        )
        return cursor.fetchone()

    before = count()
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype IN ('u', 'f') ORDER BY contype DESC",  # unique first: foreign keys may need them back
            [table],
        )
        constraints += [(table, name, definition) for name, definition in cursor.fetchall()]
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        indexes += cursor.fetchall()
    for table, name, _definition in reversed(constraints):
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    if count() != before:
        raise AssertionError(f"{tables}: constraints and indexes not all restored")


def _number(value) -> str:
    return NULL if value is None else str(value)


def _write_facts(writer, *, brands, items, links, creatives, boost, start, days, file_source, api_source, seed):
    """Every brand's item facts, then its account facts (whose followers level includes what its content gained)."""
    dates = [(start + datetime.timedelta(days=d)).isoformat() for d in range(days)]
    stamp = datetime.datetime.now(datetime.UTC).isoformat()
    items_of: dict[int, list] = {}
    for item, brand_id in zip(items, links, strict=True):
        items_of.setdefault(brand_id, []).append(item)
    for brand in brands:
        rng = random.Random(seed * 1_000_003 + brand.pk)
        size = rng.lognormvariate(0, 0.8)  # brands differ a lot in reach
        price = rng.choice((68, 128, 268, 480, 890))
        gained_by_content: dict[tuple, int] = {}
        for item in items_of.get(brand.pk, ()):
            day0 = (item.scheduled_at.astimezone(CHINA).date() - start).days
            peak = size * rng.lognormvariate(9.5, 0.7)
            ctr = rng.uniform(0.008, 0.045)
            variants = creatives.get(item.pk) or [(None, 1.0)]
            last = min(days, day0 + 3) if item.channel == "livestream" else days  # a livestream is over in days
            for d in range(max(day0, 0), last):
                age = d - day0
                reach = peak * boost[d] * (0.82**age + 0.015) * rng.uniform(0.8, 1.2)
                gained = int(reach * 0.0015 * rng.uniform(0.5, 1.5)) // len(variants)
                key = (item.channel, d)
                gained_by_content[key] = gained_by_content.get(key, 0) + gained * len(variants)
                for creative_id, factor in variants:
                    impressions = int(reach / len(variants))
                    clicks = int(impressions * ctr * factor * rng.uniform(0.85, 1.15))
                    viewers = int(impressions * 0.3) if item.channel in VIDEO else None
                    sold = int(clicks * 0.02) if item.channel in COMMERCE else None
                    gmv = f"{sold * price:.2f}" if sold is not None else NULL
                    creative = "" if creative_id is None else creative_id
                    writer.add(
                        f"{api_source}\t{dates[d]}|{item.channel}|{brand.pk}|{item.pk}|{creative}\t{dates[d]}\t"
                        f"{item.channel}\t{brand.pk}\t{item.campaign_id}\t{item.pk}\t{_number(creative_id)}\t{NULL}\t"
                        f"{gained}\t{impressions}\t{int(impressions * 0.04)}\t{_number(viewers)}\t"
                        f"{clicks}\t{_number(sold)}\t{gmv}\t{stamp}\n"
                    )
        for channel in CHANNELS:
            followers = int(size * rng.uniform(5_000, 150_000))
            base = size * rng.uniform(2_000, 40_000)
            ctr = rng.uniform(0.01, 0.03)
            for d in range(days):
                organic = int(base * boost[d] * 0.0008 * rng.uniform(-0.3, 1.5))  # some days more leave than come
                followers = max(0, followers + organic + gained_by_content.get((channel, d), 0))
                impressions = int(base * boost[d] * rng.uniform(0.7, 1.3))
                clicks = int(impressions * ctr)
                viewers = int(impressions * 0.2) if channel in VIDEO else None
                sold = int(clicks * 0.03) if channel in COMMERCE else None
                gmv = f"{sold * price:.2f}" if sold is not None else NULL
                writer.add(
                    f"{file_source}\t{dates[d]}|{channel}|{brand.pk}||\t{dates[d]}\t{channel}\t{brand.pk}\t{NULL}\t"
                    f"{NULL}\t{NULL}\t{followers}\t{organic}\t{impressions}\t{int(impressions * 0.03)}\t"
                    f"{_number(viewers)}\t{clicks}\t{_number(sold)}\t{gmv}\t{stamp}\n"
                )


# --- rollups ----------------------------------------------------------------------------------------------------

_FIGURES = ("followers_gained", "impressions", "interactions", "viewers", "clicks", "items_sold", "gmv_cny")


def rollups_build_sql(cursor) -> None:
    """The rollups of every fact, in SQL, by the rules of ``services._vector`` / ``_apply_deltas``: a figure not
    reported adds 0, ``followers_total`` counts only facts without a content item, campaign 0 is "no campaign"."""
    sums = ", ".join(f"COALESCE(SUM({name}), 0)" for name in _FIGURES)
    names = ", ".join(_FIGURES)
    cursor.execute(
        f"INSERT INTO results_metricrollup (day, brand_id, campaign_key, campaign_id, channel, facts, followers_total, "
        f"{names}) SELECT date, brand_id, COALESCE(campaign_id, 0), campaign_id, channel, COUNT(*), "
        f"COALESCE(SUM(followers_total) FILTER (WHERE item_id IS NULL), 0), {sums} "
        f"FROM results_metricfact GROUP BY date, brand_id, campaign_id, channel"
    )
    cursor.execute(
        f"INSERT INTO results_brandday (day, brand_id, facts, followers_total, {names}) "
        f"SELECT day, brand_id, SUM(facts), SUM(followers_total), {', '.join(f'SUM({n})' for n in _FIGURES)} "
        f"FROM results_metricrollup GROUP BY day, brand_id"
    )
    cursor.execute(
        f"INSERT INTO results_campaigntotal (campaign_id, brand_id, facts, followers_total, {names}) "
        f"SELECT campaign_key, brand_id, SUM(facts), SUM(followers_total), {', '.join(f'SUM({n})' for n in _FIGURES)} "
        f"FROM results_metricrollup WHERE campaign_key > 0 GROUP BY campaign_key, brand_id"
    )


def _rollup_rows(brand_id: int):
    from campaigns.results.models import BrandDay, CampaignTotal, MetricRollup

    columns = ("facts", "followers_total", *_FIGURES)
    return (
        sorted(MetricRollup.objects.filter(brand_id=brand_id).values_list("day", "campaign_key", "channel", *columns)),
        sorted(BrandDay.objects.filter(brand_id=brand_id).values_list("day", *columns)),
        sorted(CampaignTotal.objects.filter(brand_id=brand_id).values_list("campaign_id", *columns)),
    )


def _check_against_rebuild(brand_id: int) -> None:
    """The SQL rollups of one brand are what ``rollups_rebuild`` (the hub's own rules, in Python) makes of its facts."""
    from campaigns.results.services import rollups_rebuild

    built = _rollup_rows(brand_id)
    rollups_rebuild(brand_ids=[brand_id])
    rebuilt = _rollup_rows(brand_id)
    if built != rebuilt:
        raise AssertionError(f"SQL rollups of brand {brand_id} differ from rollups_rebuild's")


# --- the whole build --------------------------------------------------------------------------------------------


@dataclass
class Registry:
    """The data set's registry side: brands, festival campaigns, published items (with their brand) and each banner's
    creatives ``{item id: [(creative id, CTR factor)]}``, for a period."""

    start: datetime.date
    end: datetime.date
    manager: object
    brands: list
    campaigns: list
    items: list
    links: list  # each item's brand id, in ``items`` order
    creatives: dict


def build_registry(scale: float = 1.0, *, days: int = DAYS, end: datetime.date | None = None, seed: int = 7):
    """The brands, campaigns, items and creatives of the data set, without facts (the push benchmark sends its own)."""
    from django.contrib.auth import get_user_model

    rng = random.Random(seed)
    end = end or china_yesterday()
    start = end - datetime.timedelta(days=days - 1)
    manager = get_user_model().objects.create_user(
        "bench-manager", email="bench-manager@example.com", role="manager", password="bench-password-1"
    )
    brands = _brands(max(2, round(N_BRANDS * scale)), rng)
    campaigns = _campaigns(brands, start, end, manager, rng)
    items, links, creatives = _items(brands, campaigns, start, end, manager, rng)
    return Registry(start, end, manager, brands, campaigns, items, links, creatives)


def build(scale: float = 1.0, *, days: int = DAYS, end: datetime.date | None = None, seed: int = 7) -> DataSet:
    """Fill the current empty PostgreSQL database with the §7 data set (``scale`` × 103 brands, ``days`` days up to
    ``end``, yesterday in China by default); deterministic for a seed. Returns what it made."""
    from django.db import connection, transaction

    from campaigns.results.models import BrandDay, MetricFact, MetricRollup, MetricSource
    from campaigns.results.services import source_for

    if connection.vendor != "postgresql":
        raise RuntimeError("the results data set is written with PostgreSQL COPY: set DATABASE_URL")
    if MetricFact.objects.exists():
        raise RuntimeError("build() fills an empty database; this one has facts already")
    seconds, began = {}, time.perf_counter()
    registry = build_registry(scale, days=days, end=end, seed=seed)
    start, end, manager = registry.start, registry.end, registry.manager
    brands, campaigns, items, links, creatives = (
        registry.brands, registry.campaigns, registry.items, registry.links, registry.creatives
    )  # fmt: skip
    rng = random.Random(seed + 1)
    seconds["registry"] = time.perf_counter() - began

    began = time.perf_counter()
    file_source = source_for(MetricSource.Kind.FILE, "生意参谋 export").pk
    api_source = source_for(MetricSource.Kind.API, "Partner").pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        with bulk_load(cursor, MetricFact._meta.db_table):
            writer = FactWriter(cursor.cursor, MetricFact._meta.db_table)
            try:
                _write_facts(writer, brands=brands, items=items, links=links, creatives=creatives,
                             boost=_festival_boost(campaigns, start, days), start=start, days=days,
                             file_source=file_source, api_source=api_source, seed=seed)  # fmt: skip
            finally:
                writer.close()
            seconds["facts_copy"] = time.perf_counter() - began
    seconds["facts"] = time.perf_counter() - began

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        with bulk_load(cursor, MetricRollup._meta.db_table, BrandDay._meta.db_table):
            rollups_build_sql(cursor)
    seconds["rollups"] = time.perf_counter() - began
    began = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (
            "results_metricfact",
            "results_metricrollup",
            "results_brandday",
            "results_campaigntotal",
            "campaigns_contentitem",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    seconds["analyze"] = time.perf_counter() - began
    began = time.perf_counter()
    _check_against_rebuild(brands[0].pk)
    seconds["check"] = time.perf_counter() - began

    _set_targets(campaigns, rng)
    counts = {
        "brands": len(brands),
        "campaigns": len(campaigns),
        "items": len(items),
        "creatives": sum(len(c) for c in creatives.values()),
        "facts": writer.count,
        "rollups": MetricRollup.objects.count(),
        "brand_days": BrandDay.objects.count(),
    }
    return DataSet(
        start=start,
        end=end,
        manager_id=manager.pk,
        brand_ids=[b.pk for b in brands],
        brand_slugs=[b.slug for b in brands],
        campaign_ids=[c.pk for c in campaigns],
        counts=counts,
        seconds=seconds,
    )


def _set_targets(campaigns, rng: random.Random) -> None:
    """Targets near what each campaign reached (from its rollups), so about half are met: the dashboard's "targets
    met" and the campaign pages have both kinds."""
    from django.db.models import Sum

    from campaigns.models import Campaign
    from campaigns.results.models import MetricRollup

    reached = {
        row["campaign_key"]: row
        for row in MetricRollup.objects.filter(campaign_key__in=[c.pk for c in campaigns])
        .values("campaign_key")
        .annotate(impressions=Sum("impressions"), interactions=Sum("interactions"), gained=Sum("followers_gained"))
    }
    for campaign in campaigns:
        row = reached.get(campaign.pk)
        if not row:
            continue

        def near(value):
            return max(1, math.ceil((value or 0) * rng.uniform(0.8, 1.25) / 1000) * 1000)

        Campaign.objects.filter(pk=campaign.pk).update(
            target_impressions=near(row["impressions"]),
            target_interactions=near(row["interactions"]),
            target_followers=near(row["gained"]),
        )


def main() -> int:
    setup_django()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1] != "postgresql":
        print("results_data_bench: n/a (needs PostgreSQL: DATABASE_URL)")
        return 0
    settings.DATABASES["default"]["TEST"]["NAME"] = "test_bench_results_data"
    scale, days = (0.1, 120) if QUICK else (1.0, DAYS)
    print(
        f"# Results data set: {scale:g} × {N_BRANDS} brands, {days} days, {ITEMS_PER_BRAND} items a brand", flush=True
    )
    with bench_database():
        began = time.perf_counter()
        data = build(scale, days=days)
        total = time.perf_counter() - began
    for name, value in data.counts.items():
        report(f"results_data_{name}", value, "rows")
    for name, value in data.seconds.items():
        report(f"results_data_{name}_s", value, "s")
    report("results_data_facts_per_s", data.counts["facts"] / data.seconds["facts"], "facts/s")
    report("results_data_total_s", total, "s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
