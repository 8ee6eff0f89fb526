"""The notifications page: a person's own messages, newest first, in the language they read the page in."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from . import selectors, services
from .models import Notification


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/notification_list.html"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.for_reader(self.request.user).only(
            "id", "kind", "params", "url", "created_at", "read_at"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.notifications_page(context["object_list"])
        return context


class NotificationReadView(LoginRequiredMixin, View):
    """Mark all of one's notifications read (POST)."""

    def post(self, request):
        count = services.notifications_mark_read(user=request.user)
        if count:
            messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications:notification_list")
