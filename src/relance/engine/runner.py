"""The daily run around the pure planner: lock the entity, recompute segments, load the
customers in chunks, plan, write in bulk, execute the automatic actions, plan again the
customers that changed, and record the run. Every date written is the run date D."""

import functools
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from relance.core.statistics import tables_analyze
from relance.engine import planner
from relance.engine.choices import FailureStage, RunKind, RunStatus
from relance.engine.isolation import Failures, execute_each, failures_record, plan_each, write_each
from relance.engine.loading import Chunk, load_catalogue, load_chunk
from relance.engine.loading import customer_ids as load_customer_ids
from relance.engine.models import EngineRun
from relance.engine.writing import Counts, executions

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
STALE_AFTER = timedelta(minutes=30)  # SQLite: a `running` row silent this long is dead
STALE_WITH_LOCK = timedelta(minutes=5)  # the same, once PostgreSQL's session lock is ours
LOCK_CLASS = 0x52454C41  # "RELA": the advisory lock's first key; the entity id is the second
Executor = Callable[..., dict[int, str]]
# An executor may answer QUEUED for an action it handed to a worker (engine/tasks.py): the
# outcome comes later, so the customer is planned again by a later round, not this one.
QUEUED = "queued"


class RunInProgress(Exception):
    """Another run holds the entity."""


@dataclass
class RunSummary:
    entity: str
    day: date
    dry_run: bool = False
    customers: int = 0
    created: int = 0
    skipped: int = 0
    updated: int = 0
    cancelled: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    errors: int = 0
    recovered: int = 0
    unsent: int = 0  # due automatic actions left for a later run (send=False)
    failed: int = 0  # customers the run could not plan, write or send (EngineError)
    paused: int = 0  # customers whose automatic messages a reply holds
    holds_ended: int = 0  # customers whose hold's end date had passed, released
    analyzed: bool = False  # the statistics of the tables it bulk-wrote were refreshed
    send: bool = True
    processes: int = 1
    seconds: float = 0.0

    def lines(self) -> list[str]:
        cancelled = ", ".join(f"{reason}: {n}" for reason, n in sorted(self.cancelled.items()))
        total = sum(self.cancelled.values())
        head = f"{self.entity} {self.day.isoformat()}" + (" (dry run)" if self.dry_run else "")
        return [
            head,
            f"  customers scanned: {self.customers}",
            f"  actions created: {self.created}",
            f"  cancelled: {total}" + (f" ({cancelled})" if cancelled else ""),
            f"  skipped: {self.skipped}",
            f"  due dates moved: {self.updated}",
            f"  sent: {self.sent}" + (" (simulated)" if self.dry_run else ""),
            f"  errors: {self.errors}",
            f"  customers failed: {self.failed}",
            *(
                [f"  due automatic actions not sent (--no-send): {self.unsent}"]
                if not self.send
                else []
            ),
            *([f"  unconfirmed sends recovered: {self.recovered}"] if self.recovered else []),
            *([f"  customers paused by a reply: {self.paused}"] if self.paused else []),
            *([f"  holds ended: {self.holds_ended}"] if self.holds_ended else []),
            *([f"  processes: {self.processes}"] if self.processes > 1 else []),
            f"  seconds: {self.seconds:.2f}",
        ]


# --- the lock -------------------------------------------------------------------------


