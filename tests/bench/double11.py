"""The Double 11 midnight (issue 9 §6): 10,000 approved items due at one moment, 2 worker processes, exactly once.

On PostgreSQL + Redis only (``DATABASE_URL=postgres://…`` and ``REDIS_URL``), with a database of its own
(``test_bench_double11``) and a ``redis-server`` of its own on a free port (broker and cache): on a machine shared
with other people's workers, a Redis database number of its own is not enough, since any worker pointed at that
number takes the bench's tasks (and runs them against its own database). Without them it prints ``n/a``.

1. **Midnight.** Two ``celery -A brandhub worker --pool prefork --concurrency 1`` processes (each with its pool
   child) and a real ``celery beat`` ticking the dispatcher every ``DOUBLE11_TICK_SECONDS`` (1 s here, against
   the production default of 15 s: with 15 s the first claim comes up to 15 s after the hour). ``N_ITEMS``
   scheduled items on feed channels (their publisher records them: banner, short video, WeChat article; a manual
   channel's item stops at *due for go-live* and waits for a person) in 10 planned campaigns, all due at one
   moment T a few seconds after they are written: T stands for 00:00 China time. The items are written in bulk
   as the workflow leaves them (scheduled, approved by a manager), not walked through the review one by one.
   Until every item is published: the seconds from T to the last publication (``Publication.finished_at``), the
   lag from ``scheduled_at`` (p50, p99), duplicates (an item with more than one ``publish`` transition, or more
   than one ``content.published`` outbox event, or claimed twice) and missing items (not published).
2. **The same with a worker killed**: ``DOUBLE11_KILL_AFTER_SECONDS`` (10 s) after T one worker's whole process
   group (main process and pool child) gets SIGKILL and is started again. Its task in flight was never
   acknowledged; Redis gives such a message back only after its visibility timeout (1 h), so the item is found
   by the dispatcher's stuck-item pass, ``PUBLISH_STUCK_SECONDS`` after it was queued (``DOUBLE11_STUCK_SECONDS``,
   60 s here, 120 s in production): that pass, not the 60 s target, bounds this run's last publication.
3. **An idle tick** (nothing due): one ``publications_dispatch()`` in this process, median of 20, with no item in
   the future and with ``N_FUTURE`` (100,000) scheduled in the next 30 days, each after a ``VACUUM ANALYZE`` (what
   autovacuum does after the burst of parts 1 and 2), and the claim query's plan (EXPLAIN ANALYZE):
   the node types, which must read an index of the scheduled items (``contentitem_scheduled_due``, partial), not
   walk the ``scheduled_at`` index through the items already published (which the planner chose before it).

``--quick`` (or ``BENCH_QUICK=1``): 2,000 items and 20,000 in the future; ``DOUBLE11_SKIP=1`` skips it.
Run as ``python -m tests.bench.double11``; exit status 1 when an item is published twice or not at all.
"""

import datetime
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.bench.common import bench_database, database_url, percentile, production_env, report, setup_django

QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK", "") not in ("", "0")
N_ITEMS = int(os.environ.get("DOUBLE11_ITEMS", "2000" if QUICK else "10000"))
N_FUTURE = int(os.environ.get("DOUBLE11_FUTURE_ITEMS", "20000" if QUICK else "100000"))
TICK_SECONDS = int(os.environ.get("DOUBLE11_TICK_SECONDS", "1"))
STUCK_SECONDS = int(os.environ.get("DOUBLE11_STUCK_SECONDS", "60"))
KILL_AFTER = float(os.environ.get("DOUBLE11_KILL_AFTER_SECONDS", "10"))
LEAD_SECONDS = 3.0  # T is this far after the items are moved to it
TIMEOUT = float(os.environ.get("DOUBLE11_TIMEOUT_SECONDS", "900"))
TARGET_SECONDS = 60
FEED_CHANNELS = ("banner", "short_video", "wechat_article")
N_CAMPAIGNS = 10
N_BRANDS = 20
ROOT = Path(__file__).resolve().parents[2]


