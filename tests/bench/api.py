"""API benchmark: each endpoint against a bare Django view answering the same bytes, under gunicorn.

Both run side by side in one gunicorn (production settings, DEBUG off, the real middleware), loaded by
wrk on loopback. The ratio of requests per second is the figure: how close the API comes to what the
framework itself can do.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from tests.bench.common import bench_database, database_url, production_env, report, setup_django, start_gunicorn, stop

PORT = int(os.environ.get("BENCH_PORT", "8799"))
DURATION = os.environ.get("BENCH_DURATION", "8s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
# The API and the bare view take turns in this many slices of DURATION / SLICES each, so that a change in the
# machine's other load (2 shared cores) falls on both sides alike instead of on one.
SLICES = int(os.environ.get("BENCH_SLICES", "4"))
N_BRANDS = 200


def seed() -> str:
    from brandhub.models import ApiKey
    from brands.services import brand_create

    for i in range(N_BRANDS):
        brand_create(
            user=None,
            fields={
                "slug": f"bench-{i:04d}",
                "name_it": f"Azienda Bench {i:04d}",
                "name_en": f"Bench Company {i:04d}",
                "name_zh_hans": f"意大利品牌{i}",
                "category": ("food_beverage", "fashion", "lifestyle")[i % 3],
                "region": "toscana",
                "city": "Firenze",
                "description_it": "Un'azienda di famiglia dal 1950. " * 3,
                "description_en": "A family company since 1950. " * 3,
                "description_zh_hans": "一家自1950年起的家族企业。" * 3,
            },
            stores=[{"platform": "tmall_global", "url": "https://x.tmall.hk"}, {"platform": "jd"}],
            products=[{"code": f"P{k}", "name_it": f"Prodotto {k}", "price_cny": "99"} for k in range(3)],
            certifications=[{"kind": "dop", "label": "Prodotto DOP"}],
            rules=[],
        )
    key = "hita_benchbch_" + "b" * 43
    ApiKey.objects.create(name="Bench", prefix="benchbch", key_hash=ApiKey.hash(key), scopes=["brands:read"])
    return key


def wrk(url: str, headers: dict, duration: str = DURATION) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def pct(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {"rps": rps, "p50": pct(50), "p99": pct(99), "errors": int(non_2xx.group(1)) if non_2xx else 0}


def side_by_side(api_url: str, bare_url: str, headers: dict) -> tuple[dict, dict]:
    """The API's figures and the bare view's, measured in turns: mean req/s, median latencies, all errors."""
    seconds = f"{max(1, round(int(DURATION.rstrip('s')) / SLICES))}s"
    runs = [(wrk(api_url, headers, seconds), wrk(bare_url, headers, seconds)) for _ in range(SLICES)]
    sides = []
    for side in zip(*runs, strict=True):
        sides.append(
            {
                "rps": statistics.mean(r["rps"] for r in side),
                "p50": statistics.median(r["p50"] for r in side),
                "p99": statistics.median(r["p99"] for r in side),
                "errors": sum(r["errors"] for r in side),
            }
        )
    return sides[0], sides[1]


def main() -> None:
    if not shutil.which("wrk"):
        print("api_bench: n/a (wrk missing: apt-get install -y wrk)")
        sys.exit(1)
    setup_django()
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        # Other processes (gunicorn) must reach the bench database: a file, not memory.
        settings.DATABASES["default"]["TEST"]["NAME"] = str(settings.VAR_DIR / "bench-api.sqlite3")
    print(
        f"# API benchmark on {engine}, gunicorn + wrk ({CONNECTIONS} connections, {DURATION} each side "
        f"in {SLICES} turns)",
        flush=True,
    )
    with bench_database() as name, tempfile.TemporaryDirectory() as samples:
        key = seed()
        env = production_env(database_url(name), API_RATE_LIMIT="1000000000", BENCH_SAMPLES=samples)
        base = f"http://127.0.0.1:{PORT}"
        auth = {"Authorization": f"Bearer {key}"}
        list_url = f"{base}/api/v1/brands/?page_size=50"
        detail_url = f"{base}/api/v1/brands/bench-0100/"

        # Capture the API's own answers first, so the bare views return exactly the same bytes.
        server = start_gunicorn(env, PORT)
        try:
            for sample, url in (("list", list_url), ("detail", detail_url)):
                with urllib.request.urlopen(urllib.request.Request(url, headers=auth)) as response:
                    Path(samples, f"{sample}.json").write_bytes(response.read())
                    Path(samples, f"{sample}.etag").write_text(response.headers["ETag"])
        finally:
            stop(server)
        server = start_gunicorn(env, PORT)
        try:
            detail_etag = Path(samples, "detail.etag").read_text()
            list_etag = Path(samples, "list.etag").read_text()
            cases = {
                "list": (list_url, f"{base}/bench/bare/list", auth),
                "detail": (detail_url, f"{base}/bench/bare/detail", auth),
                "304": (detail_url, f"{base}/bench/bare/304", {**auth, "If-None-Match": detail_etag}),
                "list_304": (list_url, f"{base}/bench/bare/304", {**auth, "If-None-Match": list_etag}),
            }
            for label, (api_url, bare_url, headers) in cases.items():
                wrk(api_url, headers, "2s")  # warm-up: connections, caches
                api, bare = side_by_side(api_url, bare_url, headers)
                for who, figures in (("api", api), ("bare", bare)):
                    report(f"{who}_{label}_rps", figures["rps"], "req/s")
                    report(f"{who}_{label}_p50_ms", figures["p50"], "ms")
                    report(f"{who}_{label}_p99_ms", figures["p99"], "ms")
                    if figures["errors"]:
                        report(f"{who}_{label}_non_2xx_3xx", figures["errors"], "responses")
                print(f"api_{label}_ratio: {api['rps'] / bare['rps']:.2f}", flush=True)
        finally:
            stop(server)


if __name__ == "__main__":
    main()
