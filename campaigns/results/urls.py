from django.urls import path

from .views import analysis, dashboard, imports, livestreams, portal, reports

app_name = "results"

urlpatterns = [
    # --- file imports (views/imports.py)
    path("imports/", imports.MetricImportListView.as_view(), name="import_list"),
    path("imports/new/", imports.MetricImportCreateView.as_view(), name="import_create"),
    path("imports/<int:pk>/", imports.MetricImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/mapping/", imports.MetricImportMappingView.as_view(), name="import_mapping"),
    path("imports/<int:pk>/status/", imports.MetricImportStatusView.as_view(), name="import_status"),
    path("imports/<int:pk>/report.csv", imports.MetricImportReportView.as_view(), name="import_report"),
    path("imports/<int:pk>/action/", imports.MetricImportActionView.as_view(), name="import_action"),
    # --- analysis, campaign results, manual entry (views/analysis.py)
    path("entry/", analysis.FactEntryView.as_view(), name="fact_entry"),
    path("entry/<int:pk>/delete/", analysis.FactDeleteView.as_view(), name="fact_delete"),
    path("campaigns/<int:pk>/targets/", analysis.CampaignTargetsApplyView.as_view(), name="campaign_targets_apply"),
    # --- the brand portal and the agency dashboard (views/portal.py, views/dashboard.py)
    path("", portal.PortalView.as_view(), name="portal"),
    path("brands/<slug:slug>/", portal.PortalBrandView.as_view(), name="portal_brand"),
    path("brands/<slug:slug>/campaigns/<int:pk>/", portal.PortalCampaignView.as_view(), name="portal_campaign"),
    path("brands/<slug:slug>/export/", portal.PortalExportView.as_view(), name="portal_export"),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    # --- reports (views/reports.py)
    path("brands/<slug:slug>/reports/<int:year>/<int:month>/", reports.ReportMonthView.as_view(), name="report_month"),
    path(
        "brands/<slug:slug>/reports/campaigns/<int:pk>/", reports.ReportCampaignView.as_view(), name="report_campaign"
    ),
    path("reports/mail/", reports.ReportMailView.as_view(), name="report_mail"),
    # --- KOLs and livestream sessions (views/livestreams.py)
    path("livestreams/<int:pk>/entry/", livestreams.LivestreamResultsView.as_view(), name="livestream_entry"),
    path("livestreams/<int:pk>/import/", livestreams.ProductSalesImportView.as_view(), name="livestream_import"),
    path("kols/compare/", livestreams.KolCompareView.as_view(), name="kol_compare"),
]
