"""Registry benchmarks: importing a 10,000-row CSV, and the brand list page over 10,000 brands."""

import csv
import io
import resource
import time

from tests.bench.common import bench_database, report, setup_django, summary, timed_requests

N_BRANDS = 10_000
CATEGORIES = ("food_beverage", "fashion", "lifestyle")
REGIONS = ("toscana", "piemonte", "sicilia", "veneto", "lombardia", "puglia", "campania", "emilia_romagna")
ZH = "意大利阳光酒庄橄榄油坊针织皮具陶瓷咖啡巧克力面食奶酪"


def make_csv(n: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["slug", "name_it", "name_en", "name_zh_hans", "category", "region", "city", "founded_year", "status",
         "sales_channel", "description_it", "description_en", "description_zh_hans", "certifications", "stores"]
    )  # fmt: skip
    for i in range(n):
        zh = "".join(ZH[(i * 7 + k * 3) % len(ZH)] for k in range(4)) + str(i)
        writer.writerow(
            [
                f"brand-{i:05d}",
                f"Azienda Bench {i:05d}",
                f"Bench Company {i:05d}",
                zh,
                CATEGORIES[i % 3],
                REGIONS[i % len(REGIONS)],
                "Firenze",
                1900 + i % 120,
                "active" if i % 5 else "onboarding",
                "both",
                "Un'azienda italiana di famiglia." * (1 + i % 3),
                "An Italian family company." if i % 4 else "",
                "一家意大利家族企业。",
                "dop:Prodotto DOP; organic" if i % 2 else "",
                "tmall_global|flagship|https://b.tmall.hk; jd" if i % 3 else "hema|pavilion",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def bench_import(user) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from brands.transfer import import_apply, import_parse

    content = make_csv(N_BRANDS)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    batch = import_parse(SimpleUploadedFile("bench.csv", content), user=user)
    parsed = time.perf_counter()
    assert batch.is_valid, batch.errors[:3]
    counts = import_apply(batch, user=user)
    applied = time.perf_counter()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert counts["created"] == N_BRANDS, counts
    report("import_10k_csv_bytes", len(content), "B")
    report("import_10k_parse_s", parsed - started, "s")
    report("import_10k_apply_s", applied - parsed, "s")
    report("import_10k_total_s", applied - started, "s")
    report("import_10k_rows_per_s", float(N_BRANDS / (applied - started)), "rows/s")
    report("import_10k_peak_rss_growth_mb", (rss_after - rss_before) / 1024, "MB")
    report("import_10k_peak_rss_mb", rss_after / 1024, "MB")


def bench_list(user) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    cases = {
        "brand_list": "/brands/",
        "brand_list_search_pinyin": "/brands/?q=yidali",
        "brand_list_filtered": "/brands/?category=fashion&platform=jd&completeness_below=90&sort=-updated",
        "brand_list_last_page": f"/brands/?page={N_BRANDS // 25}",
    }
    for name, url in cases.items():
        median, p95 = summary(timed_requests(client, url, n=50))
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        report(f"{name}_median_ms", median, "ms")
        report(f"{name}_p95_ms", p95, "ms")
        report(f"{name}_queries", len(queries.captured_queries), "queries")
    brand_url = "/brands/brand-05000/"
    median, p95 = summary(timed_requests(client, brand_url, n=50))
    report("brand_detail_median_ms", median, "ms")
    report("brand_detail_p95_ms", p95, "ms")


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    print(f"# registry benchmark on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}", flush=True)
    with bench_database():
        user = get_user_model().objects.create_user("bench", role="editor", password="bench-password-1")
        bench_import(user)
        bench_list(user)


if __name__ == "__main__":
    main()
