from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to people: content gone live, reviews, the daily digest and material reminders, by mail and on
    the notifications page, each in its reader's language."""

    name = "campaigns.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from campaigns.workflow import TRANSITION_LISTENERS

        from .services import notifications_for_transition

        if notifications_for_transition not in TRANSITION_LISTENERS:
            TRANSITION_LISTENERS.append(notifications_for_transition)
        # The publishing dispatcher's moments that are not status changes (a go-live due, one waiting too long).
        from campaigns.publishing.services import PUBLICATION_LISTENERS

        from .services import notifications_for_publication

        if notifications_for_publication not in PUBLICATION_LISTENERS:
            PUBLICATION_LISTENERS.append(notifications_for_publication)
        # Brand users' proposed profile changes (the brands app knows nothing of notifications).
        from brands.proposals import PROPOSAL_LISTENERS

        from .services import notifications_for_proposal

        if notifications_for_proposal not in PROPOSAL_LISTENERS:
            PROPOSAL_LISTENERS.append(notifications_for_proposal)
