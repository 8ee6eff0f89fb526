"""Background work through a real Celery worker on the configured broker (Redis, or the filesystem broker)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from brandhub.celery import app
from brands.models import Brand, CompletenessRule
from brands.services import completeness_rule_create
from tests.factories import BrandFactory


@pytest.fixture
def celery_worker():
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10) as worker:
        yield worker


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_new_rule_recomputes_every_brand_through_the_worker(celery_worker, manager):
    CompletenessRule.objects.all().delete()
    brands = [BrandFactory(cover=None) for _ in range(3)]
    assert {b.completeness for b in brands} == {100}
    completeness_rule_create(field="cover", user=manager)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if set(Brand.objects.values_list("completeness", flat=True)) == {0}:
            break
        time.sleep(0.2)
    assert list(Brand.objects.values_list("completeness", "completeness_missing")) == [(0, ["cover"])] * 3
