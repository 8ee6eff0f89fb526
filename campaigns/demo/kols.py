"""Demo KOLs, their bookings and the demo campaigns' livestream sessions, for ``seed_demo``.

The six invented KOLs of ``specs.KOLS`` get their platforms, a year of follower counts (the first of each month, so a
second run in the same month adds nothing), focus, languages, agency and fees; each demo campaign's KOL items become
a booking of their KOL (its status follows the items: paid once they are out and the campaign is over, delivered once
they are out, confirmed once approved, proposed before); each livestream item gets its session: platform, length,
hosts (the KOL, and the brand's own winemaker or designer on the demo brand's sessions), the featured products of its
brands and a run sheet with talking points in three languages. Everything goes through the services; what exists
already is left as it is, so loading again creates nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from campaigns import kols as kol_services
from campaigns import livestreams
from campaigns.choices import BookingStatus, Channel, ContentStatus
from campaigns.models import Campaign, ContentItem, Kol, KolAccount, KolBooking, KolFollowerCount, LivestreamSession

from .plan import CHINA
from .specs import KOLS

# key -> (focus, languages, agency, fee range, [(platform, handle, followers a year ago, followers now)])
PROFILES = {
    "lily": (["food", "wine", "travel"], ["zh", "it"], "Milano Bridge MCN", (30_000, 60_000),
             [("taobao_live", "yishi_lily", 820_000, 1_240_000), ("red", "lily_in_italy", 310_000, 402_000),
              ("douyin", "lily.italia", 540_000, 690_000)]),
    "coco": (["jewellery", "fashion"], ["zh", "en"], "Shanghai Sparkle Media", (25_000, 45_000),
             [("red", "coco_jewels", 260_000, 318_000), ("weibo", "珠宝控Coco", 140_000, 151_000)]),
    "vivi": (["fashion", "design"], ["zh", "it", "en"], "", (18_000, 30_000),
             [("red", "vivi_milano_buyer", 180_000, 236_000), ("wechat_channels", "米兰买手Vivi", 52_000, 77_000)]),
    "laochen": (["wine"], ["zh"], "Grape & Glass", (20_000, 35_000),
                [("douyin", "laochen_wine", 410_000, 455_000), ("bilibili", "酒评人老陈", 96_000, 121_000),
                 ("weibo", "酒评人老陈", 230_000, 229_000)]),
    "xiaolu": (["food"], ["zh"], "Hangzhou Foodie Lab", (12_000, 22_000),
               [("douyin", "chihuo_xiaolu", 330_000, 512_000), ("red", "xiaolu_eats", 120_000, 168_000)]),
    "amu": (["design"], ["zh", "en"], "", (15_000, 28_000),
            [("red", "amu_home", 210_000, 247_000), ("bilibili", "家居博主阿木", 88_000, 103_000)]),
}  # fmt: skip
PLATFORM = {"lily": "taobao_live", "laochen": "douyin", "xiaolu": "douyin", "amu": "taobao_live", "coco": "red"}
BRAND_HOSTS = {"food_beverage": ("Giovanni Rossi", "winemaker"), "fashion": ("Chiara Conti", "designer"),
               "lifestyle": ("Paolo Greco", "artisan")}  # fmt: skip


@dataclass
class DemoKols:
    kols: int = 0  # created by this load
    total_kols: int = 0
    counts: int = 0  # follower counts added by this load
    total_counts: int = 0
    bookings: int = 0
    sessions: int = 0


def _months_back(today: datetime.date, months: int) -> datetime.date:
    month = today.month - months
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def demo_kols(*, manager, today: datetime.date | None = None, result: DemoKols | None = None) -> dict[str, Kol]:
    """The demo KOLs by key: found by name (also when the KOL migration made them from typed names), else created;
    each account's follower count on the first of each of the last twelve months."""
    today = today or timezone.localdate(timezone=CHINA)
    result = result or DemoKols()
    found = {}
    for key, (name_zh, name) in KOLS.items():
        focus, languages, agency, (fee_min, fee_max), accounts = PROFILES[key]
        kol = kol_services.kol_same_person(name=name, name_zh=name_zh)
        if kol is None:
            kol = kol_services.kol_save(
                user=manager,
                name=name,
                name_zh=name_zh,
                focus=focus,
                languages=languages,
                agency=agency,
                fee_min_cny=Decimal(fee_min),
                fee_max_cny=Decimal(fee_max),
                accounts=[{"platform": p, "handle": handle, "profile_url": ""} for p, handle, _a, _b in accounts],
            )
            result.kols += 1
        found[key] = kol
        counts = []
        for platform, handle, before, now in accounts:
            account, _created = KolAccount.objects.get_or_create(
                kol=kol, platform=platform, defaults={"handle": handle}
            )
            have = set(KolFollowerCount.objects.filter(account=account).values_list("day", flat=True))
            for months in range(12, 0, -1):
                day = _months_back(today, months - 1)
                if day in have:
                    continue
                # Growth that slows down: most of a year's followers come in its first months.
                share = 1 - (months - 1) / 11
                followers = round(before + (now - before) * (1 - (1 - share) ** 2))
                counts.append(KolFollowerCount(account=account, day=day, followers=followers, recorded_by=manager))
        if counts:
            KolFollowerCount.objects.bulk_create(counts)
            result.counts += len(counts)
            kol_services._refresh_followers(kol)
    return found


