"""``/api/v1/webhooks/``: a partner registers and manages its own endpoints with a ``webhooks:manage`` key.

A key sees and changes only the endpoints it registered; one limited to some brands registers endpoints limited
to those (brands are named by slug). The secret is returned once, when the endpoint is created (or when a new
one is set). The delivery log lists each delivery's state, attempts and last response code, and a finished
delivery can be sent again.
"""

import orjson
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers

from brandhub.api.base import (
    ApiView,
    CursorListView,
    body_version,
    json_response,
    not_modified,
    not_modified_response,
    strong_etag,
)
from brandhub.api.schema import ERROR_RESPONSES, NOT_MODIFIED, PAGING_PARAMETERS
from brandhub.events import iso
from brandhub.models import OutboxEvent, WebhookDelivery, WebhookEndpoint

from . import services

SCOPE = "webhooks:manage"
TAGS = ["webhooks"]
EVENT_TYPES = list(OutboxEvent.Type.values)


# --- documents --------------------------------------------------------------------------------------------------


def endpoint_document(endpoint: WebhookEndpoint, *, secret: str | None = None) -> dict:
    document = {
        "id": endpoint.pk,
        "name": endpoint.name,
        "url": endpoint.url,
        "events": endpoint.events,
        "brands": sorted(b.slug for b in endpoint.brands.all()),
        "active": endpoint.active,
        "created_at": iso(endpoint.created_at),
        "updated_at": iso(endpoint.updated_at),
    }
    if secret is not None:
        document["secret"] = secret
    return document


def delivery_document(delivery: WebhookDelivery) -> dict:
    event = delivery.event
    return {
        "id": delivery.pk,
        "event": {"id": str(event.uuid), "type": event.type, "occurred_at": iso(event.occurred_at)},
        "state": delivery.state,
        "attempts": delivery.attempts,
        "response_status": delivery.response_status,
        "error": delivery.error,
        "created_at": iso(delivery.created_at),
        "last_attempt_at": iso(delivery.last_attempt_at),
        "next_attempt_at": iso(delivery.next_attempt_at) if delivery.state == WebhookDelivery.State.PENDING else None,
        "delivered_at": iso(delivery.delivered_at),
        "redelivery_of": delivery.redelivery_of_id,
    }


