"""Every write of the webhooks: endpoints, the relay from the outbox, one delivery attempt, redelivery, pruning.

The database drives everything; the broker only carries "look at delivery N now":

1. ``outbox_relay`` (beat's tick, and kicked after each event's commit) takes the unrelayed outbox rows with
   ``select_for_update(skip_locked=True)`` (SQLite's write lock makes relays take turns), creates one delivery
   per subscribed endpoint with its body, marks the rows relayed and, after the commit, sends one task per
   delivery. It then sends the deliveries whose retry is due, and those whose task was lost on the way
   (broker down at the commit, a worker killed while sending) once their lease has run out.
2. ``webhook_delivery_attempt`` takes the delivery (pending → sending, one conditional UPDATE: a duplicate task
   finds it taken), checks the URL's addresses again, POSTs the signed body and records the outcome: delivered
   (2xx); retried later with exponential backoff (network error, timeout, 408, 425, 429, 5xx); or the dead
   letter (any other answer, a refused address, a disabled endpoint, or the last attempt failed).

Delivery is at least once: a receiver that was slow to answer may see an event twice, with the same event id
(``X-BrandHub-Event-Id``), which it uses to ignore the second.
"""

import datetime
import logging
import random
from dataclasses import dataclass
from functools import partial

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brandhub.events import clear_kick_flag, iso
from brandhub.models import OutboxEvent, WebhookDelivery, WebhookEndpoint

from . import addresses, signing

logger = logging.getLogger(__name__)

State = WebhookDelivery.State
BATCH_SIZE = 200
SNIPPET_CHARS = 500
LOG_ENTRIES = 20
RETRY_FACTOR = 4
# Worth another try besides 5xx; any other answer is the receiver's final word.
RETRY_STATUSES = frozenset({408, 425, 429})
ENDPOINT_FIELDS = ("name", "url", "events", "brands", "active", "secret")


# --- endpoints --------------------------------------------------------------------------------------------------


def _check_manager(actor) -> None:
    """``None`` is the system or a partner's key (checked by the API); a person must be an agency manager."""
    if actor is not None and not (actor.is_authenticated and actor.is_agency_manager):
        raise PermissionDenied


def _clean_events(events) -> list[str]:
    events = sorted(set(events or ()))
    unknown = set(events) - set(OutboxEvent.Type.values)
    if not events or unknown:
        raise ValidationError(
            {"events": _("Choose events among: %(events)s.") % {"events": ", ".join(OutboxEvent.Type.values)}}
        )
    return events


