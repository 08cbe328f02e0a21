"""Celery application; tasks run eagerly in process when CELERY_BROKER_URL is empty.

The beat runs `engine_tick` every 15 minutes: it starts each entity's day once its local
time is past 06:00 (engine/tasks.py, docs/workers.md). It also polls the providers for the
status of messages handed over, reads the entities' mailboxes every 5 minutes (replies
and bounces, inbound/tasks.py), and evaluates the users' alerts each morning, then mails
each owner the digest of theirs (alerts/tasks.py). The send tick (every
RELANCE_SEND_TICK_MINUTES, engine/sendtick.py) sends the confirmed and retried automatic
actions within each entity's sending hours."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.config.settings")

app = Celery("relance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _every_minutes() -> str:
    """RELANCE_SEND_TICK_MINUTES, read as settings.py does (settings may not be loaded)."""
    from relance.config.env import env_int

    return f"*/{env_int('RELANCE_SEND_TICK_MINUTES', 5, minimum=1)}"


app.conf.beat_schedule = {
    "engine-send-tick": {
        "task": "relance.engine.tasks.engine_send_tick",
        "schedule": crontab(minute=_every_minutes()),
    },
    "engine-tick": {
        "task": "relance.engine.tasks.engine_tick",
        "schedule": crontab(minute="*/15"),
    },
    "delivery-poll-statuses": {
        "task": "relance.delivery.tasks.delivery_poll_statuses",
        "schedule": crontab(minute="*/15"),
    },
    "inbound-fetch-mailboxes": {
        "task": "relance.inbound.tasks.inbound_fetch_mailboxes",
        "schedule": crontab(minute="*/5"),
    },
    "webhooks-deliver-due": {
        "task": "relance.webhooks.tasks.webhooks_deliver_due",
        "schedule": crontab(minute="*"),
    },
    "webhooks-prune": {
        "task": "relance.webhooks.tasks.webhooks_prune",
        "schedule": crontab(hour=3, minute=30),
    },
    "alerts-daily": {
        "task": "relance.alerts.tasks.alerts_evaluate_daily",
        "schedule": crontab(hour=7, minute=0),
    },
}
