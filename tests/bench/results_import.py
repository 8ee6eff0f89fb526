"""Results import benchmark: a platform-style CSV of 100,000 and of 1,000,000 rows, checked and written.

The file is what 生意参谋-style exports look like: a title line and a period line above a Chinese header row
(日期, 品牌, 渠道, 数据ID, 展现量, 点击率, 互动量, 观看人数, 新增粉丝, 成交金额(元)), 103 brands named in Chinese,
8 channels, two years of days, thousands separators, some figures in 万, click-through rates as percentages (clicks
are worked out from them). Each size runs in a process of its own (``--rows N``), so its peak memory (RSS) is its
own: the goal is under 120 s for a million rows, with memory that does not grow with the file. The run goes through
the same code as the Celery task (``imports.metric_import_run``), in this process; then the same file is imported
again (every row unchanged). Needs PostgreSQL (DATABASE_URL); says n/a otherwise.
"""

import csv
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.common import bench_database, report, setup_django

SIZES = (100_000, 1_000_000)
N_BRANDS = 103
CHANNELS = ("天猫品牌号文章", "横幅", "短视频", "直播", "KOL 帖子", "淘宝弹窗", "小红书笔记", "微信公众号文章")
START = datetime.date(2024, 1, 1)
DAYS = 730
HEADER = ["日期", "品牌", "渠道", "数据ID", "展现量", "点击率", "互动量", "观看人数", "新增粉丝", "成交金额(元)"]


def brand_names() -> list[str]:
    return [f"意大利品牌{n:03d}" for n in range(N_BRANDS)]


def write_csv(path: Path, rows: int) -> None:
    """``rows`` rows sorted by day, every (day, brand, channel) present once or more; each row keyed by its id."""
    rng = random.Random(11)
    names = brand_names()
    combos = DAYS * N_BRANDS * len(CHANNELS)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write("生意参谋 · 内容数据导出\n统计时间：2024-01-01 ~ 2025-12-30\n")
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for r in range(rows):
            combo = r * combos // rows
            day, rest = divmod(combo, N_BRANDS * len(CHANNELS))
            brand, channel = divmod(rest, len(CHANNELS))
            impressions = rng.randrange(200, 400_000)
            shown = f"{impressions / 10_000:.2f}万" if impressions >= 100_000 and r % 3 == 0 else f"{impressions:,}"
            writer.writerow(
                [
                    (START + datetime.timedelta(days=day)).isoformat(),
                    names[brand],
                    CHANNELS[channel],
                    f"D{r:09d}",
                    shown,
                    f"{rng.randrange(5, 900) / 100:.2f}%",
                    f"{rng.randrange(0, 20_000):,}",
                    rng.randrange(0, 50_000),
                    rng.randrange(-20, 400),
                    f"{rng.randrange(0, 5_000_000) / 100:,.2f}",
                ]
            )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def backend_cpu_s() -> float | None:
    """CPU time of this process's PostgreSQL session (the server on this machine): with ``cpu_s`` it says what the
    import cost in work, apart from the wait for a core on a shared machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # the server runs elsewhere
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_size(rows: int) -> None:
    setup_django()
    from django.core.files import File

    from campaigns.results import imports
    from campaigns.results.models import MetricFact, MetricImport
    from tests.factories import BrandFactory, EditorFactory

    imports._queue = lambda run_id: None  # the run is driven below, in this process: no worker, no broker
    with tempfile.TemporaryDirectory() as folder, bench_database():
        from django.conf import settings

        settings.MEDIA_ROOT = Path(folder) / "media"
        user = EditorFactory(username="bench")
        for n, name in enumerate(brand_names()):
            BrandFactory(slug=f"marchio-{n:03d}", name_it=f"Marchio {n:03d}", name_zh_hans=name)
        path = Path(folder) / "export.csv"
        write_csv(path, rows)
        label = f"results_import_{rows // 1000}k"
        report(f"{label}_file_mb", path.stat().st_size / 1e6, "MB")
        baseline = peak_rss_mb()
        stamps = {}
        write = imports._write

        def timed_write(run, **kwargs):
            stamps["write"], stamps["write_cpu"], stamps["write_db_cpu"] = time.perf_counter(), cpu_s(), backend_cpu_s()
            return write(run, **kwargs)

        imports._write = timed_write
        for attempt in ("first", "again"):
            started, cpu, db_cpu = time.perf_counter(), cpu_s(), backend_cpu_s()
            with path.open("rb") as handle:
                run = imports.metric_import_create(
                    user=user, upload=File(handle, name="export.csv"), source_name="生意参谋 bench", defaults={}
                )
            assert run.status == MetricImport.Status.QUEUED, (run.status, run.columns)
            uploaded = time.perf_counter()
            status = imports.metric_import_run(run_id=run.pk)
            finished = time.perf_counter()
            run.refresh_from_db()
            assert status == MetricImport.Status.DONE, (status, run.failure, list(run.issues.all()[:3]))
            if attempt == "first":
                assert run.created == rows, (run.created, run.updated, run.unchanged)
                report(f"{label}_store_s", uploaded - started, "s")
                report(f"{label}_check_s", stamps["write"] - uploaded, "s")
                report(f"{label}_write_s", finished - stamps["write"], "s")
                report(f"{label}_check_and_write_s", finished - uploaded, "s")
                # The machine is shared: the process's own CPU time says how much of the wall time was its work.
                report(f"{label}_check_process_cpu_s", stamps["write_cpu"] - cpu, "s")
                report(f"{label}_write_process_cpu_s", cpu_s() - stamps["write_cpu"], "s")
                if db_cpu is not None:
                    report(f"{label}_check_database_cpu_s", stamps["write_db_cpu"] - db_cpu, "s")
                    report(f"{label}_write_database_cpu_s", backend_cpu_s() - stamps["write_db_cpu"], "s")
                report(f"{label}_rows_per_s", float(rows / (finished - uploaded)), "rows/s")
            else:
                assert (run.created, run.updated, run.unchanged) == (0, 0, rows)
                report(f"{label}_reimport_unchanged_s", finished - uploaded, "s")
        report(f"{label}_facts", MetricFact.objects.count(), "facts")
        report(f"{label}_peak_rss_mb", peak_rss_mb(), "MB")
        report(f"{label}_peak_rss_growth_mb", peak_rss_mb() - baseline, "MB")


def main() -> int:
    if "--rows" in sys.argv:
        run_size(int(sys.argv[sys.argv.index("--rows") + 1]))
        return 0
    setup_django()
    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        report("results_import", "n/a", "(needs PostgreSQL: DATABASE_URL)")
        return 0
    sizes = SIZES[:1] if os.environ.get("BENCH_QUICK") else SIZES
    failed = 0
    for rows in sizes:
        result = subprocess.run([sys.executable, "-m", "tests.bench.results_import", "--rows", str(rows)], check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
