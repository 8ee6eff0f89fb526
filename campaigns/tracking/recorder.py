"""The request path of ``/q/<code>``: find the link, record the raw facts of the scan, answer.

Nothing here parses a user agent, writes to PostgreSQL or, for the common scan, waits for Redis:
- a link's fields are held in the process's memory (``brandhub.api.hotcache``: trusted only while the
  invalidation channel is healthy, for 5 s at most, and dropped in every process when the link is saved);
  else read from Redis's copy (dropped when the link is saved, a minute at most), else from the database;
- a scan is one JSON line appended to this process's spool file (``spool.py``). A thread of the process
  (``Mover``) moves the file into the Redis list every ``MOVE_EVERY``, where the flush task (``flush.py``)
  takes it from any host. Without Redis (the embedded mode), or while it fails, the lines wait on disk: the
  flush reads them there, and the mover sends them on once Redis answers again.
"""

import hashlib
import hmac
import logging
import os
import threading
import time
import uuid

import orjson
import redis
from django.conf import settings
from redis.exceptions import RedisError

from brandhub.api.hotcache import hot, publish
from brandhub.redisclient import TIMEOUT, redis_client, trip

from . import spool

QUEUE = "tracking:scans"
# A link's copy in Redis lives a minute: if Redis cannot be told of an edit (it was failing right then), the
# old destination serves at most this long after Redis is back.
LINK_TTL = 60
VERSION_TTL = 24 * 3600  # a link's version outlives any read of the database in flight
HELD = "link"  # the space of the links' copies in the process's memory (``hot.held``)
MOVE_EVERY = 0.05  # seconds between two moves of the spool file into Redis
PUSH_CHUNK = 1000
logger = logging.getLogger(__name__)


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


def version_key(code: str) -> str:
    return f"tracking:version:{code}"


def link_version(code: str) -> bytes | bool:
    """The link's version in Redis (bumped by every save), read before the database: ``cache_link`` then
    copies what was read only if no save came in between. ``False``: Redis cannot say (nothing is copied)."""
    client = redis_client()
    if client is None:
        return False
    try:
        return client.get(version_key(code)) or b""
    except (RedisError, OSError):
        trip()
        return False


# Copy the fields only if the link's version is still the one read before the database.
CACHE_LINK = """
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
"""


def cache_link(code: str, data: dict | None, version: bytes | bool) -> None:
    """Copy the fields read from the database into Redis, unless the link was saved since ``version``: a
    scan that read the database just before a save cannot put the old destination back for ``LINK_TTL``."""
    client = redis_client()
    if client is None or version is False:
        return
    try:
        script = getattr(client, "_brandhub_cache_link", None)
        if script is None:
            script = client._brandhub_cache_link = client.register_script(CACHE_LINK)
        script(keys=[link_key(code), version_key(code)], args=[orjson.dumps(data), version, LINK_TTL])
    except (RedisError, OSError):
        trip()


def link_copy(code: str) -> dict | bool | None:
    """The link's redirect fields without the database: held in memory, else Redis's copy (then held).
    None: no such code; ``False``: no copy (the embedded mode, Redis failing, or not read since it changed)."""
    held = hot.held(HELD, code)
    if held is not None:
        return held
    if not settings.REDIS_URL:
        return False
    epoch = hot.epoch  # a save whose message arrives while Redis is read leaves the copy unheld
    data = cached_link(code)
    if isinstance(data, dict):
        hot.hold(epoch, HELD, code, data)
    return data


