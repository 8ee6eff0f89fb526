"""From raw values to a fact, the same for every way in: a file's row, a partner's JSON, a form.

``FactChecker.check(values)`` reads the coordinates (date, channel, brand, campaign, item, creative) and the figures,
resolves them against the registry and the campaigns (with caches, so a million rows cost a few queries per distinct
brand or item), and returns a ``FactRow`` or the row's issues. Issues are codes with their values
(``Issue("unknown_brand", "brand", {"value": "Foo"})``), written in the reader's language by ``issue_message``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from campaigns.choices import Channel
from campaigns.models import Campaign, ContentItem, Creative

from . import parsing
from .metrics import BY_NAME, METRIC_NAMES, label


@dataclass(slots=True)
class FactRow:
    """A checked fact, with the registry's ids: what ``services.facts_upsert`` writes."""

    source_key: str
    date: datetime.date
    channel: str
    brand_id: int
    campaign_id: int | None = None
    item_id: int | None = None
    creative_id: int | None = None
    figures: dict = field(default_factory=dict)  # metric name -> int / Decimal (absent: not reported)

    def natural_key(self) -> str:
        """The grain of a fact, as a key: a file without a key column gets this, so a re-import updates."""
        return f"{self.date.isoformat()}|{self.channel}|{self.brand_id}|{self.item_id or ''}|{self.creative_id or ''}"


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    column: str = ""  # the field the issue is about ("" for the row as a whole)
    params: dict = field(default_factory=dict)

    def message(self) -> str:
        return issue_message(self.code, self.params)


MESSAGES = {
    "required": _("%(field)s is missing."),
    "bad_date": _("“%(value)s” is not a date (2026-11-11, 2026/11/11, 11/11/2026 or 2026年11月11日)."),
    "future_date": _("%(value)s is in the future: results come in after the day."),
    "bad_number": _("%(field)s: “%(value)s” is not a number."),
    "negative": _("%(field)s cannot be negative (“%(value)s”)."),
    "too_large": _("%(field)s: %(value)s is too large."),
    "no_figures": _("The row has no figures."),
    "unknown_channel": _("Unknown channel “%(value)s”. Valid channels: %(choices)s."),
    "unknown_brand": _("No brand “%(value)s” in the registry."),
    "brand_not_allowed": _("Brand “%(value)s” is not one this key may write."),
    "unknown_campaign": _("No campaign “%(value)s”."),
    "unknown_item": _("No content item “%(value)s”."),
    "item_not_of_brand": _("Content item %(item)s does not feature brand “%(brand)s”."),
    "item_not_in_campaign": _("Content item %(item)s is not part of campaign %(campaign)s."),
    "brand_not_in_campaign": _("Brand “%(brand)s” does not take part in campaign %(campaign)s."),
    "unknown_creative": _("No creative “%(value)s”."),
    "creative_not_of_item": _("Creative %(creative)s is not one of content item %(item)s."),
    "key_too_long": _("The row key is longer than 200 characters."),
}

# The largest figure a fact takes, whatever the way in: a trillion impressions (or CNY) in one day of one brand's
# channel is a typo, and sums of many such figures must stay far inside the rollups' 64-bit columns.
MAX_FIGURE = 10**12
MAX_COUNT, MAX_MONEY = MAX_FIGURE, Decimal(MAX_FIGURE)


def issue_message(code: str, params: dict) -> str:
    values = dict(params)
    if "field" in values:
        values["field"] = field_label(values["field"])
    if code == "unknown_channel":
        values["choices"] = ", ".join(f"{value} ({lbl})" for value, lbl in Channel.choices)
    template = MESSAGES.get(code)
    return gettext(str(template)) % values if template else code


def field_label(name: str) -> str:
    from .metrics import FIELD_LABELS

    return str(FIELD_LABELS.get(name, name))


