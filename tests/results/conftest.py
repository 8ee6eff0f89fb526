"""Results test data: a campaign with an item and a creative for ``brand`` (and a shared one with ``other_brand``)."""

import datetime

import pytest

from campaigns.results.facts import FactChecker
from campaigns.results.models import MetricSource
from campaigns.results.services import facts_upsert, source_for
from tests.campaigns.conftest import add_creative, make_campaign, make_item


@pytest.fixture
def campaign(manager, brand, other_brand):
    return make_campaign(user=manager, brands=[brand, other_brand], year=2026, festival_key="double-11")


@pytest.fixture
def item(campaign, editor, brand):
    return make_item(campaign, author=editor, brands=[brand], channel="banner")


@pytest.fixture
def creative(item, editor):
    return add_creative(item, user=editor)


@pytest.fixture
def file_source(db):
    return source_for(MetricSource.Kind.FILE, "Tmall Brand Hub export")


def write(source, *values, brand_ids=None, today=datetime.date(2026, 12, 1), **kwargs):
    """Check raw rows as any way in does, then write them; every row must be good."""
    checker = FactChecker(brand_ids=brand_ids, today=today)
    rows = []
    for raw in values:
        row, issues = checker.check(raw)
        assert issues == [], [i.message() for i in issues]
        rows.append(row)
    return facts_upsert(source=source, rows=rows, **kwargs)
