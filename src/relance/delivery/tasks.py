"""Sending automatic actions from a worker, a list per task, through the outbox protocol
(delivery/services.py): a task redelivered after its worker died finds the outbox rows it
committed `sending` and marked `uncertain` and records those actions sent, unconfirmed; it
never sends twice, and sends the rest."""

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


SEND_TASK_SIZE = 1000  # actions per delivery_send_actions task: five batches of emails
RETRIED = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": MAX_RETRIES,
}


@shared_task(**RETRIED)
def delivery_send_actions(self, action_ids: list[int], day: str) -> list[str]:
    """Execute these open actions (up to SEND_TASK_SIZE) at `day`; answers their statuses
    in order (`sent`, `error`, or `skipped` when one was no longer open). A task per list
    rather than per action: the emails go in batches, on parallel sessions, as in a run
    (`actions_execute`). Retried, the task finds the actions already sent no longer open;
    after the last retry the rest stay open for the next run instead of failing the run's
    chord."""
    return _execute(self, action_ids, day)


@shared_task(**RETRIED)
def delivery_send_action(self, action_id: int, day: str) -> str:
    """One action: what the previous version queued (messages still in a broker when it is
    upgraded); runs queue delivery_send_actions."""
    return _execute(self, [action_id], day)[0]


def _execute(task, action_ids: list[int], day: str) -> list[str]:
    from relance.delivery.services import actions_execute

    try:
        outcomes = actions_execute(action_ids=action_ids, day=date.fromisoformat(day))
    except IntegrityError:  # a twin task holds an attempt's outbox row: it sends
        logger.warning("actions %s: another task is sending them", action_ids[:10])
        return ["skipped"] * len(action_ids)
    except TRANSIENT:
        if task.request.retries >= MAX_RETRIES:
            logger.exception("%s actions: giving up after %s retries", len(action_ids), MAX_RETRIES)
            return [ActionStatus.ERROR.value] * len(action_ids)
        raise
    return [outcomes.get(pk, "skipped") for pk in action_ids]


@shared_task
def delivery_poll_statuses() -> int:
    """Poll the providers for the status of the messages handed over (beat: every 15 min)."""
    from relance.delivery.connectors import outbox_poll

    return outbox_poll()