def start_redis(folder: str) -> tuple[subprocess.Popen, str]:
    """A ``redis-server`` of the bench's own on a free port (no persistence), once it answers; and its URL."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([*command, "--dir", folder], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("redis-server did not start")


# --- data -----------------------------------------------------------------------------------------------------


def seed_people_and_brands():
    from django.contrib.auth import get_user_model

    from brands.models import Brand

    users = get_user_model().objects
    editor = users.create_user("d11-editor", role="editor", password="bench-password-1")
    manager = users.create_user("d11-manager", role="manager", password="bench-password-1")
    brands = Brand.objects.bulk_create(
        Brand(
            slug=f"d11-{i:02d}",
            name=f"Marchio {i:02d}",
            name_it=f"Marchio {i:02d}",
            name_en=f"Brand {i:02d}",
            name_zh_hans=f"意大利品牌{i}",
            category="food_beverage",
        )
        for i in range(N_BRANDS)
    )
    return editor, manager, brands


def seed_items(*, label: str, n: int, at, editor, manager, brands, spread: datetime.timedelta | None = None):
    """``n`` scheduled items (as the workflow leaves them) in ``N_CAMPAIGNS`` new planned campaigns, due at ``at``
    (or spread over ``spread`` after it); the campaigns' ids."""
    from django.utils import timezone

    from campaigns.choices import CampaignStatus, ContentStatus
    from campaigns.models import Campaign, CampaignBrand, ContentItem

    today = timezone.localdate()
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            title=f"Double 11 {label} {c}", starts_on=today, ends_on=today + datetime.timedelta(days=40),
            status=CampaignStatus.PLANNED, channels=list(FEED_CHANNELS), owner=manager,
        )
        for c in range(N_CAMPAIGNS)
    )  # fmt: skip
    CampaignBrand.objects.bulk_create(
        CampaignBrand(campaign=campaign, brand=brand) for campaign in campaigns for brand in brands
    )
    now = timezone.now()
    through = ContentItem.brands.through
    for start in range(0, n, 5000):
        items = ContentItem.objects.bulk_create(
            ContentItem(
                campaign=campaigns[i % N_CAMPAIGNS], channel=FEED_CHANNELS[i % len(FEED_CHANNELS)],
                title_zh_hans=f"双十一 {i}", title_en=f"Double 11 offer {i}", body_zh_hans="意大利好物，双十一限定。",
                scheduled_at=at + (spread * i / n if spread else datetime.timedelta(0)),
                status=ContentStatus.SCHEDULED, author=editor, approved_by=manager, approved_at=now, version=3,
            )
            for i in range(start, min(n, start + 5000))
        )  # fmt: skip
        through.objects.bulk_create(
            through(contentitem_id=item.pk, brand_id=brands[item.pk % len(brands)].pk) for item in items
        )
    return [c.pk for c in campaigns]


# --- processes ------------------------------------------------------------------------------------------------


