"""Stored API documents: versioned, rebuilt by ``manage.py rebuild_api_documents``, never written by a GET."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brandhub.api.hotcache import hot
from brands.api.documents import DOCUMENT_VERSION, document_version
from brands.models import BrandDocument
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(ctx, but_last_use=False):
    found = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip('"').upper().startswith(WRITES)]
    if but_last_use:  # the last-use mark, at most once per key every 5 minutes
        found = [sql for sql in found if not ("brandhub_apikey" in sql and "last_used_at" in sql)]
    return found


def test_a_document_carries_the_serializer_version_and_the_base_url(settings):
    brand = BrandFactory()
    assert brand.document.version == document_version()
    assert document_version().startswith(f"{DOCUMENT_VERSION}:")
    settings.PUBLIC_BASE_URL = "https://brandhub.example.com"
    assert brand.document.version != document_version()


@pytest.mark.parametrize("lang", ["", "?lang=zh-hant"])
def test_an_api_get_with_a_stale_document_answers_without_a_write(api, make_key, settings, lang):
    brands = [BrandFactory(city="Firenze") for _ in range(2)]
    BrandDocument.objects.update(version="0:old")
    settings.PUBLIC_BASE_URL = "https://elsewhere.example.com"
    key = make_key()
    for url in (f"/api/v1/brands/{brands[0].slug}/{lang}", f"/api/v1/brands/{lang}"):
        hot.reset()
        with CaptureQueriesContext(connection) as ctx:
            assert api(url, key).status_code == 200
        assert writes(ctx, but_last_use=True) == []
    with CaptureQueriesContext(connection) as ctx:
        assert api(f"/api/v1/brands/{lang}", key).status_code == 200
    assert writes(ctx) == []  # the last use was marked once, not again
    assert set(BrandDocument.objects.values_list("version", flat=True)) == {"0:old"}


def test_brands_without_documents_are_answered_without_storing_them(api, make_key):
    """Regression: a page with a brand lacking its document was a 500; then a GET wrote the document."""
    brands = [BrandFactory() for _ in range(3)]
    BrandDocument.objects.filter(brand=brands[1]).delete()
    key = make_key()
    api("/api/v1/brands/?lang=it", key)  # the last use is marked once
    with CaptureQueriesContext(connection) as ctx:
        page = api("/api/v1/brands/", key)
        one = api(f"/api/v1/brands/{brands[1].slug}/", key)
        again = api(f"/api/v1/brands/{brands[1].slug}/", key, HTTP_IF_NONE_MATCH=one["ETag"])
    assert [b["slug"] for b in page.json()["results"]] == [b.slug for b in brands]
    assert one.json()["slug"] == brands[1].slug and again.status_code == 304
    assert writes(ctx) == [] and BrandDocument.objects.count() == 2


def test_rebuild_api_documents_rebuilds_only_the_old_ones(settings, capsys):
    current, old, missing = (BrandFactory() for _ in range(3))
    BrandDocument.objects.filter(brand=old).update(version="0:old", body_all="{}")
    BrandDocument.objects.filter(brand=missing).delete()
    before = BrandDocument.objects.get(brand=current)
    call_command("rebuild_api_documents")
    assert "2 document(s) rebuilt" in capsys.readouterr().out
    documents = {d.brand_id: d for d in BrandDocument.objects.all()}
    assert set(documents) == {current.pk, old.pk, missing.pk}
    assert {d.version for d in documents.values()} == {document_version()}
    assert documents[old.pk].body_all != "{}"
    assert documents[current.pk].body_all == before.body_all


def test_rebuild_api_documents_after_public_base_url_changes_rewrites_image_urls(settings, capsys):
    from brands.models import ImageAsset

    logo = ImageAsset.objects.create(file="logos/a.png", format="PNG", width=8, height=8, size=100, sha256="0" * 64)
    brand = BrandFactory(logo=logo)
    assert brand.document.body_all.count(settings.PUBLIC_BASE_URL) > 0
    settings.PUBLIC_BASE_URL = "https://cdn.example.com"
    call_command("rebuild_api_documents")
    assert "1 document(s) rebuilt" in capsys.readouterr().out
    assert "https://cdn.example.com/" in BrandDocument.objects.get(brand=brand).body_all
    call_command("rebuild_api_documents")
    assert "0 document(s) rebuilt" in capsys.readouterr().out
    call_command("rebuild_api_documents", "--all")
    assert "1 document(s) rebuilt" in capsys.readouterr().out
