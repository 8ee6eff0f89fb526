"""The push endpoint: its body parser (orjson, its own size limit), the view, and the 400 with every row error."""

import orjson
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import BaseParser

from brandhub.api.base import ApiView
from brandhub.api.policies import error_body
from brandhub.api.schema import ERROR_RESPONSES, ErrorSerializer
from brandhub.models import ApiKey

from ..models import MetricSource
from ..services import facts_upsert, source_for
from .checking import check_facts, facts_of, issue, keys_of_other_brands
from .schema import EXAMPLE_REQUEST, MetricPushErrorSerializer, MetricPushResultSerializer, MetricPushSerializer


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


def _invalid(issues: list[dict], total: int) -> HttpResponse:
    bad = len({found["index"] for found in issues if found["index"] is not None})
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
        facts, issues = facts_of(request.data)
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
                taken = keys_of_other_brands(source, rows, client.brand_ids)
                if taken:
                    # Every fact made a row (in order) when we get here: a row's index is its fact's.
                    issues = [
                        issue(i, "source_key", "key_of_other_brand")
                        for i, row in enumerate(rows)
                        if row.source_key in taken
                    ]
                    return _invalid(issues, len(facts))
            result = facts_upsert(source=source, rows=rows)
        body = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        return HttpResponse(orjson.dumps(body), content_type="application/json")