class WebhookEndpointSerializer(serializers.Serializer):
    """An endpoint as the API shows it (the secret only in the answer that creates it)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES))
    brands = serializers.ListField(child=serializers.CharField(), help_text="Slugs; empty: every brand.")
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret, shown in this answer only.")


class WebhookEndpointPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = WebhookEndpointSerializer(many=True)


class DeliveryEventSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.ChoiceField(choices=EVENT_TYPES)
    occurred_at = serializers.DateTimeField()


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = DeliveryEventSerializer()
    state = serializers.ChoiceField(choices=WebhookDelivery.State.values)
    attempts = serializers.IntegerField()
    response_status = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    redelivery_of = serializers.IntegerField(allow_null=True)


class WebhookDeliveryPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    results = WebhookDeliverySerializer(many=True)


# --- input ------------------------------------------------------------------------------------------------------


class _BrandSlugs(serializers.ListField):
    child = serializers.SlugField(max_length=80)


class WebhookEndpointInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    url = serializers.CharField(max_length=500, help_text="http(s) to a public address.")
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES), allow_empty=False)
    brands = _BrandSlugs(required=False, help_text="Slugs of brands to hear of; empty: every brand the key may see.")
    secret = serializers.CharField(
        required=False, min_length=24, max_length=128, help_text="Leave out and one is generated."
    )


class WebhookEndpointPatchSerializer(WebhookEndpointInputSerializer):
    name = serializers.CharField(max_length=120, required=False)
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), allow_empty=False, required=False
    )
    active = serializers.BooleanField(required=False)
    secret = serializers.CharField(
        required=False, min_length=24, max_length=128, help_text="A new secret (not echoed in the answer)."
    )


def _input(serializer_class, request) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if "brands" in data:
        from brands.models import Brand

        slugs = set(data["brands"])
        brands = Brand.objects.filter(slug__in=slugs)
        if request.auth.brand_ids is not None:
            brands = brands.filter(pk__in=request.auth.brand_ids)
        data["brands"] = list(brands)
        unknown = slugs - {b.slug for b in data["brands"]}
        if unknown:
            raise exceptions.ValidationError({"brands": [f"Unknown brand: {slug}" for slug in sorted(unknown)]})
    return data


def _service_call(call):
    """A service's refusal in the API's error shape."""
    try:
        return call()
    except DjangoValidationError as exc:
        details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise exceptions.ValidationError(details) from exc
    except DjangoPermissionDenied as exc:
        raise exceptions.NotFound() from exc


def _own_endpoints(request):
    return WebhookEndpoint.objects.managed_by_key(request.auth).prefetch_related("brands")


def _own_endpoint(request, pk) -> WebhookEndpoint:
    endpoint = _own_endpoints(request).filter(pk=pk).first()
    if endpoint is None:
        raise exceptions.NotFound()
    return endpoint


def _json(document, status=200) -> HttpResponse:
    return HttpResponse(orjson.dumps(document), status=status, content_type="application/json")


# --- views ------------------------------------------------------------------------------------------------------


class WebhookListView(CursorListView):
    """The key's endpoints (GET) and a new one (POST)."""

    required_scope = SCOPE
    http_method_names = ["get", "post", "head", "options"]
    query_parameters = CursorListView.paging_parameters

    @extend_schema(
        operation_id="webhooks_list",
        parameters=PAGING_PARAMETERS,
        responses={200: WebhookEndpointPageSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def get(self, request):
        queryset = _own_endpoints(request)
        modified = queryset.aggregate(latest=Max("updated_at"))["latest"]
        return self.list_response(request, queryset, language="all", modified=modified)

    def page_bodies(self, queryset, limit, language):
        return [(e.pk, iso(e.updated_at), orjson.dumps(endpoint_document(e))) for e in queryset.order_by("pk")[:limit]]

    @extend_schema(
        operation_id="webhooks_create",
        request=WebhookEndpointInputSerializer,
        responses={201: WebhookEndpointCreatedSerializer, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def post(self, request):
        data = _input(WebhookEndpointInputSerializer, request)
        endpoint = _service_call(lambda: services.webhook_endpoint_create(api_key=request.auth, **data))
        return _json(endpoint_document(endpoint, secret=endpoint.secret), status=201)


class WebhookDetailView(ApiView):
    """One of the key's endpoints: read, change (PATCH), delete with its log (DELETE)."""

    required_scope = SCOPE
    http_method_names = ["get", "patch", "delete", "head", "options"]

    @extend_schema(
        operation_id="webhooks_retrieve",
        responses={200: WebhookEndpointSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def get(self, request, pk):
        body = orjson.dumps(endpoint_document(_own_endpoint(request, pk)))
        etag = strong_etag(body)
        if not_modified(request, etag, None):
            return not_modified_response(etag, None)
        return json_response(body, etag, None)

    @extend_schema(
        operation_id="webhooks_partial_update",
        request=WebhookEndpointPatchSerializer,
        responses={200: WebhookEndpointSerializer, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def patch(self, request, pk):
        endpoint = _own_endpoint(request, pk)
        data = _input(WebhookEndpointPatchSerializer, request)
        endpoint = _service_call(
            lambda: services.webhook_endpoint_update(endpoint=endpoint, api_key=request.auth, **data)
        )
        return _json(endpoint_document(endpoint))

    @extend_schema(
        operation_id="webhooks_destroy",
        responses={204: OpenApiResponse(description="Deleted"), **ERROR_RESPONSES},
        tags=TAGS,
    )
    def delete(self, request, pk):
        endpoint = _own_endpoint(request, pk)
        _service_call(lambda: services.webhook_endpoint_delete(endpoint=endpoint, api_key=request.auth))
        return HttpResponse(status=204)


class WebhookDeliveryListView(CursorListView):
    """An endpoint's delivery log in id order (``state=dead``: its dead letters)."""

    required_scope = SCOPE
    query_parameters = frozenset({"state", *CursorListView.paging_parameters})

    @extend_schema(
        operation_id="webhooks_deliveries_list",
        parameters=[
            OpenApiParameter("state", {"type": "string", "enum": WebhookDelivery.State.values}),
            *PAGING_PARAMETERS,
        ],
        responses={200: WebhookDeliveryPageSerializer, 304: NOT_MODIFIED, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def get(self, request, pk):
        endpoint = _own_endpoint(request, pk)
        queryset = endpoint.deliveries.select_related("event")
        state = request.query_params.get("state")
        if state is not None:
            if state not in WebhookDelivery.State.values:
                raise exceptions.ValidationError({"state": [f"Use one of: {', '.join(WebhookDelivery.State.values)}."]})
            queryset = queryset.filter(state=state)
        return self.list_response(request, queryset, language="all", modified=None)

    def page_bodies(self, queryset, limit, language):
        rows = []
        for delivery in queryset.defer("body", "response_snippet", "log").order_by("pk")[:limit]:
            body = orjson.dumps(delivery_document(delivery))
            rows.append((delivery.pk, body_version(body), body))
        return rows


class WebhookRedeliverView(ApiView):
    """Send a finished delivery's event again: a new delivery (same event id, fresh signature)."""

    required_scope = SCOPE
    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="webhooks_deliveries_redeliver",
        request=None,
        responses={202: WebhookDeliverySerializer, **ERROR_RESPONSES},
        tags=TAGS,
    )
    def post(self, request, pk, delivery_id):
        endpoint = _own_endpoint(request, pk)
        delivery = endpoint.deliveries.select_related("endpoint", "event").filter(pk=delivery_id).first()
        if delivery is None:
            raise exceptions.NotFound()
        again = _service_call(lambda: services.webhook_delivery_redeliver(delivery=delivery, api_key=request.auth))
        again.event = delivery.event
        return _json(delivery_document(again), status=202)
