"""Checking a batch of pushed facts: the body's shape, each fact's fields and figures (with the import's
``FactChecker``), keys given once, and the row errors in the reader's language."""

import datetime
import re
import zoneinfo

import orjson
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignBrand, ContentItem, Creative

from .. import parsing
from ..facts import FactChecker, FactRow, Issue, issue_message
from ..metrics import METRIC_NAMES
from ..models import MetricFact, MetricSource

MAX_FACTS = 10_000
# A figure of one fact stays far below what the rollups' 64-bit sums can hold, so adding up a brand's day (or a
# campaign's whole run) can never overflow: a trillion impressions in a day is beyond any platform.
# The fields of a fact, as partners name them (the checker calls a content item "item").
COORDINATES = ("date", "channel", "brand", "campaign", "content_item", "creative", "source_key")
FIELDS = (*COORDINATES, *METRIC_NAMES)
TO_CHECKER = {"content_item": "item"}
FROM_CHECKER = {"item": "content_item", "": None}
# A partner's row id: printable ASCII, no space at either end (the database keeps it as given).
SOURCE_KEY = re.compile(r"[!-~]([ -~]{0,198}[!-~])?")

MESSAGES = {
    "not_an_object": _('Send a JSON object: {"facts": [...]}.'),
    "fact_not_an_object": _("A fact is a JSON object of fields and figures."),
    "required": _('Send the facts as a list: {"facts": [...]}.'),
    "count": _("Send from 1 to %(max)s facts in one request; this one has %(count)s."),
    "unknown_field": _("Unknown field “%(value)s”."),
    "bad_key": _("The row key is 1 to 200 printable ASCII characters, without a space at either end."),
    "duplicate_key": _("Fact %(first)s has the same key (%(value)s): send each fact once in a batch."),
    "key_of_other_brand": _("This row key belongs to a fact of a brand this key may not write."),
}


def _message(code: str, params: dict) -> str:
    """Our own codes' messages, else the checker's (``issue_message``), in the active language."""
    template = MESSAGES.get(code)
    if template is None:
        return issue_message(code, params)
    return gettext(str(template)) % params if params else gettext(str(template))


def issue(index, field, code, params: dict | None = None) -> dict:
    """One row error as the 400 lists it: the fact's index (None: the body), the field (None: the fact), the code
    and its message in the active language."""
    return {"index": index, "field": field, "code": code, "message": _message(code, params or {})}


def china_today() -> datetime.date:
    """Facts are China's days: a partner's figures for today in China are not "in the future" before UTC midnight."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.STAFF_TIME_ZONE))


class BatchChecker(FactChecker):
    """The checker, with a batch's campaigns, items and creatives read in a handful of queries beforehand.

    ``FactChecker`` looks each distinct id up when it first meets it (one or two queries): right for a file read
    row by row, but a batch of 10,000 facts about 5,000 items would cost 10,000 queries. ``prefetch`` fills the
    same caches the lookups use, with the same rules (ids as digits, else a publication's external id; a missing
    id stays missing), so checking a batch costs the same few queries whatever its size.
    """

    def prefetch(self, facts: list) -> None:
        keys = {"campaign": set(), "item": set(), "creative": set()}
        for fact in facts:
            if not isinstance(fact, dict):
                continue
            for field, name in (("campaign", "campaign"), ("content_item", "item"), ("creative", "creative")):
                value = fact.get(field)
                if value is not None and not isinstance(value, dict | list) and (key := _lookup_key(value)):
                    keys[name].add(key)
        creatives = _by_id(Creative.objects.only("pk", "item_id"), keys["creative"])
        self._creatives.update(creatives)
        keys["item"] |= {str(c.item_id) for c in creatives.values() if c is not None}
        self._prefetch_items(keys["item"])
        campaigns = _by_id(Campaign.objects.only("pk"), keys["campaign"])
        self._campaigns.update(campaigns)
        found = [c.pk for c in campaigns.values() if c is not None]
        for campaign_id in found:
            self._campaign_brands.setdefault(campaign_id, set())
        for campaign_id, brand_id in CampaignBrand.objects.filter(campaign_id__in=found).values_list(
            "campaign_id", "brand_id"
        ):
            self._campaign_brands[campaign_id].add(brand_id)

    def _prefetch_items(self, keys: set) -> None:
        items = _by_id(ContentItem.objects.only("pk", "campaign_id"), keys)
        missing = [key for key, item in items.items() if item is None]
        if missing:
            # As ``FactChecker.item``: an id that is not ours may be the platform's id of the published piece.
            by_external = {}
            for external_id, pk in ContentItem.objects.filter(publication__external_id__in=missing).values_list(
                "publication__external_id", "pk"
            ):
                by_external.setdefault(external_id, pk)
            extra = {i.pk: i for i in ContentItem.objects.filter(pk__in=by_external.values()).only("pk", "campaign_id")}
            for key in missing:
                items[key] = extra.get(by_external.get(key))
        self._items.update(items)
        found = {item.pk for item in items.values() if item is not None} - set(self._item_brands)
        for item_id in found:
            self._item_brands[item_id] = set()
        through = ContentItem.brands.through.objects.filter(contentitem_id__in=found)
        for item_id, brand_id in through.values_list("contentitem_id", "brand_id"):
            self._item_brands[item_id].add(brand_id)


def _lookup_key(value) -> str:
    """The cache key ``FactChecker`` uses for an id as given."""
    return parsing.clean(value).lstrip("#")


def _by_id(queryset, keys: set) -> dict:
    """Each key -> its object by primary key, or None (ids of 19 digits or more are no id of ours)."""
    ids = {key: int(key) for key in keys if key.isdigit() and len(key) < 19}
    found = {}
    for chunk in _chunked(sorted(set(ids.values())), 5000):
        found.update({obj.pk: obj for obj in queryset.filter(pk__in=chunk).order_by()})
    return {key: found.get(ids[key]) if key in ids else None for key in keys}


def _chunked(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- checking a batch ---------------------------------------------------------------------------------------------


def facts_of(payload) -> tuple[list | None, list[dict]]:
    """The body's fact list, or the issues of the body as a whole."""
    if not isinstance(payload, dict):
        return None, [issue(None, None, "not_an_object")]
    issues = [issue(None, name, "unknown_field", {"value": name[:80]}) for name in payload if name != "facts"]
    facts = payload.get("facts")
    if not isinstance(facts, list):
        issues.append(issue(None, "facts", "required"))
    elif not 1 <= len(facts) <= MAX_FACTS:
        issues.append(issue(None, "facts", "count", {"max": f"{MAX_FACTS:,}", "count": f"{len(facts):,}"}))
    return (facts if not issues else None), issues


