"""Results pages on the §7 data set (issue 11 §7): the server time of the brand portal's overview and of the agency
dashboard, median and p95 over 50 requests each, and their query counts.

The data set is ``tests.bench.results_data.build``: two years of daily facts for 103 brands × 8 channels × 50
content items a brand (about 2.7 million facts) on PostgreSQL, with a brand user of the largest brand and a few
events with scans of its codes. Each page is asked through Django's test client in this process (the whole
request: middleware, session, queries, templates), after every page was read a few times; the query count is that
of one request. Goal: p95 under 200 ms. ``BENCH_QUICK=1``: 10 brands over 120 days.

Run as ``python -m tests.bench.results_pages`` (``make bench`` runs it); needs PostgreSQL (DATABASE_URL), says n/a
otherwise.
"""

import datetime
import os
import sys
import time
import zoneinfo

from tests.bench.common import bench_database, report, setup_django, summary, timed_requests

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
REQUESTS = 50
GOAL_MS = 200
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def _portal_user(data):
    """A brand user of the brand with the most facts (the heaviest portal), and scans of its codes at a few events
    around its campaigns (ScanHour rows, as the scan flush writes them)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Sum

    from brands.models import Brand, BrandMembership
    from campaigns.results.models import BrandDay
    from campaigns.tracking.models import ScanHour
    from campaigns.tracking.services import event_save, link_save

    top = BrandDay.objects.values("brand_id").annotate(n=Sum("facts")).order_by("-n").first()["brand_id"]
    brand = Brand.objects.get(pk=top)
    user = get_user_model().objects.create_user("bench-brand", password="bench-password-1")
    BrandMembership.objects.create(user=user, brand=brand, role="viewer")
    manager = get_user_model().objects.get(pk=data.manager_id)
    hours = []
    for n, campaign in enumerate(brand.campaign_links.select_related("campaign")[:12]):
        day = max(campaign.campaign.starts_on, data.start)
        event = event_save(user=manager, title=f"Pop-up {n}", campaign=campaign.campaign, brands=[brand],
                           kind="popup", city="上海", starts_on=day,
                           ends_on=day + datetime.timedelta(days=2))  # fmt: skip
        for k in range(3):
            link = link_save(user=manager, event=event, label=f"Gate {k}", destination="https://example.com/",
                             brands=[brand])  # fmt: skip
            for h in range(72):
                moment = datetime.datetime.combine(day, datetime.time(), tzinfo=CHINA) + datetime.timedelta(hours=h)
                hours.append(ScanHour(link=link, hour=moment, source="qr", outcome="redirect", app="wechat",
                                      device="phone", scans=10 + h % 7, uniques=6 + h % 5))  # fmt: skip
    ScanHour.objects.bulk_create(hours, batch_size=5000)
    return user, brand


def _measure(client, name: str, url: str) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    durations = timed_requests(client, url, n=REQUESTS)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    median, p95 = summary(durations)
    report(f"{name}_median_ms", median, "ms")
    report(f"{name}_p95_ms", p95, "ms")
    report(f"{name}_queries", len(queries.captured_queries), "queries")
    return p95


def main() -> int:
    setup_django()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1] != "postgresql":
        print("results_pages_bench: n/a (needs PostgreSQL: DATABASE_URL)")
        return 0
    settings.DATABASES["default"]["TEST"]["NAME"] = "test_bench_results_pages"
    from django.test import Client
    from django.urls import reverse

    from tests.bench.results_data import build

    scale, days = (0.1, 120) if QUICK else (1.0, 730)
    print(f"# Results pages on {scale:g} × 103 brands, {days} days of facts", flush=True)
    with bench_database():
        began = time.perf_counter()
        data = build(scale, days=days)
        user, brand = _portal_user(data)
        report("results_pages_data_build_s", time.perf_counter() - began, "s")
        report("results_pages_facts", data.counts["facts"], "facts")
        from django.contrib.auth import get_user_model

        portal, dashboard = Client(), Client()
        portal.force_login(user)
        dashboard.force_login(get_user_model().objects.get(pk=data.manager_id))
        over = []
        pages = [
            (portal, "results_portal_overview", reverse("results:portal_brand", kwargs={"slug": brand.slug})),
            (portal, "results_portal_overview_12m", reverse("results:portal_brand", kwargs={"slug": brand.slug})
             + "?period=12m"),
            (dashboard, "results_dashboard", reverse("results:dashboard")),
            (dashboard, "results_dashboard_12m", reverse("results:dashboard") + "?period=12m"),
        ]  # fmt: skip
        # The data set was just written: vacuumed and analysed by build(), then read once through every page so the
        # measures below are of a database in use, not of the first reads after a bulk load.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE tracking_scanhour")
            cursor.execute("CHECKPOINT")
        for client, _name, url in pages:
            for _ in range(5):
                assert client.get(url).status_code == 200
        for client, name, url in pages:
            if _measure(client, name, url) >= GOAL_MS:
                over.append(name)
        report("results_pages_over_goal", len(over), f"pages (p95 >= {GOAL_MS} ms: {', '.join(over) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
