"""The daily evaluation of alerts, run by the beat at 07:00 (config/celery.py)."""

from celery import shared_task

from relance.alerts.services import alerts_evaluate


@shared_task
def alerts_evaluate_daily() -> int:
    return len(alerts_evaluate())
