"""The managers' console for webhooks: partner endpoints, their delivery log, redelivery (``/webhooks/``).

Managers only: editors and brand users get 403 whatever the address, so an address tells them nothing.
"""

import datetime
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from brandhub.access import AgencyManagerRequiredMixin
from brandhub.models import WebhookDelivery, WebhookEndpoint

from . import services
from .forms import DeliveryFilterForm, WebhookEndpointForm

State = WebhookDelivery.State
SECRET_TEMPLATE = "webhooks/webhookendpoint_secret.html"


class WebhookEndpointListView(AgencyManagerRequiredMixin, ListView):
    """Every endpoint with what it hears, who registered it, its last delivery and its dead letters."""

    template_name = "webhooks/webhookendpoint_list.html"
    paginate_by = 50

    def get_queryset(self):
        last = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-pk")
        return (
            WebhookEndpoint.objects.select_related("api_key", "created_by")
            .prefetch_related("brands")
            .annotate(
                dead=Count("deliveries", filter=Q(deliveries__state=State.DEAD)),
                waiting=Count("deliveries", filter=Q(deliveries__state__in=[State.PENDING, State.SENDING])),
                last_state=Subquery(last.values("state")[:1]),
                last_created_at=Subquery(last.values("created_at")[:1]),
                last_status=Subquery(last.values("response_status")[:1]),
            )
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(states=dict(State.choices), **kwargs)


class WebhookEndpointCreateView(AgencyManagerRequiredMixin, FormView):
    form_class = WebhookEndpointForm
    template_name = "webhooks/webhookendpoint_form.html"

    def form_valid(self, form):
        try:
            endpoint = services.webhook_endpoint_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        # Shown on this answer only, like a new API key.
        return render(self.request, SECRET_TEMPLATE, {"endpoint": endpoint, "secret": endpoint.secret, "new": True})


class _EndpointMixin(AgencyManagerRequiredMixin):
    def lookup(self, user, pk):
        self.endpoint = get_object_or_404(WebhookEndpoint.objects.select_related("api_key", "created_by"), pk=pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(endpoint=self.endpoint, **kwargs)


class WebhookEndpointUpdateView(_EndpointMixin, FormView):
    form_class = WebhookEndpointForm
    template_name = "webhooks/webhookendpoint_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editing": True}

    def get_initial(self):
        endpoint = self.endpoint
        return {"name": endpoint.name, "url": endpoint.url, "events": endpoint.events, "brands": endpoint.brands.all()}

    def form_valid(self, form):
        try:
            services.webhook_endpoint_update(endpoint=self.endpoint, actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The endpoint was saved."))
        return redirect("webhooks:webhookendpoint_detail", pk=self.endpoint.pk)


class WebhookEndpointDetailView(_EndpointMixin, ListView):
    """An endpoint and its delivery log, newest first, with each attempt's response code."""

    template_name = "webhooks/webhookendpoint_detail.html"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = DeliveryFilterForm(self.request.GET)
        deliveries = (
            self.endpoint.deliveries.select_related("event").defer("body", "response_snippet", "log").order_by("-pk")
        )
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["state"]:
            deliveries = deliveries.filter(state=self.filter_form.cleaned_data["state"])
        return deliveries

    def get_context_data(self, **kwargs):
        counts = dict(self.endpoint.deliveries.values_list("state").annotate(n=Count("pk")).order_by())
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form,
            querystring=query.urlencode(),
            counts=[(label, counts.get(state, 0), state) for state, label in State.choices],
            brands=list(self.endpoint.brands.all()),
            **kwargs,
        )


class WebhookEndpointActionView(_EndpointMixin, View):
    """POST only: disable, enable, or a new secret (shown once)."""

    def post(self, request, pk):
        action = request.POST.get("action")
        endpoint = self.endpoint
        if action == "rotate_secret":
            secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
            return render(request, SECRET_TEMPLATE, {"endpoint": endpoint, "secret": secret, "new": False})
        if action in ("disable", "enable"):
            services.webhook_endpoint_set_active(endpoint=endpoint, actor=request.user, active=action == "enable")
            messages.success(
                request, _("The endpoint was enabled.") if action == "enable" else _("The endpoint was disabled.")
            )
        return redirect("webhooks:webhookendpoint_detail", pk=endpoint.pk)


class _DeliveryMixin(AgencyManagerRequiredMixin):
    def lookup(self, user, pk):
        self.delivery = get_object_or_404(
            WebhookDelivery.objects.select_related("endpoint", "event", "redelivery_of", "requested_by"), pk=pk
        )


class WebhookDeliveryDetailView(_DeliveryMixin, TemplateView):
    """One delivery: the body sent, the headers (without the signature's value), every attempt, the response."""

    template_name = "webhooks/webhookdelivery_detail.html"

    def get_context_data(self, **kwargs):
        delivery = self.delivery
        try:
            body = json.dumps(json.loads(delivery.body), indent=2, ensure_ascii=False)
        except ValueError:
            body = delivery.body
        headers = {
            "Content-Type": "application/json",
            "X-BrandHub-Event": delivery.event.type,
            "X-BrandHub-Event-Id": str(delivery.event.uuid),
            "X-BrandHub-Delivery": str(delivery.pk),
            "X-BrandHub-Signature": "t=…,v1=…",
        }
        attempts = [{**entry, "at": _moment(entry.get("at"))} for entry in delivery.log]
        return super().get_context_data(
            delivery=delivery,
            attempts=attempts,
            endpoint=delivery.endpoint,
            body=body,
            headers=headers,
            can_redeliver=delivery.state in (State.DELIVERED, State.DEAD) and delivery.endpoint.active,
            **kwargs,
        )


def _moment(text):
    """An attempt's time (ISO 8601 in the log) as a datetime, shown in the reader's time zone."""
    try:
        return datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


class WebhookDeliveryRedeliverView(_DeliveryMixin, View):
    def post(self, request, pk):
        try:
            services.webhook_delivery_redeliver(delivery=self.delivery, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The event is being sent again."))
        return redirect("webhooks:webhookendpoint_detail", pk=self.delivery.endpoint_id)
