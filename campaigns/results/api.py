"""``POST /api/v1/metrics/``: a partner pushes result facts (scope ``metrics:write``).

A batch of 1 to 10,000 facts is checked whole by the same ``FactChecker`` as a file import (dates, channels, brands,
campaigns, items, creatives, figures as numbers or as exports write them) and then written by ``facts_upsert`` under
the partner's source (``MetricSource`` of kind *API* named after the key's partner), all or nothing. Facts are keyed
by the partner's row id (``source_key``) or, without one, by their grain (date × channel × brand × item ×
creative), so sending a batch again changes nothing and says so (``unchanged``). Any bad fact refuses the whole
batch with every bad fact's index, field, code and message (in the request's language), in the API's one error
shape; a key limited to some brands never writes another brand's figures.
"""

import datetime
import re
import zoneinfo

import orjson
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.parsers import BaseParser

from brandhub.api.base import ApiView
from brandhub.api.policies import error_body
from brandhub.api.schema import ERROR_RESPONSES, ErrorSerializer
from brandhub.models import ApiKey
from campaigns.choices import Channel
from campaigns.models import Campaign, CampaignBrand, ContentItem, Creative

from . import parsing
from .facts import FactChecker, FactRow, Issue, issue_message
from .metrics import BY_NAME, METRIC_NAMES
from .models import MetricFact, MetricSource
from .services import facts_upsert, source_for

MAX_FACTS = 10_000
# A figure of one fact stays far below what the rollups' 64-bit sums can hold, so adding up a brand's day (or a
# campaign's whole run) can never overflow: a trillion impressions in a day is beyond any platform.
MAX_FIGURE = 10**12
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


def _issue(index, field, code, params: dict | None = None) -> dict:
    return {"index": index, "field": field, "code": code, "message": _message(code, params or {})}


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class FactsParser(BaseParser):
    """JSON with orjson, within this endpoint's own size limit (``METRICS_PUSH_MAX_BYTES``) instead of Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, which 10,000 facts can pass. The body is read from the stream, so Django's
    limit does not apply to it; a declared length above the limit is refused before anything is read."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.METRICS_PUSH_MAX_BYTES
        request = parser_context["request"]
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        too_large = _("The request body is %(size)s bytes; this endpoint takes at most %(max)s.")
        if declared > limit:
            raise PayloadTooLarge(too_large % {"size": declared, "max": limit})
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise PayloadTooLarge(too_large % {"size": len(body), "max": limit})
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise exceptions.ParseError(_("The request body is not valid JSON: %(error)s") % {"error": exc}) from exc


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


def _facts_of(payload) -> tuple[list | None, list[dict]]:
    """The body's fact list, or the issues of the body as a whole."""
    if not isinstance(payload, dict):
        return None, [_issue(None, None, "not_an_object")]
    issues = [_issue(None, name, "unknown_field", {"value": name[:80]}) for name in payload if name != "facts"]
    facts = payload.get("facts")
    if not isinstance(facts, list):
        issues.append(_issue(None, "facts", "required"))
    elif not 1 <= len(facts) <= MAX_FACTS:
        issues.append(_issue(None, "facts", "count", {"max": f"{MAX_FACTS:,}", "count": f"{len(facts):,}"}))
    return (facts if not issues else None), issues


def _figure_type_issue(name, value) -> Issue | None:
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
    for index, fact in enumerate(facts):
        if not isinstance(fact, dict):
            issues.append(_issue(index, None, "fact_not_an_object"))
            continue
        found = [_issue(index, name, "unknown_field", {"value": name[:80]}) for name in fact if name not in FIELDS]
        values = {TO_CHECKER.get(name, name): value for name, value in fact.items() if name in FIELDS}
        key = values.get("source_key")
        if key is not None and not (isinstance(key, str) and SOURCE_KEY.fullmatch(key)):
            found.append(_issue(index, "source_key", "bad_key"))
            values.pop("source_key")
        problems = [p for name in METRIC_NAMES if (p := _figure_type_issue(name, values.get(name)))]
        for problem in problems:
            values.pop(problem.column)
        row, checked = checker.check(values)
        # A figure refused for its type is not "no figures" (the checker did not see it).
        problems += [p for p in checked if not (problems and p.code == "no_figures")]
        if row is not None:
            problems += _too_large(row)
        found += [_issue(index, FROM_CHECKER.get(p.column, p.column), p.code, p.params) for p in problems]
        if not found and row is not None:
            first = first_of_key.setdefault(row.source_key, index)
            if first != index:
                found.append(_issue(index, "source_key", "duplicate_key", {"first": first, "value": row.source_key}))
        if found:
            issues += found
        else:
            rows.append(row)
    return rows, issues


def _too_large(row: FactRow) -> list[Issue]:
    return [
        Issue("too_large", name, {"field": name, "value": str(value)})
        for name, value in row.figures.items()
        if abs(value) > MAX_FIGURE
    ]


