from django.urls import path

from . import kol_views, livestream_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("new/", views.CampaignFormView.as_view(), name="campaign_create"),
    path("todo/", views.TodoView.as_view(), name="todo"),
    path("festivals/", views.FestivalListView.as_view(), name="festival_list"),
    path("festivals/<slug:key>/edit/", views.FestivalUpdateView.as_view(), name="festival_update"),
    path("calendar/", views.CalendarYearView.as_view(), name="calendar"),
    path("calendar/<int:year>/", views.CalendarYearView.as_view(), name="calendar_year"),
    path("calendar/<int:year>/<int:month>/", views.CalendarMonthView.as_view(), name="calendar_month"),
    path("calendar/<int:year>/w<int:week>/", views.CalendarWeekView.as_view(), name="calendar_week"),
    path("calendar/feed/reset/", views.CalendarFeedResetView.as_view(), name="calendar_feed_reset"),
    path("calendar/feed/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/edit/", views.CampaignFormView.as_view(), name="campaign_update"),
    path("<int:pk>/copy/", views.CampaignCopyView.as_view(), name="campaign_copy"),
    path("<int:pk>/items/new/", views.ContentItemFormView.as_view(), name="contentitem_create"),
    path("items/<int:pk>/", views.ContentItemDetailView.as_view(), name="contentitem_detail"),
    path("items/<int:item_pk>/edit/", views.ContentItemFormView.as_view(), name="contentitem_update"),
    path("items/<int:pk>/transition/", views.ContentItemTransitionView.as_view(), name="contentitem_transition"),
    path("items/<int:pk>/move/", views.ContentItemMoveView.as_view(), name="contentitem_move"),
    path("items/<int:pk>/creatives/", views.CreativeAddView.as_view(), name="creative_add"),
    path("creatives/<int:pk>/<slug:rendition>/", views.CreativeImageView.as_view(), name="creative_image"),
    # --- KOLs and their bookings (kol_views.py)
    path("kols/", kol_views.KolListView.as_view(), name="kol_list"),
    path("kols/new/", kol_views.KolFormView.as_view(), name="kol_create"),
    path("kols/unmatched/", kol_views.KolUnmatchedView.as_view(), name="kol_unmatched"),
    path("kols/<int:pk>/", kol_views.KolDetailView.as_view(), name="kol_detail"),
    path("kols/<int:pk>/edit/", kol_views.KolFormView.as_view(), name="kol_update"),
    path("kols/<int:pk>/followers/", kol_views.KolFollowersView.as_view(), name="kol_followers"),
    path("kols/<int:pk>/merge/", kol_views.KolMergeView.as_view(), name="kol_merge"),
    path("bookings/", kol_views.KolBookingListView.as_view(), name="kolbooking_list"),
    path("bookings/new/", kol_views.KolBookingFormView.as_view(), name="kolbooking_create"),
    path("bookings/<int:pk>/edit/", kol_views.KolBookingFormView.as_view(), name="kolbooking_update"),
    # --- livestream sessions and their run sheets (livestream_views.py)
    path("livestreams/", livestream_views.LivestreamListView.as_view(), name="livestream_list"),
    path("<int:campaign_pk>/livestreams/new/", livestream_views.LivestreamFormView.as_view(), name="livestream_create"),
    path("livestreams/<int:pk>/", livestream_views.LivestreamDetailView.as_view(), name="livestream_detail"),
    path("livestreams/<int:pk>/edit/", livestream_views.LivestreamFormView.as_view(), name="livestream_update"),
    path("livestreams/<int:pk>/run-sheet/", livestream_views.RunSheetView.as_view(), name="runsheet_detail"),
    path("livestreams/<int:pk>/run-sheet/edit/", livestream_views.RunSheetEditView.as_view(), name="runsheet_update"),
    path("livestreams/<int:pk>/run-sheet.pdf", livestream_views.RunSheetPdfView.as_view(), name="runsheet_pdf"),
    path(
        "livestreams/<int:pk>/run-sheet/codes/<slug:code>.png",
        livestream_views.RunSheetCodeView.as_view(),
        name="runsheet_code",
    ),
]
