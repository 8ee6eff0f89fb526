from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from campaigns.tracking.redirect import scan

from . import views

urlpatterns = [
    # First: the printed codes' redirect is the busiest path, and URL patterns are tried in order.
    path("q/<str:code>", scan, name="tracked_link_scan"),
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before the auth URLs: the same name and path, with a limit on the mails sent.
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/settings/", views.UserSettingsView.as_view(), name="user_settings"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_update"),
    path("users/<int:pk>/action/", views.UserActionView.as_view(), name="user_action"),
    path("api-keys/", views.ApiKeyListView.as_view(), name="apikey_list"),
    path("api-keys/<int:pk>/revoke/", views.ApiKeyRevokeView.as_view(), name="apikey_revoke"),
    path("webhooks/", include("brandhub.api.webhooks.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("brands/", include("brands.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("events/", include("campaigns.tracking.urls")),
    path("publishing/", include("campaigns.publishing.urls")),
    path("notifications/", include("campaigns.notifications.urls")),
    path("results/", include("campaigns.results.urls")),
    path("api/", include("brandhub.api.urls")),
    path("admin/", admin.site.urls),
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", views.media, name="media"),
]


def handler404(request, exception):
    """JSON for API paths (the partner's client expects the API's error shape), the page for people."""
    if request.path.startswith("/api/"):
        from .api.base import json_error

        return json_error(404, "not_found", "Not found.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    """The API's error shape for API paths, 500 included; the page for people."""
    if request.path.startswith("/api/"):
        from .api.base import json_error

        return json_error(500, "server_error", "Server error.")
    from django.views.defaults import server_error

    return server_error(request)