def _try_advisory_lock(entity) -> bool | None:
    """PostgreSQL: the session lock of the entity (True/False); other databases: None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, entity.pk])
        return cursor.fetchone()[0]


def _release_advisory_lock(entity) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, entity.pk])


def _clear_stale(entity, holds_advisory_lock: bool | None) -> None:
    """Mark as interrupted the `running` rows of runs that died, known by their silence.

    Holding PostgreSQL's session lock proves no `relance run` is alive, but not that no
    distributed run is (its row outlives the session that opened it, and its shards beat
    the heart), so the lock only shortens the silence that counts as death."""
    silence = STALE_WITH_LOCK if holds_advisory_lock else STALE_AFTER
    stale = EngineRun.objects.filter(
        entity=entity, status=RunStatus.RUNNING, heartbeat_at__lt=timezone.now() - silence
    )
    stale.update(status=RunStatus.INTERRUPTED, finished_at=timezone.now())


@contextmanager
def entity_lock(
    entity, day: date, *, dry_run=False, acting_user=None, kind=RunKind.DAILY
) -> Iterator[EngineRun]:
    """Hold `entity` for one run (a daily run or a send tick: they never overlap),
    recorded as an EngineRun; RunInProgress if taken."""
    locked = _try_advisory_lock(entity)
    if locked is False:
        raise RunInProgress(f"a run is already in progress for {entity.slug}")
    try:
        _clear_stale(entity, locked)
        try:
            with transaction.atomic():
                run = EngineRun.objects.create(
                    entity=entity, day=day, kind=kind, dry_run=dry_run, started_by=acting_user
                )
        except IntegrityError as exc:
            raise RunInProgress(f"a run is already in progress for {entity.slug}") from exc
        try:
            yield run
        except BaseException as exc:
            run.status, run.error = RunStatus.FAILED, f"{type(exc).__name__}: {exc}"
            raise
        else:
            run.status = RunStatus.FINISHED
        finally:
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "error", "finished_at", "counts"])
    finally:
        if locked:
            _release_advisory_lock(entity)


# --- the run --------------------------------------------------------------------------


def recompute_segments(entity, day: date) -> None:
    from relance.segments.services import segments_recompute

    segments_recompute(entity=entity, today=day)


def simulate_sending(*, action_ids: list[int], day: date) -> dict[int, str]:
    """The executor of a dry run: everything would be sent, nothing leaves (the writes
    are rolled back with the rest of the dry run)."""
    from relance.agenda.models import Action

    Action.objects.filter(pk__in=action_ids).update(status=planner.SENT, finished_on=day)
    return dict.fromkeys(action_ids, planner.SENT)


def deliver(*, action_ids: list[int], day: date) -> dict[int, str]:
    from relance.delivery.services import actions_execute

    return actions_execute(action_ids=action_ids, day=day)


def max_rounds(catalogue) -> int:
    """The rounds a chunk can take: a customer is planned again only after one of its
    actions was sent, which finishes a step (or a repeat, planned a day later at the
    earliest: not due on D), so after its scenario's steps + 1 sends it has nothing left."""
    return max((len(s.steps) for s in catalogue.data.values()), default=0) + 2


def run_chunk(
    entity,
    day,
    chunk: Chunk,
    catalogue,
    counts: Counts,
    execute: Executor | None,
    is_working_day=None,
    *,
    run_id: int | None = None,
) -> None:
    """Plan, write and execute until no customer of the chunk changes any more. Without an
    executor (send=False), the due automatic actions stay open, unsent. A customer whose
    planning, writing or sending fails is recorded (EngineError) and left out; the others
    go on (isolation.py)."""
    is_working_day = is_working_day or functools.cache(entity.is_working_day)
    states, pending, failures = chunk.states, set(chunk.states), Failures()
    counts.paused += sum(state.paused for state in states.values())
    for _ in range(max_rounds(catalogue)):
        pending = _round(
            entity, day, chunk, catalogue, counts, execute, is_working_day, pending, failures
        )
        if not pending:
            break
    else:  # unreachable by max_rounds' argument; recorded rather than stopping the run
        for pk in pending:
            failures.add(pk, FailureStage.PLANNING, f"no stable plan on {day.isoformat()}")
    counts.failed += failures_record(entity, day, run_id, sorted(states), failures)


def _round(entity, day, chunk, catalogue, counts, execute, wd, pending, failures) -> set[int]:
    """One round over the `pending` customers; answers those to plan again (an action of
    theirs was executed)."""
    states = chunk.states
    decisions = plan_each(states, pending, day, wd, failures)
    if not decisions:
        return set()
    ids = write_each(entity, day, decisions, catalogue, chunk.collectors, counts, failures)
    todo = executions(decisions, ids)
    if execute is None:
        counts.unsent += len(todo)
        return set()
    if not todo:
        return set()
    # Only the customers with an execution are planned again: only theirs need the
    # state after this round.
    for pk, _action in todo:
        state = planner.apply_decisions(states[pk], decisions[pk], day)
        states[pk] = planner.renumber(state, ids.get(pk, {}))
    outcomes = execute_each(execute, todo, day, failures)
    todo = [(pk, a) for pk, a in todo if pk not in failures and outcomes.get(a) != QUEUED]
    for pk, action_id in todo:
        status = outcomes.get(action_id, planner.ERROR)
        counts.sent += status == planner.SENT
        counts.errors += status == planner.ERROR
        states[pk] = planner.apply_outcome(states[pk], action_id, status, day)
    return {pk for pk, _a in todo}