def _clean_url(url: str) -> str:
    try:
        addresses.check(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from exc
    return url.strip()


def _clean_secret(secret: str | None) -> str:
    if not secret:
        return signing.new_secret()
    if not 24 <= len(secret) <= 128:
        raise ValidationError({"secret": _("A secret has from 24 to 128 characters.")})
    return secret


def _key_brands(api_key_id: int | None) -> set | None:
    """The brands an endpoint's key is limited to (None: every brand, or no key)."""
    if api_key_id is None:
        return None
    from brandhub.models import ApiKey

    ids = set(ApiKey.brands.through.objects.filter(apikey_id=api_key_id).values_list("brand_id", flat=True))
    return ids or None


def _clean_brands(brands, allowed: set | None) -> list:
    """An endpoint of a key limited to some brands stays limited to those (all of them when none are named), also
    when a manager edits it."""
    brands = list(brands or ())
    if allowed is None:
        return brands
    if any(b.pk not in allowed for b in brands):
        raise ValidationError({"brands": _("This partner's key is limited to other brands.")})
    if brands:
        return brands
    from brands.models import Brand

    return list(Brand.objects.filter(pk__in=allowed))


def webhook_endpoint_create(
    *, actor=None, api_key=None, name: str, url: str, events, brands=(), secret: str | None = None
) -> WebhookEndpoint:
    """Register an endpoint; refused unless its URL is http(s) to public addresses (in production).

    ``actor`` is the manager in the console, ``api_key`` the partner's key over the API (``ApiClient``): the
    endpoint is then the key's own. Without a secret one is generated; the caller shows it once.
    """
    _check_manager(actor)
    endpoint = WebhookEndpoint(
        name=name,
        url=_clean_url(url),
        events=_clean_events(events),
        secret=_clean_secret(secret),
        api_key_id=api_key.id if api_key is not None else None,
        created_by=actor if actor is not None else None,
    )
    brands = _clean_brands(brands, _key_brands(endpoint.api_key_id))
    endpoint.full_clean()
    with transaction.atomic():
        endpoint.save()
        endpoint.brands.set(brands)
    return endpoint


def webhook_endpoint_update(*, endpoint: WebhookEndpoint, actor=None, api_key=None, **fields) -> WebhookEndpoint:
    """Change an endpoint's fields (``ENDPOINT_FIELDS``; leave one out to keep it). A new URL is checked."""
    _check_manager(actor)
    if api_key is not None and endpoint.api_key_id != api_key.id:
        raise PermissionDenied
    unknown = set(fields) - set(ENDPOINT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    endpoint = WebhookEndpoint.objects.get(pk=endpoint.pk)
    if "url" in fields and fields["url"] != endpoint.url:
        endpoint.url = _clean_url(fields["url"])
    if "events" in fields:
        endpoint.events = _clean_events(fields["events"])
    if fields.get("secret"):
        endpoint.secret = _clean_secret(fields["secret"])
    for name in ("name", "active"):
        if name in fields:
            setattr(endpoint, name, fields[name])
    endpoint.full_clean()
    with transaction.atomic():
        endpoint.save()
        if "brands" in fields:
            endpoint.brands.set(_clean_brands(fields["brands"], _key_brands(endpoint.api_key_id)))
    return endpoint


def webhook_endpoint_set_active(*, endpoint: WebhookEndpoint, actor=None, active: bool) -> WebhookEndpoint:
    """Disable (nothing more is relayed to it; waiting deliveries go to the dead letter) or enable again."""
    return webhook_endpoint_update(endpoint=endpoint, actor=actor, active=active)


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor=None) -> str:
    """A new generated secret, used from the next attempt on; the caller shows it once."""
    secret = signing.new_secret()
    webhook_endpoint_update(endpoint=endpoint, actor=actor, secret=secret)
    return secret


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor=None, api_key=None) -> None:
    """Delete an endpoint with its delivery log."""
    _check_manager(actor)
    if api_key is not None and endpoint.api_key_id != api_key.id:
        raise PermissionDenied
    endpoint.delete()


# --- the relay --------------------------------------------------------------------------------------------------


@dataclass
class Relay:
    """What one relay run did."""

    events: int = 0
    deliveries: int = 0
    sent: int = 0
    rescued: int = 0


def event_body(event: OutboxEvent, brand_ids: set | None = None) -> bytes:
    """The JSON a receiver gets: ``{"id", "type", "v", "occurred_at", "data"}``; an endpoint limited to some
    brands reads only those in ``data.brands``."""
    data = event.data
    if brand_ids is not None and isinstance(data.get("brands"), list):
        data = {**data, "brands": [b for b in data["brands"] if b.get("id") in brand_ids]}
    return orjson.dumps(
        {"id": str(event.uuid), "type": event.type, "v": 1, "occurred_at": iso(event.occurred_at), "data": data}
    )


def _lease(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)


def _subscribers(now) -> list[WebhookEndpoint]:
    """Active endpoints, except those registered with a key that was revoked or has expired."""
    usable_key = Q(api_key__revoked_at__isnull=True) & (
        Q(api_key__expires_at__isnull=True) | Q(api_key__expires_at__gt=now)
    )
    endpoints = list(
        WebhookEndpoint.objects.filter(active=True)
        .filter(Q(api_key__isnull=True) | usable_key)
        .prefetch_related("brands")
    )
    for endpoint in endpoints:
        endpoint.brand_id_set = {b.pk for b in endpoint.brands.all()} or None
    return endpoints


def _send(ids: list[int]) -> None:
    from .tasks import webhook_deliver

    for pk in ids:
        try:
            webhook_deliver.apply_async((pk,), queue=settings.WEBHOOK_QUEUE or None, retry=False)
        except Exception as exc:  # the broker is down: the lease runs out and the tick sends them again
            logger.warning("webhooks: could not queue deliveries (%s); the tick sends them later", type(exc).__name__)
            return


