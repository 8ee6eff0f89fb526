from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """Scheduled publishing: the dispatcher, one publisher per channel, and the publication records."""

    name = "campaigns.publishing"
    label = "publishing"
    verbose_name = _("Publishing")
