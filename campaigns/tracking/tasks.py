"""Celery tasks of the tracking app (thin: the work is in ``flush``)."""

import logging

from celery import shared_task

from . import flush

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def scans_flush() -> dict:
    """Beat runs this every ``TRACKING_FLUSH_SECONDS``: move waiting scans into the database."""
    result = flush.scans_flush()
    if result.stored or result.remaining:
        logger.info("scans flushed: %s stored, %s skipped, %s waiting", result.stored, result.skipped, result.remaining)
    return {"stored": result.stored, "skipped": result.skipped, "remaining": result.remaining}
