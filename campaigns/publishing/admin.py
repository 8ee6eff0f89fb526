"""Django admin: publications are read-only records; the channels' late limits are editable data."""

from django.contrib import admin

from .models import ChannelLateLimit, Publication


@admin.register(ChannelLateLimit)
class ChannelLateLimitAdmin(admin.ModelAdmin):
    list_display = ["channel", "limit_minutes"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """What the publisher did with each item. Written by the publisher alone: nothing here is editable."""

    list_display = ["item", "channel", "state", "scheduled_for", "finished_at", "late", "lag", "attempts", "requeues"]
    list_filter = ["state", "channel", "late"]
    list_select_related = ["item"]
    search_fields = ["item__title_en", "item__title_zh_hans", "item__title_it", "external_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
