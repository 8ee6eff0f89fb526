from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Results: metric facts in (file imports, the partner API, manual entry), rollups, analysis, the brand
    portal, the agency dashboard and reports."""

    name = "campaigns.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self):
        # Results on the campaigns' and the tracking app's pages, through their hooks (they never import results).
        from campaigns.selectors import CAMPAIGN_PANELS, ITEM_PANELS
        from campaigns.tracking.selectors import FOLLOWER_SOURCES

        from .offline import followers_in_window
        from .views.analysis import campaign_panel, item_panel

        for hooks, hook in ((CAMPAIGN_PANELS, campaign_panel), (ITEM_PANELS, item_panel)):
            if hook not in hooks:
                hooks.append(hook)
        if followers_in_window not in FOLLOWER_SOURCES:
            FOLLOWER_SOURCES.append(followers_in_window)
        # What KOL bookings and livestream sessions brought, on the KOL, booking and livestream pages.
        from campaigns.kol_selectors import BOOKING_COLUMNS, LIVESTREAM_COLUMNS, LIVESTREAM_PANELS

        from .views.livestreams import booking_column, livestream_column, livestream_panel

        for hooks, hook in (
            (BOOKING_COLUMNS, booking_column),
            (LIVESTREAM_COLUMNS, livestream_column),
            (LIVESTREAM_PANELS, livestream_panel),
        ):
            if hook not in hooks:
                hooks.append(hook)
        # The monthly report mail is a kind of notification: its figures and its PDF come from here.
        from campaigns.notifications.models import Notification
        from campaigns.notifications.render import ATTACHMENTS, CONTEXTS

        from .report_mail import mail_attachments, mail_context

        CONTEXTS[Notification.Kind.MONTHLY_REPORT] = mail_context
        ATTACHMENTS[Notification.Kind.MONTHLY_REPORT] = mail_attachments
