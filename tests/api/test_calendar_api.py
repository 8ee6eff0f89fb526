import pytest

from tests.api.mixins import ApiEndpointChecks, assert_error

pytestmark = pytest.mark.django_db


class TestCalendar(ApiEndpointChecks):
    scope = "calendar:read"

    def url(self, rows):
        return "/api/v1/calendar/?year=2027"

    def make_rows(self, n):
        # The calendar's rows are festivals: add inactive copies, which must not change the queries.
        from campaigns.models import Festival

        start = Festival.objects.count()
        fields = {"name": "x", "name_en": "x", "rule_kind": "fixed", "month": 3, "categories": ["fashion"]}
        return [Festival.objects.create(key=f"extra-{start + i}", day=1 + i % 28, **fields) for i in range(n)]


def test_calendar_matches_the_reference_dates(api, make_key):
    body = api("/api/v1/calendar/?year=2027", make_key()).json()
    dates = {o["key"]: o["date"] for o in body["results"]}
    assert dates["spring-festival"] == "2027-02-06" and dates["qixi"] == "2027-08-08"
    assert dates["black-friday"] == "2027-11-26"


def test_calendar_year_outside_the_range_is_400(api, make_key):
    response = api("/api/v1/calendar/?year=2150", make_key())
    assert_error(response, 400, "invalid")
    assert "1900" in response.json()["error"]["details"]["year"][0]


def test_calendar_etag_304(api, make_key):
    key = make_key()
    etag = api("/api/v1/calendar/?year=2027", key)["ETag"]
    assert api("/api/v1/calendar/?year=2027", key, HTTP_IF_NONE_MATCH=etag).status_code == 304
