from django.urls import path

from . import views

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
]
