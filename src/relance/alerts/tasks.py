"""The daily alerts, run by the beat at 07:00 (config/celery.py): every rule evaluated,
then each owner's digest email."""

from celery import shared_task

import relance.config.celery  # noqa: F401 - the configured app is the current one
from relance.alerts.services import alerts_digest_send, alerts_evaluate


@shared_task
def alerts_evaluate_daily() -> dict:
    evaluated = alerts_evaluate()
    return {"rules": len(evaluated), "digests": alerts_digest_send()}
