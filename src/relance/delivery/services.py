"""Executing automatic actions: the outbox protocol around the channel adapters.

For each message: commit an Outbox row `sending` (its key names the action and the
attempt), hand the message over with a Message-ID derived from that key, then in one
transaction mark the row and the action `sent` (finished on the run date). A row found still
`sending` means a run stopped between the hand-over and that commit: the message is not
sent again, the action is marked sent with a note that delivery was not confirmed.

SMS and letters follow the same protocol through the entity's connector
(delivery/connectors.py, docs/channels.md). A manual email or SMS that a user edited on its
page goes the same way (`action_send_edited`), with the user's text instead of the rendered.
The outbox row keeps what left: subject, text and HTML.
"""

import smtplib
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from relance.activity.services import message_sent_event_record
from relance.agenda.choices import OPEN_STATUSES, ActionStatus
from relance.agenda.models import Action
from relance.core.bulk import copy_insert
from relance.delivery import protocol
from relance.delivery.bounces import actions_fall_back
from relance.delivery.choices import OutboxStatus
from relance.delivery.connectors import CONNECTOR_CHANNEL, send_through_connectors
from relance.delivery.email import (
    INVALID_EMAIL,
    NO_TEMPLATE,
    OUTBOX_KEY,
    Prepared,
    email_content,
    prepare_emails,
    refused,
    send_one,
    smtp_error,
)
from relance.delivery.models import Outbox
from relance.delivery.protocol import NOT_AUTOMATIC
from relance.delivery.protocol import mark_errors as _mark_errors
from relance.scenarios.choices import StepChannel, StepMode
from relance.templating.render import NO_BREAK_SPACES
from relance.templating.sanitize import sanitize_html
from relance.templating.text import html_to_text
from relance.webhooks import events as webhook_events

UNCONFIRMED = gettext_noop(
    "Delivery not confirmed: the run stopped after handing the message over, before "
    "recording it; it was not sent again"
)
INVALID_EMAIL_PREFIX = INVALID_EMAIL.removesuffix("{reason}")


def outbox_stuck(*, action_ids: list[int] | None = None):
    """The outbox rows left `sending` (id, action id, run date), oldest first: read from the
    partial index `outbox_sending` alone, without a join, so that the plan stays a scan of
    the few rows in flight however many messages were sent before, whatever the tables'
    statistics say (a join with the actions became a nested loop over history on a
    PostgreSQL server whose statistics were stale)."""
    rows = Outbox.objects.filter(status=OutboxStatus.SENDING)
    if action_ids is not None:
        rows = rows.filter(action_id__among=action_ids)
    return rows.order_by("id").values_list("id", "action_id", "day")


def outbox_recover(*, entity=None, action_ids: list[int] | None = None) -> int:
    """Mark `sent` (unconfirmed) the open actions whose outbox row stayed `sending`."""
    stuck = list(outbox_stuck(action_ids=action_ids))
    if not stuck:
        return 0
    actions = Action.objects.filter(pk__among=sorted({action_id for _pk, action_id, _d in stuck}))
    if entity is not None:
        actions = actions.filter(entity=entity)
    notes = dict(actions.values_list("pk", "note"))
    recovered = 0
    for pk, action_id, day in stuck:
        if action_id not in notes:  # another entity's
            continue
        with transaction.atomic():
            Outbox.objects.filter(pk=pk).update(
                status=OutboxStatus.SENT, error=UNCONFIRMED, updated_at=timezone.now()
            )
            recovered += Action.objects.filter(pk=action_id, status__in=OPEN_STATUSES).update(
                status=ActionStatus.SENT,
                finished_on=day,
                error_message="",
                note=_with_note(notes[action_id], UNCONFIRMED),
                updated_at=timezone.now(),
            )
    return recovered


def _with_note(note: str, line: str) -> str:
    return f"{note}\n{line}".strip()


def _attempts(action_ids: list[int]) -> dict[int, dict]:
    rows = (
        Outbox.objects.filter(action_id__among=action_ids)
        .values("action_id")
        .annotate(last=Max("attempt"), sending=Count("id", filter=Q(status=OutboxStatus.SENDING)))
        .order_by()
    )
    return {row["action_id"]: row for row in rows}


