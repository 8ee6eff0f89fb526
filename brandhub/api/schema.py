"""Shared pieces of the OpenAPI description: the error shape every endpoint answers with, and the parameters
every endpoint (language) and every list (cursor, page size) takes."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .base import LANGUAGES


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
    500: OpenApiResponse(ErrorSerializer, description="Server error"),
}


NOT_MODIFIED = OpenApiResponse(description="Not modified")

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=list(LANGUAGES),
    description="Texts in one language (zh-hant is converted from zh-hans) or `all` three. "
    "Default: from Accept-Language, else all.",
)

PAGING_PARAMETERS = [
    OpenApiParameter("cursor", {"type": "string", "pattern": "^[0-9]{1,18}$"}, description="Taken from `next`."),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
        description=f"Default {settings.API_PAGE_SIZE}.",
    ),
]


def filter_parameters(filterset_class) -> list:
    """OpenAPI query parameters for a FilterSet's filters (names, types and choices), for non-generic views.

    Empty values are refused by ``ApiView``, so strings are described with ``minLength: 1``.
    """
    import django_filters

    from .filters import IdFilter

    parameters = []
    for name, flt in filterset_class.base_filters.items():
        # Django form fields refuse NUL characters; the schema says so.
        schema = {"type": "string", "minLength": 1, "pattern": "^[^\\x00]+$"}
        if isinstance(flt, django_filters.ChoiceFilter):
            schema = {"type": "string", "enum": [value for value, _label in flt.extra.get("choices", [])]}
        elif isinstance(flt, IdFilter):
            schema = {"type": "integer", "minimum": flt.extra["min_value"], "maximum": flt.extra["max_value"]}
        elif isinstance(flt, django_filters.NumberFilter):
            schema = {"type": "number"}
        elif isinstance(flt, django_filters.BooleanFilter):
            schema = {"type": "boolean"}
        elif isinstance(flt, django_filters.IsoDateTimeFilter):
            schema = {"type": "string", "format": "date-time"}
        parameters.append(OpenApiParameter(name, schema, description=str(flt.label or "")))
    return parameters
