"""``/api/v1/brands/``: brand data for partner platforms, served from pre-rendered documents.

A page is one query returning each brand's stored JSON in the asked language; the response is those
bytes joined, with a strong ETag over the page's document ETags. A conditional request that matches
is answered from the ETags alone, without reading or building any body.
"""

import orjson
from django.db.models import Max
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import get_object_or_404

from brandhub.api.base import (
    LANGUAGES,
    ApiView,
    decode_cursor,
    encode_cursor,
    json_response,
    negotiate_language,
    not_modified,
    not_modified_response,
    page_size,
    strong_etag,
)
from brandhub.api.schema import ERROR_RESPONSES, filter_parameters
from brands.filters import BrandApiFilterSet
from brands.models import Brand, BrandDocument

from .documents import documents_unsaved
from .serializers import BrandSerializer

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=list(LANGUAGES),
    description="Texts in one language (zh-hant is converted from zh-hans) or `all` three. "
    "Default: from Accept-Language, else all.",
)


class BrandPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="The next page's URL, or null on the last page.")
    results = BrandSerializer(many=True)


def _visible(request):
    queryset = Brand.objects.all()
    if request.auth.brand_ids is not None:
        queryset = queryset.filter(pk__in=request.auth.brand_ids)
    return queryset


def _page_rows(queryset, fields, size):
    """A page of rows. A brand without a stored document (none built yet) gets one rendered for this answer
    only: a GET never writes (``manage.py rebuild_api_documents`` stores them)."""
    rows = list(queryset.values_list(*fields)[: size + 1])
    missing = [row[0] for row in rows if row[1] is None]
    if missing:
        built = documents_unsaved(missing)
        names = [field.removeprefix("document__") for field in fields[1:]]
        rows = [row if row[1] is not None else (row[0], *(getattr(built[row[0]], n) for n in names)) for row in rows]
    return rows


class BrandListView(ApiView):
    """Brands, 50 a page by default, in the order they joined the registry (a stable cursor).

    For incremental sync, pass the time of your last sync as `updated_since`: a change to a brand's
    stores or products counts as a change of the brand. Archived brands are included with `archived: true`.
    """

    required_scope = "brands:read"
    cache_kind = "brands_list"
    query_parameters = frozenset({"lang", "cursor", "page_size", *BrandApiFilterSet.base_filters})

    @extend_schema(
        operation_id="brands_list",
        parameters=[
            LANG_PARAMETER,
            *filter_parameters(BrandApiFilterSet),
            OpenApiParameter(
                "cursor", {"type": "string", "pattern": "^[0-9]{1,18}$"}, description="Taken from `next`."
            ),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 200}, description="Default 50."),
        ],
        responses={200: BrandPageSerializer, 304: OpenApiResponse(description="Not modified"), **ERROR_RESPONSES},
        tags=["brands"],
    )
    def get(self, request):
        language = negotiate_language(request)
        size = page_size(request)
        after = decode_cursor(request.query_params.get("cursor"))
        filterset = BrandApiFilterSet(request.query_params, queryset=_visible(request))
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        queryset = filterset.qs.filter(pk__gt=after).order_by("pk")
        column = "document__" + BrandDocument.column(language)
        heads = ("pk", "document__etag", "document__updated_at")
        query = request.query_params.copy()
        query.pop("cursor", None)
        # A list changes when any brand the key may see changes (one leaving the page included).
        modified = _visible(request).aggregate(latest=Max("updated_at"))["latest"]
        if request.META.get("HTTP_IF_NONE_MATCH") or request.META.get("HTTP_IF_MODIFIED_SINCE"):
            rows = _page_rows(queryset, heads, size)
            etag = self._etag(rows, size, language, query)
            if not_modified(request, etag, modified):
                return not_modified_response(etag, modified)
        rows = _page_rows(queryset, (*heads, column), size)
        etag = self._etag(rows, size, language, query)
        more = len(rows) > size
        rows = rows[:size]
        if more:
            query["cursor"] = encode_cursor(rows[-1][0])
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}") if more else None
        body = b'{"next":' + orjson.dumps(next_url) + b',"results":[' + ",".join(r[3] for r in rows).encode() + b"]}"
        return json_response(body, etag, modified)

    @staticmethod
    def _etag(rows, size, language, query) -> str:
        return strong_etag(language, query.urlencode(), len(rows) > size, *(f"{r[0]}:{r[1]}" for r in rows[:size]))


class BrandDetailView(ApiView):
    """One brand by its slug, with stores, products, certifications and image renditions."""

    required_scope = "brands:read"
    cache_kind = "brands_detail"
    query_parameters = frozenset({"lang"})

    @extend_schema(
        operation_id="brands_retrieve",
        parameters=[LANG_PARAMETER],
        responses={200: BrandSerializer, 304: OpenApiResponse(description="Not modified"), **ERROR_RESPONSES},
        tags=["brands"],
    )
    def get(self, request, slug):
        language = negotiate_language(request)
        column = BrandDocument.column(language)
        queryset = _visible(request).filter(slug=slug)
        row = queryset.values_list("pk", "document__etag", "document__updated_at").first()
        if row is None:
            raise exceptions.NotFound()
        unsaved = documents_unsaved([row[0]])[row[0]] if row[1] is None else None
        if unsaved is not None:
            row = (row[0], unsaved.etag, unsaved.updated_at)
        etag, modified = f'"{row[1]}-{language}"', row[2]
        if not_modified(request, etag, modified):
            return not_modified_response(etag, modified)
        if unsaved is not None:
            body = getattr(unsaved, column)
        else:
            body = get_object_or_404(BrandDocument.objects.values_list(column, flat=True), brand_id=row[0])
        return json_response(body.encode(), etag, modified)
