"""Celery application; tasks run eagerly in process when CELERY_BROKER_URL is empty."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")

app = Celery("relance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