# Emails in batches ---------------------------------------------------------------------
# A batch's outbox rows are committed `sending` in one transaction, its messages go over one
# mail server session, and their outcomes are written in one transaction. In between, the
# rows are marked `uncertain` by groups of HAND_OVER_GROUP, right before the group's first
# message is handed over, in a commit that does not wait for the disk (PostgreSQL's
# synchronous_commit off; SQLite runs with synchronous NORMAL): it survives the death of
# the process, which is what it is for. A batch that stopped leaves at most one group
# `uncertain` (recovered as unconfirmed, never sent again: of them, those that had not left
# yet are lost, reported as not confirmed), and rows that never left (deleted by
# outbox_release: their actions are sent again). A statement per group rather than per
# message: a twentieth of the round trips to the database, for at most 20 messages to
# check by hand after a crash.
BATCH_SIZE = 200
HAND_OVER_GROUP = 20
SENT, REFUSED, UNSENT, UNCERTAIN, RELEASED = "sent", "refused", "unsent", "uncertain", "released"
DROPPED = gettext_noop(
    "Delivery not confirmed: the connection to the mail server broke while the message was "
    "handed over ({reason}); it was not sent again"
)


def outbox_reserve(prepared: list[Prepared], numbers: dict[int, int], day: date) -> dict:
    """Commit, in one transaction, an outbox row `sending` for each prepared message whose
    action is still open and whose attempt `numbers[action id]` nobody took since it was
    read; answers {action id: Outbox}. The actions are locked while their rows are written
    (the agenda then refuses to finish them until the outcome is recorded); on PostgreSQL
    rows another transaction holds are skipped (SKIP LOCKED) rather than waited for."""
    ids = [p.action.pk for p in prepared]
    skip = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        _sqlite_write_lock()
        locked = Action.objects.select_for_update(skip_locked=skip).filter(
            pk__among=ids, status__in=OPEN_STATUSES
        )
        free = set(locked.values_list("pk", flat=True))
        # Read after the locks: a worker that reserved one of them before has committed.
        taken = _attempts(sorted(free))
        free = {
            pk
            for pk in free
            if not taken.get(pk, {}).get("sending")
            and taken.get(pk, {}).get("last", 0) + 1 == numbers[pk]
        }
        rows = [_outbox_row(p, numbers[p.action.pk], day) for p in prepared if p.action.pk in free]
        copy_insert(rows, OUTBOX_GIVEN)
    return {row.action_id: row for row in rows}


def _sqlite_write_lock() -> None:
    """SQLite: take the database's write lock before reading, so that two processes
    reserving at once queue (the busy timeout) instead of one failing ("database is
    locked") when it upgrades a read to a write."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Outbox._meta.db_table} SET id = id WHERE 0")


# The fields _outbox_row sets: the others keep their defaults.
OUTBOX_GIVEN = ("action", "attempt", "key", "channel", "day", "message_id", "recipients")
OUTBOX_GIVEN += ("subject", "body", "html", "proof")


def _outbox_row(prepared: Prepared, attempt: int, day: date) -> Outbox:
    message = prepared.message
    return Outbox(
        action=prepared.action,
        attempt=attempt,
        key=message.metadata[OUTBOX_KEY],
        channel=prepared.action.channel,
        day=day,
        message_id=message.extra_headers["Message-ID"],
        recipients=prepared.recipients,
        # The To addresses apart from the copies: a bounce of them all bounces the message.
        proof={"to": list(message.to)},
        **email_content(message),
    )


def _handing(outboxes: list[Outbox]) -> set[int]:
    """Mark these rows `uncertain` (their messages may leave from now on) where they are
    still `sending`: answers the ids marked; a row outbox_release took back is not, and its
    message must not leave. One statement per group, written without the ORM's overhead."""
    ids = [outbox.pk for outbox in outboxes]
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Outbox._meta.db_table} SET uncertain = %s "
            f"WHERE id IN ({marks}) AND status = %s RETURNING id",
            [True, *ids, OutboxStatus.SENDING],
        )
        return {row[0] for row in cursor.fetchall()}


