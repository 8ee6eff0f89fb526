"""The Celery application: configured from Django settings (``CELERY_*``), tasks found in each app's tasks.py
and in the webhooks edge of ``brandhub`` (not an app of its own)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brandhub.settings.dev")

app = Celery("brandhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["brandhub.api.webhooks"])