def forget_link(code: str) -> None:
    """Called after a link is saved (on commit): the next scan, in any process, reads the new destination."""
    client = redis_client(ignore_breaker=True)
    if client is not None:
        try:
            pipe = client.pipeline(transaction=True)
            pipe.incr(version_key(code))
            pipe.expire(version_key(code), VERSION_TTL)
            pipe.delete(link_key(code))
            pipe.execute()
        except (RedisError, OSError):
            # The copy expires within LINK_TTL; the open breaker sends the redirect to the database meanwhile.
            trip()
    # After the copy in Redis is gone: a process that drops its own and reads again reads the new fields. Sent
    # even while this process's breaker is open; retried until it is, or until every process that cannot hear
    # Redis has stopped trusting its copies (``hotcache.send``).
    publish("drop", f"{HELD}/{code}", must_arrive=True)


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
    """Keep the scan: a line in this process's spool file, which the mover sends on to Redis.

    If the disk refuses the line (full, or the folder gone), it goes to Redis at once; only when both fail
    does the request fail, rather than answer a scan that is not kept.
    """
    line = orjson.dumps(scan)
    try:
        spool.append(line)
    except OSError:
        logger.exception("tracking: the spool file refused a scan; sending it to Redis directly")
        client = redis_client(ignore_breaker=True)
        if client is None:
            raise
        try:
            client.rpush(QUEUE, line)
        except (RedisError, OSError):
            trip()
            raise
        return
    if settings.REDIS_URL:
        try:
            mover.ensure_running()
        except Exception:  # no thread (a process limit): the line is kept, the flush or another process moves it
            if not mover.start_failed:  # once per process, not once per scan
                mover.start_failed = True
                logger.exception("tracking: cannot start the thread that moves scans to Redis")


class Mover:
    """One thread per process (after any fork) and Redis URL: every ``MOVE_EVERY`` it claims this process's
    spool file and pushes its lines onto the Redis list; once a second it takes every file of the folder
    (a process that ended, or a push that failed, leaves one). Its own connection: the request path never
    waits for it. While Redis fails it tries again each second; the files wait on disk meanwhile."""

    def __init__(self):
        self.source = None  # (pid, Redis URL) the thread serves
        self.lock = threading.Lock()
        self.start_failed = False

    def ensure_running(self) -> None:
        source = (os.getpid(), settings.REDIS_URL)
        if self.source == source:
            return
        with self.lock:
            if self.source == source:
                return
            threading.Thread(target=self._run, args=(source,), name="tracking-spool-mover", daemon=True).start()
            self.source = source  # once started (the thread looks first after ``MOVE_EVERY``)

    def forked(self) -> None:
        self.source, self.lock, self.start_failed = None, threading.Lock(), False

    def _run(self, source) -> None:
        client = redis.Redis.from_url(source[1], socket_connect_timeout=TIMEOUT, socket_timeout=1)
        sweep_at = 0.0  # when to take every file of the folder next
        failing = False
        while True:
            time.sleep(MOVE_EVERY)
            if self.source != source or source[1] != settings.REDIS_URL:
                break  # checked after the sleep: a thread of an old source must not move a new source's files
            now = time.monotonic()
            try:
                if failing:
                    # Nothing new is claimed while Redis fails: each process's file stays one file, and the folder
                    # is left to the flush. Once a second, a ping and the files claimed before (a Redis that
                    # answers but refuses writes fails here too); once they are moved, every file at once.
                    if now < sweep_at:
                        continue
                    sweep_at = now + 1.0
                    client.ping()
                    with spool.folder_lock(exclusive=False):
                        for claimed_file in spool.claimed():
                            move(client, claimed_file)
                    failing, sweep_at = False, 0.0
                with spool.folder_lock(exclusive=False):
                    if now >= sweep_at:
                        sweep_at = now + 1.0
                        spool.claim_all()
                        files = spool.claimed()
                    else:
                        files = [claimed] if (claimed := spool.claim(spool.path())) else []
                    for claimed_file in files:
                        move(client, claimed_file)
            except Exception:  # Redis or the disk failing (or a bug): the thread lives on, the files wait
                if not failing:  # once per outage
                    logger.warning("tracking: cannot move spooled scans to Redis; retrying", exc_info=True)
                failing, sweep_at = True, time.monotonic() + 1.0
        with self.lock:
            if self.source == source:  # the setting changed (tests): the next scan starts a thread again
                self.source = None


def move(client, claimed_file: str) -> int:
    """Push a claimed spool file's lines onto the Redis list, ``PUSH_CHUNK`` at a time, and remove it."""
    moved = 0
    with spool.draining(claimed_file) as batches:
        for lines in batches(PUSH_CHUNK) if batches else ():
            client.rpush(QUEUE, *lines)
            moved += len(lines)
    return moved


mover = Mover()
os.register_at_fork(after_in_child=mover.forked)