@contextmanager
def _commits_without_flush():
    """PostgreSQL: this session's commits return before the WAL reaches the disk (they are
    lost only if the database server itself crashes, never with this process)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def outbox_release(*, entity=None, action_ids: list[int] | None = None) -> int:
    """Delete the email rows that a batch reserved but stopped before handing over
    (`sending`, not `uncertain`): their actions, still open, are sent again under the
    same attempt and key (nothing left under them). One conditional statement, so safe
    beside a live batch: its process hands over only rows still there. On PostgreSQL, rows
    reserved before the server last started stay for outbox_recover (an `uncertain` mark
    committed without a flush may have been lost with the server)."""
    rows = Outbox.objects.filter(
        status=OutboxStatus.SENDING, uncertain=False, channel=StepChannel.EMAIL
    )
    if entity is not None:
        rows = rows.filter(action__entity=entity)
    if action_ids is not None:
        rows = rows.filter(action_id__among=action_ids)
    if connection.vendor == "postgresql":
        rows = rows.filter(created_at__gt=RawSQL("pg_postmaster_start_time()", []))
    query, params = rows.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # The row's own conditions again, rechecked on the row as it is when deleted.
        cursor.execute(
            f"DELETE FROM {Outbox._meta.db_table} WHERE id IN ({query}) "
            "AND status = %s AND uncertain = %s",
            [*params, OutboxStatus.SENDING, False],
        )
        return cursor.rowcount


class _Session:
    """A mail server session, opened when a message first needs it; one that broke is closed
    and opened again for the next message."""

    def __init__(self):
        self.mail, self.is_open = get_connection(), False

    def open(self) -> None:
        if not self.is_open:
            self.mail.open()
            self.is_open = True

    def close(self) -> None:
        try:
            self.mail.close()
        finally:
            self.is_open = False

    def check(self) -> None:
        """An SMTP session kept from a previous batch must still answer (a server closes
        idle ones): else it is closed now, before any message could be lost in it."""
        smtp = getattr(self.mail, "connection", None)
        if not self.is_open or not isinstance(smtp, smtplib.SMTP):
            return
        try:
            alive = smtp.noop()[0] == 250
        except Exception:  # any failure: a new session
            alive = False
        if not alive:
            with suppress(Exception):
                self.close()
            self.is_open = False


def _hand_over(
    ready: list[Prepared], outboxes: dict, session: _Session | None = None
) -> dict[int, tuple[str, str]]:
    """Hand these messages over on one mail server session (`session`, kept open for the
    next batch; else one of their own): {action id: (outcome, error)}.
    They go in groups of HAND_OVER_GROUP, each group marked uncertain in one statement
    just before its first message leaves. A message the server refuses is that message's
    error only. When the session breaks while a message is handed over, that message may
    have arrived (UNCERTAIN, never sent again); the next ones go on a new session, or stay
    UNSENT if it cannot be opened."""
    results: dict[int, tuple[str, str]] = {}
    own = session is None
    session = session or _Session()
    session.check()
    unreachable = ""
    try:
        for start in range(0, len(ready), HAND_OVER_GROUP):
            group = ready[start : start + HAND_OVER_GROUP]
            marked = None
            for prepared in group:
                pk = prepared.action.pk
                if unreachable:
                    results[pk] = (UNSENT, unreachable)
                    continue
                try:
                    session.open()
                except Exception as exc:  # nothing more of this batch leaves: retryable
                    unreachable = smtp_error(exc)
                    results[pk] = (UNSENT, unreachable)
                    continue
                if marked is None:  # the session is open: the group may leave
                    marked = _handing([outboxes[p.action.pk] for p in group])
                if outboxes[pk].pk not in marked:  # released by another process: it sends it
                    results[pk] = (RELEASED, "")
                    continue
                try:
                    send_one(session.mail, prepared.message)
                except Exception as exc:  # every SMTP or provider failure is one message's
                    results[pk] = (REFUSED if refused(exc) else UNCERTAIN, smtp_error(exc))
                    if results[pk][0] == UNCERTAIN or getattr(exc, "smtp_code", 0) == 421:
                        session.close()  # a broken or closing session: the next one reopens
                    continue
                protocol.handed_over(outboxes[pk])
                results[pk] = (SENT, "")
    finally:
        if own:
            session.close()
    return results


class _Sessions:
    """The threads that hand batches over on PostgreSQL: SMTP_SESSIONS of them, each with
    its own database connection (for the `uncertain` marks) and its own mail server
    session, both kept from one batch to the next and closed by `close()`. A batch's
    messages are split between them by whole groups of HAND_OVER_GROUP, so a crash leaves
    at most one group in flight per session."""

    def __init__(self, size: int):
        self.size = size
        self.pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="hand-over")
        self.local = threading.local()

    def submit(self, batch: "_Batch") -> list[Future]:
        groups = -(-len(batch.ready) // HAND_OVER_GROUP)
        share = -(-groups // min(self.size, groups)) * HAND_OVER_GROUP
        parts = [batch.ready[start : start + share] for start in range(0, len(batch.ready), share)]
        return [self.pool.submit(self._hand_over, part, batch.outboxes) for part in parts]

    def _hand_over(self, part: list[Prepared], outboxes: dict) -> dict:
        if getattr(self.local, "session", None) is None:
            self.local.session = _Session()
        with _commits_without_flush():
            return _hand_over(part, outboxes, self.local.session)

    def close(self) -> None:
        """Close each thread's session and database connection (a barrier makes each of
        the threads take one of the closing tasks), then stop the threads."""
        barrier = threading.Barrier(self.size)
        closing = [self.pool.submit(self._close, barrier) for _n in range(self.size)]
        for future in closing:
            future.result()
        self.pool.shutdown()

    def _close(self, barrier: threading.Barrier) -> None:
        with suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=30)
        session = getattr(self.local, "session", None)
        if session is not None:
            with suppress(Exception):
                session.close()
        connection.close()


def _collect(futures: list[Future]) -> tuple[dict, BaseException | None]:
    """The merged outcomes of a batch's parts; when a part failed, the others' outcomes
    first (to be recorded), then its exception as `error`."""
    results, error = {}, None
    for future in futures:
        try:
            results.update(future.result())
        except BaseException as exc:  # raised again once the rest is recorded
            error = error or exc
    return results, error


def _record(results: dict, outboxes: dict, actions: dict, day: date, on_sent=None) -> None:
    """Write a batch's outcomes in one transaction: outbox rows and actions in bulk.
    `on_sent(outbox)` runs for each message sent, in that transaction."""
    now = timezone.now()
    sent = [pk for pk, (outcome, _e) in results.items() if outcome == SENT]
    uncertain = {pk: e for pk, (outcome, e) in results.items() if outcome == UNCERTAIN}
    failed = {pk: e for pk, (outcome, e) in results.items() if outcome in (REFUSED, UNSENT)}
    notes = {pk: DROPPED.format(reason=error) for pk, error in uncertain.items()}
    with transaction.atomic():
        if sent:
            for pk in sent:
                outboxes[pk].status = OutboxStatus.SENT
            rows = [outboxes[pk].pk for pk in sent]
            Outbox.objects.filter(pk__among=rows).update(
                status=OutboxStatus.SENT, uncertain=False, updated_at=now
            )
        if uncertain:
            for pk, note in notes.items():
                outbox = outboxes[pk]
                outbox.status, outbox.error, outbox.uncertain = OutboxStatus.SENT, note, True
                outbox.updated_at = now
            Outbox.objects.bulk_update(
                [outboxes[pk] for pk in notes], ["status", "error", "uncertain", "updated_at"]
            )
        finished = {"status": ActionStatus.SENT, "finished_on": day, "error_message": ""}
        if sent:
            Action.objects.filter(pk__among=sent).update(**finished, updated_at=now)
        if uncertain:
            for pk, note in notes.items():
                action = actions[pk]
                for field, value in finished.items():
                    setattr(action, field, value)
                action.note, action.updated_at = _with_note(action.note, note), now
            fields = [*finished, "note", "updated_at"]
            Action.objects.bulk_update([actions[pk] for pk in notes], fields)
        if failed:
            for pk, error in failed.items():
                outbox = outboxes[pk]
                outbox.status, outbox.error, outbox.updated_at = OutboxStatus.FAILED, error, now
                outbox.uncertain = False  # the server said no, or never heard of it
            Outbox.objects.bulk_update(
                [outboxes[pk] for pk in failed], ["status", "error", "uncertain", "updated_at"]
            )
            _mark_errors([(actions[pk], error) for pk, error in failed.items()])
        if on_sent is not None:
            for pk in [*sent, *uncertain]:
                on_sent(outboxes[pk])
        left = [*sent, *uncertain]
        if left:
            webhook_events.actions_sent(
                [actions[pk] for pk in left],
                outbox_by_action={pk: outboxes[pk].pk for pk in left},
            )


@dataclass
class _Batch:
    """A batch of emails reserved and ready to hand over; `outcomes` so far (errors, and
    actions gone since they were read)."""

    ready: list[Prepared]
    outboxes: dict
    outcomes: dict[int, str]


def _batch_prepare(actions: list[Action], day: date, edits=None) -> _Batch:
    """Render a batch's messages and reserve their outbox rows (committed `sending` before
    the server hears of them); the errors are recorded at once."""
    attempts = _attempts([a.pk for a in actions])
    numbers = {a.pk: attempts.get(a.pk, {}).get("last", 0) + 1 for a in actions}
    keys = {pk: f"action-{pk}-{n}" for pk, n in numbers.items()}
    prepared = prepare_emails(actions, day, keys)
    for p in prepared:
        if p.message and edits and p.action.pk in edits:
            edits[p.action.pk].apply_to_email(p.message, p.context)
    failures = [(p.action, p.error) for p in prepared if p.error]
    if failures:
        _mark_errors(failures)
        # Every address marked invalid: the step's fallback, as after a bounce. The runner
        # still reads `error`; the fallback action is executed by the next run.
        invalid = [(a, e) for a, e in failures if e.startswith(INVALID_EMAIL_PREFIX)]
        if invalid and not edits:  # a user sending from the page is told, not replaced
            actions_fall_back(invalid, day)
    outcomes = {action.pk: ActionStatus.ERROR for action, _e in failures}
    ready = [p for p in prepared if not p.error]
    if not ready:
        return _Batch([], {}, outcomes)
    outboxes = outbox_reserve(ready, numbers, day)
    gone = [p.action.pk for p in ready if p.action.pk not in outboxes]
    if gone:  # finished by a user, or taken by another worker, since they were read
        outcomes.update(Action.objects.filter(pk__among=gone).values_list("pk", "status"))
    return _Batch([p for p in ready if p.action.pk in outboxes], outboxes, outcomes)


def _batch_hand_over(batch: _Batch) -> dict:
    """The batch's messages handed over on a session of their own: {action id: (outcome,
    error)}."""
    with _commits_without_flush():
        return _hand_over(batch.ready, batch.outboxes)


def _batch_record(batch: _Batch, results: dict, day: date, on_sent=None) -> dict[int, str]:
    """Write the batch's outcomes (one transaction); answers {action id: status}."""
    outcomes = batch.outcomes
    if not results:
        return outcomes
    actions = {p.action.pk: p.action for p in batch.ready}
    _record(results, batch.outboxes, actions, day, on_sent)
    released = [pk for pk, (outcome, _e) in results.items() if outcome == RELEASED]
    if released:
        outcomes.update(Action.objects.filter(pk__among=released).values_list("pk", "status"))
    for pk, (outcome, _error) in results.items():
        if outcome != RELEASED:
            sent = outcome in (SENT, UNCERTAIN)
            outcomes[pk] = ActionStatus.SENT if sent else ActionStatus.ERROR
    return outcomes


