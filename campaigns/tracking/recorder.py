"""The request path of ``/q/<code>``: find the link, record the raw facts of the scan, answer.

Nothing here parses a user agent or writes to PostgreSQL. A scan is one JSON line pushed to a Redis list;
the flush task (``flush.py``) classifies and stores them in batches. Without Redis (the embedded mode), or
while Redis is failing (the breaker in ``brandhub.redisclient`` is open), the line is appended to a spool
file of this process instead; the flush drains the spool, and a web process moves its own spool back into
Redis once Redis answers again, so a scan recorded on any host reaches the database.

Links are read from Redis (a copy of the few fields the redirect needs, dropped whenever the link is
saved) and from the database when Redis has no copy: an edited destination applies to the next scan.
"""

import fcntl
import glob
import hashlib
import hmac
import os
import threading
import time
import uuid

import orjson
from django.conf import settings
from redis.exceptions import RedisError

from brandhub.redisclient import redis_client, trip

QUEUE = "tracking:scans"
# A link's copy in Redis lives a minute: if Redis cannot be told of an edit (it was failing right then), the
# old destination serves at most this long after Redis is back.
LINK_TTL = 60
_spool_lock = threading.Lock()


def link_key(code: str) -> str:
    return f"tracking:link:{code}"


def count_key(code: str) -> str:
    return f"tracking:count:{code}"


def visitor_hash(ip: str) -> str:
    """A keyed hash of the address (the secret key is the salt): equal for one visitor, useless to reverse."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


def scan_record(*, code: str, meta, ip: str, source: str, outcome: str) -> dict:
    """The raw facts of a scan from the request's ``META`` (or the WSGI environ, on the fast path)."""
    return {
        "t": uuid.uuid4().hex,
        "c": code,
        "at": time.time(),
        "ua": meta.get("HTTP_USER_AGENT", "")[:400],
        "lang": meta.get("HTTP_ACCEPT_LANGUAGE", "")[:64],
        "ip": visitor_hash(ip),
        "s": source,
        "o": outcome,
    }


# One round trip for the common scan: read the link's copy and, when it is a plain redirect now (active,
# inside its window, no scan limit, no WeChat page for this visitor), push the scan in the same call.
FAST_SCAN = """
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local ok, link = pcall(cjson.decode, raw)
if not ok or type(link) ~= 'table' then return {0, raw} end
local now = tonumber(ARGV[1])
if link['status'] ~= 'active' or link['cap'] ~= cjson.null then return {0, raw} end
if link['wechat'] == true and ARGV[3] == '1' then return {0, raw} end
if link['from'] ~= cjson.null and now < tonumber(link['from']) then return {0, raw} end
if link['until'] ~= cjson.null and now >= tonumber(link['until']) then return {0, raw} end
redis.call('RPUSH', KEYS[2], ARGV[2])
return {1, raw}
"""


def fast_scan(code: str, scan: dict, *, wechat: bool) -> tuple[bool, dict | None] | None:
    """``(recorded, link fields)`` from one Redis call, or None when Redis has no copy or cannot answer.

    ``recorded`` is True when the scan (built as a redirect) was pushed: the caller answers the 302 at once.
    """
    client = redis_client()
    if client is None:
        return None
    try:
        script = getattr(client, "_brandhub_fast_scan", None)
        if script is None:
            script = client._brandhub_fast_scan = client.register_script(FAST_SCAN)
        answer = script(keys=[link_key(code), QUEUE], args=[scan["at"], orjson.dumps(scan), "1" if wechat else "0"])
        if not answer:
            return None
        _maybe_return_spool(client)
    except (RedisError, OSError):
        trip()
        return None
    return bool(answer[0]), orjson.loads(answer[1])


def cached_link(code: str) -> dict | bool | None:
    """The link's redirect fields from Redis (None: no such code); ``False`` when Redis has no copy or is down."""
    client = redis_client()
    if client is None:
        return False
    try:
        raw = client.get(link_key(code))
    except (RedisError, OSError):
        trip()
        return False
    if raw is None:
        return False
    return orjson.loads(raw)


def cache_link(code: str, data: dict | None) -> None:
    client = redis_client()
    if client is None:
        return
    try:
        client.set(link_key(code), orjson.dumps(data), ex=LINK_TTL)
    except (RedisError, OSError):
        trip()


def forget_link(code: str) -> None:
    """Called after a link is saved (on commit): the next scan reads the new destination."""
    client = redis_client(ignore_breaker=True)
    if client is None:
        return
    try:
        client.delete(link_key(code))
    except (RedisError, OSError):
        # The copy expires within LINK_TTL; the open breaker sends the redirect to the database meanwhile.
        trip()


def count_scan(code: str, start_from: int) -> int | None:
    """Count a scan of a capped link; the new count, or None when Redis cannot count (the scan is let through)."""
    if not settings.REDIS_URL:
        # The embedded mode: Django's cache counts (one machine, a few visitors at a time).
        from django.core.cache import cache

        cache.add(count_key(code), start_from, LINK_TTL)
        try:
            return cache.incr(count_key(code))
        except ValueError:
            return None
    client = redis_client()
    if client is None:
        return None
    try:
        pipe = client.pipeline(transaction=False)
        pipe.set(count_key(code), start_from, nx=True)
        pipe.incr(count_key(code))
        return pipe.execute()[1]
    except (RedisError, OSError):
        trip()
        return None


def record(scan: dict) -> None:
    """Push the scan to Redis, or append it to this process's spool file. Never raises for Redis."""
    line = orjson.dumps(scan)
    client = redis_client()
    if client is not None:
        try:
            client.rpush(QUEUE, line)
            _maybe_return_spool(client)
            return
        except (RedisError, OSError):
            trip()
    spool_append(line)


def spool_path() -> str:
    return os.path.join(settings.TRACKING_SPOOL_DIR, f"scans-{os.getpid()}.jsonl")


def spool_append(line: bytes) -> None:
    """Append one line under an exclusive ``flock``; if the file was claimed (renamed) meanwhile, use a new one.

    A claimer renames the file and then takes the lock once: after that, no writer can add to the claimed
    file, so nothing written is left behind when it is removed.
    """
    path = spool_path()
    with _spool_lock:
        while True:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    current = os.stat(path).st_ino
                except FileNotFoundError:
                    current = None
                if current != os.fstat(fd).st_ino:
                    continue  # claimed between open and lock: write to the new file
                os.write(fd, line + b"\n")
                return
            finally:
                os.close(fd)


_last_return = {"at": 0.0}


def _maybe_return_spool(client) -> None:
    """Redis answers again: move this process's spooled scans into the Redis list (at most once a second)."""
    if not settings.REDIS_URL or time.monotonic() - _last_return["at"] < 1.0:
        return
    _last_return["at"] = time.monotonic()
    from .flush import claim_spool_file

    # Every spool file of the folder, not only this process's: a restarted web process returns what an
    # earlier one (another pid) left behind.
    for path in glob.glob(os.path.join(settings.TRACKING_SPOOL_DIR, "scans-*.jsonl")):
        claimed = claim_spool_file(path)
        if claimed is None:
            continue
        with open(claimed, "rb") as handle:
            lines = [line.rstrip(b"\n") for line in handle if line.strip()]
        for start in range(0, len(lines), 1000):
            client.rpush(QUEUE, *lines[start : start + 1000])
        # The tokens make a line pushed twice (a crash between push and unlink) count once.
        os.unlink(claimed)
