"""Move raw scans from Redis (and the spool files) into ``Scan`` rows and ``ScanHour`` rollups.

A batch is stored in one transaction that also updates the rollups, and a scan's token is unique: a flush
that dies before its commit leaves the batch where it was; one that dies after the commit but before it
removes the batch from Redis finds those tokens already stored next time and skips them. So no scan is
lost and none is counted twice. Flushes take the ``FlushLock`` row first, so two never interleave.
"""

import dataclasses
import datetime
import functools
import time
import zoneinfo
from collections import Counter

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from redis.exceptions import RedisError

from brandhub.redisclient import redis_client

from . import recorder, spool
from .models import App, Device, FlushLock, Scan, ScanHour, ScanVisitor, TrackedLink

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
BATCH = 5000

# Which app a scan came from, by the marks their in-app browsers put in the user agent (checked in order).
APP_MARKS = (
    (App.WECHAT, ("micromessenger",)),
    (App.ALIPAY, ("alipayclient", "alipaydefined", "aliapp(ap")),
    (App.TAOBAO, ("aliapp(tb", "aliapp(tm", "taobao", "tmall", "ttid=")),
    (App.DOUYIN, ("aweme", "bytedancewebview", "bytelocale", "douyin")),
    (App.WEIBO, ("weibo",)),
)


@dataclasses.dataclass(frozen=True)
class Agent:
    app: str
    device: str
    os: str
    is_bot: bool


@functools.lru_cache(maxsize=4096)
def classify(user_agent: str) -> Agent:
    """Device class, OS, bot flag (ua-parser) and the scanning app (our marks) of one user agent."""
    from ua_parser import parse

    lowered = user_agent.lower()
    app = next((app for app, marks in APP_MARKS if any(mark in lowered for mark in marks)), App.BROWSER)
    result = parse(user_agent)
    os_name = result.os.family if result.os and result.os.family != "Other" else ""
    device_family = result.device.family if result.device else "Other"
    bot = (
        device_family == "Spider"
        or not user_agent
        or any(
            mark in lowered for mark in ("bot", "crawler", "spider", "curl/", "python-requests", "wget/", "headless")
        )
    )
    if bot:
        device = Device.BOT
    elif "ipad" in lowered or "tablet" in lowered or (os_name == "Android" and "mobile" not in lowered):
        device = Device.TABLET
    elif os_name in ("iOS", "Android", "HarmonyOS") or "mobile" in lowered:
        device = Device.PHONE
    elif os_name in ("Windows", "Mac OS X", "Linux", "Ubuntu", "Chrome OS", "Fedora"):
        device = Device.DESKTOP
    else:
        device = Device.OTHER
    return Agent(app=app, device=device, os=os_name[:40], is_bot=bot)


def first_language(header: str) -> str:
    tag = header.split(",", 1)[0].split(";", 1)[0].strip().lower()
    return tag[:16]


@dataclasses.dataclass
class FlushResult:
    read: int = 0
    stored: int = 0
    skipped: int = 0  # already stored (a repeated batch) or for a link that no longer exists
    remaining: int = 0

    def add(self, other: "FlushResult") -> None:
        self.read += other.read
        self.stored += other.stored
        self.skipped += other.skipped


