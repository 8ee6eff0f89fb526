"""``/webhooks/``: the managers' console of partner endpoints and deliveries."""

from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.WebhookEndpointListView.as_view(), name="webhookendpoint_list"),
    path("new/", views.WebhookEndpointCreateView.as_view(), name="webhookendpoint_create"),
    path("<int:pk>/", views.WebhookEndpointDetailView.as_view(), name="webhookendpoint_detail"),
    path("<int:pk>/edit/", views.WebhookEndpointUpdateView.as_view(), name="webhookendpoint_update"),
    path("<int:pk>/action/", views.WebhookEndpointActionView.as_view(), name="webhookendpoint_action"),
    path("deliveries/<int:pk>/", views.WebhookDeliveryDetailView.as_view(), name="webhookdelivery_detail"),
    path(
        "deliveries/<int:pk>/redeliver/",
        views.WebhookDeliveryRedeliverView.as_view(),
        name="webhookdelivery_redeliver",
    ),
]
