from django.urls import path  # noqa: F401  (each section below adds its paths)

from .views import analysis

app_name = "results"

urlpatterns = [
    # --- file imports (views/imports.py)
    # --- analysis, campaign results, manual entry (views/analysis.py)
    path("entry/", analysis.FactEntryView.as_view(), name="fact_entry"),
    path("campaigns/<int:pk>/targets/", analysis.CampaignTargetsApplyView.as_view(), name="campaign_targets_apply"),
    # --- the brand portal and the agency dashboard (views/portal.py, views/dashboard.py)
    # --- reports (views/reports.py)
]
