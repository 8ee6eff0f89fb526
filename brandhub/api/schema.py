"""Shared pieces of the OpenAPI description: the error shape every endpoint answers with."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="not_authenticated, authentication_failed, missing_scope, not_found, ...")
    message = serializers.CharField()
    details = serializers.DictField(help_text="Per-field messages for invalid parameters.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid parameters"),
    401: OpenApiResponse(ErrorSerializer, description="Missing, invalid, revoked or expired key"),
    403: OpenApiResponse(ErrorSerializer, description="The key lacks the scope"),
    404: OpenApiResponse(ErrorSerializer, description="Not found (or not visible to this key)"),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After"),
}


def filter_parameters(filterset_class) -> list:
    """OpenAPI query parameters for a FilterSet's filters (names, types and choices), for non-generic views."""
    import django_filters
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter

    parameters = []
    for name, flt in filterset_class.base_filters.items():
        kind, enum = OpenApiTypes.STR, None
        if isinstance(flt, django_filters.ChoiceFilter):
            enum = [value for value, _label in flt.extra.get("choices", [])] or None
        elif isinstance(flt, django_filters.NumberFilter):
            kind = OpenApiTypes.NUMBER
        elif isinstance(flt, django_filters.BooleanFilter):
            kind = OpenApiTypes.BOOL
        elif isinstance(flt, django_filters.IsoDateTimeFilter):
            kind = OpenApiTypes.DATETIME
        parameters.append(OpenApiParameter(name, kind, enum=enum, description=str(flt.label or "")))
    return parameters
