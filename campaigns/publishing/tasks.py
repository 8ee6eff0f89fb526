"""Publishing's background work: thin tasks around the services (ids in, service called, retry on transient errors)."""

from celery import shared_task

from . import services
from .publishers import TransientPublishError

RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 300


@shared_task(acks_late=True, reject_on_worker_lost=True)
def publications_dispatch() -> dict:
    """Beat's tick: claim the due items, queue their publish tasks, re-queue stuck ones."""
    tick = services.publications_dispatch()
    return {"dispatched": tick.dispatched, "held": tick.held, "requeued": tick.requeued, "escalated": tick.escalated}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def publication_publish(self, item_id: int) -> str:
    """Publish one claimed item. Delivered twice (a worker died after publishing), it finds the item published
    under the row lock and does nothing; a transient error is retried with exponential backoff."""
    try:
        return services.publication_publish(item_id=item_id)
    except TransientPublishError as exc:
        countdown = min(RETRY_BASE_SECONDS * 2**self.request.retries, RETRY_MAX_SECONDS)
        if services.publication_defer(item_id=item_id, reason=str(exc) or exc.__class__.__name__, retry_in=countdown):
            raise self.retry(exc=exc, countdown=countdown) from exc
        return services.State.FAILED


@shared_task(acks_late=True)
def campaigns_mark_done() -> int:
    """Hourly: live campaigns past their end date become done."""
    return services.campaigns_mark_done()
