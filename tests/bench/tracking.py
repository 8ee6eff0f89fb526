"""QR redirect benchmark (issue 10 §6): ``/q/<code>`` against a bare 302, every scan counted, 1,000 scans/s sustained.

On PostgreSQL + Redis only (the production mode: ``DATABASE_URL=postgres://…`` and ``REDIS_URL``; without them
it prints ``n/a`` and stops), with a database of its own (``test_bench_tracking``) and a ``redis-server`` of its
own on a free port (``tests/api/servers.py``, as the tests do): on the shared Redis, any other process on the same
database number can empty it or, being a worker with beat, flush this bench's scans into its own database as
unknown codes (it happened). Without ``redis-server`` on PATH, or with ``TRACKING_BENCH_SHARED_REDIS=1``: a
database of its own on ``REDIS_URL`` (``TRACKING_BENCH_REDIS_DB``, 13 by default, emptied at the start and end).

1. A few tracked links; gunicorn (production settings, ``BENCH_WORKERS`` sync workers) serves ``/q/<code>`` and
   the bare view ``/bench/bare/q/<code>`` (``tests/bench/urls.py``: the same 302 through the same middleware,
   recording nothing). Both are loaded at 50 concurrent connections, taking turns in ``SLICES`` slices so
   that the other load on the 2 shared cores falls on both alike: requests per second, p50 and p99, ratio.
2. The flush run in this process until nothing waits: scans recorded (rows + what still waits) against
   requests answered, and the flush's own throughput.
3. 60 s at 1,000 scans/s (open loop: each request starts at its time, latency counted from that time) while
   a real ``celery -A brandhub worker -B`` flushes every ``TRACKING_FLUSH_SECONDS`` = 5 s: the backlog
   (LLEN) each second, at the end, the flush throughput from the worker's log, and scans lost after the
   final drain.
4. Where the time of a request goes: the WSGI handler called in one process with the production settings
   (no network, no load generator): ``/q/`` as it is, without recording, the bare view, one spool line.

The load generator is one thread of this process driving non-blocking sockets with epoll: gunicorn's sync
workers close every connection, so each request opens its own (as wrk does against them), and counting is
exact: a request is answered when its whole response has arrived, and the run waits for every request in
flight before it stops. ``--quick`` (or ``BENCH_QUICK=1``): 1 s slices and a 15 s sustained run.

Run as ``python -m tests.bench.tracking``; exit status 1 when a scan is lost or counted twice.
"""

import errno
import glob
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.bench.common import bench_database, database_url, production_env, report, setup_django, start_gunicorn, stop

QUICK = "--quick" in sys.argv or os.environ.get("BENCH_QUICK", "") not in ("", "0")
PORT = int(os.environ.get("TRACKING_BENCH_PORT", "8798"))
CONNECTIONS = int(os.environ.get("TRACKING_BENCH_CONNECTIONS", "50"))
SLICES = int(os.environ.get("BENCH_SLICES", "4"))
SIDE_SECONDS = float(os.environ.get("TRACKING_BENCH_SECONDS", "4" if QUICK else "8"))  # per side, over all slices
RATE = float(os.environ.get("TRACKING_BENCH_RATE", "1000"))
SUSTAIN_SECONDS = float(os.environ.get("TRACKING_BENCH_SUSTAIN_SECONDS", "15" if QUICK else "60"))
REDIS_DB = int(os.environ.get("TRACKING_BENCH_REDIS_DB", "13"))
FLUSH_SECONDS = 5
DRAIN_TIMEOUT = 60.0
N_LINKS = 5
# What phones send: the flush classifies these (WeChat, Alipay, plain browsers), the redirect only records them.
USER_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/5197 MMWEBSDK/20230805 MicroMessenger/8.0.42",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 AlipayClient/10.5.36.6000 Language/zh-Hans",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; 23127PN0CC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
    "Mobile Safari/537.36",
)


# --- the load generator -------------------------------------------------------------------------------------


