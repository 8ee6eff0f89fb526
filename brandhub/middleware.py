"""Activate each user's time zone: staff see Asia/Shanghai by default, brand users may choose Europe/Rome."""

import zoneinfo

from django.conf import settings
from django.utils import timezone


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        tzname = getattr(user, "timezone", None) if user is not None and user.is_authenticated else None
        timezone.activate(zoneinfo.ZoneInfo(tzname or settings.STAFF_TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