def _send_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(partial(_send, list(ids)), robust=True)


def outbox_relay(*, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE) -> Relay:
    """One relay run: every unrelayed event into deliveries (batch by batch), then the due and lost ones sent."""
    clear_kick_flag()  # before reading: an event committed from now on sends a kick of its own
    now = now or timezone.now()
    relay = Relay()
    endpoints = _subscribers(now)
    while _relay_batch(now=now, batch_size=batch_size, endpoints=endpoints, relay=relay) == batch_size:
        pass
    _send_due(now=now, batch_size=batch_size, relay=relay)
    if relay.deliveries or relay.sent or relay.rescued:
        logger.info(
            "webhooks: %s events relayed into %s deliveries; %s due sent, %s rescued",
            relay.events,
            relay.deliveries,
            relay.sent,
            relay.rescued,
        )
    return relay


def _relay_batch(*, now, batch_size, endpoints, relay: Relay) -> int:
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.filter(relayed_at__isnull=True)
            .order_by("pk")
            .select_for_update(skip_locked=True)[:batch_size]
        )
        deliveries = []
        for event in events:
            for endpoint in endpoints:
                if event.type not in endpoint.events:
                    continue
                if endpoint.brand_id_set is not None and not endpoint.brand_id_set & set(event.brand_ids):
                    continue
                deliveries.append(
                    WebhookDelivery(
                        endpoint=endpoint,
                        event=event,
                        body=event_body(event, endpoint.brand_id_set).decode(),
                        next_attempt_at=_lease(now),
                    )
                )
        created = WebhookDelivery.objects.bulk_create(deliveries)
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(relayed_at=now)
        _send_after_commit([d.pk for d in created])
    relay.events += len(events)
    relay.deliveries += len(created)
    return len(events)


