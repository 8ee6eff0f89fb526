"""Demo events for ``seed_demo``: a past supermarket promotion with its scans, an upcoming pop-up with its codes.

The scans go through the flush like real ones (raw records in, classified rows and rollups out), so the
demo's pages show what a real event brings: apps, devices, venues, hours, QR against shared link.
"""

import dataclasses
import datetime
import random
import uuid
import zoneinfo

from django.utils import timezone

from brands.models import Brand

from . import flush, recorder
from .models import OfflineEvent
from .services import event_save, link_save

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
PAST_TITLE = "Hema “We are together” · Italian taste week"
UPCOMING_TITLE = "Spring Festival pop-up · Italian gifts"
AGENTS = (
    # (weight, user agent): most codes are scanned from inside WeChat or Alipay.
    (52, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN"),
    (14, "Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Version/4.0 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64"),
    (13, "Mozilla/5.0 (Linux; U; Android 13; zh-CN; 22081212C Build/TKQ1.220829.002) AppleWebKit/537.36 (KHTML, "
         "like Gecko) Version/4.0 Chrome/69.0 Mobile Safari/537.36 AliApp(AP/10.5.70) AlipayClient/10.5.70"),
    (8, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 AliApp(TB/10.35.10) WindVane/8.7.2 1170x2532"),
    (5, "Mozilla/5.0 (Linux; Android 13; V2244A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110 Mobile "
        "Safari/537.36 aweme_290000 JsSdk/1.0 BytedanceWebview/d8a21c6"),
    (6, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1"),
    (2, "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"),
)  # fmt: skip


@dataclasses.dataclass
class DemoEvents:
    created: int = 0
    links: int = 0
    scans: int = 0


def _past_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 618 before today (1 to 18 June): Hema's promotion weeks."""
    year = today.year if today >= datetime.date(today.year, 6, 19) else today.year - 1
    return datetime.date(year, 6, 5), datetime.date(year, 6, 18)


def load_demo_events(*, manager, demo_brand: Brand | None = None, today=None, seed: int = 11) -> DemoEvents:
    """Create the two demo events once (by title); a second load changes nothing."""
    result = DemoEvents()
    today = today or timezone.localdate(timezone=CHINA)
    others = Brand.objects.exclude(pk=getattr(demo_brand, "pk", None)).order_by("pk")
    food = list(others.filter(category="food_beverage")[:3])
    lifestyle = list(others.exclude(category="food_beverage")[:2])
    with_demo = [demo_brand] if demo_brand is not None else []
    if not OfflineEvent.objects.filter(title=PAST_TITLE).exists() and (food or with_demo):
        starts, ends = _past_window(today)
        brands = with_demo + food
        event = event_save(
            user=manager, title=PAST_TITLE, kind=OfflineEvent.Kind.SUPERMARKET, city="上海", venue="盒马鲜生",
            starts_on=starts, ends_on=ends, partner="Hema (盒马)", reward_zh="扫码送意式冰淇淋一杯",
            reward_en="Scan for an Italian gelato cup", followers_gained=1840, brands=brands,
            products=[product for brand in brands for product in brand.products.all()[:2]],
        )  # fmt: skip
        venues = [("上海", "盒马 静安大融城店"), ("上海", "盒马 徐汇日月光店"), ("杭州", "盒马 滨江宝龙店")]
        links = [
            link_save(
                user=manager,
                event=event,
                label=f"Tasting counter · {venue}",
                city=city,
                venue=venue,
                destination="https://pages.tmall.com/wow/a/act/tmall/italian-taste-week",
                reward="送意式冰淇淋一杯",
            )
            for city, venue in venues
        ]
        result.created += 1
        result.links += len(links)
        result.scans += _demo_scans(links, starts, ends, random.Random(seed))
    if not OfflineEvent.objects.filter(title=UPCOMING_TITLE).exists() and (lifestyle or with_demo):
        starts = today + datetime.timedelta(days=45)
        event = event_save(
            user=manager, title=UPCOMING_TITLE, kind=OfflineEvent.Kind.POPUP, city="北京", venue="三里屯太古里",
            starts_on=starts, ends_on=starts + datetime.timedelta(days=9), partner="Taikoo Li Sanlitun",
            reward_zh="扫码领新春红包", reward_en="Scan for a Spring Festival red envelope",
            brands=with_demo + lifestyle, products=[],
        )  # fmt: skip
        opens = datetime.datetime.combine(starts, datetime.time(10), tzinfo=CHINA)
        for label in ("Entrance", "Gift wall", "Cashier"):
            link_save(
                user=manager, event=event, label=label, city="北京", venue=f"三里屯太古里 · {label}",
                destination="https://www.tmall.hk/italian-gifts", reward="扫码领新春红包",
                valid_from=opens, valid_until=opens + datetime.timedelta(days=10),
            )  # fmt: skip
            result.links += 1
        result.created += 1
    return result


def _demo_scans(links, starts: datetime.date, ends: datetime.date, rng: random.Random) -> int:
    """A few hundred scans over the event's days, busier at weekends and around lunch and after work."""
    weights, agents = zip(*AGENTS, strict=True)
    lines = []
    days = (ends - starts).days + 1
    visitors = [f"198.51.100.{i}" for i in range(1, 240)]
    for day in range(days):
        date = starts + datetime.timedelta(days=day)
        for link_index, link in enumerate(links):
            count = rng.randint(4, 9) + (6 if date.weekday() >= 5 else 0) - 2 * link_index
            for _ in range(max(count, 1)):
                hour = rng.choice((10, 11, 12, 12, 13, 15, 17, 18, 18, 19, 20))
                at = datetime.datetime.combine(date, datetime.time(hour, rng.randrange(60)), tzinfo=CHINA)
                lines.append(recorder_line(link.code, at, rng.choices(agents, weights)[0], rng.choice(visitors), rng))
    stored = 0
    for start in range(0, len(lines), 1000):
        stored += flush.store(lines[start : start + 1000]).stored
    return stored


def recorder_line(code: str, at: datetime.datetime, agent: str, ip: str, rng: random.Random) -> bytes:
    import orjson

    return orjson.dumps({
        "t": uuid.UUID(int=rng.getrandbits(128)).hex, "c": code, "at": at.timestamp(), "ua": agent,
        "lang": "zh-CN,zh;q=0.9", "ip": recorder.visitor_hash(ip), "s": "qr" if rng.random() < 0.86 else "link",
        "o": "redirect",
    })  # fmt: skip