def _channel_names() -> dict[str, str]:
    """Every way a file names a channel: its key, and its label in each of our languages."""
    from django.utils import translation

    names = {}
    for value, _label in Channel.choices:
        names[value] = value
        names[value.replace("_", " ")] = value
        for language in ("en", "it", "zh-hans"):
            with translation.override(language):
                names[str(Channel(value).label).strip().lower()] = value
    names.update(
        {"直播": Channel.LIVESTREAM, "短视频": Channel.SHORT_VIDEO, "横幅": Channel.BANNER, "小红书": Channel.RED_POST}
    )
    return names


class FactChecker:
    """Checks raw rows against the registry. ``brand_ids``: the brands the writer may write (None: every brand).
    ``defaults``: coordinates for what the rows do not carry (a file of one brand's store, one channel)."""

    def __init__(self, *, brand_ids=None, defaults: dict | None = None, today: datetime.date | None = None):
        self.allowed = None if brand_ids is None else set(brand_ids)
        self.defaults = defaults or {}
        self.today = today or timezone.localdate()
        self._channels = _channel_names()
        self._brands: dict[str, Brand | None] = {}
        self._items: dict[str, ContentItem | None] = {}
        self._item_brands: dict[int, set[int]] = {}
        self._creatives: dict[str, Creative | None] = {}
        self._campaigns: dict[str, Campaign | None] = {}
        self._campaign_brands: dict[int, set[int]] = {}
        self._load_brands()

    # --- lookups -------------------------------------------------------------------------------------------------

    def _load_brands(self) -> None:
        for brand in Brand.objects.only("pk", "slug", "name_it", "name_zh_hans", "name_en"):
            for key in (str(brand.pk), brand.slug, brand.name_it, brand.name_zh_hans, brand.name_en):
                if key:
                    self._brands.setdefault(parsing.clean(key).lower(), brand)

    def brand(self, value) -> Brand | None:
        return self._brands.get(parsing.clean(value).lower())

    def item(self, value) -> ContentItem | None:
        """Our item id (``123`` or ``#123``), or the id the platform gave the published piece."""
        key = parsing.clean(value).lstrip("#")
        if key not in self._items:
            found = None
            if key.isdigit() and len(key) < 19:
                found = ContentItem.objects.filter(pk=int(key)).only("pk", "campaign_id").first()
            if found is None and key:
                found = ContentItem.objects.filter(publication__external_id=key).only("pk", "campaign_id").first()
            self._items[key] = found
            if found is not None and found.pk not in self._item_brands:
                self._item_brands[found.pk] = set(found.brands.values_list("pk", flat=True))
        return self._items[key]

    def creative(self, value) -> Creative | None:
        key = parsing.clean(value).lstrip("#")
        if key not in self._creatives:
            found = None
            if key.isdigit() and len(key) < 19:
                found = Creative.objects.filter(pk=int(key)).only("pk", "item_id").first()
            self._creatives[key] = found
        return self._creatives[key]

    def campaign(self, value) -> Campaign | None:
        key = parsing.clean(value).lstrip("#")
        if key not in self._campaigns:
            found = None
            if key.isdigit() and len(key) < 19:
                found = Campaign.objects.filter(pk=int(key)).only("pk").first()
            self._campaigns[key] = found
            if found is not None:
                self._campaign_brands[found.pk] = set(found.brands.values_list("pk", flat=True))
        return self._campaigns[key]

    # --- one row -------------------------------------------------------------------------------------------------

    def check(self, values: dict) -> tuple[FactRow | None, list[Issue]]:
        """``values``: field name -> raw value (missing or "" when the row has none)."""
        issues: list[Issue] = []

        def raw(name):
            value = values.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                value = self.defaults.get(name)
            return value

        date = self._date(raw("date"), issues)
        channel = self._channel(raw("channel"), issues)
        brand = self._brand(raw("brand"), issues)
        campaign = self._lookup("campaign", raw("campaign"), self.campaign, issues)
        item = self._lookup("item", raw("item"), self.item, issues)
        creative = self._lookup("creative", raw("creative"), self.creative, issues)
        figures = self._figures(values, issues)
        if item is not None and brand is not None and brand.pk not in self._item_brands.get(item.pk, ()):
            issues.append(Issue("item_not_of_brand", "item", {"item": item.pk, "brand": brand.slug}))
        if item is not None and campaign is not None and item.campaign_id != campaign.pk:
            issues.append(Issue("item_not_in_campaign", "item", {"item": item.pk, "campaign": campaign.pk}))
        if (
            campaign is not None
            and brand is not None
            and item is None
            and brand.pk not in self._campaign_brands.get(campaign.pk, ())
        ):
            issues.append(Issue("brand_not_in_campaign", "campaign", {"brand": brand.slug, "campaign": campaign.pk}))
        if creative is not None:
            if item is None:
                item = self.item(creative.item_id)
            elif creative.item_id != item.pk:
                issues.append(Issue("creative_not_of_item", "creative", {"creative": creative.pk, "item": item.pk}))
        key = parsing.clean(values.get("source_key"))
        if len(key) > 200:
            issues.append(Issue("key_too_long", "source_key"))
        if issues:
            return None, issues
        row = FactRow(
            source_key=key,
            date=date,
            channel=channel,
            brand_id=brand.pk,
            campaign_id=(item.campaign_id if item is not None else campaign.pk if campaign is not None else None),
            item_id=item.pk if item is not None else None,
            creative_id=creative.pk if creative is not None else None,
            figures=figures,
        )
        if not row.source_key:
            row.source_key = row.natural_key()
        return row, []

    def _date(self, value, issues):
        if value in (None, ""):
            issues.append(Issue("required", "date", {"field": "date"}))
            return None
        try:
            date = parsing.parse_date(value)
        except ValueError:
            issues.append(Issue("bad_date", "date", {"value": parsing.clean(value)[:40]}))
            return None
        if date > self.today:
            issues.append(Issue("future_date", "date", {"value": date.isoformat()}))
            return None
        return date

    def _channel(self, value, issues):
        if value in (None, ""):
            issues.append(Issue("required", "channel", {"field": "channel"}))
            return None
        channel = self._channels.get(parsing.clean(value).lower())
        if channel is None:
            issues.append(Issue("unknown_channel", "channel", {"value": parsing.clean(value)[:60]}))
        return channel

    def _brand(self, value, issues):
        if value in (None, ""):
            issues.append(Issue("required", "brand", {"field": "brand"}))
            return None
        brand = self.brand(value)
        if brand is None:
            issues.append(Issue("unknown_brand", "brand", {"value": parsing.clean(value)[:80]}))
        elif self.allowed is not None and brand.pk not in self.allowed:
            issues.append(Issue("brand_not_allowed", "brand", {"value": parsing.clean(value)[:80]}))
            return None
        return brand

    def _lookup(self, name, value, find, issues):
        if value in (None, ""):
            return None
        found = find(value)
        if found is None:
            issues.append(Issue(f"unknown_{name}", name, {"value": parsing.clean(value)[:80]}))
        return found

    def _figures(self, values: dict, issues) -> dict:
        figures = {}
        for name in METRIC_NAMES:
            value = values.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            metric = BY_NAME[name]
            try:
                number = parsing.parse_money(value) if metric.decimal else parsing.parse_count(value)
            except ValueError:
                issues.append(Issue("bad_number", name, {"field": name, "value": parsing.clean(value)[:40]}))
                continue
            if number < 0 and not metric.signed:
                issues.append(Issue("negative", name, {"field": name, "value": parsing.clean(value)[:40]}))
                continue
            if abs(number) > MAX_FIGURE:
                issues.append(Issue("too_large", name, {"field": name, "value": parsing.clean(value)[:40]}))
                continue
            figures[name] = number
        rate = values.get("ctr")
        if "clicks" not in figures and "impressions" in figures and rate not in (None, ""):
            try:
                figures["clicks"] = int((figures["impressions"] * parsing.parse_rate(rate)).to_integral_value())
            except (ValueError, ArithmeticError):
                issues.append(Issue("bad_number", "ctr", {"field": "ctr", "value": parsing.clean(rate)[:40]}))
        if not figures and not any(i.column in METRIC_NAMES for i in issues):
            issues.append(Issue("no_figures"))
        return figures


__all__ = ["FactChecker", "FactRow", "Issue", "issue_message", "label"]