def send_emails(
    actions: list[Action], day: date, edits: dict[int, "Edited"] | None = None, on_sent=None
) -> dict[int, str]:
    """Send these email actions in batches of BATCH_SIZE; `edits` (action id -> Edited)
    replaces the rendered subject and parts of some, everything else (addresses,
    attachments) as prepared; `on_sent(outbox)` runs as each is recorded sent.

    On PostgreSQL, outside a transaction, a batch is handed over by SMTP_SESSIONS threads
    (`_Sessions`), each on its own mail server session and database connection, while the
    next batch is rendered and reserved: the mail server's answers are waited for in
    parallel and while this thread works (the GIL is released on the socket). Each batch
    is recorded before the next is handed over, so nothing changes for the outbox
    protocol: at most one batch is in flight, and a crash leaves the next one reserved but
    never marked (released and sent again)."""
    batches = [actions[start : start + BATCH_SIZE] for start in range(0, len(actions), BATCH_SIZE)]
    sessions = settings.SMTP_SESSIONS
    parallel = len(batches) > 1 or (sessions > 1 and len(actions) > HAND_OVER_GROUP)
    if not parallel or connection.vendor != "postgresql" or connection.in_atomic_block:
        # (inside a transaction another connection would not see the rows)
        outcomes: dict[int, str] = {}
        for chunk in batches:
            batch = _batch_prepare(chunk, day, edits)
            results = _batch_hand_over(batch) if batch.ready else {}
            outcomes.update(_batch_record(batch, results, day, on_sent))
        return outcomes
    return _send_overlapped(batches, day, edits, on_sent, sessions)


