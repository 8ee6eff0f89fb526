"""Reads that span several models, in a fixed number of queries whatever the row counts."""

from django.db.models import Prefetch

from .documents import CHILDREN
from .models import Brand, BrandChangeProposal, BrandMembership, BrandRevision


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
    return BrandRevision.objects.filter(brand=brand).select_related("user", "proposed_by").order_by("-number")[:limit]


def proposals_with_brands(queryset):
    """Proposals with what their review lines read: the brand now (children prefetched), the people."""
    return queryset.select_related("brand", "brand__logo", "proposed_by", "reviewed_by").prefetch_related(
        *(f"brand__{name}" for name in CHILDREN)
    )


def brand_proposals(brand, user, decided: int = 5):
    """The proposals the brand page lists: every pending one of the brand, and for a brand user also their own
    latest decided ones (a rejection's comment is read there). Withdrawn ones are gone from view."""
    proposals = BrandChangeProposal.objects.filter(brand=brand).select_related("brand", "proposed_by", "reviewed_by")
    pending = list(proposals.filter(status=BrandChangeProposal.Status.PENDING).order_by("created_at"))
    if user.is_agency_staff:
        return pending
    done = proposals.filter(
        proposed_by=user,
        status__in=[BrandChangeProposal.Status.ACCEPTED, BrandChangeProposal.Status.REJECTED],
    ).order_by("-reviewed_at")[:decided]
    return pending + list(done)
