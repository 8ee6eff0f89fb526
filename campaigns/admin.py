"""Django admin for superusers; managers edit festivals in the console."""

from django.contrib import admin
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
    list_display = ["__str__", "campaign", "channel", "scheduled_at", "status"]
    list_filter = ["status", "channel"]
    list_select_related = ["campaign"]
