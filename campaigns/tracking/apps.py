from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    """Offline to online: events, tracked links with their QR codes, the /q/ redirect and every scan counted."""

    name = "campaigns.tracking"
    label = "tracking"
    verbose_name = _("Tracking")

    def ready(self):
        from campaigns.selectors import CALENDAR_SOURCES

        from .selectors import calendar_entries

        if calendar_entries not in CALENDAR_SOURCES:
            CALENDAR_SOURCES.append(calendar_entries)
        # The codes a livestream's run sheet shows on screen.
        from campaigns.kol_selectors import SCREEN_CODES

        from .screen import screen_codes

        if screen_codes not in SCREEN_CODES:
            SCREEN_CODES.append(screen_codes)
