"""Celery tasks of the daily run.

`engine_tick` (beat, every 15 minutes) enqueues `engine_run_entity` for each entity whose
local time is past 06:00 and that has no finished run for its local today. A distributed
run is a loop of rounds, each a chord:

    engine_run_entity ─ chord(engine_run_shard × N) ─> engine_shards_done
      ─ chord(delivery_send_actions × lists of 1,000 due actions) ─> engine_sends_done
      ─ chord(engine_run_shard × customers that were sent to) ─> engine_shards_done ...

until a round queues nothing; then the EngineRun is finished. Without a broker every task
runs eagerly in process, and the result is the one of `run_day` (docs/workers.md).
`engine_run` / `engine_run_all` keep running `run_day` in one task (dry runs, the UI).
"""

import logging
from collections import Counter
from dataclasses import asdict
from datetime import date, datetime, time

from celery import chord, shared_task
from django.utils import timezone

import relance.config.celery  # noqa: F401 - the configured app is the current one
from relance.core.models import Entity
from relance.engine import shards
from relance.engine.choices import RunKind, RunStatus
from relance.engine.models import EngineRun

logger = logging.getLogger(__name__)

RUN_AT = time(6, 0)  # local time of each entity's daily run
MAX_ROUNDS = 50


@shared_task
def engine_run(entity_id: int, day: str | None = None, dry_run: bool = False) -> dict | None:
    """Run the engine for one entity at `day` (ISO date; default: its today), in one task."""
    from relance.engine.runner import RunInProgress, run_day

    entity = Entity.objects.get(pk=entity_id)
    run_date = date.fromisoformat(day) if day else entity.today()
    try:
        summary = run_day(entity=entity, day=run_date, dry_run=dry_run)
    except RunInProgress as exc:  # not an error to retry: the other run does the work
        logger.warning("%s", exc)
        return None
    return {**asdict(summary), "day": run_date.isoformat()}


@shared_task
def engine_run_all() -> list[int]:
    ids = list(Entity.objects.order_by("pk").values_list("pk", flat=True))
    for entity_id in ids:
        engine_run.delay(entity_id)
    return ids


# --- the beat -------------------------------------------------------------------------


def entities_due(now: datetime) -> list[tuple[int, date]]:
    """(entity id, local today) of the entities whose local time at `now` is past RUN_AT
    and that have no finished run (not a dry run) for that day."""
    import zoneinfo

    due = []
    for entity in Entity.objects.order_by("pk"):
        local = now.astimezone(zoneinfo.ZoneInfo(entity.time_zone))
        if local.time() < RUN_AT:
            continue
        done = EngineRun.objects.filter(
            entity=entity,
            day=local.date(),
            kind=RunKind.DAILY,
            dry_run=False,
            status=RunStatus.FINISHED,
        ).exists()
        if not done:
            due.append((entity.pk, local.date()))
    return due


@shared_task
def engine_tick() -> list[int]:
    """Idempotent: a missed beat is caught up by the next, a double beat is refused by the
    entity lock or skipped because the day is already finished."""
    due = entities_due(timezone.now())
    for entity_id, day in due:
        engine_run_entity.delay(entity_id, day.isoformat(), sending_hours=True)
    return [entity_id for entity_id, _d in due]


# --- a distributed run ----------------------------------------------------------------


