"""Notifications' background work: thin tasks around the services. Retries are the database's (the sweep), not the
broker's: a mail that failed waits in its row for its next attempt."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notifications_send(ids: list[int]) -> dict:
    """Mail the notifications one transaction wrote (queued after its commit)."""
    return services.notifications_send(ids=ids)


@shared_task(acks_late=True)
def notifications_sweep() -> int:
    """Beat: mail what was not mailed a minute after it was written, and the retries that are due."""
    return services.notifications_sweep()


@shared_task(acks_late=True)
def notifications_daily() -> dict:
    """Beat: today's digests and material reminders, once a day from NOTIFY_DAILY_HOUR China time."""
    return services.notifications_daily()