def processes_for_run(wanted: int, customers: int, chunk_size: int) -> int:
    """How many of the `wanted` processes plan this run: several only on PostgreSQL (it
    takes concurrent writers), from a plain single-threaded process (the `relance run`
    command: forking a web server's thread or a Celery worker is unsafe), outside any
    transaction (a dry run, a test) that other processes could not see, and with chunks
    enough to share."""
    if wanted <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    if threading.active_count() > 1 or multiprocessing.current_process().daemon:
        return 1
    return max(1, min(wanted, customers // chunk_size))


def default_processes() -> int:
    """What `relance run` asks for: RELANCE_ENGINE_PROCESSES, or one per core."""
    return settings.ENGINE_PROCESSES or os.cpu_count() or 1


def _process(
    entity,
    day,
    run,
    counts: Counts,
    execute: Executor | None,
    chunk_size: int,
    processes=1,
    alongside: Callable[[], None] | None = None,
) -> tuple[int, bool]:
    """Plan the entity's customers; answers how many, and whether `alongside` (work that
    reads nothing the planning writes: the day's snapshot) ran, in a thread of its own
    while several processes planned (it is then left out of the run's end)."""
    recompute_segments(entity, day)
    ids = load_customer_ids(entity)
    chunks = [ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)]
    processes = processes_for_run(processes, len(ids), chunk_size)
    counts.processes = processes
    if processes > 1:
        _process_in_parallel(entity, day, run, chunks, counts, execute, processes, alongside)
        return len(ids), alongside is not None
    catalogue = load_catalogue(entity)
    # Once per run: each call of Entity.is_working_day builds the year's holiday calendar.
    is_working_day = functools.cache(entity.is_working_day)
    for part in chunks:
        chunk = load_chunk(entity, part, day, catalogue)
        run_chunk(entity, day, chunk, catalogue, counts, execute, is_working_day, run_id=run.pk)
        EngineRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    return len(ids), False


# --- one run on several cores (PostgreSQL) ----------------------------------------------
# The parent keeps the lock and the run's row; forked children take chunks (disjoint
# customers, so their writes never meet) and answer their counts. A child never touches
# the connection it inherits: closing it would end the parent's session and its lock.

_CHILD: dict = {}
_INHERITED: list = []


def _child_start(entity_pk: int, day: date, run_pk: int, execute: Executor | None) -> None:
    from relance.core.models import Entity

    for wrapper in connections.all(initialized_only=True):
        _INHERITED.append(wrapper.connection)  # the parent's: kept, never closed here
        wrapper.connection = None
    entity = Entity.objects.get(pk=entity_pk)
    _CHILD.update(
        entity=entity,
        day=day,
        run_pk=run_pk,
        execute=execute,
        catalogue=load_catalogue(entity),
        is_working_day=functools.cache(entity.is_working_day),
    )


def _child_chunk(ids: list[int]) -> Counts:
    entity, day, catalogue = _CHILD["entity"], _CHILD["day"], _CHILD["catalogue"]
    counts = Counts()
    chunk = load_chunk(entity, ids, day, catalogue)
    run_chunk(
        entity,
        day,
        chunk,
        catalogue,
        counts,
        _CHILD["execute"],
        _CHILD["is_working_day"],
        run_id=_CHILD["run_pk"],
    )
    EngineRun.objects.filter(pk=_CHILD["run_pk"]).update(heartbeat_at=timezone.now())
    return counts


def _process_in_parallel(
    entity, day, run, chunks, counts, execute, processes: int, alongside=None
) -> None:
    context = multiprocessing.get_context("fork")
    initargs = (entity.pk, day, run.pk, execute)
    # `alongside` starts once the children are forked (a fork never copies that thread),
    # and takes a core's share while the children wait for the database and the reverse.
    pool = context.Pool(processes, initializer=_child_start, initargs=initargs)
    with pool, _in_thread(alongside):
        for part in pool.imap_unordered(_child_chunk, chunks):
            counts.add(part)


@contextmanager
def _in_thread(work: Callable[[], None] | None) -> Iterator[None]:
    """Run `work` in a thread, with its own database connection, during the block; wait
    for it at the end, and raise what it raised."""
    if work is None:
        yield
        return
    raised: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # re-raised in the caller's thread
            raised.append(exc)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=target, name="relance-run-alongside")
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if raised:
        raise raised[0]


def run_customers(entity, day, run, customer_ids, counts: Counts, execute: Executor | None) -> None:
    """Plan, write and execute for these customers only: one shard of a distributed run
    (engine/tasks.py), after the run recomputed the segments."""
    catalogue = load_catalogue(entity)
    is_working_day = functools.cache(entity.is_working_day)
    for start in range(0, len(customer_ids), CHUNK_SIZE):
        chunk = load_chunk(entity, customer_ids[start : start + CHUNK_SIZE], day, catalogue)
        run_chunk(entity, day, chunk, catalogue, counts, execute, is_working_day, run_id=run.pk)
        EngineRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())


def run_open(entity, day: date) -> EngineRun:
    """Record a run that outlives this process (its shards run on workers): the `running`
    row is the lock; only runs silent for STALE_AFTER are cleared. RunInProgress if taken."""
    locked = _try_advisory_lock(entity)
    if locked is False:
        raise RunInProgress(f"a run is already in progress for {entity.slug}")
    try:
        _clear_stale(entity, holds_advisory_lock=False)
        with transaction.atomic():
            return EngineRun.objects.create(entity=entity, day=day)
    except IntegrityError as exc:
        raise RunInProgress(f"a run is already in progress for {entity.slug}") from exc
    finally:
        if locked:
            _release_advisory_lock(entity)


