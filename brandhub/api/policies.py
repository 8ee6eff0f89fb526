"""Policies DRF applies to every API view (named in settings): scopes, throttling and the error shape.

Kept apart from ``base`` because DRF imports these while ``rest_framework.views`` is still loading.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

# --- access ---------------------------------------------------------------------------------------


class ScopePermission(BasePermission):
    """The key must carry the view's ``required_scope``; no key at all is a 401, a key without it a 403."""

    def has_permission(self, request, view):
        client = request.auth
        if client is None:
            raise exceptions.NotAuthenticated(_("This API needs a key: Authorization: Bearer <key>."))
        if view.required_scope not in client.scopes:
            raise exceptions.PermissionDenied(
                _("This key lacks the scope %(scope)s.") % {"scope": view.required_scope}, code="missing_scope"
            )
        return True


class ApiKeyRateThrottle(BaseThrottle):
    """A fixed window per key, counted in Redis (Django's cache in the embedded mode) a batch at a time."""

    def allow_request(self, request, view):
        if request.auth is None:
            return True
        import time

        from .hotcache import hot

        self.retry_after = hot.throttle(request.auth.key_hash, time.time())
        return self.retry_after is None

    def wait(self):
        return max(1, round(self.retry_after))


# --- errors ---------------------------------------------------------------------------------------


def error_body(status_code: int, code: str, message: str, details=None) -> dict:
    return {"error": {"status": status_code, "code": code, "message": str(message), "details": details or {}}}


def exception_handler(exc, context):
    """Every API error in one shape: ``{"error": {"status", "code", "message", "details"}}``."""
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(response.status_code, "invalid", _("The request is not valid."), details)
    else:
        detail = getattr(exc, "detail", "")
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(response.status_code, code, detail)
    return response
