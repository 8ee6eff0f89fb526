"""``/api/``: version 1 of the partner API, its OpenAPI schema and its documentation (served locally)."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from brands.api.views import BrandDetailView, BrandListView
from campaigns.api.views import CalendarView

# Swagger UI styles itself inline; scripts still come only from our own origin.
docs_view = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api_schema")
)

urlpatterns = [
    path("v1/brands/", BrandListView.as_fast_view(), name="api_brand_list"),
    path("v1/brands/<slug:slug>/", BrandDetailView.as_fast_view(), name="api_brand_detail"),
    path("v1/calendar/", CalendarView.as_view(), name="api_calendar"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", docs_view, name="api_docs"),
]
