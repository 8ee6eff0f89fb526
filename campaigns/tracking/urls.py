from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("new/", views.EventFormView.as_view(), name="event_create"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<int:pk>/edit/", views.EventFormView.as_view(), name="event_update"),
    path("<int:pk>/links/new/", views.LinkFormView.as_view(), name="link_create"),
    path("<int:pk>/links/import/", views.LinkImportView.as_view(), name="link_import"),
    path("<int:pk>/codes.pdf", views.EventSheetView.as_view(), name="event_sheet"),
    path("<int:pk>/scans.csv", views.ScanExportView.as_view(), name="scan_export"),
    path("links/<int:pk>/", views.LinkDetailView.as_view(), name="link_detail"),
    path("links/<int:link_pk>/edit/", views.LinkFormView.as_view(), name="link_update"),
    path("links/<int:pk>/qr/", views.LinkQrView.as_view(), name="link_qr"),
    path("links/<int:pk>/table-tent.pdf", views.LinkTentView.as_view(), name="link_tent"),
    path("campaigns/<int:pk>/", views.CampaignScansView.as_view(), name="campaign_scans"),
]