# While batches overlap, the rendering thread holds the GIL for long stretches of Python;
# a hand-over thread whose mail server answered waits for it up to the switch interval
# (5 ms by default) before it can send the next command: four answers per message, so the
# sessions crawled while the next batch was rendered. The interval is shortened for the
# duration of the overlap (this process only, restored after).
SWITCH_INTERVAL = 0.0005


def _send_overlapped(
    batches: list[list[Action]], day: date, edits, on_sent, sessions: int
) -> dict[int, str]:
    outcomes: dict[int, str] = {}
    in_flight = None  # (batch, futures)

    def record() -> None:
        nonlocal in_flight
        previous, futures = in_flight
        in_flight = None
        results, error = _collect(futures)
        outcomes.update(_batch_record(previous, results, day, on_sent))
        if error is not None:
            raise error

    pool = _Sessions(sessions)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    try:
        for chunk in batches:
            batch = _batch_prepare(chunk, day, edits)
            if in_flight is not None:
                record()
            if batch.ready:
                in_flight = (batch, pool.submit(batch))
            else:
                outcomes.update(batch.outcomes)
    finally:
        try:
            if in_flight is not None:  # whatever stopped the loop, what left is recorded
                record()
        finally:
            pool.close()
            sys.setswitchinterval(interval)
    return outcomes


