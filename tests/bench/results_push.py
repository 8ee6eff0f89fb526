"""Partner push benchmark (issue 11 §7): 100 batches of 10,000 facts to ``POST /api/v1/metrics/`` over HTTP.

gunicorn (production settings, as ``tests/bench/api.py`` runs it) serves a database of its own
(``test_bench_results_push``) holding the §7 registry (``results_data.build_registry``: 103 brands, their festival
campaigns, 50 published items each, banners with three creatives). A partner sends two years of daily figures day
by day — every brand × channel at account level, then every item (every creative of a banner) — in batches of
10,000 facts, one request at a time as a partner's sync does, each fact with the partner's own row id. Then it sends
the same batches again: every fact unchanged, no sum moved. Figures: facts per second (request time only: making
the JSON is the partner's side), each batch's p50 / p95 / max, the CPU time the server side used (gunicorn's workers
and their PostgreSQL backends, from /proc: on a shared machine the wall time also counts the wait for a core) and
facts per CPU second, and where a batch's time goes on the server (the same steps called in this process: parse,
check, write). Exit status 1 if a count is off.

``BENCH_QUICK=1`` (or ``--quick``): 10 batches over 10 brands. Needs PostgreSQL (DATABASE_URL); says n/a otherwise.
"""

import datetime
import http.client
import itertools
import os
import random
import sys
import time
import zoneinfo
from pathlib import Path

import orjson

from tests.bench.common import (
    bench_database,
    database_url,
    percentile,
    production_env,
    report,
    setup_django,
    start_gunicorn,
    stop,
)

QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK", "") not in ("", "0")
PORT = int(os.environ.get("RESULTS_PUSH_BENCH_PORT", "8797"))
BATCHES = int(os.environ.get("RESULTS_PUSH_BATCHES", "10" if QUICK else "100"))
BATCH_SIZE = 10_000
SCALE = 0.1 if QUICK else 1.0
CHANNELS = ("tmall_article", "banner", "short_video", "livestream", "kol_post", "taobao_popup", "red_post",
            "wechat_article")  # fmt: skip
KEY = "hita_pushbnch_" + "q" * 43
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def partner_facts(registry, seed: int = 3):
    """The partner's two years, day by day: accounts, then items and creatives published by that day."""
    rng = random.Random(seed)
    slugs = {brand.pk: brand.slug for brand in registry.brands}
    published = sorted(
        (
            (item.scheduled_at.astimezone(CHINA).date(), item, brand_id)
            for item, brand_id in zip(registry.items, registry.links, strict=True)
        ),
        key=lambda row: (row[0], row[1].pk),
    )
    live, next_item = [], 0
    day = registry.start
    while day <= registry.end:
        iso = day.isoformat()
        while next_item < len(published) and published[next_item][0] <= day:
            live.append(published[next_item][1:])
            next_item += 1
        for brand in registry.brands:
            for channel in CHANNELS:
                impressions = rng.randrange(500, 80_000)
                yield {
                    "date": iso, "channel": channel, "brand": brand.slug,
                    "source_key": f"acc-{iso}-{brand.pk}-{channel}",
                    "followers_total": rng.randrange(5_000, 400_000), "followers_gained": rng.randrange(-20, 300),
                    "impressions": impressions, "interactions": impressions // 25, "clicks": impressions // 60,
                }  # fmt: skip
        for item, brand_id in live:
            for creative_id, _factor in registry.creatives.get(item.pk) or [(None, 1.0)]:
                impressions = rng.randrange(50, 30_000)
                fact = {
                    "date": iso, "channel": item.channel, "brand": slugs[brand_id], "content_item": item.pk,
                    "source_key": f"item-{iso}-{item.pk}-{creative_id or 0}", "impressions": impressions,
                    "clicks": impressions // rng.randrange(20, 90), "interactions": impressions // 30,
                }  # fmt: skip
                if creative_id is not None:
                    fact["creative"] = creative_id
                if item.channel in ("livestream", "short_video"):
                    fact["viewers"] = impressions // 3
                if item.channel in ("livestream", "taobao_popup", "banner", "tmall_article"):
                    fact["items_sold"] = impressions // 400
                    fact["gmv_cny"] = f"{impressions // 400 * 268:.2f}"
                yield fact
        day += datetime.timedelta(days=1)


def batches(registry, count: int):
    """The bodies of ``count`` batches, made as they are sent; the same bytes every time (the re-send)."""
    facts = partner_facts(registry)
    for _ in range(count):
        batch = list(itertools.islice(facts, BATCH_SIZE))
        if len(batch) < BATCH_SIZE:
            raise RuntimeError(f"the registry yields fewer than {count} batches of {BATCH_SIZE:,} facts")
        yield orjson.dumps({"facts": batch})


def post(body: bytes) -> tuple[int, dict, float]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    started = time.perf_counter()
    connection.request(
        "POST",
        "/api/v1/metrics/",
        body=body,
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json", "Host": "127.0.0.1"},
    )
    response = connection.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, orjson.loads(answer), elapsed


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_by_pid(pids) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far (Linux /proc; processes gone are left out)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return used


