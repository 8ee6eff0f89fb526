import re

import pytest

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_lists_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/brands/",
        "/api/v1/brands/{slug}/",
        "/api/v1/calendar/",
        "/api/v1/content/",
        "/api/v1/content/{id}/",
        "/api/v1/content/{id}/creatives/{creative_id}/{rendition}/",
        "/api/v1/campaigns/",
        "/api/v1/campaigns/{id}/",
    } <= set(schema["paths"])
    assert "v2" in schema["info"]["description"]  # the versioning policy is stated to partners


def test_docs_are_served_from_our_own_static_files(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger" in page.lower()
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)
