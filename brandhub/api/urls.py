"""``/api/``: version 1 of the partner API, its OpenAPI schema and its documentation (served locally)."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from brands.api.views import BrandDetailView, BrandListView
from campaigns.api.content import (
    CampaignDetailView,
    CampaignListView,
    ContentCreativeView,
    ContentDetailView,
    ContentListView,
)
from campaigns.api.views import CalendarView
from campaigns.results.api import MetricPushView

from .webhooks.api import WebhookDeliveryListView, WebhookDetailView, WebhookListView, WebhookRedeliverView

# Swagger UI styles itself inline; scripts still come only from our own origin.
docs_view = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api_schema")
)

urlpatterns = [
    path("v1/brands/", BrandListView.as_fast_view(), name="api_brand_list"),
    path("v1/brands/<slug:slug>/", BrandDetailView.as_fast_view(), name="api_brand_detail"),
    path("v1/calendar/", CalendarView.as_view(), name="api_calendar"),
    path("v1/content/", ContentListView.as_fast_view(), name="api_content_list"),
    path("v1/content/<int:pk>/", ContentDetailView.as_fast_view(), name="api_content_detail"),
    path(
        "v1/content/<int:pk>/creatives/<int:creative_id>/<str:rendition>/",
        ContentCreativeView.as_view(),
        name="api_content_creative",
    ),
    path("v1/campaigns/", CampaignListView.as_fast_view(), name="api_campaign_list"),
    path("v1/campaigns/<int:pk>/", CampaignDetailView.as_fast_view(), name="api_campaign_detail"),
    path("v1/metrics/", MetricPushView.as_view(), name="api_metric_push"),
    path("v1/webhooks/", WebhookListView.as_view(), name="api_webhook_list"),
    path("v1/webhooks/<int:pk>/", WebhookDetailView.as_view(), name="api_webhook_detail"),
    path("v1/webhooks/<int:pk>/deliveries/", WebhookDeliveryListView.as_view(), name="api_webhook_delivery_list"),
    path(
        "v1/webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/",
        WebhookRedeliverView.as_view(),
        name="api_webhook_redeliver",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", docs_view, name="api_docs"),
]
