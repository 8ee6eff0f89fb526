"""Fixed vocabularies of campaigns and content. Values are stable keys; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleKind(models.TextChoices):
    FIXED = "fixed", _("Fixed date")
    LUNAR = "lunar", _("Lunar date")
    NTH_WEEKDAY = "nth_weekday", _("Nth weekday of a month")
    SPAN = "span", _("Span of days")
    OFFSET = "offset", _("Offset from another festival")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PLANNED = "planned", _("Planned")
    LIVE = "live", _("Live")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", pgettext_lazy("campaign", "Cancelled")


class Channel(models.TextChoices):
    TMALL_ARTICLE = "tmall_article", _("Tmall Brand Hub article")
    BANNER = "banner", _("Banner")
    SHORT_VIDEO = "short_video", _("Short video")
    LIVESTREAM = "livestream", _("Livestream")
    KOL_POST = "kol_post", _("KOL post")
    TAOBAO_POPUP = "taobao_popup", _("Taobao pop-up")
    RED_POST = "red_post", _("RED post")
    WECHAT_ARTICLE = "wechat_article", _("WeChat article")
    OFFLINE_EVENT = "offline_event", _("Offline event")


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    # The dispatcher's: claimed at its hour and handed to the channel's publisher (or due for a manual go-live).
    PUBLISHING = "publishing", _("Publishing")
    # Found too late (past the channel's limit) by the dispatcher: a person decides what happens.
    HELD = "held", _("Held")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", pgettext_lazy("content", "Cancelled")


class PictureSubject(models.TextChoices):
    PRODUCT = "product", _("Product")
    PEOPLE = "people", _("People")
    LANDSCAPE = "landscape", _("Landscape / Italy")
    FOOD = "food", _("Food styling")
    LOGO = "logo", _("Logo / typographic")
    FESTIVE = "festive", _("Festive motif")


class Topic(models.TextChoices):
    FESTIVAL = "festival", _("Festival offer")
    AUTHENTICITY = "authenticity", _("Authenticity / certification")
    HERITAGE = "heritage", _("Heritage and story")
    GIFTING = "gifting", _("Gifting")
    RECIPE = "recipe", _("Recipe / usage")
    LIFESTYLE = "lifestyle", _("Italian lifestyle")
    PROMOTION = "promotion", _("Price promotion")


# --- KOLs and livestreams ---------------------------------------------------------------------------------------


class KolPlatform(models.TextChoices):
    """Where a KOL has an audience: the accounts whose followers the agency keeps a dated history of."""

    WEIBO = "weibo", _("Weibo")
    RED = "red", _("RED (Xiaohongshu)")
    DOUYIN = "douyin", _("Douyin")
    TAOBAO_LIVE = "taobao_live", _("Taobao Live")
    WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels")
    BILIBILI = "bilibili", _("Bilibili")


class KolFocus(models.TextChoices):
    """A KOL's subject: the agency books KOLs with a single focus (wine, fashion, design ...)."""

    WINE = "wine", _("Wine")
    FOOD = "food", _("Food")
    FASHION = "fashion", _("Fashion")
    DESIGN = "design", _("Design and home")
    BEAUTY = "beauty", _("Beauty")
    JEWELLERY = "jewellery", _("Jewellery")
    TRAVEL = "travel", _("Travel and lifestyle")


class KolLanguage(models.TextChoices):
    """The languages a KOL speaks on camera (an Italian winery's livestream wants Chinese and Italian or English)."""

    CHINESE = "zh", pgettext_lazy("language", "Chinese")
    ENGLISH = "en", pgettext_lazy("language", "English")
    ITALIAN = "it", pgettext_lazy("language", "Italian")


class BookingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DELIVERED = "delivered", _("Delivered")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")


class LivePlatform(models.TextChoices):
    """Where a livestream session streams."""

    TAOBAO_LIVE = "taobao_live", _("Taobao Live")
    DOUYIN = "douyin", _("Douyin")
    PINDUODUO = "pinduoduo", _("Pinduoduo")
    WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels")
    RED = "red", _("RED (Xiaohongshu)")
    JD = "jd", _("JD Live")
    BILIBILI = "bilibili", _("Bilibili")
    WEIBO = "weibo", _("Weibo")
