"""Results' background work: thin tasks around the services (ids in, service called, retry on transient errors)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import imports, report_mail


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def metric_import_run(run_id: int) -> str:
    """Check an uploaded file and, when it has no bad row (or a person accepted its good rows), write it. Delivered
    again after a worker died, it starts the pass over: the write is one transaction, so nothing was half written."""
    return imports.metric_import_run(run_id=run_id)


@shared_task(acks_late=True)
def report_mails_monthly() -> dict:
    """Beat: last month's report to each brand's users, from the 1st at RESULTS_REPORT_MAIL_HOUR in their own time
    zone, once per brand, person and month (the mails themselves go through the notifications' send and sweep)."""
    return report_mail.report_mails_monthly()
