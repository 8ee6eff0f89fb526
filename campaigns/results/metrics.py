"""The metric vocabulary: the figures a fact carries, their labels, and the names platforms' exports give them.

The platforms count with their own words (CALENDAR.md): followers 粉丝, impressions 展现量, interactions 互动,
viewers 观看, clicks 点击, items sold, GMV 成交金额. Exports from Tmall, Douyin or RED name the same column in
Chinese or English, with or without units: the synonyms below are matched after ``normalise_header``.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    name: str
    label: object  # lazy text
    decimal: bool = False  # GMV is money (CNY with cents); the rest are counts
    signed: bool = False  # followers gained may be negative (more unfollows than follows)
    additive: bool = True  # followers_total is a level: summed across channels, never across days


METRICS: tuple[Metric, ...] = (
    Metric("followers_total", _("Followers"), additive=False),
    Metric("followers_gained", _("Followers gained"), signed=True),
    Metric("impressions", _("Impressions")),
    Metric("interactions", _("Interactions")),
    Metric("viewers", _("Viewers")),
    Metric("clicks", _("Clicks")),
    Metric("items_sold", _("Items sold")),
    Metric("gmv_cny", _("GMV (CNY)"), decimal=True),
)
METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
BY_NAME = {m.name: m for m in METRICS}
ZERO = {m.name: (Decimal("0.00") if m.decimal else 0) for m in METRICS}


def label(name: str) -> str:
    return str(BY_NAME[name].label)


# --- columns of a file -------------------------------------------------------------------------------------------

#: What a column of an export can be, besides the metrics: the fact's coordinates, its key, and a rate from which
#: clicks are worked out (clicks = impressions × CTR) when the file has no clicks column.
COORDINATES = ("date", "channel", "brand", "campaign", "item", "creative", "source_key")
FIELDS: tuple[str, ...] = (*COORDINATES, *METRIC_NAMES, "ctr")
FIELD_LABELS = {
    "date": _("Date"),
    "channel": _("Channel"),
    "brand": _("Brand"),
    "campaign": _("Campaign"),
    "item": _("Content item"),
    "creative": _("Creative"),
    "source_key": _("Row key"),
    "ctr": _("Click-through rate"),
    **{m.name: m.label for m in METRICS},
}

# Header names seen in the platforms' exports (Tmall / Taobao business advisor, Douyin, RED, WeChat), matched after
# ``normalise_header``. A header not here is mapped once by a person, and remembered for its source.
SYNONYMS = {
    "date": ["date", "day", "data", "giorno", "日期", "统计日期", "时间", "日期时间", "stat date"],
    "channel": ["channel", "canale", "渠道", "频道", "内容类型", "content type"],
    "brand": ["brand", "marchio", "品牌", "品牌名称", "店铺", "store"],
    "campaign": ["campaign", "campagna", "活动", "营销活动", "campaign id"],
    "item": ["content", "content id", "item", "item id", "contenuto", "内容", "内容id", "作品id", "笔记id", "文章id"],
    "creative": ["creative", "creative id", "banner id", "创意", "创意id", "素材id"],
    "source_key": ["row key", "row id", "key", "id", "行id", "数据id"],
    "followers_total": [
        "followers",
        "total followers",
        "follower",
        "fans",
        "follower totali",
        "粉丝数",
        "粉丝总数",
        "粉丝",
        "累计粉丝",
    ],
    "followers_gained": [
        "followers gained",
        "new followers",
        "net followers",
        "新增粉丝",
        "新增粉丝数",
        "净增粉丝",
        "涨粉",
        "涨粉数",
    ],
    "impressions": [
        "impressions",
        "views shown",
        "exposure",
        "impression",
        "展现量",
        "曝光量",
        "展现",
        "曝光",
        "曝光次数",
        "浏览量",
        "pv",
    ],
    "interactions": [
        "interactions",
        "engagement",
        "engagements",
        "interazioni",
        "互动量",
        "互动",
        "互动数",
        "互动次数",
    ],
    "viewers": [
        "viewers",
        "watchers",
        "audience",
        "spettatori",
        "观看人数",
        "观看",
        "观看人次",
        "观看次数",
        "观看用户数",
        "uv",
    ],
    "clicks": ["clicks", "click", "clic", "点击量", "点击", "点击数", "点击次数"],
    "items_sold": [
        "items sold",
        "units sold",
        "sales units",
        "orders",
        "pezzi venduti",
        "成交件数",
        "销量",
        "成交商品件数",
        "支付件数",
    ],
    "gmv_cny": ["gmv", "gmv cny", "sales", "revenue", "turnover", "成交金额", "支付金额", "成交额", "销售额", "gmv 元"],
    "ctr": ["ctr", "click through rate", "click-through rate", "点击率"],
}
_UNITS = re.compile(r"[（(][^)）]*[)）]")


def normalise_header(header) -> str:
    """``展现量（次）``, ``Impressions (PV)`` and `` IMPRESSIONS `` all become one key: units in brackets dropped,
    full-width folded, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", str(header or "")).strip().lower()
    text = _UNITS.sub("", text)
    text = re.sub(r"[\s_:：]+", " ", text).strip()
    return text


_BY_HEADER = {normalise_header(name): field for field, names in SYNONYMS.items() for name in names}


def field_for_header(header, mapping: dict | None = None) -> str | None:
    """The field a header stands for: a source's remembered mapping first, then the synonyms; None if unknown
    (and "" for a column the source's mapping says to ignore)."""
    key = normalise_header(header)
    if mapping and key in mapping:
        return mapping[key]
    return _BY_HEADER.get(key)
