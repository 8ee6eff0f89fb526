"""Project-wide views: home, health check, uploaded media, the user's own settings."""

import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import UpdateView

from .forms import UserSettingsForm

# Uploaded files are served only as these types, whatever is on disk: never HTML or SVG.
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


class HomeView(LoginRequiredMixin, View):
    """Staff land on the registry; a brand user with one brand lands on its page."""

    def get(self, request):
        if not request.user.is_agency_staff:
            from brands.models import Brand

            brands = list(Brand.objects.visible_to(request.user).active().values_list("slug", flat=True)[:2])
            if len(brands) == 1:
                return redirect("brands:brand_detail", slug=brands[0])
        return redirect("brands:brand_list")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_broker() -> str:
    from brandhub.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
def healthz(request):
    """State of the database and the broker: 200 when both answer, 503 otherwise (for load balancers)."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure means "not ready", reported by type only
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


def media(request, path):
    """Uploaded images, always with a safe content type, ``nosniff`` and a sandboxing CSP."""
    path = posixpath.normpath(path).lstrip("/")
    suffix = Path(path).suffix.lower()
    if path.startswith("..") or suffix not in MEDIA_TYPES:
        raise Http404
    full = (Path(settings.MEDIA_ROOT) / path).resolve()
    if not full.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not full.is_file():
        raise Http404
    response = FileResponse(full.open("rb"), content_type=MEDIA_TYPES[suffix])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


class UserSettingsView(LoginRequiredMixin, UpdateView):
    form_class = UserSettingsForm
    template_name = "registration/user_settings.html"
    success_url = reverse_lazy("user_settings")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your settings were saved."))
        return super().form_valid(form)
