"""Checks every partner endpoint must pass, written once (NetBox-style API test mixin).

A test class sets ``scope`` and implements ``url(rows)`` and ``make_rows(n)``; brand endpoints add
``BrandRestrictedChecks`` and implement ``brand_of(row)`` and ``check_restriction(api, key, rows)``.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["status"] == status and body["message"]
    if code:
        assert body["code"] == code


@pytest.mark.django_db
class ApiEndpointChecks:
    scope = ""
    writes: tuple = ()  # the unsafe methods the endpoint takes (every other one must answer 405)

    def url(self, rows):
        raise TypeError(f"{type(self).__name__} must define url(rows)")

    def make_rows(self, n):
        raise TypeError(f"{type(self).__name__} must define make_rows(n)")

    def test_anonymous_gets_401_with_www_authenticate(self, api):
        response = api(self.url(self.make_rows(1)))
        assert_error(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"].startswith("Bearer")

    @pytest.mark.parametrize("header", ["Bearer hita_nope_nope", "Basic dXNlcjpwYXNz", "Bearer"])
    def test_bad_key_gets_401(self, client, header):
        response = client.get(self.url(self.make_rows(1)), HTTP_AUTHORIZATION=header)
        assert_error(response, 401, "authentication_failed")

    def test_revoked_key_gets_401(self, api, make_key):
        assert_error(api(self.url(self.make_rows(1)), make_key([self.scope], revoked=True)), 401)

    def test_key_revoked_after_use_stops_at_once(self, api, make_key, django_capture_on_commit_callbacks):
        from brandhub.models import ApiKey
        from brandhub.services import apikey_revoke

        key = make_key([self.scope])
        url = self.url(self.make_rows(1))
        assert api(url, key).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            apikey_revoke(actor=None, api_key=ApiKey.objects.get(key_hash=ApiKey.hash(key)))
        assert_error(api(url, key), 401)

    def test_expired_key_gets_401(self, api, make_key, yesterday):
        assert_error(api(self.url(self.make_rows(1)), make_key([self.scope], expires_at=yesterday)), 401)

    def test_key_without_the_scope_gets_403(self, api, make_key):
        other = "webhooks:manage" if self.scope != "webhooks:manage" else "brands:read"
        assert_error(api(self.url(self.make_rows(1)), make_key([other])), 403, "missing_scope")

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_unsafe_methods_get_405(self, api, make_key, method):
        if method in self.writes:
            pytest.skip(f"{method.upper()} is part of this endpoint: its own tests check it")
        assert_error(api(self.url(self.make_rows(1)), make_key([self.scope]), method=method), 405)

    def test_query_count_is_the_same_for_1_and_50_rows(self, api, make_key):
        from brandhub.api.hotcache import hot

        key = make_key([self.scope])
        one = self.make_rows(1)
        api(self.url(one), key)  # first use: key lookup and last-use write happen once

        def count(rows):
            # The database path: no answer held in memory from before (rows made in a test transaction never
            # commit, so nothing would drop it), and the same key lookup for both counts.
            hot.reset()
            with CaptureQueriesContext(connection) as ctx:
                assert api(self.url(rows), key).status_code == 200
            return len(ctx.captured_queries)

        few = count(one)
        assert count(one + self.make_rows(49)) == few


class BrandRestrictedChecks:
    """For endpoints that serve brand data: a key limited to some brands sees only those."""

    def test_brand_restricted_key_sees_only_its_brands(self, api, make_key):
        rows = self.make_rows(2)
        key = make_key([self.scope], brands=[self.brand_of(rows[0])])
        self.check_restriction(api, key, rows)
