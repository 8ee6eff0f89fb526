"""The Celery application: configured from Django settings (``CELERY_*``), tasks found in each app's tasks.py
and in the webhooks edge of ``brandhub`` (not an app of its own)."""

import os
import threading

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brandhub.settings.dev")

app = Celery("brandhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["brandhub.api.webhooks"])

# A database connection outlives a task as it outlives a request: Django's CONN_MAX_AGE and CONN_HEALTH_CHECKS decide,
# through ``close_old_connections`` before and after each task (a connection too old, broken, or left in a
# transaction is closed; the next query opens a new one). Celery >= 5.6 instead closes every connection around every
# task unless DB_REUSE_MAX is set (celery/celery#9824), so each task opened a PostgreSQL session of its own (a new
# server process with cold caches): in tests/bench/double11.py that was a large part of a publish task's cost.
# Its counter is put out of reach here; a pool process still closes what it inherited at the fork (Celery's fixup
# does that whatever DB_REUSE_MAX says). A worker running tasks in a thread (the tests' in-process worker, the
# threads pool) closes them after each task as before: a thread's connections would outlive the thread.
app.conf.CELERY_DB_REUSE_MAX = 2**31


def _around_task(sender=None, **_kwargs) -> None:
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return  # a task run inline belongs to its caller's connection (and maybe its transaction)
    from django.db import close_old_connections, connections

    if threading.current_thread() is threading.main_thread():
        close_old_connections()
    else:
        connections.close_all()


task_prerun.connect(_around_task, weak=False)
task_postrun.connect(_around_task, weak=False)
