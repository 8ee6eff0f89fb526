"""Campaigns app models, split by topic: the festival calendar, and campaigns with their content."""

from .calendar import Festival, FestivalQuerySet
from .content import (
    Campaign,
    CampaignBrand,
    ChannelRule,
    ContentItem,
    ContentTransition,
    Creative,
    CreativeSize,
)

__all__ = [
    "Campaign",
    "CampaignBrand",
    "ChannelRule",
    "ContentItem",
    "ContentTransition",
    "Creative",
    "CreativeSize",
    "Festival",
    "FestivalQuerySet",
]