def _open_actions(action_ids: list[int]) -> list[Action]:
    """These actions if open, in id order, with their customers and what sending reads of
    them: entities, collectors, steps with their templates and copies, each loaded once and
    shared (the thousands of actions of a batch share a few steps and one entity, of which
    select_related would build a copy per action, and prefetching fill each copy)."""
    from django.contrib.auth import get_user_model

    from relance.core.models import Entity
    from relance.scenarios.models import Step

    actions = list(
        Action.objects.filter(pk__among=action_ids, status__in=OPEN_STATUSES)
        .select_related("customer")
        .order_by("id")
    )
    customers = [action.customer for action in actions]
    entity_ids = {c.entity_id for c in customers} | {a.entity_id for a in actions}
    entities = Entity.objects.in_bulk(entity_ids)
    collectors = get_user_model().objects.in_bulk({c.collector_id for c in customers} - {None})
    steps = (
        Step.objects.select_related("template")
        .prefetch_related("cc_users", "template__variants")
        .in_bulk({action.step_id for action in actions} - {None})
    )
    for action in actions:
        customer = action.customer
        customer.entity = entities[customer.entity_id]
        if customer.collector_id is not None:
            customer.collector = collectors[customer.collector_id]
        action.entity = entities[action.entity_id]
        if action.step_id is not None:
            action.step = steps[action.step_id]
    return actions


def actions_execute(*, action_ids: list[int], day: date) -> dict[int, str]:
    """Execute these open actions at `day` through their channel: {action id: status}."""
    actions = _open_actions(action_ids)
    outcomes: dict[int, str] = {}
    outbox_release(action_ids=action_ids)  # what a stopped batch never handed over goes now
    unconfirmed = {pk for pk, row in _attempts(action_ids).items() if row["sending"]}
    if unconfirmed:  # left by a run that stopped: recorded, never sent again
        outbox_recover(action_ids=sorted(unconfirmed))
        outcomes.update(dict.fromkeys(unconfirmed, ActionStatus.SENT))
    actions = [a for a in actions if a.pk not in unconfirmed]
    emails = [a for a in actions if a.channel == StepChannel.EMAIL]
    connected = [a for a in actions if a.channel in CONNECTOR_CHANNEL]
    others = [
        (a, NOT_AUTOMATIC)
        for a in actions
        if a.channel not in CONNECTOR_CHANNEL and a.channel != StepChannel.EMAIL
    ]
    if others:
        _mark_errors(others)
        outcomes.update({a.pk: ActionStatus.ERROR for a, _m in others})
    if emails:
        outcomes.update(send_emails(emails, day))
    if connected:
        outcomes.update(send_through_connectors(connected, day))
    return outcomes


