"""Property-based fuzzing of the partner API against its own OpenAPI schema (Schemathesis).

Every operation gets generated requests, valid and invalid, sent with a valid key; no answer may be a
server error, and every answer must match the schema (status codes, headers, content type, body) and
refuse what the schema forbids. Examples are bounded so the run stays within a few minutes in CI.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
# Schemathesis asks for the key while collecting, before any test database exists: a fixed key, whose
# hash the fixture stores for each test.
FUZZ_KEY = "hita_fuzzfuzz_" + "k" * 43


@schema.auth()
class PartnerKey:
    def get(self, case, context):
        return FUZZ_KEY

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def fuzz_key(db, settings, editor, manager):
    from brandhub.models import ApiKey
    from campaigns.choices import ContentStatus
    from tests.api.feed_data import Feed
    from tests.factories import BrandFactory

    settings.API_RATE_LIMIT = 1_000_000
    cantina = BrandFactory(slug="cantina-sole", stores=[{"platform": "jd"}], products=[{"code": "A", "name_it": "x"}])
    BrandFactory(slug="maglificio-arno", category="fashion")
    # Published content (with a creative) and an item not yet out, for the feed's endpoints.
    feed = Feed(editor, manager)
    campaign = feed.campaign([cantina])
    feed.published(campaign, [cantina])
    feed.item(campaign, [cantina], status=ContentStatus.SCHEDULED)
    ApiKey.objects.create(
        name="Fuzzer",
        prefix="fuzzfuzz",
        key_hash=ApiKey.hash(FUZZ_KEY),
        scopes=["brands:read", "calendar:read", "campaigns:read"],
    )
    # Requests go straight to the WSGI app: keep Django from closing the test's database connection
    # after each one (Django's own test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield FUZZ_KEY
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# CI explores the same examples every run (a failure there is reproducible); developers get new ones.
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=os.environ.get("CI") == "true",
)
def test_api_answers_match_the_schema(case, fuzz_key):
    case.call_and_validate()