def _keys_of_other_brands(source: MetricSource, rows: list[FactRow], brand_ids) -> set[str]:
    """Keys of ``rows`` that this source already holds for a brand outside ``brand_ids``: another key of the same
    partner wrote them, and an update would move (or overwrite) that brand's figures."""
    keys = [row.source_key for row in rows]
    taken = set()
    for chunk in _chunked(keys, 5000):
        facts = MetricFact.objects.filter(source=source, source_key__in=chunk).exclude(brand_id__in=brand_ids)
        taken.update(facts.values_list("source_key", flat=True))
    return taken


def _invalid(issues: list[dict], total: int) -> HttpResponse:
    bad = len({issue["index"] for issue in issues if issue["index"] is not None})
    if bad:
        message = ngettext(
            "%(bad)s of %(total)s facts is not valid; nothing was written.",
            "%(bad)s of %(total)s facts are not valid; nothing was written.",
            bad,
        ) % {"bad": f"{bad:,}", "total": f"{total:,}"}
    else:
        message = gettext("The request is not valid; nothing was written.")
    body = error_body(400, "invalid", message, {"facts": issues})
    return HttpResponse(orjson.dumps(body), status=400, content_type="application/json")


# --- the schema ---------------------------------------------------------------------------------------------------

_COUNT_TEXT = r"^([0-9]{1,12}|[0-9]{1,3}(,[0-9]{3}){1,3}|[0-9]{1,8}(\.[0-9]{1,4})?万)$"
_SIGNED_TEXT = r"^-?([0-9]{1,12}|[0-9]{1,3}(,[0-9]{3}){1,3}|[0-9]{1,8}(\.[0-9]{1,4})?万)$"
_MONEY_TEXT = r"^(¥?([0-9]{1,12}|[0-9]{1,3}(,[0-9]{3}){1,3})(\.[0-9]{1,2})?|[0-9]{1,8}(\.[0-9]{1,4})?万)$"


def _figure_schema(name: str) -> dict:
    metric = BY_NAME[name]
    if metric.decimal:
        number = {"type": "number", "minimum": 0, "maximum": MAX_FIGURE}
        text = {"type": "string", "pattern": _MONEY_TEXT}
    else:
        number = {"type": "integer", "minimum": -MAX_FIGURE if metric.signed else 0, "maximum": MAX_FIGURE}
        text = {"type": "string", "pattern": _SIGNED_TEXT if metric.signed else _COUNT_TEXT}
    return {"oneOf": [number, text], "nullable": True}


_FIGURE_HELP = {
    "followers_total": "The account's followers at the end of the day (a level, not summed over days).",
    "followers_gained": "Followers gained that day; negative when more left than came.",
    "impressions": "Impressions (展现量).",
    "interactions": "Interactions (互动: likes, comments, shares, saves).",
    "viewers": "Viewers (观看人数).",
    "clicks": "Clicks (点击量).",
    "items_sold": "Items sold.",
    "gmv_cny": "GMV in CNY (成交金额), with cents.",
}


def _figure_field(name: str):
    @extend_schema_field(_figure_schema(name))
    class FigureField(serializers.Field):
        pass

    return FigureField(
        required=False,
        allow_null=True,
        help_text=_FIGURE_HELP[name] + " A number, or text as exports write it (12,345 · 1.2万 · ¥3,450.50); "
        "null or left out: not reported (not the same as 0).",
    )


class MetricFactInputSerializer(serializers.Serializer):
    """One fact: a day of one channel's figures for one brand, optionally for a campaign, item and creative."""

    date = serializers.DateField(help_text="The day in China (YYYY-MM-DD); not in the future.")
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="Our channel key.")
    brand = serializers.RegexField(r"^[-a-zA-Z0-9_]+$", max_length=80, help_text="The brand's slug.")
    campaign = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Our campaign id (taken from the item when given)."
    )
    content_item = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Our content item id: it must feature the brand."
    )
    creative = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Our creative id: one of the content item's."
    )
    source_key = serializers.RegexField(
        SOURCE_KEY.pattern.join("^$"),
        required=False,
        allow_null=True,
        max_length=200,
        help_text="Your own id of the row (printable ASCII). Sending a key again updates its fact. Without it, "
        "a fact is keyed by date × channel × brand × content item × creative.",
    )
    followers_total = _figure_field("followers_total")
    followers_gained = _figure_field("followers_gained")
    impressions = _figure_field("impressions")
    interactions = _figure_field("interactions")
    viewers = _figure_field("viewers")
    clicks = _figure_field("clicks")
    items_sold = _figure_field("items_sold")
    gmv_cny = _figure_field("gmv_cny")


class MetricPushSerializer(serializers.Serializer):
    facts = MetricFactInputSerializer(many=True, min_length=1, max_length=MAX_FACTS)


class MetricPushResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Facts new to the hub.")
    updated = serializers.IntegerField(help_text="Facts sent before whose figures or coordinates changed.")
    unchanged = serializers.IntegerField(help_text="Facts sent before exactly as now: nothing moved.")


class MetricFactIssueSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        allow_null=True, help_text="The fact's position in `facts`, from 0; null: the body."
    )
    field = serializers.CharField(allow_null=True, help_text="The field at fault; null: the fact as a whole.")
    code = serializers.CharField(
        help_text="required, bad_date, future_date, unknown_channel, unknown_brand, brand_not_allowed, "
        "unknown_campaign, unknown_item, item_not_of_brand, item_not_in_campaign, brand_not_in_campaign, "
        "unknown_creative, creative_not_of_item, bad_number, negative, too_large, no_figures, unknown_field, "
        "bad_key, duplicate_key, key_of_other_brand, fact_not_an_object, not_an_object, count"
    )
    message = serializers.CharField(help_text="In the request's language (Accept-Language).")


class MetricFactIssuesSerializer(serializers.Serializer):
    facts = MetricFactIssueSerializer(many=True, required=False, help_text="Every bad fact's issues.")


class MetricPushErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="invalid (the facts), parse_error (not JSON)")
    message = serializers.CharField()
    details = MetricFactIssuesSerializer()


class MetricPushErrorSerializer(serializers.Serializer):
    error = MetricPushErrorDetailSerializer()


class _ClosedObjects(OpenApiSerializerExtension):
    """The push's request objects refuse unknown fields (a misspelt figure is an error, not silently dropped):
    the schema says so with ``additionalProperties: false``."""

    target_class = MetricFactInputSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        return schema


class _ClosedBody(_ClosedObjects):
    target_class = MetricPushSerializer

    def map_serializer(self, auto_schema, direction):
        schema = super().map_serializer(auto_schema, direction)
        schema["properties"]["facts"].update(minItems=1, maxItems=MAX_FACTS)
        return schema


EXAMPLE_REQUEST = {
    "facts": [
        {
            "date": "2026-11-11",
            "channel": "livestream",
            "brand": "cantina-del-sole",
            "source_key": "tmall-live-88231",
            "viewers": "1.2万",
            "items_sold": 350,
            "gmv_cny": "¥104,650.00",
        },
        {
            "date": "2026-11-11",
            "channel": "banner",
            "brand": "cantina-del-sole",
            "content_item": 4182,
            "creative": 977,
            "impressions": 182000,
            "clicks": 3100,
        },
    ]
}


# --- the view -----------------------------------------------------------------------------------------------------


class MetricPushView(ApiView):
    """Push result facts: 1 to 10,000 a request, written all or nothing.

    Each fact is a day × channel × brand, optionally narrowed to a campaign, a content item and a creative, with
    the figures you have (leave out what you do not report). Facts are keyed by your `source_key` or, without
    one, by date × channel × brand × content item × creative: sending a fact again updates it, and sending the
    same batch again changes nothing (`unchanged`). If any fact is bad, nothing is written and the 400 lists
    every bad fact's index, field, code and message. A key limited to some brands may write only those.
    """

    required_scope = ApiKey.Scope.METRICS_WRITE.value
    http_method_names = ["post", "options"]
    parser_classes = [FactsParser]

    @extend_schema(
        operation_id="metrics_push",
        request=MetricPushSerializer,
        responses={
            200: MetricPushResultSerializer,
            **ERROR_RESPONSES,
            400: OpenApiResponse(
                MetricPushErrorSerializer, description="Bad facts (every one listed); nothing written"
            ),
            413: OpenApiResponse(ErrorSerializer, description="The body is larger than the endpoint takes"),
            415: OpenApiResponse(ErrorSerializer, description="The body is not application/json"),
        },
        examples=[
            OpenApiExample("Two facts", value=EXAMPLE_REQUEST, request_only=True),
            OpenApiExample("Written", value={"created": 2, "updated": 0, "unchanged": 0}, response_only=True),
            OpenApiExample(
                "A bad fact",
                status_codes=["400"],
                response_only=True,
                value=error_body(
                    400,
                    "invalid",
                    "1 of 2 facts are not valid; nothing was written.",
                    {
                        "facts": [
                            {
                                "index": 1,
                                "field": "brand",
                                "code": "brand_not_allowed",
                                "message": "Brand “maglificio-arno” is not one this key may write.",
                            }
                        ]
                    },
                ),
            ),
        ],
        tags=["metrics"],
    )
    def post(self, request):
        client = request.auth
        facts, issues = _facts_of(request.data)
        if issues:
            return _invalid(issues, 0)
        rows, issues = check_facts(facts, brand_ids=client.brand_ids)
        if issues:
            return _invalid(issues, len(facts))
        source = source_for(MetricSource.Kind.API, client.name)
        with transaction.atomic():
            if client.brand_ids is not None:
                # Another key of the same partner may have written these keys for brands this one may not write.
                MetricSource.objects.select_for_update().filter(pk=source.pk).exists()
                taken = _keys_of_other_brands(source, rows, client.brand_ids)
                if taken:
                    # Every fact made a row (in order) when we get here: a row's index is its fact's.
                    issues = [
                        _issue(i, "source_key", "key_of_other_brand")
                        for i, row in enumerate(rows)
                        if row.source_key in taken
                    ]
                    return _invalid(issues, len(facts))
            result = facts_upsert(source=source, rows=rows)
        body = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        return HttpResponse(orjson.dumps(body), content_type="application/json")


__all__ = ["MAX_FACTS", "MetricPushView", "check_facts"]
