"""Calendar benchmarks: the rule engine over its whole range (1900-2099), and the month view over a busy October.

Run as ``python -m tests.bench.calendar`` (a fresh process: the engine's lunar-date cache starts empty, so the
first run is a real cold run).
"""

import datetime
import statistics
import sys
import time
from zoneinfo import ZoneInfo

from tests.bench.common import bench_database, report, setup_django, summary, timed_requests

YEAR, MONTH = 2027, 10  # Golden Week (Oct 1-7) and the Double 11 pre-sale (from Oct 20)
N_BRANDS = 100
N_CAMPAIGNS = 200
N_ITEMS = 5_000
WARM_RUNS = 5
REQUESTS = 50
CATEGORIES = ("food_beverage", "fashion", "lifestyle")
CHINA = ZoneInfo("Asia/Shanghai")
ZH = "意大利阳光酒庄橄榄油坊针织皮具陶瓷咖啡巧克力面食奶酪"


def bench_engine() -> None:
    from campaigns import calendar
    from campaigns.calendar import MAX_YEAR, MIN_YEAR, occurrences
    from campaigns.festivals import DEFAULT_FESTIVALS

    years = range(MIN_YEAR, MAX_YEAR + 1)

    def all_years() -> int:
        return sum(len(occurrences(year, DEFAULT_FESTIVALS)) for year in years)

    cache = calendar._lunar_to_solar
    assert cache.cache_info().currsize == 0, "the lunar cache is not cold: run this module in a fresh process"
    started = time.perf_counter()
    count = all_years()
    cold_ms = (time.perf_counter() - started) * 1000
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        assert all_years() == count
        warm.append((time.perf_counter() - started) * 1000)
    report("calendar_200_years_occurrences", count, "occurrences")
    report("calendar_200_years_cold_ms", cold_ms, "ms")
    report("calendar_200_years_warm_ms", statistics.median(warm), "ms")
    report("calendar_lunar_cache_entries", cache.cache_info().currsize, "entries")


def bench_command() -> None:
    """``manage.py calendar --year 2027 --json``: the festivals read from the database, then the engine."""
    from io import StringIO

    from django.core.management import call_command

    durations = []
    for _ in range(20):
        started = time.perf_counter()
        call_command("calendar", "--year", str(YEAR), "--json", stdout=StringIO())
        durations.append((time.perf_counter() - started) * 1000)
    report("calendar_command_json_median_ms", statistics.median(durations), "ms")