@dataclass
class Load:
    statuses: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)  # ms, answered requests only
    errors: Counter = field(default_factory=Counter)  # requests without a whole answer, by reason
    started: int = 0
    seconds: float = 0.0  # from the first request to the last answer
    late: int = 0  # open loop: requests that could not start at their time (all connections busy)

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def rps(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def add(self, other: "Load") -> None:
        self.statuses += other.statuses
        self.latencies += other.latencies
        self.errors += other.errors
        self.started += other.started
        self.seconds += other.seconds
        self.late += other.late


def http_get(path: str, user_agent: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {user_agent}\r\n"
        "Accept-Language: zh-CN,zh;q=0.9,en;q=0.8\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    ).encode()


def load(
    requests: list[bytes],
    seconds: float,
    *,
    connections: int = CONNECTIONS,
    rate: float | None = None,
    every_second=None,
    drain_timeout: float = 30.0,
    port: int = PORT,
) -> Load:
    """Send ``requests`` in turn for ``seconds``, then wait for every answer still due.

    Closed loop (``rate`` None): ``connections`` requests always in flight; latency from the connection's
    start. Open loop: request *i* is due at ``i / rate`` and starts then if fewer than ``connections`` are in
    flight (else as soon as one is free, counted ``late``); latency from its due time, so a stall shows in
    the figures instead of slowing the sender (no coordinated omission). ``every_second(elapsed)`` is
    called about once a second.
    """
    result = Load()
    poller = select.epoll()
    flight: dict[int, list] = {}  # fd -> [socket, started at, request, chunks, sent]
    address = ("127.0.0.1", port)
    began = time.perf_counter()
    deadline = began + seconds
    next_tick = began + 1.0

    def start(at: float) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        code = sock.connect_ex(address)
        result.started += 1
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            result.errors[errno.errorcode.get(code, str(code))] += 1
            return
        flight[sock.fileno()] = [sock, at, requests[result.started % len(requests)], [], False]
        poller.register(sock.fileno(), select.EPOLLOUT)

    def end(fd: int, error: str | None = None) -> None:
        sock, at, _request, chunks, _sent = flight.pop(fd)
        poller.unregister(fd)
        sock.close()
        if error is None:
            answer = b"".join(chunks)
            if answer[:5] == b"HTTP/" and len(answer) >= 12:
                result.statuses[int(answer[9:12])] += 1
                result.latencies.append((time.perf_counter() - at) * 1000)
                return
            error = "incomplete answer"
        result.errors[error] += 1

    try:
        while True:
            now = time.perf_counter()
            if now < deadline:
                if rate is None:
                    while len(flight) < connections:
                        start(now)
                else:
                    due = min(int((now - began) * rate) + 1, int(seconds * rate))
                    while result.started < due and len(flight) < connections:
                        at = began + result.started / rate
                        result.late += now - at > 0.001
                        start(at)
            elif not flight:
                break
            elif now > deadline + drain_timeout:
                for fd in list(flight):
                    end(fd, "no answer in time")
                break
            if every_second is not None and now >= next_tick:
                every_second(now - began)
                next_tick += 1.0
            if rate is None or now >= deadline or len(flight) >= connections:
                timeout = 0.05  # until an answer comes (or the next second's sample)
            else:
                timeout = max(0.0, min(began + result.started / rate - time.perf_counter(), 0.05))
            for fd, _events in poller.poll(timeout):
                entry = flight.get(fd)
                if entry is None:
                    continue
                sock = entry[0]
                if not entry[4]:
                    problem = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if problem:
                        end(fd, errno.errorcode.get(problem, str(problem)))
                        continue
                    try:
                        if sock.send(entry[2]) != len(entry[2]):  # a few hundred bytes into an empty buffer
                            end(fd, "short send")
                            continue
                    except OSError as exc:
                        end(fd, type(exc).__name__)
                        continue
                    entry[4] = True
                    poller.modify(fd, select.EPOLLIN)
                    continue
                try:
                    while True:
                        chunk = sock.recv(65536)
                        if not chunk:
                            end(fd)  # Connection: close — the server closes after the whole answer
                            break
                        entry[3].append(chunk)
                except BlockingIOError:
                    pass
                except OSError as exc:
                    end(fd, type(exc).__name__)
    finally:
        for fd in list(flight):
            end(fd, "aborted")
        poller.close()
    result.seconds = time.perf_counter() - began
    return result


def percentile(values, pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(pct / 100 * len(ordered)))] if ordered else 0.0


# --- set-up ---------------------------------------------------------------------------------------------------


def bench_redis_url() -> str:
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", parts.query, ""))


def seed() -> list[str]:
    """A brand, an event and ``N_LINKS`` tracked links to ``REDIRECT_TO``; their codes."""
    import datetime

    from django.contrib.auth import get_user_model

    from brands.services import brand_create
    from campaigns.tracking.services import event_save, link_save
    from tests.bench.urls import REDIRECT_TO

    user = get_user_model().objects.create_user("bench-manager", role="manager", password="bench-password-1")
    brand = brand_create(
        user=None,
        fields={
            "slug": "bench-gelato",
            "name_it": "Gelateria Bench",
            "name_en": "Bench Gelato",
            "name_zh_hans": "意大利冰淇淋",
            "category": "food_beverage",
            "region": "toscana",
            "city": "Firenze",
        },
        stores=[],
        products=[],
        certifications=[],
        rules=[],
    )
    today = datetime.date.today()
    event = event_save(
        user=user,
        brands=[brand],
        title="Bench pop-up",
        kind="popup",
        city="Shanghai",
        venue="Hema Jing'an",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
        reward_zh="送冰淇淋一杯",
    )
    links = [
        link_save(user=user, label=f"Bench venue {i}", destination=REDIRECT_TO, event=event, venue=f"Stand {i}")
        for i in range(N_LINKS)
    ]
    return [link.code for link in links]


def waiting(client) -> int:
    """Scans not yet in the database: the Redis list and the spool files (lines)."""
    from django.conf import settings

    from campaigns.tracking.recorder import QUEUE

    spooled = 0
    for path in glob.glob(os.path.join(str(settings.TRACKING_SPOOL_DIR), "*")):
        try:
            with open(path, "rb") as handle:
                spooled += sum(1 for line in handle if line.strip())
        except FileNotFoundError:
            pass  # moved to Redis meanwhile by a web process
    # The Redis list last: a line moved from a file counted above may be counted twice, never not at all.
    return spooled + client.llen(QUEUE)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its living descendants, from /proc."""
    total = 0.0
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for children in glob.glob(f"/proc/{pid}/task/*/children"):
            with open(children) as handle:
                total += sum(cpu_seconds(int(child)) for child in handle.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def stored() -> tuple[int, int]:
    """Scan rows, and the sum of the hourly rollups (equal when every flush stored its rollups)."""
    from django.db.models import Sum

    from campaigns.tracking.models import Scan, ScanHour

    return Scan.objects.count(), ScanHour.objects.aggregate(n=Sum("scans"))["n"] or 0


def figures(prefix: str, side: Load) -> None:
    report(f"{prefix}_rps", side.rps, "req/s")
    report(f"{prefix}_p50", percentile(side.latencies, 50), "ms")
    report(f"{prefix}_p99", percentile(side.latencies, 99), "ms")
    other = {status: n for status, n in side.statuses.items() if status != 302}
    if other or side.errors:
        print(f"{prefix}_not_302: {dict(other)} {dict(side.errors)}", flush=True)


def measured_cpu(into: Counter, server_pid: int, client, run):
    """``run()``, adding the CPU seconds it took of gunicorn (master + workers), redis-server and the load
    generator (this process) to ``into``: on 2 shared cores, one side's throughput is what the three leave."""

    def now() -> tuple[float, float, float]:
        info = client.info("cpu")
        return cpu_seconds(server_pid), info["used_cpu_user"] + info["used_cpu_sys"], time.process_time()

    before = now()
    result = run()
    after = now()
    for name, start, end in zip(("web", "redis", "load"), before, after, strict=True):
        into[name] += end - start
    return result


def cpu_figures(prefix: str, cpu: Counter, side: Load) -> None:
    """CPU per answered request, by process: where the 2 cores go at 50 connections."""
    n = max(1, side.answered)
    parts = ", ".join(f"{name} {seconds / n * 1e6:.0f}" for name, seconds in cpu.items())
    print(f"{prefix}_cpu: {sum(cpu.values()) / n * 1e6:.0f} µs a request ({parts})", flush=True)


# --- the four parts ---------------------------------------------------------------------------------------------


# Compared without: the date (Date, Expires) and the headers about a body that the fast path does not send.
BODY_HEADERS = (b"Date:", b"Expires:", b"Vary:", b"Content-Language:")


def server_time(codes: list[str], rounds: int = 7, n: int = 500) -> None:
    """Server time of one request, WSGI handler called in this process (no network, no other request).

    Run in a process of its own with the production settings (``--server-time``). Best of ``rounds`` rounds
    of ``n`` requests each, the variants taking turns: ``/q/`` as it is (the link held in memory, the scan
    appended to the spool file), without recording the scan, and the bare view; one spool line; one Redis
    round trip (what the request no longer waits for).
    """
    import io

    import django

    django.setup()
    from django.db import connection
    from django.urls import resolve

    from brandhub import redisclient
    from brandhub.redisclient import redis_client
    from brandhub.wsgi import application
    from campaigns.tracking import recorder

    def environ(path: str) -> dict:
        return {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "s=qr", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(PORT), "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENTS[0],
            "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        }  # fmt: skip

    def start_response(status, headers, exc_info=None):
        assert status.startswith("302"), status

    def run(prefix: str) -> float:
        started = time.perf_counter()
        for i in range(n):
            response = application(environ(prefix + codes[i % len(codes)]), start_response)
            getattr(response, "close", lambda: None)()  # the fast path answers a list
        return (time.perf_counter() - started) / n * 1e6

    client = redis_client()

    def each(call) -> float:
        started = time.perf_counter()
        for _ in range(n):
            call()
        return (time.perf_counter() - started) / n * 1e6

    from brandhub.api.hotcache import hot
    from campaigns.tracking import spool

    record = recorder.record
    run("/q/"), run("/bench/bare/q/")  # warm-up: the links' Redis copies, imports, the invalidation channel
    deadline = time.monotonic() + 5
    while not all(hot.held(recorder.HELD, code) for code in codes) and time.monotonic() < deadline:
        run("/q/")  # the links are held once the channel is confirmed
    held = sum(1 for code in codes if hot.held(recorder.HELD, code))
    timings = {name: [] for name in ("redirect", "redirect_without_record", "bare", "spool_append")}
    timings |= {"redis": [], "resolve_q": [], "resolve_bare": []}
    for _ in range(rounds):
        timings["redirect"].append(run("/q/"))
        recorder.record = lambda scan: None
        timings["redirect_without_record"].append(run("/q/"))
        recorder.record = record
        timings["bare"].append(run("/bench/bare/q/"))
        timings["spool_append"].append(each(lambda: spool.append(b'{"bench": "a line the size of a scan"}' * 8)))
        timings["redis"].append(each(client.ping))
        timings["resolve_q"].append(each(lambda: resolve(f"/q/{codes[0]}")))
        timings["resolve_bare"].append(each(lambda: resolve(f"/bench/bare/q/{codes[0]}")))
    best = {name: min(values) for name, values in timings.items()}
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(args[0]) or execute(*args)):
        run("/q/")
    breaker = redisclient._breaker["open_until"]
    report(
        "tracking_server_redirect",
        best["redirect"],
        f"µs a request (best of {rounds}, one process, no network; {held}/{len(codes)} links held in memory)",
    )
    report("tracking_server_redirect_without_record", best["redirect_without_record"], "µs")
    report("tracking_server_spool_append", best["spool_append"], "µs a line (what recording a scan costs the request)")
    report("tracking_server_bare", best["bare"], "µs")
    report("tracking_server_redis_roundtrip", best["redis"], "µs (PING through redis-py)")
    report("tracking_server_url_resolve_q", best["resolve_q"], "µs")
    report("tracking_server_url_resolve_bare", best["resolve_bare"], "µs")
    print(f"tracking_server_ratio: {best['bare'] / best['redirect']:.2f} (bare / redirect)", flush=True)
    report("tracking_server_queries", len(queries) / n, "SQL queries a request")
    if breaker:
        print("tracking_server_redis_breaker: tripped (Redis timed out: some requests spooled or read the database)")


def main() -> int:
    if sys.argv[1:2] == ["--server-time"]:
        server_time(sys.argv[2].split(","))
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) or not os.environ.get(
        "REDIS_URL"
    ):
        print("tracking_bench: n/a (needs PostgreSQL + Redis: DATABASE_URL=postgres://… REDIS_URL=redis://…)")
        return 0
    work = tempfile.mkdtemp(prefix="bench-tracking-")
    spool = os.path.join(work, "scans")
    os.mkdir(spool)
    own_redis = None
    if shutil.which("redis-server") and not os.environ.get("TRACKING_BENCH_SHARED_REDIS"):
        from tests.api.servers import RedisServer

        own_redis = RedisServer(Path(work)).start()
        os.environ["REDIS_URL"] = own_redis.url
        where = f"its own redis-server (:{own_redis.port})"
    else:
        os.environ["REDIS_URL"] = bench_redis_url()
        where = f"Redis db {REDIS_DB}"
    os.environ["TRACKING_SPOOL_DIR"] = spool
    try:
        return run(spool, where)
    finally:
        if own_redis is not None:
            own_redis.kill()
        shutil.rmtree(work, ignore_errors=True)


