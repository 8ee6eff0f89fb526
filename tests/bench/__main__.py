"""``make bench``: run every benchmark module in its own process and print ``name: value unit`` lines.

Each module is run as ``python -m tests.bench.<module>``: a fresh process, so peak-memory figures
belong to that benchmark alone. The database is the one the environment selects (SQLite by default,
PostgreSQL with DATABASE_URL); each benchmark creates and drops its own test database. The QR redirect
benchmark (``tracking``) and the Double 11 midnight (``double11``: 10,000 items due at one moment, 2 Celery workers,
about 10 minutes on a busy 2-core machine) run only on PostgreSQL + Redis (DATABASE_URL and REDIS_URL) and say n/a
otherwise. ``BENCH_QUICK=1`` shortens both (``double11``: 2,000 items); ``DOUBLE11_SKIP=1`` leaves ``double11`` out.
The results benchmarks need PostgreSQL: ``results_data`` builds the §7 data set (two years of facts of 103 brands,
about 3 million; ``results_data.build`` is what page benchmarks call), ``results_push`` sends 100 batches of 10,000
facts to the partner push under gunicorn, then the same again; ``BENCH_QUICK=1``: 10 brands. ``results_import``
checks and imports a platform-style CSV of 100,000 and of 1,000,000 rows, each in a process of its own (peak memory);
``BENCH_QUICK=1``: 100,000 only. ``results_pages`` times the brand portal's overview and the agency dashboard
on that data set (median and p95 of 50 requests, query counts); ``BENCH_QUICK=1``: 10 brands over 120 days.
"""

import subprocess
import sys
import time

MODULES = [
    "registry",
    "calendar",
    "api",
    "tracking",
    "double11",
    "results_data",
    "results_push",
    "results_import",
    "results_pages",
]


def main() -> int:
    failed = 0
    for module in MODULES:
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", f"tests.bench.{module}"], check=False)
        print(f"bench_{module}_wall_s: {time.monotonic() - started:.1f} s", flush=True)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
