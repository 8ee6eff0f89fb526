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
from .feeds import CalendarFeed

__all__ = [
    "CalendarFeed",
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
