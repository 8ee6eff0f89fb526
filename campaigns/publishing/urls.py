from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("", views.PublishingDeskView.as_view(), name="desk"),
    path("items/<int:pk>/pack/", views.GoLivePackView.as_view(), name="golive_pack"),
    path(
        "items/<int:pk>/pack/creatives/<int:creative_pk>/<int:size_pk>/",
        views.PackCreativeView.as_view(),
        name="pack_creative",
    ),
    path("items/<int:pk>/action/", views.PublicationActionView.as_view(), name="publication_action"),
]
