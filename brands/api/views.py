"""``/api/v1/brands/``: brand data for partner platforms, served from pre-rendered documents.

A page is one query returning each brand's stored JSON in the asked language; the response is those
bytes joined, with a strong ETag over the page's document ETags. A conditional request that matches
is answered from the ETags alone, without reading or building any body.
"""

from django.db.models import Max
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import get_object_or_404

from brandhub.api.base import (
    ApiView,
    CursorListView,
    json_response,
    negotiate_language,
    not_modified,
    not_modified_response,
)
from brandhub.api.schema import ERROR_RESPONSES, LANG_PARAMETER, NOT_MODIFIED, PAGING_PARAMETERS, filter_parameters
from brands.filters import BrandApiFilterSet
from brands.models import Brand, BrandDocument

from .documents import documents_unsaved
from .serializers import BrandSerializer

HEADS = ("pk", "document__etag", "document__updated_at")


class BrandPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="The next page's URL, or null on the last page.")
    results = BrandSerializer(many=True)


def _visible(request):
    queryset = Brand.objects.all()
    if request.auth.brand_ids is not None:
        queryset = queryset.filter(pk__in=request.auth.brand_ids)
    return queryset


def _page_rows(queryset, fields, limit):
    """Up to ``limit`` rows. A brand without a stored document (none built yet) gets one rendered for this
    answer only: a GET never writes (``manage.py rebuild_api_documents`` stores them)."""
    rows = list(queryset.values_list(*fields)[:limit])
    missing = [row[0] for row in rows if row[1] is None]
    if missing:
        built = documents_unsaved(missing)
        names = [field.removeprefix("document__") for field in fields[1:]]
        rows = [row if row[1] is not None else (row[0], *(getattr(built[row[0]], n) for n in names)) for row in rows]
    return rows


class BrandListView(CursorListView):
    """Brands, 50 a page by default, in the order they joined the registry (a stable cursor).

    For incremental sync, pass the time of your last sync as `updated_since`: a change to a brand's
    stores or products counts as a change of the brand. Archived brands are included with `archived: true`.
    """

    required_scope = "brands:read"
    cache_kind = "brands_list"
    query_parameters = frozenset({"lang", *CursorListView.paging_parameters, *BrandApiFilterSet.base_filters})

    @extend_schema(
        operation_id="brands_list",
        parameters=[LANG_PARAMETER, *filter_parameters(BrandApiFilterSet), *PAGING_PARAMETERS],
        responses={200: BrandPageSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
        tags=["brands"],
    )
    def get(self, request):
        language = negotiate_language(request)
        filterset = BrandApiFilterSet(request.query_params, queryset=_visible(request))
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        # A list changes when any brand the key may see changes (one leaving the page included).
        modified = _visible(request).aggregate(latest=Max("updated_at"))["latest"]
        return self.list_response(request, filterset.qs, language=language, modified=modified)

    def page_versions(self, queryset, limit):
        return [row[:2] for row in _page_rows(queryset, HEADS, limit)]

    def page_bodies(self, queryset, limit, language):
        column = "document__" + BrandDocument.column(language)
        return [(row[0], row[1], row[3].encode()) for row in _page_rows(queryset, (*HEADS, column), limit)]


class BrandDetailView(ApiView):
    """One brand by its slug, with stores, products, certifications and image renditions."""

    required_scope = "brands:read"
    cache_kind = "brands_detail"
    query_parameters = frozenset({"lang"})

    @extend_schema(
        operation_id="brands_retrieve",
        parameters=[LANG_PARAMETER],
        responses={200: BrandSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
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
