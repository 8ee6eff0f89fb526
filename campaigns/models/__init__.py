"""Campaigns app models, split by topic: the festival calendar, campaigns with their content, KOLs and their
bookings, livestream sessions."""

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
from .kols import Kol, KolAccount, KolBooking, KolFollowerCount
from .livestreams import LivestreamSession, RunSheetStep, SessionHost

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
    "Kol",
    "KolAccount",
    "KolBooking",
    "KolFollowerCount",
    "LivestreamSession",
    "RunSheetStep",
    "SessionHost",
]
