"""One FilterSet for the brand list: the console page and its exports (and later the API) filter alike."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from brandhub.api.filters import since_in_utc

from .choices import BrandStatus, Category, CertificationKind, Platform, Region, SalesChannel
from .models import Brand, Certification, Store
from .search import search_filter

SORTS = {
    "name": ("name_it",),
    "-name": ("-name_it",),
    "region": ("region", "name_it"),
    "completeness": ("completeness", "name_it"),
    "-completeness": ("-completeness", "name_it"),
    "-updated": ("-updated_at",),
    "-joined": ("-joined_on", "name_it"),
}


ALL = _("All")


class BrandFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices, empty_label=ALL)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices, empty_label=ALL)
    sales_channel = django_filters.ChoiceFilter(label=_("Sales channel"), choices=SalesChannel.choices, empty_label=ALL)
    platform = django_filters.ChoiceFilter(
        label=_("Platform"), choices=Platform.choices, method="filter_platform", empty_label=ALL
    )
    certification = django_filters.ChoiceFilter(
        label=_("Certification"), choices=CertificationKind.choices, method="filter_certification", empty_label=ALL
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BrandStatus.choices, empty_label=ALL)
    completeness_below = django_filters.NumberFilter(
        label=_("Completeness below (%)"), field_name="completeness", lookup_expr="lt", min_value=0, max_value=101
    )
    archived = django_filters.ChoiceFilter(
        label=pgettext_lazy("noun", "Archive"),
        choices=(("", _("Working brands")), ("only", _("Archived only")), ("all", _("All"))),
        method="filter_archived",
        empty_label=None,
        null_label=None,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=(
            ("name", _("Name A-Z")),
            ("-name", _("Name Z-A")),
            ("region", _("Region")),
            ("completeness", _("Least complete first")),
            ("-completeness", _("Most complete first")),
            ("-updated", _("Recently updated")),
            ("-joined", _("Recently joined")),
        ),
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Brand
        fields = ["q", "category", "region", "sales_channel", "platform", "status"]

    @property
    def qs(self):
        queryset = super().qs
        # Archived brands leave the working list unless asked for; the default order is by name.
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived_at__isnull=True)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["name"])
        return queryset

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)

    def filter_platform(self, queryset, name, value):
        return queryset.filter(pk__in=Store.objects.filter(platform=value).values("brand_id"))

    def filter_certification(self, queryset, name, value):
        return queryset.filter(pk__in=Certification.objects.filter(kind=value).values("brand_id"))

    def filter_archived(self, queryset, name, value):
        if value == "only":
            return queryset.filter(archived_at__isnull=False)
        return queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))


class BrandApiFilterSet(BrandFilterSet):
    """The same filters for partners, plus ``updated_since`` for incremental sync.

    Partners see archived brands too (with ``archived: true``), so a sync learns that a brand left; the
    order is fixed by the API's cursor, and the console-only filters are not offered.
    """

    updated_since = django_filters.IsoDateTimeFilter(label=_("Changed at or after (ISO 8601)"), method="filter_since")
    archived = django_filters.ChoiceFilter(
        label=_("Archived"), choices=(("true", "true"), ("false", "false")), method="filter_archived_flag"
    )

    sort = None
    completeness_below = None

    class Meta(BrandFilterSet.Meta):
        fields = [*BrandFilterSet.Meta.fields, "updated_since", "archived"]

    @property
    def qs(self):
        return django_filters.FilterSet.qs.fget(self)

    def filter_archived_flag(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=value != "true")

    def filter_since(self, queryset, name, value):
        return queryset.filter(updated_at__gte=since_in_utc(value))