def load_demo_kols(*, manager, today: datetime.date | None = None) -> DemoKols:
    """KOLs, then bookings and livestream sessions of the demo campaigns' items (once each)."""
    result = DemoKols()
    kols = demo_kols(manager=manager, today=today, result=result)
    by_pk = {kol.pk: kol for kol in kols.values()}
    items = list(
        ContentItem.objects.filter(campaign__festival__isnull=False, kol__in=list(by_pk))
        .select_related("campaign")
        .prefetch_related("brands__products")
        .order_by("scheduled_at", "pk")
    )
    result.bookings = _bookings(items, manager)
    for item in items:
        if item.channel == Channel.LIVESTREAM and not LivestreamSession.objects.filter(item=item).exists():
            _session(item, by_pk[item.kol_id], kols, manager)
            result.sessions += 1
    result.total_kols = Kol.objects.count()
    result.total_counts = KolFollowerCount.objects.count()
    return result


def _booking_status(items: list, campaign: Campaign, today: datetime.date) -> str:
    statuses = {item.status for item in items}
    if statuses <= {ContentStatus.CANCELLED}:
        return BookingStatus.CANCELLED
    if statuses <= {ContentStatus.PUBLISHED, ContentStatus.FAILED, ContentStatus.CANCELLED}:
        return BookingStatus.PAID if campaign.ends_on < today else BookingStatus.DELIVERED
    if statuses & {ContentStatus.APPROVED, ContentStatus.SCHEDULED, ContentStatus.PUBLISHED}:
        return BookingStatus.CONFIRMED
    return BookingStatus.PROPOSED


def _bookings(items, manager) -> int:
    today = timezone.localdate(timezone=CHINA)
    groups = {}
    for item in items:
        groups.setdefault((item.kol_id, item.campaign_id), []).append(item)
    existing = set(KolBooking.objects.values_list("kol_id", "campaign_id"))
    made = 0
    for (kol_id, _campaign_id), group in groups.items():
        campaign = group[0].campaign
        if (kol_id, campaign.pk) in existing:
            continue
        kol = group[0].kol
        live = any(item.channel == Channel.LIVESTREAM for item in group)
        fee = kol.fee_max_cny if live else kol.fee_min_cny
        days = sorted(item.scheduled_at.astimezone(CHINA).date() for item in group)
        deliverables = "; ".join(
            f"{item.get_channel_display()} {item.scheduled_at.astimezone(CHINA):%Y-%m-%d %H:%M}" for item in group
        )
        kol_services.booking_save(
            user=manager,
            kol=kol,
            campaign=campaign,
            items=group,
            fee_cny=fee,
            deliverables=deliverables,
            starts_on=days[0] - datetime.timedelta(days=7),
            ends_on=days[-1] + datetime.timedelta(days=3),
            status=_booking_status(group, campaign, today),
        )
        made += 1
    return made