def run(spool: str, where: str) -> int:
    setup_django()
    from django.conf import settings

    from brandhub.redisclient import redis_client
    from campaigns.tracking import flush
    from tests.bench.urls import REDIRECT_TO

    settings.DATABASES["default"]["TEST"]["NAME"] = "test_bench_tracking"
    client = redis_client(ignore_breaker=True)
    client.flushdb()
    print(
        f"# QR redirect benchmark on PostgreSQL + {where}: gunicorn ({os.environ.get('BENCH_WORKERS', '2')}"
        f" sync workers), {CONNECTIONS} connections, {SIDE_SECONDS:g} s a side in {SLICES} turns; then "
        f"{SUSTAIN_SECONDS:g} s at {RATE:g} scans/s with a Celery worker + beat flushing every {FLUSH_SECONDS} s",
        flush=True,
    )
    ok = True
    with bench_database() as name:
        codes = seed()
        env = production_env(
            database_url(name),
            REDIS_URL=os.environ["REDIS_URL"],
            TRACKING_SPOOL_DIR=spool,
            TRACKING_FLUSH_SECONDS=str(FLUSH_SECONDS),
        )
        server = start_gunicorn(env, PORT)
        try:
            # The two answers are the same 302: same Location, same headers but the date and, since /q/ answers the
            # plain scan before Django's middleware (campaigns/tracking/fastpath.py), the two about a body
            # (Vary, Content-Language). The first scan of a code reads the link and leaves its copy in Redis.
            answered = 0
            heads = []
            for path in (f"/q/{codes[0]}?s=qr", f"/q/{codes[0]}?s=qr", f"/bench/bare/q/{codes[0]}?s=qr"):
                one = socket.create_connection(("127.0.0.1", PORT))
                one.sendall(http_get(path, USER_AGENTS[0]))
                raw = b"".join(iter(lambda s=one: s.recv(65536), b""))
                one.close()
                lines = raw.split(b"\r\n\r\n")[0].split(b"\r\n")
                heads.append(sorted(line for line in lines if not line.startswith(BODY_HEADERS)))
            answered += 2
            heads.pop(0)
            assert heads[0] == heads[1], heads
            assert f"Location: {REDIRECT_TO}".encode() in heads[0], heads[0]

            # 1. Side by side.
            scan = [http_get(f"/q/{code}?s=qr", ua) for ua in USER_AGENTS for code in codes]
            bare = [http_get(f"/bench/bare/q/{code}?s=qr", ua) for ua in USER_AGENTS for code in codes]
            warm = load(scan, 1.0)  # imports, the links' Redis copies, connections to PostgreSQL and Redis
            load(bare, 1.0)
            q_side, bare_side = Load(), Load()
            q_cpu, bare_cpu = Counter(), Counter()
            for _ in range(SLICES):
                q_side.add(measured_cpu(q_cpu, server.pid, client, lambda: load(scan, SIDE_SECONDS / SLICES)))
                bare_side.add(measured_cpu(bare_cpu, server.pid, client, lambda: load(bare, SIDE_SECONDS / SLICES)))
            figures("tracking_redirect", q_side)
            cpu_figures("tracking_redirect", q_cpu, q_side)
            figures("tracking_bare", bare_side)
            cpu_figures("tracking_bare", bare_cpu, bare_side)
            ratio = q_side.rps / bare_side.rps
            print(f"tracking_ratio: {ratio:.2f}", flush=True)
            p99 = percentile(q_side.latencies, 99)
            print(
                f"tracking_goal: {'met' if ratio >= 0.7 and p99 < 20 else 'NOT met'} (ratio >= 0.7 with p99 < 20 ms)",
                flush=True,
            )

            # 2. Every answered scan recorded: what waits + what the flush stores.
            answered += warm.statuses[302] + q_side.statuses[302]
            unanswered = sum(warm.errors.values()) + sum(q_side.errors.values())
            backlog = waiting(client)
            report("tracking_scans_waiting_after_load", backlog, "scans")
            for user_agent in USER_AGENTS:
                flush.classify(user_agent)  # ua-parser's first call loads its rules (≈0.5 s): not the flush's pace
            started = time.perf_counter()
            while waiting(client):
                flush.scans_flush(max_seconds=30)
            flush_seconds = time.perf_counter() - started
            rows, rolled = stored()
            report("tracking_flush_capacity", backlog / flush_seconds, "scans/s (draining the backlog, in one process)")
            print(f"tracking_scans_recorded_vs_answered: {rows}/{answered} (rows flushed / 302s answered)", flush=True)
            if unanswered:
                print(f"tracking_requests_unanswered: {unanswered} (recorded, maybe, but not answered)", flush=True)
            if rows != answered or rolled != rows:
                print(f"!!! recorded {rows} scans ({rolled} in the rollups) for {answered} answered", flush=True)
                ok = False

            # 3. Sustained rate with the flush as a real Celery worker + beat.
            ok &= sustained(env, client, codes, rows, server.pid)

            # 4. Where the time of a request goes, in one process (after the counts: it records scans too).
            subprocess.run(
                [sys.executable, "-m", "tests.bench.tracking", "--server-time", ",".join(codes)], env=env, check=True
            )
        finally:
            stop(server)
            client.flushdb()
    return 0 if ok else 1