# A manual message sent from its page ------------------------------------------------------


@dataclass(frozen=True)
class Edited:
    """A user's version of a message: one-line subject, plain text, and an email's HTML."""

    subject: str
    text: str
    html: str = ""

    def apply_to_email(self, message, context=None) -> None:
        """Onto the prepared `message`; the preview's placeholder page link becomes the
        message's real one (`context`: what it was rendered from)."""
        real = context.with_real_links if context is not None else str
        message.subject, message.body = self.subject, real(self.text)
        message.alternatives = []
        if self.html:
            message.attach_alternative(real(self.html), "text/html")


EDITABLE_CHANNELS = (StepChannel.EMAIL, StepChannel.SMS)


def edited_content(*, channel: str, subject: str, body: str) -> Edited:
    """The user's text made safe to send: an email's HTML sanitized (its text part derived
    from it, as for templates), an SMS in plain text. Raises ValidationError when empty."""
    subject = " ".join((subject or "").split())  # a header holds no line break
    if channel == StepChannel.EMAIL:
        html = sanitize_html(body)
        edited = Edited(subject, html_to_text(html), html)
        if not subject:
            raise ValidationError({"subject": _("An email needs a subject.")})
    else:
        text = (body or "").replace("\r\n", "\n").translate(NO_BREAK_SPACES).strip()
        edited = Edited("", text)
    if not edited.text.strip():
        raise ValidationError({"body": _("The message is empty.")})
    return edited


def _finished(action: Action) -> ValidationError:
    return ValidationError(
        _("This action is %(status)s: it cannot be sent again.")
        % {"status": action.get_status_display().lower()}
    )


def _sendable(action: Action) -> Action:
    """The action as it is now, if it is an open manual email or SMS with a template."""
    action = (
        Action.objects.select_related("entity", "customer__entity", "customer__collector")
        .select_related("step__template")
        .prefetch_related("step__cc_users", "step__template__variants")
        .get(pk=action.pk)
    )
    if action.status not in OPEN_STATUSES:
        raise _finished(action)
    if action.mode != StepMode.MANUAL or action.channel not in EDITABLE_CHANNELS:
        raise ValidationError(_("Only a manual email or SMS is sent from its page."))
    if action.step is None or action.step.template_id is None:
        raise ValidationError(NO_TEMPLATE)
    return action


def action_send_edited(
    *, action: Action, acting_user=None, subject: str = "", body: str, day: date | None = None
) -> Action:
    """Send one open manual email or SMS now with the user's text, through the engine's
    outbox protocol and adapters (same recipients, copies, attachments, keys); the action
    is then `sent` on `day` (the entity's today). A failure leaves it in `error` with the
    engine's reason and raises ValidationError. Not atomic on purpose: the outbox row must
    be committed before the hand-over, and it is what refuses a second send. The user's
    event is written in the transaction that records the message sent."""
    action = _sendable(action)
    edited = edited_content(channel=action.channel, subject=subject, body=body)
    day = day or action.entity.today()
    if _attempts([action.pk]).get(action.pk, {}).get("sending"):
        # Handed over by another request, or by one that stopped before recording it.
        raise ValidationError(_("This message is already being sent: it is not sent again."))

    def on_sent(outbox: Outbox) -> None:
        message_sent_event_record(action=action, acting_user=acting_user, outbox=outbox)

    try:
        if action.channel == StepChannel.EMAIL:
            outcome = send_emails([action], day, edits={action.pk: edited}, on_sent=on_sent)
        else:
            texts = {action.pk: edited.text}
            outcome = send_through_connectors([action], day, texts=texts, on_sent=on_sent)
    except IntegrityError:  # a concurrent request took this attempt's outbox row
        raise ValidationError(
            _("This message is already being sent: it is not sent again.")
        ) from None
    action.refresh_from_db()
    if outcome.get(action.pk) == ActionStatus.SENT:
        return action
    if action.status == ActionStatus.ERROR:
        raise ValidationError(
            _("The message was not sent: %(reason)s") % {"reason": action.error_message}
        )
    raise _finished(action)  # finished by someone else since the page was read