# Run sheet: (minutes, title, zh, en, it) around the product steps.
OPENING = (10, "开场", "大家好！欢迎来到意大利之夜直播间，今晚好物一个接一个，记得点关注。",
           "Welcome to the Italian night: follow the room, the offers come one by one.",
           "Benvenuti alla serata italiana: seguiteci, le offerte arrivano una dopo l'altra.")  # fmt: skip
LUCKY_DRAW = (10, "抽奖", "评论区扣“意大利”，抽三位朋友送出意大利礼盒。",
              "Lucky draw: comment “Italy” to win one of three Italian gift boxes.",
              "Estrazione: commentate «Italia» per vincere una delle tre confezioni regalo.")  # fmt: skip
CLOSING = (5, "结束语", "感谢陪伴，下次直播见！", "Thank you for watching, see you next time!",
           "Grazie per averci seguito, alla prossima diretta!")  # fmt: skip


def _session(item: ContentItem, kol: Kol, kols: dict, manager) -> None:
    brands = list(item.brands.all())
    products = [product for brand in brands for product in list(brand.products.all())[:2]]
    hosts = [{"kol": kol, "role": "主播"}]
    if brands and brands[0].category in BRAND_HOSTS:
        name, role = BRAND_HOSTS[brands[0].category]
        hosts.append({"name": name, "brand": brands[0], "role": role})
    session = livestreams.livestream_save(
        user=manager,
        campaign=item.campaign,
        item=item,
        products=products,
        hosts=hosts,
        session={
            "platform": PLATFORM.get(next(k for k, v in kols.items() if v.pk == kol.pk), "taobao_live"),
            "duration_minutes": 150 if len(products) > 3 else 120,
            "room_url": "",
        },
    )
    steps = [dict(zip(("minutes", "title", "talking_points_zh", "talking_points_en", "talking_points_it"), OPENING,
                      strict=True))]  # fmt: skip
    for index, product in enumerate(products):
        name_zh = product.name_zh_hans or product.name_it
        name_en = product.name_en or product.name_it
        price = product.price_cny or Decimal("199")
        live = (price * Decimal("0.8")).quantize(Decimal("1"))
        steps.append(
            {
                "minutes": 20 if index < 2 else 15,
                "product": product,
                "title": "",
                "talking_points_zh": f"介绍{product.brand.name_zh_hans or product.brand.name_it}的{name_zh}："
                "意大利原产，讲清产地与工艺，现场试用。",
                "talking_points_en": f"{name_en} by {product.brand.name_it}: where it is made and how; try it live.",
                "talking_points_it": f"{product.name_it} di {product.brand.name_it}: dove e come nasce; provarlo in "
                "diretta.",
                "offer": "直播间专享价，前100单赠意式小礼",
                "live_price_cny": live,
            }
        )
        if index == 1:
            steps.append(dict(zip(("minutes", "title", "talking_points_zh", "talking_points_en", "talking_points_it"),
                                  LUCKY_DRAW, strict=True)))  # fmt: skip
    steps.append(dict(zip(("minutes", "title", "talking_points_zh", "talking_points_en", "talking_points_it"),
                          CLOSING, strict=True)))  # fmt: skip
    if item.status not in livestreams.RUN_SHEET_CLOSED:
        livestreams.run_sheet_save(user=manager, session=session, steps=steps)
    else:  # a past session: its run sheet is history, written as it was used
        from campaigns.models import RunSheetStep

        RunSheetStep.objects.bulk_create(
            RunSheetStep(session=session, position=n, **values) for n, values in enumerate(steps, start=1)
        )
