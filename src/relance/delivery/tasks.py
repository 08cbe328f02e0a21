"""Sending one automatic action from a worker, through the outbox protocol
(delivery/services.py): a task redelivered after its worker died finds the outbox row it
committed `sending` and records the action sent, unconfirmed; it never sends twice."""

import logging
import smtplib
from datetime import date

from celery import shared_task
from django.db import IntegrityError, InterfaceError, OperationalError

import relance.config.celery  # noqa: F401 - the configured app is the current one
from relance.agenda.choices import ActionStatus

logger = logging.getLogger(__name__)

# Failures before the protocol starts (the SMTP session cannot open, the database is away):
# nothing was handed over, so trying again later is safe.
TRANSIENT = (OperationalError, InterfaceError, smtplib.SMTPException, OSError)
MAX_RETRIES = 5


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=MAX_RETRIES,
)
def delivery_send_action(self, action_id: int, day: str) -> str:
    """Execute one open action at `day`; answers its status (`sent`, `error`, or `skipped`
    when it was no longer open). After the last retry the action stays open for the next
    run instead of failing the run's chord."""
    from relance.delivery.services import actions_execute

    try:
        outcomes = actions_execute(action_ids=[action_id], day=date.fromisoformat(day))
    except IntegrityError:  # a twin task holds this attempt's outbox row: it sends
        logger.warning("action %s: another task is sending it", action_id)
        return "skipped"
    except TRANSIENT:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("action %s: giving up after %s retries", action_id, MAX_RETRIES)
            return ActionStatus.ERROR.value
        raise
    return outcomes.get(action_id, "skipped")


@shared_task
def delivery_poll_statuses() -> int:
    """Poll the providers for the status of the messages handed over (beat: every 15 min)."""
    from relance.delivery.connectors import outbox_poll

    return outbox_poll()
