"""The event outbox: what partners may be told about is written in the transaction of the change itself.

A service that changes something partners care about calls ``event_record`` inside its ``transaction.atomic``.
The row commits with the change or not at all, so a change that rolls back announces nothing, and one that
commits is announced even when the broker is down at that moment: nothing sits only in a message.

The relay (``brandhub.api.webhooks``) reads the unrelayed rows and turns each into deliveries. It runs on
beat's tick (``WEBHOOK_TICK_SECONDS``) and is kicked after the commit so events usually leave within a second;
a kick that cannot reach the broker is only logged, the next tick relays the row. The core names the relay by
its task name only: it imports no app and no edge module.
"""

import datetime
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import OutboxEvent

logger = logging.getLogger(__name__)

RELAY_TASK = "brandhub.api.webhooks.tasks.outbox_relay"
# Set while a kick is on its way: the relay clears it *before* reading, so an event committed after the relay
# started sends a kick of its own, and a burst of events sends a handful of kicks, not one per event.
KICK_FLAG = "outbox:kick-pending"
KICK_FLAG_SECONDS = 10


def event_record(
    type: str,
    data: dict,
    *,
    brand_ids: Iterable[int] = (),
    occurred_at: datetime.datetime | None = None,
) -> OutboxEvent:
    """Write an event to the outbox in the caller's transaction (required: the event belongs to a change).

    ``data`` is the event's own part of the payload (small, stable, JSON-ready: ids, statuses, ISO times);
    ``brand_ids`` the brands it concerns, so endpoints limited to some brands hear only of those.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction of the change it announces.")
    if type not in OutboxEvent.Type.values:
        raise ValueError(f"Unknown event type {type!r}.")
    event = OutboxEvent.objects.create(
        uuid=uuid.uuid4(),
        type=type,
        data=data,
        brand_ids=sorted(set(brand_ids)),
        occurred_at=occurred_at or timezone.now(),
    )
    _kick_after_commit()
    return event


def iso(moment) -> str | None:
    """A time or date as partners read it: ISO 8601, times in UTC with ``Z``."""
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return moment.isoformat()


def _kick_after_commit() -> None:
    """One kick per transaction, however many events it writes (an import writes thousands)."""
    connection = transaction.get_connection()
    if any(func is kick for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(kick, robust=True)


def kick() -> None:
    """Ask a worker to relay now, unless a kick is already on its way. Never raises: the tick is the safety net."""
    try:
        if not cache.add(KICK_FLAG, 1, KICK_FLAG_SECONDS):
            return
    except Exception:  # the cache (Redis) is down: kick anyway; the broker is likely down too, which is fine
        logger.info("outbox: cache unavailable, kicking the relay without the flag")
    from .celery import app

    try:
        app.send_task(RELAY_TASK, queue=settings.WEBHOOK_QUEUE or None, retry=False, expires=KICK_FLAG_SECONDS * 6)
    except Exception as exc:  # the broker is down: the row waits in the database for the next tick
        logger.warning("outbox: could not kick the relay (%s); the next tick relays the event", type(exc).__name__)
        clear_kick_flag()


def clear_kick_flag() -> None:
    try:
        cache.delete(KICK_FLAG)
    except Exception:
        logger.info("outbox: cache unavailable, kick flag not cleared (it expires by itself)")
