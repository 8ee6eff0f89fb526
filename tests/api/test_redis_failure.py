"""The API when Redis fails: answers from the database, never a 5xx, and a revoked key stops at once.

Each test breaks a ``redis-server`` of its own (``own_redis``: SIGKILL, or SIGSTOP for a pause), never the
shared one. They need Redis, so they run in CI's PostgreSQL + Redis pass and skip in the embedded one.
"""

import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brandhub.api import hotcache, store
from brandhub.api.hotcache import hot
from brandhub.models import ApiKey
from tests.api.servers import wait_for
from tests.factories import BrandFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: runs in CI's PostgreSQL + Redis pass"),
]


@pytest.fixture
def partner(api, make_key):
    """A brand, a key and a round of requests that covers 200, 304 and 4xx answers, warmed into memory."""
    brand = BrandFactory()
    key = make_key()
    detail = f"/api/v1/brands/{brand.slug}/"
    etag = api(detail, key)["ETag"]
    rounds = [
        (detail, key, {}, 200),
        ("/api/v1/brands/", key, {}, 200),
        (detail, key, {"HTTP_IF_NONE_MATCH": etag}, 304),
        ("/api/v1/brands/nope/", key, {}, 404),
        (detail, "hita_nope_nope", {}, 401),
        ("/api/v1/brands/?lang=fr", key, {}, 400),
    ]

    def run(times: int, during=None) -> list[int]:
        """Ask every request of the round ``times`` times; ``during(i)`` runs before round i."""
        statuses = []
        for i in range(times):
            if during:
                during(i)
            for url, with_key, headers, expected in rounds:
                response = api(url, with_key, **headers)
                assert response.status_code == expected, (url, response.status_code, response.content)
                if expected != 304:
                    assert response["Content-Type"] == "application/json"
                statuses.append(response.status_code)
        return statuses

    assert wait_for(hot.healthy)
    run(2)  # now held in memory
    assert hot.responses
    return SimpleNamespace(key=key, detail=detail, run=run)


def served_from_memory(api, url, key) -> bool:
    with CaptureQueriesContext(connection) as ctx:
        assert api(url, key).status_code == 200
    return ctx.captured_queries == []


def test_api_answers_from_the_database_when_redis_is_killed_mid_run(api, own_redis, partner):
    key, detail, run = partner.key, partner.detail, partner.run
    statuses = run(20, during=lambda i: i == 5 and own_redis.kill())
    assert max(statuses) < 500
    assert not hot.healthy()
    assert not served_from_memory(api, detail, key)  # checked in the database


def test_api_answers_from_the_database_while_redis_is_paused(api, own_redis, partner):
    key, detail, run = partner.key, partner.detail, partner.run
    own_redis.pause()
    paused = time.monotonic()
    try:
        statuses = run(5)
        assert wait_for(lambda: not hot.healthy(), hotcache.SILENCE_LIMIT + 1)
        assert time.monotonic() - paused <= hotcache.SILENCE_LIMIT + 1
        statuses += run(5)
        assert not served_from_memory(api, detail, key)
    finally:
        own_redis.resume()
    assert max(statuses) < 500


@pytest.mark.parametrize("failure", ["kill", "pause"])
def test_the_fast_path_resumes_when_redis_comes_back(api, own_redis, partner, failure):
    key, detail, run = partner.key, partner.detail, partner.run
    getattr(own_redis, failure)()
    assert wait_for(lambda: not hot.healthy(), hotcache.SILENCE_LIMIT + 1)
    run(2)
    own_redis.start() if failure == "kill" else own_redis.resume()
    assert wait_for(hot.healthy, 10)
    api(detail, key)
    assert served_from_memory(api, detail, key)


def test_requests_do_not_each_wait_for_a_redis_timeout(api, own_redis, partner, settings):
    """The breaker: after a failure Redis is skipped for a while, so a paused Redis costs one timeout, not one
    a request (a limit of 10 makes every request reserve its throttle token in Redis)."""
    key, detail = partner.key, partner.detail
    settings.API_RATE_LIMIT = 10
    own_redis.pause()
    try:
        slow = 0
        for _ in range(30):
            begun = time.monotonic()
            assert api(detail, key).status_code == 200
            slow += time.monotonic() - begun >= store.TIMEOUT
    finally:
        own_redis.resume()
    assert slow <= 3  # one a breaker period (2 s), not 30


@pytest.mark.parametrize("failure", ["kill", "pause"])
def test_a_key_revoked_while_redis_fails_stops_at_the_next_request(api, own_redis, partner, failure):
    """Another process revokes the key while no message can get through: this process must not trust its copy
    of the key by the time the revocation returns."""
    key, detail = partner.key, partner.detail
    assert served_from_memory(api, detail, key)
    getattr(own_redis, failure)()
    try:
        # The other process: the database write, then the message it cannot send (this process's copies are
        # not touched by it).
        ApiKey.objects.filter(key_hash=ApiKey.hash(key)).update(revoked_at=timezone.now())
        started = time.monotonic()
        assert hotcache.send(f"key:{ApiKey.hash(key)}", must_arrive=True) is False
        # Bounded by the silence limit (with room for a loaded machine), not a hang for the socket timeout.
        assert time.monotonic() - started <= hotcache.SILENCE_LIMIT + store.TIMEOUT + 1.0
        assert api(detail, key).status_code == 401
    finally:
        own_redis.resume()