def store(lines: list[bytes]) -> FlushResult:
    """Store one batch of raw scan lines: new tokens become scans and rollup counts, in one transaction."""
    result = FlushResult(read=len(lines))
    raws = {}
    for line in lines:
        try:
            raw = orjson.loads(line)
            raws[raw["t"]] = raw
        except (orjson.JSONDecodeError, KeyError, TypeError):
            result.skipped += 1  # a torn line of a crashed writer: nothing to count
    if not raws:
        return result
    with transaction.atomic():
        # The lock: one flush at a time (on SQLite the write also takes the database's write lock at once).
        if not FlushLock.objects.filter(pk="scans").update(held_at=timezone.now()):
            FlushLock.objects.get_or_create(pk="scans")  # the first flush ever (or after a test's flush)
            FlushLock.objects.filter(pk="scans").update(held_at=timezone.now())
        known = set(Scan.objects.filter(token__in=list(raws)).values_list("token", flat=True))
        links = dict(TrackedLink.objects.filter(code__in={raw["c"] for raw in raws.values()}).values_list("code", "pk"))
        scans, visitors = [], {}
        for token, raw in raws.items():
            link_id = links.get(raw["c"])
            if token in known or link_id is None:
                result.skipped += 1
                continue
            agent = classify(raw.get("ua", ""))
            at = datetime.datetime.fromtimestamp(raw["at"], tz=datetime.UTC)
            day = at.astimezone(CHINA).date()
            visitor = recorder.visitor_hash(f"{raw['ip']}|{agent.device}|{agent.os}")
            scans.append(
                Scan(
                    token=token,
                    link_id=link_id,
                    scanned_at=at,
                    source=raw.get("s", "qr"),
                    outcome=raw.get("o", "redirect"),
                    app=agent.app,
                    device=agent.device,
                    os=agent.os,
                    is_bot=agent.is_bot,
                    language=first_language(raw.get("lang", "")),
                    visitor=visitor,
                    user_agent=raw.get("ua", "")[:400],
                )
            )
            visitors.setdefault((link_id, day, visitor), []).append(scans[-1])
        if scans:
            _mark_first_of_day(visitors)
            Scan.objects.bulk_create(scans, batch_size=1000)
            _add_to_rollups(scans)
        result.stored = len(scans)
    return result


def _mark_first_of_day(visitors: dict) -> None:
    links = {key[0] for key in visitors}
    days = {key[1] for key in visitors}
    seen = set(
        ScanVisitor.objects.filter(
            link_id__in=links, day__in=days, visitor__in={key[2] for key in visitors}
        ).values_list("link_id", "day", "visitor")
    )
    new = [key for key in visitors if key not in seen]
    for key in new:
        min(visitors[key], key=lambda scan: scan.scanned_at).first_of_day = True
    ScanVisitor.objects.bulk_create(
        [ScanVisitor(link_id=link, day=day, visitor=visitor) for link, day, visitor in new], batch_size=1000
    )


def _add_to_rollups(scans: list[Scan]) -> None:
    counts, uniques = Counter(), Counter()
    for scan in scans:
        hour = scan.scanned_at.replace(minute=0, second=0, microsecond=0)
        key = (scan.link_id, hour, scan.source, scan.outcome, scan.app, scan.device, scan.os, scan.is_bot)
        counts[key] += 1
        uniques[key] += scan.first_of_day
    table = connection.ops.quote_name(ScanHour._meta.db_table)
    columns = "link_id, hour, source, outcome, app, device, os, is_bot"
    rows = [(*key, counts[key], uniques[key]) for key in counts]
    sql = (
        f"INSERT INTO {table} ({columns}, scans, uniques) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({columns}) DO UPDATE SET scans = {table}.scans + excluded.scans, "
        f"uniques = {table}.uniques + excluded.uniques"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def scans_flush(*, max_seconds: float = 4.0, batch: int = BATCH) -> FlushResult:
    """Store what waits in the spool files and in Redis, batch by batch, for at most ``max_seconds``."""
    total, started = FlushResult(), time.monotonic()
    with spool.folder_lock(exclusive=True):  # ``spool.py`` says how none is read twice, or missed
        spool.claim_all()  # this host's files, of every process
        files = spool.claimed()
    for claimed in files:
        with spool.draining(claimed) as batches:
            for lines in batches(batch) if batches else ():
                total.add(store(lines))
    client = redis_client(ignore_breaker=True) if settings.REDIS_URL else None
    if client is None:
        return total
    try:
        while time.monotonic() - started < max_seconds:
            lines = client.lrange(recorder.QUEUE, 0, batch - 1)
            if not lines:
                break
            total.add(store(lines))
            # Only what was read is removed: new scans are pushed at the other end meanwhile.
            client.ltrim(recorder.QUEUE, len(lines), -1)
        total.remaining = client.llen(recorder.QUEUE)
    except (RedisError, OSError):
        # Redis went away: what was read and stored stays stored; the rest waits for the next flush.
        pass
    return total