def server_processes(server, database: str) -> list[int]:
    """gunicorn's workers and the PostgreSQL backends serving the bench database (not this process's own). The
    server keeps its connections for the whole run (``DATABASE_CONN_MAX_AGE``), so no backend's time is lost."""
    from django.db import connection

    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                workers.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database])
        backends = [row[0] for row in cursor.fetchall()]
    return workers + backends


def send_all(bodies, label: str, server, database: str) -> dict:
    """Send the batches one at a time; the wall time of each request, and the CPU time the server side spent
    (gunicorn's workers and their PostgreSQL backends): on a shared machine the wall time also counts the wait
    for a core, the CPU time does not."""
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    durations, sizes = [], []
    before = cpu_by_pid(server_processes(server, database))
    for body in bodies:
        status, answer, elapsed = post(body)
        if status != 200:
            raise RuntimeError(f"{label}: HTTP {status}: {str(answer)[:500]}")
        for name in totals:
            totals[name] += answer[name]
        durations.append(elapsed)
        sizes.append(len(body))
    seconds = sum(durations)
    facts = len(durations) * BATCH_SIZE
    report(f"results_push_{label}_batch_bytes", round(sum(sizes) / len(sizes)), "bytes")
    report(f"results_push_{label}_facts_per_s", facts / seconds, "facts/s")
    report(f"results_push_{label}_s", seconds, "s")
    report(f"results_push_{label}_batch_p50_ms", percentile(durations, 50) * 1000, "ms")
    report(f"results_push_{label}_batch_p95_ms", percentile(durations, 95) * 1000, "ms")
    report(f"results_push_{label}_batch_max_ms", max(durations) * 1000, "ms")
    after = cpu_by_pid(server_processes(server, database))
    cpu = sum(used - before.get(pid, 0.0) for pid, used in after.items())
    if cpu > 0:
        report(f"results_push_{label}_server_cpu_s", cpu, "s")
        report(f"results_push_{label}_facts_per_cpu_s", facts / cpu, "facts/s")
    for name, value in totals.items():
        report(f"results_push_{label}_{name}", value, "facts")
    return totals


def server_steps(body: bytes) -> None:
    """One batch's server-side steps timed in this process (no HTTP): parse, check, write (a new partner's source,
    so every fact is new)."""
    from django.db import transaction

    from campaigns.results.api import check_facts
    from campaigns.results.models import MetricSource
    from campaigns.results.services import facts_upsert, source_for

    started = time.perf_counter()
    facts = orjson.loads(body)["facts"]
    parsed = time.perf_counter()
    rows, issues = check_facts(facts, brand_ids=None)
    checked = time.perf_counter()
    assert not issues, issues[:3]
    with transaction.atomic():
        result = facts_upsert(source=source_for(MetricSource.Kind.API, "In-process"), rows=rows)
    written = time.perf_counter()
    assert result.created == len(rows) == BATCH_SIZE, result
    report("results_push_step_parse_ms", (parsed - started) * 1000, "ms")
    report("results_push_step_check_ms", (checked - parsed) * 1000, "ms")
    report("results_push_step_write_ms", (written - checked) * 1000, "ms")


def main() -> int:
    setup_django()
    from django.conf import settings
    from django.db.models import Sum

    from brandhub.models import ApiKey
    from campaigns.results.models import BrandDay, MetricFact

    if settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1] != "postgresql":
        print("results_push_bench: n/a (needs PostgreSQL: DATABASE_URL)")
        return 0
    from tests.bench.results_data import build_registry

    settings.DATABASES["default"]["TEST"]["NAME"] = "test_bench_results_push"
    print(
        f"# Partner push benchmark on PostgreSQL, gunicorn ({os.environ.get('BENCH_WORKERS', '2')} workers): "
        f"{BATCHES} batches of {BATCH_SIZE:,} facts, one request at a time, then the same again",
        flush=True,
    )
    failed = False
    with bench_database() as name:
        registry = build_registry(SCALE)
        ApiKey.objects.create(
            name="Tmall partner", prefix="pushbnch", key_hash=ApiKey.hash(KEY), scopes=["metrics:write"]
        )
        server = start_gunicorn(
            production_env(database_url(name), API_RATE_LIMIT="1000000", DATABASE_CONN_MAX_AGE="86400"), PORT
        )
        try:
            first = send_all(batches(registry, BATCHES), "first", server, name)
            again = send_all(batches(registry, BATCHES), "resend", server, name)
        finally:
            stop(server)
        expected = BATCHES * BATCH_SIZE
        stored = MetricFact.objects.count()
        summed = BrandDay.objects.aggregate(n=Sum("facts"))["n"]
        report("results_push_facts_stored", stored, "facts")
        if first != {"created": expected, "updated": 0, "unchanged": 0} or again["unchanged"] != expected:
            print(f"!!! counts: first {first}, again {again}", flush=True)
            failed = True
        if stored != expected or summed != expected:
            print(f"!!! {stored} facts stored and {summed} in the rollups; {expected} sent", flush=True)
            failed = True
        *_sent, spare = batches(registry, BATCHES + 1)
        server_steps(spare)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
