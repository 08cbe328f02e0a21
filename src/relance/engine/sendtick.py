"""The send tick: every few minutes (settings.SEND_TICK_MINUTES), the automatic actions
that are due and may leave — confirmed by a collector, retried after an error, or left
unsent by a run — are executed, within each entity's sending hours (working days, from
`Entity.sending_start` to `sending_end`, local time).

The daily run still plans once a day; a tick plans again only the customers with such an
action (the same `run_customers` as a shard of a distributed run), so a hold, a payment or
a dispute recorded since the morning cancels the action instead of sending it. A tick
holds the entity's lock (an EngineRun row of kind `send_tick`): two ticks, or a tick and
a daily run, never work on one entity at once. Sending goes through the outbox
(delivery/services.py): an action already sent is no longer open, so nothing leaves twice.
"""

import logging
import threading
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q

from relance.agenda.choices import ActionStatus
from relance.agenda.models import Action
from relance.core.models import Entity
from relance.engine.choices import RunKind
from relance.engine.runner import (
    RunInProgress,
    analyze_written,
    deliver,
    entity_lock,
    run_customers,
)
from relance.engine.writing import Counts
from relance.scenarios.choices import MANUAL_ONLY_CHANNELS, StepMode

logger = logging.getLogger(__name__)


@dataclass
class TickSummary:
    entity: str
    day: date
    customers: int = 0
    sent: int = 0
    errors: int = 0
    cancelled: int = 0

    def line(self) -> str:
        return (
            f"{self.entity} {self.day.isoformat()}: customers {self.customers}, "
            f"sent {self.sent}, errors {self.errors}, cancelled {self.cancelled}"
        )


def executable_due(entity, day: date):
    """The entity's actions the engine would send itself on `day`: automatic and planned,
    or after confirmation and confirmed, due on or before `day` (planner.is_executable)."""
    return (
        Action.objects.filter(entity=entity, due_date__lte=day)
        .exclude(channel__in=MANUAL_ONLY_CHANNELS)
        .filter(
            Q(status=ActionStatus.PLANNED, mode=StepMode.AUTO)
            | Q(status=ActionStatus.CONFIRMED, mode=StepMode.AUTO_CONFIRM)
        )
    )


def entity_send_tick(*, entity: Entity, now: datetime | None = None, execute=deliver):
    """One tick for `entity` at `now` (default: the clock). None when it is outside the
    sending hours or nothing is due; RunInProgress when a run or another tick holds the
    entity. Answers what was sent."""
    local = entity.local_now(now)
    if not entity.in_sending_hours(local):
        return None
    day = local.date()
    ids = sorted(set(executable_due(entity, day).values_list("customer_id", flat=True)))
    if not ids:
        return None
    counts = Counts()
    with entity_lock(entity, day, kind=RunKind.SEND_TICK) as run:
        run_customers(entity, day, run, ids, counts, execute)
        analyze_written(counts)
        summary = TickSummary(
            entity=entity.slug,
            day=day,
            customers=len(ids),
            sent=counts.sent,
            errors=counts.errors,
            cancelled=sum(counts.cancelled.values()),
        )
        run.counts = {
            "customers": len(ids),
            "sent": counts.sent,
            "errors": counts.errors,
            "created": counts.created,
            "cancelled": dict(counts.cancelled),
            "failed": counts.failed,
        }
    logger.info("send tick %s", summary.line())
    return summary


def send_tick(*, now: datetime | None = None) -> list[TickSummary]:
    """A tick for every entity; an entity held by a run is left to the next tick."""
    done = []
    for entity in Entity.objects.order_by("pk"):
        try:
            summary = entity_send_tick(entity=entity, now=now)
        except RunInProgress as exc:
            logger.info("send tick: %s", exc)
            continue
        if summary is not None:
            done.append(summary)
    return done


# --- when a confirmed action leaves -----------------------------------------------------


def next_tick_after(moment: datetime, minutes: int | None = None) -> datetime:
    """The first tick at or after `moment`: ticks fall on the multiples of the interval
    (Celery beat's `*/N` minutes; the in-process scheduler sleeps until the same marks)."""
    minutes = minutes or settings.SEND_TICK_MINUTES
    base = moment.replace(minute=0, second=0, microsecond=0)
    elapsed = moment - base
    step = timedelta(minutes=minutes)
    ticks = -(-elapsed // step)  # ceiling
    tick = base + ticks * step
    return tick if tick.hour == base.hour else base + timedelta(hours=1)


def expected_departure(
    action: Action, now: datetime | None = None, *, if_confirmed: bool = False
) -> datetime | None:
    """When an automatic action that waits for nothing but the clock should leave (local
    time of its entity): the first tick within the sending hours on or after its due date.
    `if_confirmed`: for an action still to confirm, when it would leave once confirmed now.
    None for an action that does not leave by itself (manual, to confirm, finished)."""
    status = action.status
    if if_confirmed and status == ActionStatus.TO_CONFIRM:
        status = ActionStatus.CONFIRMED
    executable = (status == ActionStatus.CONFIRMED and action.mode == StepMode.AUTO_CONFIRM) or (
        status == ActionStatus.PLANNED and action.mode == StepMode.AUTO
    )
    if not executable or action.channel in MANUAL_ONLY_CHANNELS:
        return None
    entity = action.entity
    local = entity.local_now(now)
    if action.due_date > local.date():
        local = datetime.combine(action.due_date, datetime.min.time(), tzinfo=local.tzinfo)
    start = entity.next_sending_time(local)
    if start > local:  # the opening of the sending hours: the day's first tick
        return start
    return next_tick_after(start)


# --- without a broker: a thread of the server -------------------------------------------

_started: list[threading.Thread] = []


def _seconds_to_next_tick(minutes: int) -> float:
    period = minutes * 60
    return period - (clock.time() % period) or period


def _loop(minutes: int, stop: threading.Event) -> None:
    while not stop.wait(_seconds_to_next_tick(minutes)):
        close_old_connections()
        try:
            send_tick()
        except Exception:  # the next tick tries again; the server stays up
            logger.exception("send tick failed")
        finally:
            close_old_connections()


def start_in_process(minutes: int | None = None, stop: threading.Event | None = None):
    """Start the tick in a daemon thread of this process, once; None when a broker is set
    (Celery beat ticks) or SEND_TICK_IN_PROCESS is off."""
    if settings.CELERY_BROKER_URL or not settings.SEND_TICK_IN_PROCESS or _started:
        return None
    thread = threading.Thread(
        target=_loop,
        args=(minutes or settings.SEND_TICK_MINUTES, stop or threading.Event()),
        name="relance-send-tick",
        daemon=True,
    )
    thread.start()
    _started.append(thread)
    logger.info("send tick: every %s min in this process", minutes or settings.SEND_TICK_MINUTES)
    return thread
