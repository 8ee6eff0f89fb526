"""Reads that span several models, in a fixed number of queries whatever the row counts."""

from django.db.models import Prefetch

from .documents import CHILDREN
from .models import Brand, BrandMembership, BrandRevision


def brands_with_children(queryset=None):
    """Brands with everything the brand page and documents read: logo, cover, children, members."""
    queryset = queryset if queryset is not None else Brand.objects.all()
    return queryset.select_related("logo", "cover").prefetch_related(
        *CHILDREN, Prefetch("memberships", queryset=BrandMembership.objects.select_related("user"))
    )


def brand_list(queryset):
    """What the list page shows per row: the logo and the platforms of its stores."""
    return queryset.select_related("logo").prefetch_related("stores")


def brand_revisions(brand, limit: int = 50):
    return BrandRevision.objects.filter(brand=brand).select_related("user").order_by("-number")[:limit]
