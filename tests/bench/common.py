"""Shared pieces of the benchmarks: Django set-up on a throw-away database, timing and reporting."""

import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
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


def database_url(name: str) -> str:
    """The address of the bench database ``name`` for other processes (gunicorn, a Celery worker)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{name}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def production_env(database: str, **extra: str) -> dict:
    """The environment of a server process on the bench database with the production settings (plain HTTP)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DJANGO_SECRET_KEY": "bench-" + "s" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    """gunicorn (``BENCH_WORKERS`` sync workers, 2 by default) on 127.0.0.1:``port``, once /healthz answers."""
    workers = os.environ.get("BENCH_WORKERS", "2")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "brandhub.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", workers, "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except Exception:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
