"""Shared pieces of the benchmarks: Django set-up on a throw-away database, timing and reporting."""

import os
import statistics
import time
from contextlib import contextmanager


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brandhub.settings.test")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False


@contextmanager
def bench_database():
    """A fresh, migrated test database (``test_`` prefix, as the test runner makes), dropped afterwards."""
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def report(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.1f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}", flush=True)


def percentile(values, pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed_requests(client, url: str, n: int = 50, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        assert client.get(url).status_code == 200
    durations = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return durations


def summary(durations) -> tuple[float, float]:
    return statistics.median(durations), percentile(durations, 95)
