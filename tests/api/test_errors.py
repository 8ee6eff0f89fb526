"""Every error under /api/ has the API's JSON shape, a server error included; people still get pages."""

import pytest
from django.test import Client, RequestFactory

from brandhub.urls import handler500
from brands.api.views import BrandDetailView
from tests.api.mixins import assert_error
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db


def test_an_unhandled_error_under_api_is_a_json_500(make_key, monkeypatch):
    brand = BrandFactory()

    def broken(self, request, slug):
        raise RuntimeError("a bug")

    monkeypatch.setattr(BrandDetailView, "get", broken)
    client = Client(raise_request_exception=False)
    response = client.get(f"/api/v1/brands/{brand.slug}/", HTTP_AUTHORIZATION=f"Bearer {make_key()}")
    assert response["Content-Type"] == "application/json"
    assert_error(response, 500, "server_error")
    assert response.json()["error"]["details"] == {}


def test_a_server_error_outside_the_api_is_still_a_page():
    response = handler500(RequestFactory().get("/brands/"))
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