class _DryRunRollback(Exception):
    pass


def run_day(
    *,
    entity,
    day: date,
    dry_run: bool = False,
    send: bool = True,
    acting_user=None,
    chunk_size=CHUNK_SIZE,
    processes: int = 1,
) -> RunSummary:
    """One engine run for `entity` at `day`. A dry run plans and writes inside a
    transaction that is rolled back, and sends nothing; only its history row stays. With
    `send=False` the run plans, creates and cancels for real but executes nothing: the
    due automatic actions stay open for the next run that sends. `processes`: how many
    processes may plan it (processes_for_run; the `relance run` command asks for one per
    core)."""
    started = time.monotonic()
    summary = RunSummary(entity=entity.slug, day=day, dry_run=dry_run, send=send)
    counts = Counts()
    with entity_lock(entity, day, dry_run=dry_run, acting_user=acting_user) as run:
        if dry_run:
            try:
                with transaction.atomic():
                    summary.customers, _taken = _process(
                        entity, day, run, counts, simulate_sending, chunk_size
                    )
                    raise _DryRunRollback
            except _DryRunRollback:
                pass
        else:
            begun = run_begin(entity, day)
            summary.holds_ended, summary.recovered = begun.holds_ended, begun.recovered
            execute = deliver if send else None
            snapshot = functools.partial(snapshot_take, entity=entity, day=day)
            summary.customers, taken = _process(
                entity, day, run, counts, execute, chunk_size, processes, alongside=snapshot
            )
            summary.analyzed = run_end(entity, day, counts, snapshot=not taken)
        _fill(summary, counts, started)
        run.counts = {k: v for k, v in asdict(summary).items() if k not in ("entity", "day")}
    logger.info("engine run %s", "; ".join(line.strip() for line in summary.lines()))
    return summary


@dataclass(frozen=True)
class RunBegun:
    holds_ended: int  # customers whose hold's end date had passed, released
    recovered: int  # unconfirmed sends of a stopped run, recorded as sent


def run_begin(entity, day: date) -> RunBegun:
    """What every real run does before planning, in process (run_day) or on workers
    (tasks.engine_run_entity): release the holds that ended, take back the sends never
    handed over (their actions are sent again by this run) and record the unconfirmed
    ones. One function for both, so the two paths cannot drift apart."""
    from relance.customers.services import holds_expire
    from relance.delivery.services import outbox_recover, outbox_release

    holds_ended = holds_expire(entity=entity, day=day)
    outbox_release(entity=entity)
    return RunBegun(holds_ended=holds_ended, recovered=outbox_recover(entity=entity))


def run_end(entity, day: date, counts: Counts, *, snapshot: bool = True) -> bool:
    """What every real run does after its last write, in process or as the distributed
    run's last callback: the day's snapshot of what each customer owes (Insights), unless
    it was taken while the run planned (`snapshot=False`), then the statistics of the
    tables it bulk-wrote. Answers whether it analysed them."""
    from relance.webhooks import events as webhook_events

    if snapshot:
        snapshot_take(entity=entity, day=day)
    webhook_events.run_ended(entity.pk, day, asdict(counts))
    return analyze_written(counts)


def snapshot_take(*, entity, day: date) -> None:
    """The day's Insights snapshot (insights.services.snapshot_take). It reads the items and
    customers, never the actions: it may be taken while the customers are planned, in a
    connection of its own, once the segments (which read the latest risk scores) are
    recomputed."""
    from relance.insights.services import snapshot_take as take

    take(entity=entity, day=day)


def analyze_written(counts: Counts) -> bool:
    """Refresh the statistics of the tables a run (or a tick) bulk-wrote: its actions, their
    outbox rows and the segments' memberships (core/statistics.py). Once per run, after
    its last write."""
    from relance.agenda.models import Action
    from relance.delivery.models import Outbox
    from relance.segments.models import SegmentMembership

    written = counts.created + counts.updated + counts.skipped + sum(counts.cancelled.values())
    written += counts.sent + counts.errors
    return tables_analyze(Action, Outbox, SegmentMembership, rows=written)


def _fill(summary: RunSummary, counts: Counts, started: float) -> None:
    summary.created, summary.skipped, summary.updated = (
        counts.created,
        counts.skipped,
        counts.updated,
    )
    summary.cancelled = dict(counts.cancelled)
    summary.sent, summary.errors = counts.sent, counts.errors
    summary.unsent, summary.failed = counts.unsent, counts.failed
    summary.paused = counts.paused
    summary.processes = counts.processes
    summary.seconds = round(time.monotonic() - started, 3)
