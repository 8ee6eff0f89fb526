"""The push's OpenAPI description: request and answer serializers (never used to parse: ``checking`` does that,
with the import's rules), closed objects, the figures' accepted forms, examples."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.choices import Channel

from ..facts import MAX_FIGURE
from ..metrics import BY_NAME
from .checking import MAX_FACTS, SOURCE_KEY

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