def _send_due(*, now, batch_size, relay: Relay) -> None:
    while True:
        with transaction.atomic():
            # Due retries, and first attempts whose task never came (their lease ran out).
            ids = list(
                WebhookDelivery.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch_size]
            )
            WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=_lease(now))
            _send_after_commit(ids)
        relay.sent += len(ids)
        if len(ids) < batch_size:
            break
    with transaction.atomic():
        # A worker killed while sending leaves its delivery "sending": after the lease it is tried again.
        cutoff = now - datetime.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
        ids = list(
            WebhookDelivery.objects.filter(state=State.SENDING, last_attempt_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch_size]
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(state=State.PENDING, next_attempt_at=_lease(now))
        _send_after_commit(ids)
    relay.rescued += len(ids)


# --- one attempt ------------------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt after ``attempts`` failed ones: base × 4^(n-1), plus up to 10 % jitter."""
    delay = settings.WEBHOOK_RETRY_BASE_SECONDS * RETRY_FACTOR ** (attempts - 1)
    return delay * (1 + random.random() / 10)  # spreads retries; not a secret


def delivery_headers(delivery: WebhookDelivery, body: bytes, secret: str) -> dict:
    return {
        "Content-Type": "application/json",
        "X-BrandHub-Event": delivery.event.type,
        "X-BrandHub-Event-Id": str(delivery.event.uuid),
        "X-BrandHub-Delivery": str(delivery.pk),
        "X-BrandHub-Attempt": str(delivery.attempts),
        signing.HEADER: signing.sign(secret, body),
    }


def webhook_delivery_attempt(*, delivery_id: int) -> str:
    """Try one delivery once; the state it ends in, or "skipped" when it was not waiting to be sent."""
    now = timezone.now()
    taken = WebhookDelivery.objects.filter(
        # A duplicate message (or an early one for a retry not yet due) finds nothing to take.
        pk=delivery_id,
        state=State.PENDING,
        next_attempt_at__lte=_lease(now),
    ).update(state=State.SENDING, last_attempt_at=now, attempts=F("attempts") + 1)
    if not taken:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint", "event", "endpoint__api_key").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        return _record(delivery, State.DEAD, error=_("The endpoint is disabled."))
    if endpoint.api_key is not None and not endpoint.api_key.is_usable:
        return _record(delivery, State.DEAD, error=_("The partner's API key was revoked or has expired."))
    try:
        target = addresses.check(endpoint.url)
    except addresses.RefusedURL as exc:
        return _record(delivery, State.DEAD, error=" ".join(exc.messages))
    except addresses.UnresolvedHost as exc:
        return _failed(delivery, error=" ".join(exc.messages))
    body = delivery.body.encode()
    try:
        answer = addresses.post(
            target, body, delivery_headers(delivery, body, endpoint.secret), timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except addresses.SendError as exc:
        return _failed(delivery, error=str(exc))
    snippet = answer.body.decode("utf-8", errors="replace")[:SNIPPET_CHARS]
    if 200 <= answer.status < 300:
        return _record(delivery, State.DELIVERED, status=answer.status, snippet=snippet, ms=answer.ms)
    if answer.status >= 500 or answer.status in RETRY_STATUSES:
        return _failed(delivery, status=answer.status, snippet=snippet, ms=answer.ms)
    error = _("The receiver answered %(status)s: not retried.") % {"status": answer.status}
    return _record(delivery, State.DEAD, status=answer.status, snippet=snippet, ms=answer.ms, error=error)


def _failed(delivery: WebhookDelivery, **outcome) -> str:
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        return _record(delivery, State.DEAD, **outcome)
    wait = datetime.timedelta(seconds=retry_delay(delivery.attempts))
    return _record(delivery, State.PENDING, next_attempt_at=timezone.now() + wait, **outcome)


def _record(delivery, state, *, status=None, snippet="", ms=None, error="", next_attempt_at=None) -> str:
    now = timezone.now()
    entry = {"at": iso(now), "status": status, "error": error[:300], "ms": ms}
    changes = {
        "state": state,
        "response_status": status,
        "response_snippet": snippet,
        "duration_ms": ms,
        "error": error[:300],
        "next_attempt_at": next_attempt_at,
        "log": [*delivery.log, entry][-LOG_ENTRIES:],
    }
    if state == State.DELIVERED:
        changes["delivered_at"] = now
    WebhookDelivery.objects.filter(pk=delivery.pk, state=State.SENDING).update(**changes)
    log = logger.warning if state == State.DEAD else logger.info
    log("webhooks: delivery %s attempt %s: %s %s %s", delivery.pk, delivery.attempts, state, status or "", error)
    return state


# --- what people (and keys) do ----------------------------------------------------------------------------------


def webhook_delivery_redeliver(*, delivery: WebhookDelivery, actor=None, api_key=None) -> WebhookDelivery:
    """Send a finished delivery's event to its endpoint again: a new delivery with the same event id and body,
    a fresh signature and its own attempts."""
    _check_manager(actor)
    endpoint = delivery.endpoint
    if api_key is not None and endpoint.api_key_id != api_key.id:
        raise PermissionDenied
    if delivery.state not in (State.DELIVERED, State.DEAD):
        raise ValidationError(_("This delivery is still being tried."))
    if not endpoint.active:
        raise ValidationError(_("The endpoint is disabled: enable it first."))
    with transaction.atomic():
        copy = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=delivery.event_id,
            body=delivery.body,
            redelivery_of=delivery,
            requested_by=actor,
            next_attempt_at=_lease(timezone.now()),
        )
        _send_after_commit([copy.pk])
    return copy


def outbox_prune(*, now: datetime.datetime | None = None, chunk_size: int = 1000) -> int:
    """Forget events relayed more than ``WEBHOOK_LOG_DAYS`` ago, with their deliveries, once none is still
    being tried. Returns how many events went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.WEBHOOK_LOG_DAYS)
    removed = 0
    while True:
        ids = list(
            OutboxEvent.objects.filter(relayed_at__lt=cutoff)
            .exclude(deliveries__state__in=[State.PENDING, State.SENDING])
            .values_list("pk", flat=True)[:chunk_size]
        )
        if not ids:
            return removed
        with transaction.atomic():
            WebhookDelivery.objects.filter(event_id__in=ids).delete()
            OutboxEvent.objects.filter(pk__in=ids).delete()
        removed += len(ids)
