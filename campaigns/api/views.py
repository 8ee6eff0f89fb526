"""``/api/v1/calendar/``: the year's festival occurrences, the same data as ``manage.py calendar``."""

import orjson
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers

from brandhub.api.base import ApiView, json_response, not_modified, not_modified_response, strong_etag
from brandhub.api.schema import ERROR_RESPONSES
from campaigns.calendar import MAX_YEAR, MIN_YEAR, CalendarError
from campaigns.selectors import festival_occurrences


class OccurrenceSerializer(serializers.Serializer):
    key = serializers.CharField()
    year = serializers.IntegerField()
    name_it = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()
    date = serializers.DateField()
    end_date = serializers.DateField()
    window_start = serializers.DateField()
    peak = serializers.DateField()
    window_end = serializers.DateField()
    content_due = serializers.DateField()
    ship_by = serializers.DateField(allow_null=True)
    signup = serializers.DateField(allow_null=True)
    categories = serializers.ListField(child=serializers.CharField())


class CalendarSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    results = OccurrenceSerializer(many=True)


class CalendarView(ApiView):
    """The festivals of the Chinese online shopping calendar in a year: day, campaign window and deadlines."""

    required_scope = "calendar:read"
    query_parameters = frozenset({"year", "category"})

    @extend_schema(
        operation_id="calendar_retrieve",
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
                description="Default: this year (China time).",
            ),
            OpenApiParameter("category", OpenApiTypes.STR, enum=["lifestyle", "food_beverage", "fashion"]),
        ],
        responses={200: CalendarSerializer, 304: OpenApiResponse(description="Not modified"), **ERROR_RESPONSES},
        tags=["calendar"],
    )
    def get(self, request):
        raw_year = request.query_params.get("year")
        category = request.query_params.get("category", "")
        if raw_year is not None and not (raw_year.isdigit() and len(raw_year) <= 4):
            raise exceptions.ValidationError({"year": [f"Give a year from {MIN_YEAR} to {MAX_YEAR}."]})
        if category not in ("", "lifestyle", "food_beverage", "fashion"):
            raise exceptions.ValidationError({"category": ["Use lifestyle, food_beverage or fashion."]})
        year = int(raw_year) if raw_year else timezone.localdate().year
        try:
            results = [o.as_dict() for o in festival_occurrences(year, category)]
        except CalendarError as exc:
            raise exceptions.ValidationError({"year": [str(exc)]}) from exc
        body = orjson.dumps({"year": year, "results": results})
        etag = strong_etag(body)
        if not_modified(request, etag, None):
            return not_modified_response(etag, None)
        return json_response(body, etag, None)
