"""Per-process copies of what the fast path reads from Redis, kept current by Redis pub/sub.

A worker that has answered a request once can answer the same request again without any network
round trip: the key's lookup and the answer are held in memory, and throttling draws from a small
batch of tokens reserved in Redis (one round trip per ``TOKEN_BATCH`` requests).

Nothing here may serve stale data for longer than a message takes to arrive:
- every brand change bumps the generation and publishes ``gen``; every key revocation publishes
  ``key``; a listener thread drops the copies at once (and the process that made the change drops
  its own copies before returning, so it never even sees that delay);
- copies are used only while the subscription is confirmed alive and heard from (a ping every few
  seconds; ten seconds of silence count as a lost connection, so a silent network partition cannot
  keep stale copies in use); when it drops, everything is dropped and the fast path falls back to its
  Redis round trip until it is back;
- a copy validated before an invalidation cannot be stored after it (an epoch counter guards it);
- a copy is used for ``MAX_AGE`` seconds at most, which bounds the harm of a message that was lost;
- a revoked key leaves a tombstone in Redis that every cache fill and the fast path check.
"""

import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings

from . import store

CHANNEL = "api:events"  # per Redis database (pub/sub itself spans databases): see ``channel()``
TOKEN_BATCH = 10
MAX_BYTES = 32 * 1024 * 1024  # answers held per process
PING_EVERY = 3.0  # seconds between liveness pings on the subscription
SILENCE_LIMIT = 10.0  # seconds without any word from Redis before the copies are no longer trusted
MAX_AGE = 30.0  # seconds a copy is used at most: bounds the harm of a lost invalidation message
logger = logging.getLogger(__name__)


class HotCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.epoch = 0  # bumped by every invalidation
        self.alive = False
        self.keys: dict[str, dict] = {}
        self.responses: OrderedDict[str, tuple] = OrderedDict()
        self.bytes = 0
        self.last_heard = 0.0  # monotonic time of the subscription's last message or pong
        self.tokens: dict[str, tuple[int, int]] = {}  # key hash -> (window, tokens left)
        self.used_at: dict[str, float] = {}
        self.pid = None

    # --- invalidation ---------------------------------------------------------------------------

    def invalidate(self, kind: str = "all", key_hash: str | None = None) -> None:
        with self.lock:
            self.epoch += 1
            self.responses.clear()
            self.bytes = 0
            if kind in ("key", "all"):
                if key_hash:
                    self.keys.pop(key_hash, None)
                else:
                    self.keys.clear()

    def reset(self) -> None:
        with self.lock:
            self.epoch += 1
            self.keys.clear()
            self.responses.clear()
            self.bytes = 0
            self.tokens.clear()
            self.used_at.clear()

    # --- the listener ---------------------------------------------------------------------------

    def ensure_listening(self) -> None:
        import os

        if self.pid == os.getpid():
            return
        self.pid = os.getpid()  # a forked worker starts its own listener
        self.alive = False
        self.reset()
        threading.Thread(target=self._listen, name="api-hotcache", daemon=True).start()

    def _listen(self) -> None:
        import redis

        while True:
            try:
                # A connection of its own: the request path's single connection must never wait on this.
                pubsub = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5).pubsub()
                pubsub.subscribe(channel())
                last_ping = 0.0
                while True:
                    now = time.monotonic()
                    if now - self.last_heard > SILENCE_LIMIT and self.alive:
                        raise ConnectionError("no word from Redis")  # a silent partition, not a clean error
                    if now - last_ping > PING_EVERY:
                        pubsub.ping()
                        last_ping = now
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    self.last_heard = time.monotonic()
                    if message["type"] == "subscribe":
                        self.reset()  # anything copied before the subscription is not trusted
                        self.alive = True
                    elif message["type"] == "message":
                        kind, _sep, value = message["data"].decode().partition(":")
                        self.invalidate(kind, value or None)
            except Exception:  # Redis went away: stop trusting copies, try again shortly
                logger.warning("API hot cache: subscription lost; retrying", exc_info=True)
            self.alive = False
            self.reset()
            time.sleep(1)

    # --- reads and writes -----------------------------------------------------------------------

    def get(self, key_hash: str, digest: str):
        """(key info, cached answer) if both are held and the subscription is alive, else None."""
        if not self.alive or time.monotonic() - self.last_heard > SILENCE_LIMIT:
            return None
        held_key = self.keys.get(key_hash)
        held_answer = self.responses.get(digest)
        if held_key is None or held_answer is None:
            return None
        now = time.monotonic()
        if now - held_key[0] > MAX_AGE or now - held_answer[0] > MAX_AGE:
            return None
        return held_key[1], held_answer[1]

    def put(self, epoch: int, key_hash: str, info: dict, digest: str, answer: tuple) -> None:
        with self.lock:
            if epoch != self.epoch or not self.alive:
                return  # an invalidation happened since this was validated
            now = time.monotonic()
            self.keys[key_hash] = (now, info)
            previous = self.responses.pop(digest, None)
            self.bytes += len(answer[2]) - (len(previous[1][2]) if previous else 0)
            self.responses[digest] = (now, answer)
            while self.bytes > MAX_BYTES and self.responses:
                _digest, (_at, evicted) = self.responses.popitem(last=False)
                self.bytes -= len(evicted[2])

    def take_token(self, key_hash: str, now: float) -> int | None:
        """Spend one reserved token; None when the batch is used up (the caller reserves more)."""
        window = int(now // settings.API_RATE_PERIOD)
        with self.lock:
            held_window, left = self.tokens.get(key_hash, (window, 0))
            if held_window != window or left <= 0:
                return None
            self.tokens[key_hash] = (window, left - 1)
            return left - 1

    def reserve(self, key_hash: str, now: float) -> bool:
        """Reserve a batch of this window's requests in Redis; False when the key is over its limit."""
        period, limit = settings.API_RATE_PERIOD, settings.API_RATE_LIMIT
        window = int(now // period)
        batch = max(1, min(TOKEN_BATCH, limit // 10 or 1))
        key = store.rate_key(key_hash, window)
        client = store.redis_client()
        if client is None:  # Redis just went away: let it through, like the ordinary path does
            return True
        pipe = client.pipeline(transaction=False)
        pipe.incrby(key, batch)
        pipe.expire(key, period + 1)
        total = pipe.execute()[0]
        granted = min(batch, limit - (total - batch))
        if granted <= 0:
            return False
        with self.lock:
            self.tokens[key_hash] = (window, granted - 1)
        return True

    def due_for_last_use(self, key_hash: str, now: float) -> bool:
        if now - self.used_at.get(key_hash, 0) < store.LAST_USED_SECONDS:
            return False
        self.used_at[key_hash] = now
        return True


hot = HotCache()


def channel() -> str:
    return f"{CHANNEL}:{store.redis_client().connection_pool.connection_kwargs.get('db', 0)}"


def publish(kind: str, value: str = "") -> None:
    """Tell every process (this one first, synchronously) to drop its copies."""
    hot.invalidate(kind, value or None)
    client = store.redis_client()
    if client is not None:
        client.publish(channel(), f"{kind}:{value}")
