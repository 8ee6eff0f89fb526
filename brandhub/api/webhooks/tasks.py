"""The webhooks' background work: thin tasks around the services (ids in, service called).

Retries are not Celery retries: the delivery row keeps its next attempt and the relay's tick sends it, so no
long countdown waits in the broker (Redis redelivers those) and a broker outage loses nothing.
"""

from celery import shared_task
from django.db import OperationalError

from . import services

# A database that is briefly unavailable (a failover, SQLite's write lock held too long): try again shortly.
# Short countdowns only; a delivery's own retries are in the database.
TRANSIENT = {"autoretry_for": (OperationalError,), "retry_backoff": 1, "retry_backoff_max": 30, "max_retries": 5}


@shared_task(acks_late=True, reject_on_worker_lost=True, **TRANSIENT)
def outbox_relay() -> dict:
    """Beat's tick and the kick after an event's commit: events into deliveries, due and lost deliveries sent."""
    relay = services.outbox_relay()
    return {"events": relay.events, "deliveries": relay.deliveries, "sent": relay.sent, "rescued": relay.rescued}


@shared_task(acks_late=True, reject_on_worker_lost=True, **TRANSIENT)
def webhook_deliver(delivery_id: int) -> str:
    """One attempt at one delivery (a duplicate message finds it taken and does nothing)."""
    return services.webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True)
def outbox_prune() -> int:
    return services.outbox_prune()