def _figure_typeissue(name, value) -> Issue | None:
    """Figures are numbers or text; an object, a list or a boolean would otherwise be read as its Python text."""
    if isinstance(value, dict | list | bool):
        return Issue("bad_number", name, {"field": name, "value": orjson.dumps(value).decode()[:40]})
    return None


def check_facts(facts: list, *, brand_ids) -> tuple[list[FactRow], list[dict]]:
    """Check every fact; the rows when all are good, else every bad fact's issues (index from 0)."""
    checker = BatchChecker(brand_ids=brand_ids, today=china_today())
    checker.prefetch(facts)
    rows: list[FactRow] = []
    issues: list[dict] = []
    first_of_key: dict[str, int] = {}
    days: dict[str, datetime.date] = {}
    for index, fact in enumerate(facts):
        if not isinstance(fact, dict):
            issues.append(issue(index, None, "fact_not_an_object"))
            continue
        found = [issue(index, name, "unknown_field", {"value": name[:80]}) for name in fact if name not in FIELDS]
        values = {TO_CHECKER.get(name, name): value for name, value in fact.items() if name in FIELDS}
        values["date"] = _iso_day(values.get("date"), days)
        key = values.get("source_key")
        if key is not None and not (isinstance(key, str) and SOURCE_KEY.fullmatch(key)):
            found.append(issue(index, "source_key", "bad_key"))
            values.pop("source_key")
        problems = [p for name in METRIC_NAMES if (p := _figure_typeissue(name, values.get(name)))]
        for problem in problems:
            values.pop(problem.column)
        row, checked = checker.check(values)
        # A figure refused for its type is not "no figures" (the checker did not see it).
        problems += [p for p in checked if not (problems and p.code == "no_figures")]
        found += [issue(index, FROM_CHECKER.get(p.column, p.column), p.code, p.params) for p in problems]
        if not found and row is not None:
            first = first_of_key.setdefault(row.source_key, index)
            if first != index:
                found.append(issue(index, "source_key", "duplicate_key", {"first": first, "value": row.source_key}))
        if found:
            issues += found
        else:
            rows.append(row)
    return rows, issues


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value, days: dict):
    """An ISO date (what partners send) read once per batch by the C parser: the checker tries each of its formats
    with ``strptime``, a sixth of a batch's checking. Anything else (or an impossible day) is left to the checker."""
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
        return value
    day = days.get(value)
    if day is None:
        try:
            day = days[value] = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return day


def keys_of_other_brands(source: MetricSource, rows: list[FactRow], brand_ids) -> set[str]:
    """Keys of ``rows`` that this source already holds for a brand outside ``brand_ids``: another key of the same
    partner wrote them, and an update would move (or overwrite) that brand's figures."""
    keys = [row.source_key for row in rows]
    taken = set()
    for chunk in _chunked(keys, 5000):
        facts = MetricFact.objects.filter(source=source, source_key__in=chunk).exclude(brand_id__in=brand_ids)
        taken.update(facts.values_list("source_key", flat=True))
    return taken