def _china(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of October 2027 in China time, as the UTC datetime that is stored."""
    return datetime.datetime(YEAR, MONTH, day, hour, minute, tzinfo=CHINA).astimezone(datetime.UTC)


def seed(user) -> list[str]:
    """100 brands, 200 campaigns and 5,000 content items scheduled in October 2027 (China time).

    Returns the brand slugs. Everything goes through ``bulk_create``, M2M through rows included.
    """
    from brands.models import Brand
    from campaigns.choices import CampaignStatus, Channel, ContentStatus
    from campaigns.models import Campaign, CampaignBrand, ContentItem, Festival

    brands = Brand.objects.bulk_create(
        [
            Brand(
                slug=f"bench-brand-{i:03d}",
                name=f"Azienda Bench {i:03d}",
                name_it=f"Azienda Bench {i:03d}",
                name_en=f"Bench Company {i:03d}",
                name_zh_hans="".join(ZH[(i * 7 + k * 3) % len(ZH)] for k in range(4)),
                category=CATEGORIES[i % 3],
                status="active",
            )
            for i in range(N_BRANDS)
        ]
    )
    festivals = {f.key: f for f in Festival.objects.filter(key__in=["golden-week", "double-11", "mid-autumn"])}
    plans = [  # festival, starts_on, ends_on
        (festivals["golden-week"], datetime.date(YEAR, 9, 20), datetime.date(YEAR, 10, 7)),
        (festivals["double-11"], datetime.date(YEAR, 10, 20), datetime.date(YEAR, 11, 11)),
        (festivals["mid-autumn"], datetime.date(YEAR, 8, 26), datetime.date(YEAR, 10, 3)),
        (None, datetime.date(YEAR, 10, 1), datetime.date(YEAR, 10, 31)),
    ]
    statuses = list(CampaignStatus.values)
    campaigns = []
    for i in range(N_CAMPAIGNS):
        festival, starts_on, ends_on = plans[i % len(plans)]
        campaigns.append(
            Campaign(
                title=f"Bench {festival.key if festival else 'ottobre'} {YEAR} #{i:03d}",
                festival=festival,
                festival_year=YEAR if festival else None,
                category=CATEGORIES[i % 3] if i % 5 else "",
                channels=["tmall_article", "banner", "livestream"],
                starts_on=starts_on,
                ends_on=ends_on,
                owner=user,
                status=statuses[i % len(statuses)],
            )
        )
    campaigns = Campaign.objects.bulk_create(campaigns)
    # Each campaign takes 1 to 3 brands of its category (or of any category when it has none).
    brands_of = {}
    for i, campaign in enumerate(campaigns):
        pool = [b for b in brands if not campaign.category or b.category == campaign.category]
        brands_of[campaign.pk] = [pool[(i * 7 + k * 11) % len(pool)] for k in range(1 + i % 3)]
    CampaignBrand.objects.bulk_create(
        [CampaignBrand(campaign=c, brand=b) for c in campaigns for b in dict.fromkeys(brands_of[c.pk])]
    )
    channels = list(Channel.values)
    content_statuses = list(ContentStatus.values)
    items = []
    for i in range(N_ITEMS):
        campaign = campaigns[i % N_CAMPAIGNS]
        day = 1 + (i * 13) % 31
        # Mostly daytime posts, some at the midnight launch and at the 20:00 pre-sale start (China time).
        hour, minute = [(0, 0), (10, 0), (12, 30), (20, 0), (21, 15), (7, 45)][i % 6]
        scheduled_at = _china(day, hour, minute)
        items.append(
            ContentItem(
                campaign=campaign,
                channel=channels[i % len(channels)],
                title_it=f"Contenuto {i:04d}",
                title_en=f"Content {i:04d}" if i % 3 else "",
                title_zh_hans=f"{ZH[i % len(ZH)]}{ZH[(i * 5) % len(ZH)]}内容{i}",
                kol_text=f"KOL {i % 40}" if i % 4 == 0 else "",
                scheduled_at=scheduled_at,
                due_on=scheduled_at.date() - datetime.timedelta(days=7 + i % 14),
                status=content_statuses[i % len(content_statuses)],
                author=user,
            )
        )
    items = ContentItem.objects.bulk_create(items, batch_size=1000)
    through = ContentItem.brands.through
    rows = []
    for i, item in enumerate(items):
        featured = brands_of[item.campaign_id]
        for brand in featured[: 1 + i % len(featured)]:
            rows.append(through(contentitem_id=item.pk, brand_id=brand.pk))
    through.objects.bulk_create(rows, batch_size=2000)
    return [b.slug for b in brands]


def bench_month_view(user, slugs: list[str]) -> bool:
    """GET /campaigns/calendar/2027/10/ with and without filters. False if the view failed (not if it is missing)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("campaigns:calendar_month", kwargs={"year": YEAR, "month": MONTH})
    except NoReverseMatch:
        print("calendar_month_median_ms: n/a (view missing)", flush=True)
        return True
    client = Client()
    client.force_login(user)
    if client.get(url).status_code == 404:
        print(f"calendar_month_median_ms: n/a (view missing: {url} answers 404)", flush=True)
        return True
    week = reverse("campaigns:calendar_week", kwargs={"year": YEAR, "week": 41})  # 11-17 October
    cases = {
        "calendar_month": url,
        "calendar_month_brand": f"{url}?brand={slugs[len(slugs) // 2]}",
        "calendar_month_category": f"{url}?category=fashion",
        "calendar_week": week,
    }
    ok = True
    for name, case_url in cases.items():
        try:
            # The process's own CPU time too: on a shared machine the wall time also counts the wait for a core.
            cpu = []
            for _ in range(REQUESTS):
                started = time.process_time()
                assert client.get(case_url).status_code == 200
                cpu.append((time.process_time() - started) * 1000)
            report(f"{name}_cpu_median_ms", statistics.median(cpu), "ms")
            median, p95 = summary(timed_requests(client, case_url, n=REQUESTS))
            with CaptureQueriesContext(connection) as queries:
                response = client.get(case_url)
        except Exception as exc:  # the view is being written: report, do not hide the other figures
            print(f"{name}_median_ms: n/a (view error: {type(exc).__name__}: {exc})", flush=True)
            ok = False
            continue
        report(f"{name}_median_ms", median, "ms")
        report(f"{name}_p95_ms", p95, "ms")
        report(f"{name}_queries", len(queries.captured_queries), "queries")
        report(f"{name}_html_kb", len(response.content) / 1024, "KB")
    return ok


def main() -> int:
    bench_engine()  # first, while the lunar cache is cold
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    print(f"# calendar benchmark on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}", flush=True)
    with bench_database():
        bench_command()
        user = get_user_model().objects.create_user("bench", role="editor", password="bench-password-1")
        started = time.perf_counter()
        slugs = seed(user)
        report("calendar_month_seed_s", time.perf_counter() - started, "s")
        ok = bench_month_view(user, slugs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