def start_worker(env: dict, name: str, logdir: str) -> subprocess.Popen:
    """A worker node (main process + one pool child) in a session of its own: its process group is the pair."""
    log = open(os.path.join(logdir, f"{name}.log"), "ab")  # noqa: SIM115 (the child keeps it)
    command = [sys.executable, "-m", "celery", "-A", "brandhub", "worker", "--pool", "prefork", "--concurrency", "1",
               "--hostname", f"{name}@%h", "--loglevel", os.environ.get("DOUBLE11_WORKER_LOGLEVEL", "WARNING"),
               "--without-mingle", "--without-gossip", "--without-heartbeat"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def start_beat(env: dict, logdir: str) -> subprocess.Popen:
    log = open(os.path.join(logdir, "beat.log"), "ab")  # noqa: SIM115
    command = [sys.executable, "-m", "celery", "-A", "brandhub", "beat", "--loglevel", "WARNING",
               "--schedule", os.path.join(logdir, "beat-schedule")]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(names: list[str], timeout: float = 90) -> None:
    """Until each worker answers a control ping (its consumer is up)."""
    import socket

    from brandhub.celery import app

    wanted = {f"{name}@{socket.gethostname()}" for name in names}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(destination=sorted(wanted), timeout=1.0) or []
        if wanted <= {host for reply in replies for host in reply}:
            return
    raise RuntimeError(f"workers {sorted(wanted)} did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (reaped and alive), from /proc; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    own = sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
    children = Path(f"/proc/{pid}/task/{pid}/children")
    alive = [int(c) for c in children.read_text().split()] if children.exists() else []
    return own + sum(cpu_seconds(child) for child in alive)


def database_cpu_seconds() -> float:
    """CPU of the PostgreSQL sessions on the bench database other than this process's own (same host only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return sum(cpu_seconds(pid) for (pid,) in cursor.fetchall())


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group (warm shutdown), SIGKILL if it is still there after 20 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    except ProcessLookupError:
        pass


# --- the midnight runs ----------------------------------------------------------------------------------------


def midnight(env: dict, *, label: str, kill: bool, people, client) -> bool:
    from django.db import connection
    from django.utils import timezone

    from brandhub.celery import app
    from campaigns.models import ContentItem
    from campaigns.publishing.models import Publication

    prefix = "double11_kill" if kill else "double11"
    logdir = tempfile.mkdtemp(prefix=f"bench-{prefix}-")
    app.control.purge()
    names = ["d11a", "d11b"]
    workers = {name: start_worker(env, name, logdir) for name in names}
    beat = start_beat(env, logdir)
    killed_at = restarted_at = None
    killed_cpu = 0.0
    try:
        wait_ready(names)
        # The items are written due in a year, then all moved to T in one statement: T, a whole second
        # LEAD_SECONDS ahead, comes after they are all there, whatever the time writing them took.
        campaigns = seed_items(label=label, n=N_ITEMS, at=timezone.now() + datetime.timedelta(days=365), **people)
        midnight_at = (timezone.now() + datetime.timedelta(seconds=LEAD_SECONDS)).replace(microsecond=0)
        ContentItem.objects.filter(campaign__in=campaigns).update(scheduled_at=midnight_at)
        connection.close()  # nothing of this process holds a row
        ahead = (midnight_at - timezone.now()).total_seconds()
        if ahead < 0:
            print(f"# moving the items to T took too long: T passed {-ahead:.1f} s before the update committed")
        published = Publication.objects.filter(item__campaign__in=campaigns, state=Publication.State.PUBLISHED)
        last_count, last_change = -1, time.monotonic()
        backlog = []  # (seconds after T, messages waiting in the broker, items published)
        while True:
            time.sleep(0.5)
            since_t = (timezone.now() - midnight_at).total_seconds()
            if kill and killed_at is None and since_t >= KILL_AFTER:
                victim = workers[names[0]]
                killed_cpu = cpu_seconds(victim.pid)
                os.killpg(victim.pid, signal.SIGKILL)
                victim.wait(10)
                killed_at = since_t
                workers[names[0]] = start_worker(env, names[0], logdir)
                wait_ready([names[0]])
                restarted_at = (timezone.now() - midnight_at).total_seconds()
            count = published.count()
            backlog.append((since_t, client.llen("celery"), count))
            if count != last_count:
                last_count, last_change = count, time.monotonic()
            if count >= N_ITEMS:
                break
            if since_t > TIMEOUT or time.monotonic() - last_change > max(STUCK_SECONDS * 2, 120):
                print(f"!!! {prefix}: stopped waiting at T+{since_t:.0f} s with {count}/{N_ITEMS} published")
                break
        time.sleep(2)  # a copy of a task still running would show now
        cpu = {"workers": sum(cpu_seconds(p.pid) for p in workers.values()) + killed_cpu, "beat": cpu_seconds(beat.pid)}
        cpu["database"] = database_cpu_seconds()
    finally:
        stop(beat)
        for process in workers.values():
            stop(process)
    ok = figures(prefix, campaigns=campaigns, midnight_at=midnight_at)
    report(f"{prefix}_broker_backlog_max", max((n for _t, n, _c in backlog), default=0), "messages waiting")
    # The broker empty while items still wait to be published: their messages were lost (or never sent).
    drained = [t for t, n, c in backlog if n == 0 and c < N_ITEMS and t > 3]
    if drained:
        report(f"{prefix}_broker_empty_while_waiting", len(drained) / 2, f"s (first at T+{drained[0]:.0f} s)")
    # CPU spent, per item (the machine's load does not inflate these as it does the wall-clock figures).
    report(f"{prefix}_cpu_workers_ms", cpu["workers"] / N_ITEMS * 1000, "ms CPU an item (2 workers: main + pool)")
    report(f"{prefix}_cpu_database_ms", cpu["database"] / N_ITEMS * 1000, "ms CPU an item (PostgreSQL sessions)")
    if kill:
        report(f"{prefix}_killed_at", killed_at or 0.0, "s after T (SIGKILL to one worker's process group)")
        report(f"{prefix}_restarted_at", restarted_at or 0.0, "s after T (its replacement answering)")
    if ok and not os.environ.get("DOUBLE11_KEEP_LOGS"):
        for path in Path(logdir).iterdir():
            path.unlink()
        os.rmdir(logdir)
    else:
        print(f"# worker and beat logs: {logdir}")
    return ok


def figures(prefix: str, *, campaigns: list[int], midnight_at) -> bool:
    from django.db.models import Count, Max, Min

    from brandhub.models import OutboxEvent
    from campaigns.choices import ContentStatus
    from campaigns.models import ContentItem, ContentTransition
    from campaigns.publishing.models import Publication

    items = ContentItem.objects.filter(campaign__in=campaigns)
    ids = set(items.values_list("pk", flat=True))
    rows = list(
        Publication.objects.filter(item__campaign__in=campaigns, state=Publication.State.PUBLISHED).values_list(
            "item_id", "scheduled_for", "finished_at", "claimed_at", "attempts", "requeues"
        )
    )
    lags = [(finished - scheduled).total_seconds() for _pk, scheduled, finished, *_rest in rows]
    status_published = items.filter(status=ContentStatus.PUBLISHED).count()
    steps = ContentTransition.objects.filter(item__campaign__in=campaigns)
    twice = {
        action: steps.filter(action=action).values("item_id").annotate(n=Count("pk")).filter(n__gt=1).count()
        for action in ("dispatch", "publish")
    }
    events = Counter(
        event["content"]["id"]
        for event in OutboxEvent.objects.filter(type=OutboxEvent.Type.CONTENT_PUBLISHED).values_list("data", flat=True)
        if event["content"]["id"] in ids
    )
    duplicates = twice["publish"] + twice["dispatch"] + sum(1 for n in events.values() if n > 1)
    missing = len(ids) - min(len(rows), status_published, len(events))
    claims = steps.filter(action="dispatch").aggregate(first=Min("created_at"), last=Max("created_at"))
    last = max((finished for _pk, _s, finished, *_rest in rows), default=midnight_at)
    all_published_s = (last - midnight_at).total_seconds()
    report(f"{prefix}_items", len(ids), "items due at T")
    report(f"{prefix}_all_published_s", all_published_s, "s from T to the last publication")
    if lags:
        report(f"{prefix}_lag_p50_s", percentile(lags, 50), "s (finished_at - scheduled_at)")
        report(f"{prefix}_lag_p99_s", percentile(lags, 99), "s")
    report(f"{prefix}_duplicates", duplicates, "items published (or claimed) more than once")
    report(f"{prefix}_missing", missing, "items not published")
    if claims["first"]:
        report(f"{prefix}_first_claim_s", (claims["first"] - midnight_at).total_seconds(), "s after T")
        report(f"{prefix}_claims_done_s", (claims["last"] - midnight_at).total_seconds(), "s after T (last claim)")
    if len(lags) > 1 and all_published_s > 0:
        first = min(finished for _pk, _s, finished, *_rest in rows)
        spread = (last - first).total_seconds()
        report(f"{prefix}_publish_rate", len(rows) / spread if spread else 0.0, "items/s (first to last publication)")
    attempts = Counter(row[4] for row in rows)
    requeues = sum(row[5] for row in rows)
    if set(attempts) - {1} or requeues:
        print(f"{prefix}_attempts: {dict(sorted(attempts.items()))} (publisher calls per item: item count)")
        report(f"{prefix}_requeued", requeues, "items re-queued by the stuck-item pass")
    if twice["publish"] or twice["dispatch"] or any(n > 1 for n in events.values()):
        print(f"!!! {prefix}: publish twice {twice['publish']}, claimed twice {twice['dispatch']}, events {events}")
    if not prefix.startswith("double11_kill"):
        goal = all_published_s <= TARGET_SECONDS and duplicates == 0 and missing == 0
        print(f"double11_goal: {'met' if goal else 'NOT met'} (all within {TARGET_SECONDS} s, 0 duplicates, 0 missing)")
    else:
        goal = duplicates == 0 and missing == 0
        print(f"double11_kill_goal: {'met' if goal else 'NOT met'} (0 duplicates, 0 missing)")
    return duplicates == 0 and missing == 0


# --- the idle tick --------------------------------------------------------------------------------------------


def plan_nodes(plan: dict) -> list[str]:
    """The plan's nodes from the top, each as "Node Type [using index]"."""
    node = plan["Node Type"] + (f" using {plan['Index Name']}" if "Index Name" in plan else "")
    return [node] + [n for child in plan.get("Plans", []) for n in plan_nodes(child)]


def idle_tick(*, people) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from campaigns.choices import ContentStatus
    from campaigns.models import ContentItem
    from campaigns.publishing import services

    def median_tick_ms(n: int = 20) -> float:
        services.publications_dispatch()  # warm: connection, late limits
        durations = []
        for _ in range(n):
            started = time.perf_counter()
            tick = services.publications_dispatch()
            durations.append((time.perf_counter() - started) * 1000)
            assert (tick.dispatched, tick.held) == (0, 0), tick
        return statistics.median(durations)

    def vacuum():
        # What autovacuum does soon after a burst: until then the index still holds the entries of the items that
        # left *scheduled* (the claim steps over them: ~3 ms after 20,000 publications instead of ~0.05 ms).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE campaigns_contentitem")

    vacuum()
    future = ContentItem.objects.filter(status=ContentStatus.SCHEDULED).count()
    published = ContentItem.objects.filter(status=ContentStatus.PUBLISHED).count()
    note = f"ms (median of 20, nothing due, {published} published)"
    report(f"dispatcher_idle_tick_ms_{future}_future", median_tick_ms(), note)
    started = time.monotonic()
    seed_items(
        label="future", n=N_FUTURE, at=timezone.now() + datetime.timedelta(hours=1),
        spread=datetime.timedelta(days=30), **people,
    )  # fmt: skip
    vacuum()
    print(f"# {N_FUTURE} future items written in {time.monotonic() - started:.0f} s", flush=True)
    label = f"{N_FUTURE // 1000}k" if N_FUTURE % 1000 == 0 else str(N_FUTURE)
    report(f"dispatcher_idle_tick_ms_{label}_future", median_tick_ms(), "ms (median of 20, nothing due)")
    with transaction.atomic():
        claim = (
            ContentItem.objects.filter(status=ContentStatus.SCHEDULED, scheduled_at__lte=timezone.now())
            .order_by("scheduled_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", "channel", "scheduled_at")[: services.BATCH_SIZE]
        )
        (plan,) = json.loads(claim.explain(format="json", analyze=True))
    nodes = plan_nodes(plan["Plan"])
    print(f"dispatcher_claim_plan: {' > '.join(nodes)} ({plan['Execution Time']:.2f} ms)", flush=True)
    if not any(index in node for node in nodes for index in ("contentitem_scheduled_due", "contentitem_status_due")):
        print("!!! the claim query reads no index of the scheduled items: a scan")


def main() -> int:
    if os.environ.get("DOUBLE11_SKIP", "") not in ("", "0"):
        print("double11_bench: skipped (DOUBLE11_SKIP)")
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) or not os.environ.get(
        "REDIS_URL"
    ):
        print("double11_bench: n/a (needs PostgreSQL + Redis: DATABASE_URL=postgres://… REDIS_URL=redis://…)")
        return 0
    redis_dir = tempfile.mkdtemp(prefix="bench-double11-redis-")
    redis_server, os.environ["REDIS_URL"] = start_redis(redis_dir)
    setup_django()
    from django.conf import settings

    from brandhub.redisclient import redis_client

    settings.DATABASES["default"]["TEST"]["NAME"] = "test_bench_double11"
    client = redis_client(ignore_breaker=True)
    print(
        f"# Double 11 benchmark on PostgreSQL + a redis-server of its own: {N_ITEMS} items due at T, 2 workers "
        f"(prefork, concurrency 1 each) + celery beat ticking every {TICK_SECONDS} s; stuck-item pass after "
        f"{STUCK_SECONDS} s; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    ok = True
    with bench_database() as name:
        env = production_env(
            database_url(name),
            REDIS_URL=os.environ["REDIS_URL"],
            PUBLISH_TICK_SECONDS=str(TICK_SECONDS),
            PUBLISH_STUCK_SECONDS=str(STUCK_SECONDS),
            DATABASE_CONN_MAX_AGE="3600",  # sessions kept through a run: their CPU is counted
        )
        editor, manager, brands = seed_people_and_brands()
        people = {"editor": editor, "manager": manager, "brands": brands}
        try:
            only = os.environ.get("DOUBLE11_ONLY", "")  # "midnight", "kill" or "tick": one part alone
            if only in ("", "midnight"):
                ok &= midnight(env, label="midnight", kill=False, people=people, client=client)
            if only in ("", "kill"):
                ok &= midnight(env, label="kill", kill=True, people=people, client=client)
            if only in ("", "tick"):
                idle_tick(people=people)
        finally:
            redis_server.terminate()
            redis_server.wait(10)
            shutil.rmtree(redis_dir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