@shared_task(acks_late=True, reject_on_worker_lost=True)
def engine_run_entity(entity_id: int, day: str, sending_hours: bool = False) -> int | None:
    """Open the run (the entity lock), begin it as run_day does (runner.run_begin: holds
    that ended, unconfirmed sends), recompute segments and dispatch the first round over
    every customer in shards; answers the run id. The last callback ends it as run_day
    does (runner.run_end, in _finish). `sending_hours` (the beat's runs): outside the
    entity's sending hours the run plans but sends nothing; the send tick sends the due
    actions once the hours open."""
    from relance.engine.runner import RunInProgress, recompute_segments, run_begin, run_open

    entity = Entity.objects.get(pk=entity_id)
    run_date = date.fromisoformat(day)
    if EngineRun.objects.filter(
        entity=entity,
        day=run_date,
        kind=RunKind.DAILY,
        dry_run=False,
        status=RunStatus.FINISHED,
    ).exists():
        logger.info("%s %s: already run", entity.slug, day)
        return None
    try:
        run = run_open(entity, run_date)
    except RunInProgress as exc:  # the other run does the work
        logger.warning("%s", exc)
        return None
    try:
        begun = run_begin(entity, run_date)  # before the segments: a released hold counts
        recompute_segments(entity, run_date)
        ranges = shards.id_ranges(shards.customer_ids(entity))
    except BaseException as exc:
        shards.run_finish(run.pk, status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    begun_counts = {"recovered": begun.recovered, "holds_ended": begun.holds_ended}
    shards.run_add(run.pk, {**begun_counts, "customers": sum(n for *_r, n in ranges)})
    headers = [
        engine_run_shard.si(entity_id, day, run.pk, first, last) for first, last, _n in ranges
    ]
    _round(headers, engine_shards_done.s(entity_id, day, run.pk, 1, sending_hours))
    return run.pk


def _round(headers: list, callback) -> None:
    """Dispatch a chord (tasks run outside any transaction: what they read is committed);
    a round of nothing calls its callback with no results."""
    if headers:
        chord(headers)(callback)
    else:
        callback.delay([])


@shared_task(acks_late=True, reject_on_worker_lost=True)
def engine_run_shard(
    entity_id: int,
    day: str,
    run_id: int,
    first_id: int | None = None,
    last_id: int | None = None,
    customer_ids: list[int] | None = None,
) -> list[list[int]]:
    """Plan and write set-based for the customers with ids in [first_id, last_id] (or
    these `customer_ids`); answers the (customer, action) pairs due to be sent."""
    entity = Entity.objects.get(pk=entity_id)
    if customer_ids is None:
        customer_ids = shards.customer_ids(entity, first_id, last_id)
    return shards.run_shard(entity, date.fromisoformat(day), run_id, customer_ids)


@shared_task
def engine_shards_done(
    results: list,
    entity_id: int,
    day: str,
    run_id: int,
    round_no: int,
    sending_hours: bool = False,
):
    from relance.delivery.tasks import SEND_TASK_SIZE, delivery_send_actions

    due = sorted({(c, a) for result in results for c, a in result or []})
    if due and sending_hours and not Entity.objects.get(pk=entity_id).in_sending_hours():
        shards.run_add(run_id, {"unsent": len(due)})  # the send tick sends them
        due = []
    if not due:
        _finish(entity_id, day, run_id)
        return 0
    customers = sorted({c for c, _a in due})
    action_ids = sorted(action_id for _c, action_id in due)
    headers = [
        delivery_send_actions.si(part, day) for part in shards.split(action_ids, SEND_TASK_SIZE)
    ]
    _round(headers, engine_sends_done.s(entity_id, day, run_id, round_no, customers))
    return len(due)


def _finish(entity_id: int, day: str, run_id: int) -> None:
    """End the run as run_day ends (runner.run_end: the day's snapshot, the statistics of
    what the shards bulk-wrote), then close it; a redelivered callback finds it closed."""
    from relance.engine.runner import run_end

    run = EngineRun.objects.get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        return
    try:
        analyzed = run_end(
            Entity.objects.get(pk=entity_id), date.fromisoformat(day), shards.counts_of(run.counts)
        )
    except BaseException as exc:
        shards.run_finish(run_id, status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    shards.run_finish(run_id, status=RunStatus.FINISHED, analyzed=analyzed)


def _as_list(statuses) -> list:
    """A send task's answer: a list of statuses (a single one from a task of the previous
    version, queued before an upgrade)."""
    return statuses if isinstance(statuses, list) else [statuses]


def _unsettled(entity_id: int, day: date, run_id: int, customers: list[int]) -> int:
    """Record, as engine errors, the customers still changing after MAX_ROUNDS rounds."""
    from relance.engine.choices import FailureStage
    from relance.engine.isolation import Failures, failures_record

    failures = Failures()
    for pk in customers:
        failures.add(pk, FailureStage.PLANNING, f"no stable plan on {day.isoformat()}")
    return failures_record(Entity.objects.get(pk=entity_id), day, run_id, [], failures)


@shared_task
def engine_sends_done(
    statuses: list, entity_id: int, day: str, run_id: int, round_no: int, customers: list[int]
):
    """Count the outcomes, then plan again the customers that were sent to."""
    tally = Counter(status for part in statuses for status in _as_list(part))
    shards.run_add(run_id, {"sent": tally["sent"], "errors": tally["error"]})
    if round_no >= MAX_ROUNDS:  # a bug (runner.max_rounds): theirs, not the run's
        failed = _unsettled(entity_id, date.fromisoformat(day), run_id, customers)
        shards.run_add(run_id, {"failed": failed})
        _finish(entity_id, day, run_id)
        return 0
    headers = [
        engine_run_shard.si(entity_id, day, run_id, customer_ids=part)
        for part in shards.split(customers)
    ]
    _round(headers, engine_shards_done.s(entity_id, day, run_id, round_no + 1))
    return len(customers)


# --- the send tick ----------------------------------------------------------------------


@shared_task
def engine_send_tick() -> int:
    """Beat, every SEND_TICK_MINUTES: the due confirmed and retried automatic actions leave
    within each entity's sending hours (engine/sendtick.py). Answers the messages sent."""
    from relance.engine.sendtick import send_tick

    return sum(summary.sent for summary in send_tick())
