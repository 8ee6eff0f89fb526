"""Django admin for superusers; managers edit festivals in the console."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from modeltranslation.admin import TranslationAdmin

from .models import Campaign, ChannelRule, ContentItem, CreativeSize, Festival


@admin.register(Festival)
class FestivalAdmin(TranslationAdmin):
    list_display = ["key", "name_en", "rule_kind", "month", "day", "is_active"]
    list_filter = ["rule_kind", "is_active"]


@admin.register(ChannelRule)
class ChannelRuleAdmin(admin.ModelAdmin):
    list_display = ["channel", "required_languages", "needs_creative"]


@admin.register(CreativeSize)
class CreativeSizeAdmin(admin.ModelAdmin):
    list_display = ["channel", "name", "width", "height"]
    list_filter = ["channel"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "festival", "festival_year", "starts_on", "ends_on", "status"]
    list_filter = ["status", "festival"]
    list_select_related = ["festival"]


@admin.register(ContentItem)
class ContentItemAdmin(admin.ModelAdmin):
    """Superusers may correct an item's texts here, but never its status: that is the workflow's alone.

    A save goes through ``content_save`` (locked row, version check, an approved item that changes goes
    back to review), exactly as in the console.
    """

    list_display = ["__str__", "campaign", "channel", "scheduled_at", "status"]
    list_filter = ["status", "channel"]
    list_select_related = ["campaign"]
    readonly_fields = ["status", "author", "approved_by", "approved_at", "last_edited_by", "version", "due_on"]
    exclude = ["brands"]

    def has_add_permission(self, request):
        return False  # items are planned in the console, inside a campaign

    def has_delete_permission(self, request, obj=None):
        return False  # an item is cancelled through the workflow, never deleted

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "campaign"]

    def save_model(self, request, obj, form, change):
        from .services import ITEM_FIELDS, content_save

        try:
            saved = content_save(
                user=request.user,
                campaign=obj.campaign,
                item=obj,
                **{name: form.cleaned_data[name] for name in ITEM_FIELDS if name in form.cleaned_data},
            )
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc
        obj.pk, obj.status, obj.version = saved.pk, saved.status, saved.version