def sustained(env: dict, client, codes: list[str], rows_before: int, server_pid: int) -> bool:
    logdir = tempfile.mkdtemp(prefix="bench-worker-")
    log_path = os.path.join(logdir, "worker.log")
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "brandhub", "worker", "-B", "--concurrency", "1",
             "--loglevel", "INFO", "-s", os.path.join(logdir, "beat-schedule"), "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            env={**env, "LOG_LEVEL": "INFO"}, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while b" ready." not in Path(log_path).read_bytes():
            if worker.poll() is not None or time.monotonic() > deadline:
                print(Path(log_path).read_text(errors="replace")[-3000:])
                raise RuntimeError("the Celery worker did not start")
            time.sleep(0.3)
        requests = [http_get(f"/q/{code}?s=qr", ua) for ua in USER_AGENTS for code in codes]
        backlog = []
        cpu = (cpu_seconds(server_pid), cpu_seconds(worker.pid))
        result = load(
            requests, SUSTAIN_SECONDS, rate=RATE, every_second=lambda elapsed: backlog.append(waiting(client))
        )
        at_end = waiting(client)
        web_cpu, flush_cpu = cpu_seconds(server_pid) - cpu[0], cpu_seconds(worker.pid) - cpu[1]
        started = time.monotonic()
        while waiting(client) and time.monotonic() - started < DRAIN_TIMEOUT:
            time.sleep(0.2)
        drain = time.monotonic() - started
        left = waiting(client)
        rows, rolled = stored()
    finally:
        stop(worker)
    answered = result.statuses[302]
    report("tracking_sustained_rate", result.answered / SUSTAIN_SECONDS, "scans/s")
    report("tracking_sustained_p50", percentile(result.latencies, 50), "ms")
    report("tracking_sustained_p99", percentile(result.latencies, 99), "ms")
    if result.late:
        report("tracking_sustained_late_starts", result.late, "requests")
    if result.answered < 0.95 * RATE * SUSTAIN_SECONDS:
        print(
            f"tracking_sustained_saturated: the server answered {result.answered / SUSTAIN_SECONDS:.0f} of the "
            f"{RATE:g} scans/s asked (the latencies above are then queueing, counted from each request's due time)",
            flush=True,
        )
    if result.errors or set(result.statuses) - {302}:
        print(f"tracking_sustained_not_302: {dict(result.statuses)} {dict(result.errors)}", flush=True)
    seconds = result.seconds
    report(
        "tracking_sustained_web_cpu",
        web_cpu / seconds * 100,
        f"% of a core (gunicorn, {web_cpu / max(1, answered) * 1e6:.0f} µs a scan)",
    )
    report(
        "tracking_sustained_flush_cpu",
        flush_cpu / seconds * 100,
        f"% of a core (Celery worker + beat, {flush_cpu / max(1, answered) * 1e6:.0f} µs a scan)",
    )
    report("tracking_backlog_max", max(backlog, default=0), "scans")
    print(f"tracking_backlog_each_second: {' '.join(str(n) for n in backlog)}", flush=True)
    report("tracking_backlog_at_end", at_end, "scans")
    report("tracking_final_drain", drain, "s")
    # The worker's own account: each flush task's run time and what it stored.
    text = Path(log_path).read_text(errors="replace")
    runs = [
        (float(seconds), int(n))
        for seconds, n in re.findall(r"scans_flush\[[^\]]+\] succeeded in ([\d.]+)s: \{'stored': (\d+)", text)
    ]
    busy = [run for run in runs if run[1]]
    if busy:
        # A flush goes on taking what has arrived (for up to 4 s) while scans keep coming: under a steady stream
        # its throughput is the stream's rate; its capacity is the figure of part 2.
        report("tracking_flush_runs", len(busy), "flushes that stored scans")
        report("tracking_flush_throughput", sum(n for _, n in busy) / sum(s for s, _ in busy), "scans/s while flushing")
        report("tracking_flush_longest", max(s for s, _ in busy), "s")
        report("tracking_flush_most_in_one_run", max(n for _, n in busy), "scans")
    stored_now = rows - rows_before
    lost = answered - stored_now
    report("tracking_sustained_answered", answered, "scans")
    report("tracking_sustained_stored", stored_now, "scans")
    report("tracking_lost", lost, "scans")
    ok = lost == 0 and left == 0 and rolled == rows
    if not ok:
        print(f"!!! lost {lost}, still waiting {left}, rollups {rolled} for {rows} rows; worker log: {log_path}")
    elif os.environ.get("TRACKING_BENCH_KEEP_LOG"):
        print(f"# worker log: {log_path}")
    else:
        os.unlink(log_path)
        for path in glob.glob(os.path.join(logdir, "*")):
            os.unlink(path)
        os.rmdir(logdir)
    return ok


if __name__ == "__main__":
    sys.exit(main())
