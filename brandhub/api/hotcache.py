"""Per-process copies of key lookups and answers, trusted only while Redis pub/sub keeps them current.

A worker that has answered a request once answers the same request again from memory: no SQL and no
Redis round trip (throttling draws on tokens reserved in Redis ``TOKEN_BATCH`` at a time). Nothing of
this is held in Redis, so a paused or unreachable Redis cannot keep anything stale alive.

The rules that bound staleness (each has a test in ``tests/api/test_hotcache.py``):
- a brand change publishes ``gen`` after its commit, a revocation publishes ``key``; the listener thread
  drops the copies at once, and the changing process drops its own before publishing;
- copies are trusted only while the subscription is confirmed and Redis was heard from in the last
  ``SILENCE_LIMIT`` seconds (a ping every ``PING_EVERY``); a re-subscription drops everything;
- a revocation that cannot be published is retried until it is, or until ``SILENCE_LIMIT`` has passed:
  by then every process that lost Redis too has stopped trusting its copies;
- a copy validated before an invalidation is not stored after it (the epoch counter);
- a copy is used for ``MAX_AGE`` seconds at most: a change made without the services (raw SQL), or a
  message lost to a process that could still reach Redis, is seen within that time.

Other parts hold copies here under the same rules (``held`` / ``hold``, dropped one by one with
``publish("drop", "<space>/<name>")``): the /q/ redirect holds its links' fields (``campaigns/tracking``).
"""

import logging
import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from redis.exceptions import RedisError

from . import store

CHANNEL = "api:events"  # per Redis database (pub/sub itself spans databases): see ``channel()``
TOKEN_BATCH = 10
MAX_BYTES = 32 * 1024 * 1024  # answers held per process
PING_EVERY = 0.5  # seconds between liveness pings on the subscription
SILENCE_LIMIT = 1.5  # seconds without a word from Redis after which no copy is trusted
MAX_AGE = 5.0  # seconds a copy is used at most
MAX_HELD = 10_000  # copies held for other parts, per process
logger = logging.getLogger(__name__)


class HotCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.epoch = 0  # bumped by every invalidation
        self.source = None  # (pid, Redis URL) the listener serves
        self.alive = False
        self.last_heard = 0.0  # monotonic time of the subscription's last message or pong
        self.keys: dict[str, tuple[float, dict]] = {}
        self.copies: dict[tuple[str, str], tuple[float, object]] = {}  # other parts' copies, by (space, name)
        self.responses: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
        self.bytes = 0
        self.tokens: dict[str, tuple[int, int]] = {}  # key hash -> (window, tokens left)
        self.used_at: dict[str, float] = {}

    # --- trust ----------------------------------------------------------------------------------

    def healthy(self) -> bool:
        """True while the invalidation channel works: only then are copies stored or used."""
        if self.source is None:
            self.ensure_listening()
        return self.alive and time.monotonic() - self.last_heard < SILENCE_LIMIT

    def invalidate(self, kind: str = "all", key_hash: str | None = None) -> None:
        """Drop copies: ``gen`` the answers, ``key`` a key and the answers, ``drop`` one copy held for another
        part (``key_hash`` is then ``<space>/<name>``), anything else all of them."""
        with self.lock:
            self.epoch += 1
            if kind == "drop":
                space, _slash, name = (key_hash or "").partition("/")
                self.copies.pop((space, name), None)
                return
            self.responses.clear()
            self.bytes = 0
            if kind == "key" and key_hash:
                self.keys.pop(key_hash, None)
            elif kind != "gen":
                self.keys.clear()
                self.copies.clear()

    def reset(self) -> None:
        self.invalidate()
        with self.lock:
            self.tokens.clear()
            self.used_at.clear()

    # --- the listener ---------------------------------------------------------------------------

    def forget_listener(self, **kwargs) -> None:
        """After a fork, or when a test points ``REDIS_URL`` elsewhere: the next use starts a listener anew."""
        if kwargs.get("setting", "REDIS_URL") == "REDIS_URL":
            self.source, self.alive = None, False

    def forked(self) -> None:
        self.lock = threading.Lock()  # another thread may have held it at the fork
        self.forget_listener()

    def ensure_listening(self) -> None:
        """One listener per process and Redis URL."""
        source = (os.getpid(), settings.REDIS_URL)
        with self.lock:
            if self.source == source:
                return
            self.source, self.alive = source, False
        self.reset()
        if source[1]:
            threading.Thread(target=self._listen, args=(source,), name="api-hotcache", daemon=True).start()

    def _listen(self, source) -> None:
        import redis

        failing = False
        while self.source == source:
            pubsub = None
            try:
                # A connection of its own: the request path's single connection must never wait on this.
                client = redis.Redis.from_url(source[1], socket_connect_timeout=store.TIMEOUT, socket_timeout=1)
                pubsub = client.pubsub()
                pubsub.subscribe(channel(source[1]))
                heard = last_ping = time.monotonic()
                while self.source == source:
                    now = time.monotonic()
                    if now - heard > SILENCE_LIMIT:
                        raise ConnectionError("no word from Redis")  # paused, or a silent partition
                    if now - last_ping >= PING_EVERY:
                        pubsub.ping()
                        last_ping = now
                    message = pubsub.get_message(timeout=PING_EVERY / 2)
                    if message is None or self.source != source:
                        continue
                    heard = self.last_heard = time.monotonic()
                    if message["type"] == "subscribe":
                        self.reset()  # anything copied before the subscription is not trusted
                        self.alive, failing = True, False
                    elif message["type"] == "message":
                        kind, _sep, value = message["data"].decode().partition(":")
                        self.invalidate(kind, value or None)
            except Exception:  # Redis went away: stop trusting copies, try again shortly
                if not failing:  # once per outage, not every retry
                    logger.warning("API hot cache: subscription lost; retrying", exc_info=True)
                failing = True
            finally:
                if pubsub is not None:
                    pubsub.close()
            if self.source == source:
                self.alive = False
                self.reset()
            time.sleep(PING_EVERY)

    # --- copies ---------------------------------------------------------------------------------

    def key(self, key_hash: str) -> dict | None:
        held = self.keys.get(key_hash)
        if held is None or time.monotonic() - held[0] > MAX_AGE or not self.healthy():
            return None
        return held[1]

    def put_key(self, epoch: int, key_hash: str, info: dict) -> None:
        if not self.healthy():
            return
        with self.lock:
            if epoch == self.epoch:  # else an invalidation happened since it was read
                self.keys[key_hash] = (time.monotonic(), info)

    def get(self, key_hash: str, digest: str):
        """(key info, answer) if both are held, fresh, and the channel is healthy; else None."""
        held_key = self.keys.get(key_hash)
        held_answer = self.responses.get(digest)
        if held_key is None or held_answer is None:
            return None
        now = time.monotonic()
        if now - held_key[0] > MAX_AGE or now - held_answer[0] > MAX_AGE or not self.healthy():
            return None
        return held_key[1], held_answer[1]

    def put(self, epoch: int, digest: str, answer: tuple) -> None:
        if not self.healthy():
            return
        with self.lock:
            if epoch != self.epoch:
                return
            previous = self.responses.pop(digest, None)
            self.bytes += len(answer[2]) - (len(previous[1][2]) if previous else 0)
            self.responses[digest] = (time.monotonic(), answer)
            while self.bytes > MAX_BYTES and self.responses:
                _digest, (_at, evicted) = self.responses.popitem(last=False)
                self.bytes -= len(evicted[2])

    def held(self, space: str, name: str):
        """A copy another part holds (``hold``), if fresh and the channel is healthy; else None."""
        copy = self.copies.get((space, name))
        if copy is None or time.monotonic() - copy[0] > MAX_AGE or not self.healthy():
            return None
        return copy[1]

    def hold(self, epoch: int, space: str, name: str, value) -> None:
        """Hold ``value`` read when the epoch was ``epoch`` (not if anything was invalidated since)."""
        if value is None or not self.healthy():
            return
        with self.lock:
            if epoch == self.epoch:
                if len(self.copies) >= MAX_HELD:
                    self.copies.clear()
                self.copies[(space, name)] = (time.monotonic(), value)

    # --- throttling and last use ----------------------------------------------------------------

    def throttle(self, key_hash: str, now: float) -> float | None:
        """None if the request may go on, else the seconds until the key's window ends.

        Tokens are reserved in the shared count a batch at a time, so a key can exceed its limit by at
        most one batch per process. Not counted (Redis unreachable): let it through.
        """
        period, limit = settings.API_RATE_PERIOD, settings.API_RATE_LIMIT
        window = int(now // period)
        with self.lock:
            held_window, left = self.tokens.get(key_hash, (window, 0))
            if held_window == window and left > 0:
                self.tokens[key_hash] = (window, left - 1)
                return None
        batch = max(1, min(TOKEN_BATCH, limit // 10))
        total = store.count_requests(key_hash, window, batch)
        if total is None:
            return None
        granted = min(batch, limit - (total - batch))
        if granted <= 0:
            return (window + 1) * period - now
        with self.lock:
            self.tokens[key_hash] = (window, granted - 1)
        return None

    def due_for_last_use(self, key_hash: str, every: float) -> bool:
        now = time.monotonic()
        if key_hash in self.used_at and now - self.used_at[key_hash] < every:
            return False
        self.used_at[key_hash] = now
        return True


hot = HotCache()
os.register_at_fork(after_in_child=hot.forked)
setting_changed.connect(hot.forget_listener)


def channel(url: str | None = None) -> str:
    from redis.connection import parse_url

    return f"{CHANNEL}:{parse_url(url or settings.REDIS_URL).get('db', 0)}"


def publish(kind: str, value: str = "", must_arrive: bool = False) -> None:
    """Tell every process to drop its copies (this one first, at once)."""
    hot.invalidate(kind, value or None)
    if settings.REDIS_URL:
        send(f"{kind}:{value}", must_arrive)


def send(message: str, must_arrive: bool = False) -> bool:
    """Publish on the channel; False if Redis could not take it.

    ``must_arrive`` (a revocation): if Redis fails, keep trying until the message is sent or
    ``SILENCE_LIMIT`` has passed: by then every process that cannot hear Redis has stopped trusting its
    copies. Otherwise (a brand change) one try: copies live ``MAX_AGE`` at most anyway.
    """
    # The margin covers a listener elsewhere that read its last pong a little late.
    deadline = time.monotonic() + (SILENCE_LIMIT + 0.25 if must_arrive else 0)
    while True:
        client = store.redis_client(ignore_breaker=must_arrive)
        try:
            if client is not None:
                client.publish(channel(), message)
                return True
        except (RedisError, OSError):
            store.trip()
        if time.monotonic() >= deadline:
            logger.warning("API hot cache: could not publish %s", message)
            return False
        time.sleep(0.1)
