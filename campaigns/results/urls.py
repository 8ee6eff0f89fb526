from django.urls import path  # noqa: F401  (each section below adds its paths)

app_name = "results"

urlpatterns = [
    # --- file imports (views/imports.py)
    # --- analysis, campaign results, manual entry (views/analysis.py)
    # --- the brand portal and the agency dashboard (views/portal.py, views/dashboard.py)
    # --- reports (views/reports.py)
]