def test_a_key_revoked_by_the_service_while_redis_is_paused_stops_at_once(
    api, own_redis, partner, django_capture_on_commit_callbacks
):
    from brandhub.services import apikey_revoke

    key, detail = partner.key, partner.detail
    own_redis.pause()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            apikey_revoke(actor=None, api_key=ApiKey.objects.get(key_hash=ApiKey.hash(key)))
        assert api(detail, key).status_code == 401
    finally:
        own_redis.resume()


# --- the same under gunicorn: several processes, each with its own copies ------------------------------


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def load(server, requests, seconds: float, actions: dict, threads: int = 4, most: int = 4000) -> list:
    """Send ``requests`` (path, headers, expected statuses) round-robin from a few threads for ``seconds``;
    ``actions`` maps a second to a call made then. Returns (path, status, content type) per answer."""
    from concurrent.futures import ThreadPoolExecutor

    answers, deadline = [], time.monotonic() + seconds

    def worker(offset):
        i = offset
        while time.monotonic() < deadline and len(answers) < most:
            path, headers, _expected = requests[i % len(requests)]
            status, content_type, _body = server.get(path, headers)
            answers.append((path, status, content_type, requests[i % len(requests)][2]))
            i += 1

    with ThreadPoolExecutor(threads) as pool:
        started = time.monotonic()
        futures = [pool.submit(worker, n) for n in range(threads)]
        for at, action in sorted(actions.items()):
            time.sleep(max(0, started + at - time.monotonic()))
            action()
        for future in futures:
            future.result()
    return answers


def assert_answered(answers, least: int = 20) -> None:
    assert len(answers) >= least
    wrong = [(path, status) for path, status, content_type, expected in answers if status not in expected]
    assert wrong == [], wrong[:10]
    assert all(ct == "application/json" for _p, status, ct, _e in answers if status != 304)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_under_gunicorn_redis_killed_or_paused_mid_run_never_gives_5xx_and_revocations_hold(
    own_redis, make_key, tmp_path
):
    from brandhub.services import apikey_revoke
    from tests.api.servers import Gunicorn

    if connection.vendor != "postgresql":
        pytest.skip("gunicorn workers need a database server")
    brand = BrandFactory(city="Firenze")
    key, second_key = make_key(), make_key()
    detail = f"/api/v1/brands/{brand.slug}/"
    auth = {"Authorization": f"Bearer {key}"}
    server = Gunicorn(database_url(), own_redis.url, tmp_path).start()
    try:
        assert server.get(detail, auth)[0] == 200
        requests = [
            (detail, auth, {200}),
            ("/api/v1/brands/?page_size=10", auth, {200}),
            ("/api/v1/brands/nope/", auth, {404}),
            (detail, {"Authorization": "Bearer hita_nope_nope"}, {401}),
            (detail, {}, {401}),
        ]
        channel = hotcache.channel(own_redis.url)

        def every_worker_listens():
            load(server, requests, 0.2, {})
            return own_redis.subscribers(channel) == 2

        assert wait_for(every_worker_listens, 20, every=0.1)

        # Killed mid-run: every answer from the database, none a 5xx.
        assert_answered(load(server, requests, 3.0, {1.0: own_redis.kill}))

        # Back on the same port: the workers subscribe again and answer from memory (a raw SQL change of the
        # stored document is not seen at once, as no message announced it) ...
        own_redis.start()
        assert wait_for(lambda: own_redis.subscribers(channel) == 2, 10, every=0.1)
        load(server, requests, 0.5, {})
        with connection.cursor() as cursor:
            cursor.execute("UPDATE brands_branddocument SET body_all = replace(body_all, 'Firenze', 'Lucca')")
        assert all(b"Firenze" in server.get(detail, auth)[2] for _ in range(20))
        # ... and within 5 seconds.
        time.sleep(hotcache.MAX_AGE + 0.2)
        assert all(b"Lucca" in server.get(detail, auth)[2] for _ in range(10))

        # Paused for 3 seconds mid-run: the same.
        assert_answered(load(server, requests, 5.0, {1.0: own_redis.pause, 4.0: own_redis.resume}))

        # Revoked by the service while Redis is paused: stopped in every worker when the revocation returns.
        assert wait_for(lambda: own_redis.subscribers(channel) == 2, 10, every=0.1)
        load(server, requests, 0.5, {})
        own_redis.pause()
        try:
            apikey_revoke(actor=None, api_key=ApiKey.objects.get(key_hash=ApiKey.hash(key)))
            assert {server.get(detail, auth)[0] for _ in range(20)} == {401}
        finally:
            own_redis.resume()

        # Revoked with raw SQL (no message at all): stopped within 5 seconds.
        second = {"Authorization": f"Bearer {second_key}"}
        assert {server.get(detail, second)[0] for _ in range(20)} == {200}
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE brandhub_apikey SET revoked_at = now() WHERE key_hash = %s", [ApiKey.hash(second_key)]
            )
        time.sleep(hotcache.MAX_AGE + 0.2)
        assert {server.get(detail, second)[0] for _ in range(20)} == {401}
    finally:
        server.stop()