# Letters handed to the print-and-mail connector by a user ---------------------------------

HANDED_CHANNELS = (
    StepChannel.LETTER,
    StepChannel.REGISTERED_LETTER,
    StepChannel.E_REGISTERED_LETTER,
)


@dataclass(frozen=True)
class HandOver:
    """What became of one letter handed over: its action as it is now, and whether this
    call sent it (False: already sent, or left in error with the reason on the action)."""

    action: Action
    sent: bool


def _ereg_recipients(actions: list[Action], recipients: dict[int, int]) -> dict[int, str]:
    """The email address of the contact chosen for each e-registered letter: one of its
    customer's contacts, with an address that did not bounce; errors keyed `recipient_<id>`."""
    from relance.customers.models import Contact

    chosen = {a.pk: recipients.get(a.pk) for a in actions}
    contacts = Contact.objects.in_bulk([pk for pk in chosen.values() if pk])
    addresses, errors = {}, {}
    for action in actions:
        pk = chosen[action.pk]
        if not pk:
            continue  # the first collection contact, as the engine picks it
        contact = contacts.get(pk)
        words = {"customer": action.customer.name}
        if contact is None or contact.customer_id != action.customer_id:
            errors[f"recipient_{action.pk}"] = (
                _("Recipient of the letter to %(customer)s: choose one of its contacts.") % words
            )
        elif not contact.email:
            errors[f"recipient_{action.pk}"] = (
                _("Recipient of the letter to %(customer)s: this contact has no email address.")
                % words
            )
        elif contact.email_invalid_at is not None:
            errors[f"recipient_{action.pk}"] = (
                _("Recipient of the letter to %(customer)s: this contact's email bounced.") % words
            )
        else:
            addresses[action.pk] = contact.email
    if errors:
        raise ValidationError(errors)
    return addresses


def letters_hand_over(
    *, actions, acting_user=None, recipients: dict[int, int] | None = None, day=None
) -> list[HandOver]:
    """Letters a user selected, handed to their entity's connector (print and mail, or
    electronic registered mail): one submission per letter through the outbox protocol, so
    a letter already handed over, or being handed over, is never sent again. `recipients`
    (action id -> contact id) names the contact an e-registered letter goes to. Each letter
    sent is finished (`sent`, on the entity's today or `day`) with the user's event; one
    refused is left in `error` with the provider's reason. Answers one HandOver per action,
    in the order of `actions` (a queryset scoped to the user, or a list)."""
    wanted = [a.pk for a in actions]
    loaded = Action.objects.filter(pk__in=wanted).select_related(
        "entity", "customer__entity", "customer__collector", "step__template"
    )
    by_id = {a.pk: a for a in loaded.prefetch_related("step__template__variants")}
    ordered = [by_id[pk] for pk in wanted if pk in by_id]
    if not ordered:
        raise ValidationError(_("Select at least one letter."))
    refused = [a for a in ordered if a.channel not in HANDED_CHANNELS]
    if refused:
        names = ", ".join(sorted({a.customer.name for a in refused}))
        raise ValidationError(
            _("Only letters are handed to the print-and-mail service; not these: %(names)s.")
            % {"names": names}
        )
    ereg = [a for a in ordered if a.channel == StepChannel.E_REGISTERED_LETTER]
    to = _ereg_recipients(ereg, recipients or {}) if ereg else {}
    # Open, and no attempt between hand-over and record: the others are left as they are.
    busy = {pk for pk, row in _attempts(wanted).items() if row["sending"]}
    ready = [a for a in ordered if a.status in OPEN_STATUSES and a.pk not in busy]
    outcomes = {}
    if ready:
        by_day = {}
        for action in ready:
            by_day.setdefault(day or action.entity.today(), []).append(action)

        def on_sent(outbox: Outbox) -> None:
            message_sent_event_record(
                action=by_id[outbox.action_id], acting_user=acting_user, outbox=outbox
            )

        for sending_day, group in by_day.items():
            outcomes.update(send_through_connectors(group, sending_day, on_sent=on_sent, to=to))
    now = Action.objects.in_bulk(wanted)
    return [HandOver(now[a.pk], outcomes.get(a.pk) == ActionStatus.SENT) for a in ordered]
