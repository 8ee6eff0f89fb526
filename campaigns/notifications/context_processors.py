"""The top bar's count of unread notifications: one query, and only when a page shows it."""

from functools import cache

from .models import Notification


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread():
        return Notification.objects.for_reader(user).unread().count()

    # A callable: the template calls it when (and only when) the top bar is rendered, once per request.
    return {"unread_notifications": unread}
