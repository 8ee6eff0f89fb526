"""Django admin for superusers (maintenance); staff work in the console, not here."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Brand, BrandChangeProposal, BrandMembership, BrandRevision, CompletenessRule, ImageAsset


@admin.register(Brand)
class BrandAdmin(TranslationAdmin):
    """Read-only: brands change in the console, through the services that keep history, completeness and
    API documents current; they are archived, never deleted (a key's brand restriction relies on it)."""

    list_display = ["name_it", "slug", "category", "region", "status", "completeness", "archived_at"]
    list_filter = ["category", "status", "region"]
    search_fields = ["slug", "search_text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BrandMembership)
class BrandMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "brand", "role", "created_at"]
    list_select_related = ["user", "brand"]
    autocomplete_fields = ["brand"]


@admin.register(BrandRevision)
class BrandRevisionAdmin(admin.ModelAdmin):
    list_display = ["brand", "number", "action", "user", "created_at"]
    list_select_related = ["brand", "user"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BrandChangeProposal)
class BrandChangeProposalAdmin(admin.ModelAdmin):
    """Read-only: proposals are made, accepted, rejected and withdrawn in the console, through their services."""

    list_display = ["brand", "proposed_by", "status", "updated_at", "reviewed_by"]
    list_filter = ["status"]
    list_select_related = ["brand", "proposed_by", "reviewed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(CompletenessRule)
admin.site.register(ImageAsset)
