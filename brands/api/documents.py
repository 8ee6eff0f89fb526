"""Render and store the API documents of brands (``BrandDocument``): once per change, never per request.

A document records the version it was rendered with: ``DOCUMENT_VERSION`` (raise it whenever the
serializer's output changes) and a hash of ``PUBLIC_BASE_URL`` (image URLs are absolute). Old ones are
still served as they are (a GET never writes); ``manage.py rebuild_api_documents`` rebuilds them.
"""

import hashlib
import logging

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q

from brands.models import Brand, BrandDocument, Product

from .serializers import LANGUAGES, BrandSerializer, pick

DOCUMENT_VERSION = 1
_LANGUAGE_KEYS = set(LANGUAGES)
logger = logging.getLogger(__name__)


def document_version() -> str:
    """The version a document rendered now carries."""
    base = hashlib.sha1(settings.PUBLIC_BASE_URL.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"{DOCUMENT_VERSION}:{base}"


def variant(value, language: str):
    """The document reduced to one language: every ``{"it", "en", "zh-hans"}`` object becomes a string."""
    if isinstance(value, dict):
        if value.keys() == _LANGUAGE_KEYS:
            return pick(value, language)
        return {k: variant(v, language) for k, v in value.items()}
    if isinstance(value, list):
        return [variant(v, language) for v in value]
    return value


def brands_for_documents(queryset=None):
    queryset = Brand.objects.all() if queryset is None else queryset
    return queryset.select_related("logo", "cover").prefetch_related(
        "stores", "certifications", Prefetch("products", queryset=Product.objects.select_related("image"))
    )


def document_for(brand: Brand) -> BrandDocument:
    """An unsaved ``BrandDocument`` for a brand loaded with ``brands_for_documents``."""
    data = BrandSerializer(brand).data
    bodies = {"all": orjson.dumps(data)}
    for language in BrandDocument.VARIANTS[1:]:
        bodies[language] = orjson.dumps(variant(data, language))
    digest = hashlib.sha1(b"\0".join(bodies[v] for v in BrandDocument.VARIANTS), usedforsecurity=False)
    return BrandDocument(
        brand=brand,
        etag=digest.hexdigest(),
        updated_at=brand.updated_at,
        version=document_version(),
        **{BrandDocument.column(v): body.decode() for v, body in bodies.items()},
    )


def brand_documents_rebuild(brand_ids=None, chunk_size: int = 500) -> int:
    """(Re)build the documents of some or all brands, a chunk at a time. Returns how many were written."""
    queryset = Brand.objects.order_by("pk")
    if brand_ids is not None:
        queryset = queryset.filter(pk__in=list(brand_ids))
    ids = list(queryset.values_list("pk", flat=True))
    columns = ["etag", "updated_at", "version", *(BrandDocument.column(v) for v in BrandDocument.VARIANTS)]
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        documents = [document_for(brand) for brand in brands_for_documents(Brand.objects.filter(pk__in=chunk))]
        BrandDocument.objects.bulk_create(
            documents, update_conflicts=True, unique_fields=["brand"], update_fields=columns
        )
    if ids:
        # After commit, never before: a reader must not hold old rows as current.
        transaction.on_commit(_documents_changed)
    return len(ids)


def _documents_changed() -> None:
    from brandhub.api.hotcache import publish

    publish("gen")


def brands_with_old_documents():
    """Brands whose document is missing or was rendered by another serializer version or base URL."""
    return Brand.objects.filter(Q(document__isnull=True) | ~Q(document__version=document_version()))


def documents_unsaved(brand_ids) -> dict:
    """Documents rendered for reading only, by brand id: for brands that have none stored yet."""
    logger.warning("API documents missing for %s brand(s): run manage.py rebuild_api_documents", len(brand_ids))
    return {brand.pk: document_for(brand) for brand in brands_for_documents(Brand.objects.filter(pk__in=brand_ids))}
