from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    """Results: metric facts in (file imports, the partner API, manual entry), rollups, analysis, the brand
    portal, the agency dashboard and reports."""

    name = "campaigns.results"
    label = "results"
    verbose_name = _("Results")
