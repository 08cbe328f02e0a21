"""Executing automatic actions: the outbox protocol around the channel adapters.

For each message: commit an Outbox row `sending` (its key names the action and the
attempt), hand the message over with a Message-ID derived from that key, then in one
transaction mark the row and the action `sent` (finished on the run date). A row found still
`sending` means a run stopped between the hand-over and that commit: the message is not
sent again, the action is marked sent with a note that delivery was not confirmed.

SMS and letters follow the same protocol through the entity's connector
(delivery/connectors.py, docs/channels.md).
"""

from datetime import date

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from relance.agenda.choices import OPEN_STATUSES, ActionStatus
from relance.agenda.models import Action
from relance.delivery.choices import OutboxStatus
from relance.delivery.connectors import CONNECTOR_CHANNEL, send_through_connectors
from relance.delivery.email import Prepared, prepare_emails, smtp_error
from relance.delivery.models import Outbox
from relance.scenarios.choices import StepChannel

UNCONFIRMED = (
    "delivery not confirmed: the run stopped after handing the message over, before "
    "recording it; it was not sent again"
)
NO_CONNECTOR = {
    StepChannel.SMS: "no SMS connector configured",
    StepChannel.LETTER: "no letter connector configured",
    StepChannel.REGISTERED_LETTER: "no registered letter connector configured",
    StepChannel.E_REGISTERED_LETTER: "no electronic registered letter connector configured",
}


def handed_over(outbox: Outbox) -> None:
    """Called right after the provider accepted a message, before it is recorded: a seam
    for the tests that kill a run at the worst moment."""


def outbox_recover(*, entity=None, action_ids: list[int] | None = None) -> int:
    """Mark `sent` (unconfirmed) the open actions whose outbox row stayed `sending`."""
    rows = Outbox.objects.filter(status=OutboxStatus.SENDING)
    if entity is not None:
        rows = rows.filter(action__entity=entity)
    if action_ids is not None:
        rows = rows.filter(action_id__in=action_ids)
    recovered = 0
    for row in rows.select_related("action").order_by("id"):
        with transaction.atomic():
            Outbox.objects.filter(pk=row.pk).update(
                status=OutboxStatus.SENT, error=UNCONFIRMED, updated_at=timezone.now()
            )
            recovered += Action.objects.filter(pk=row.action_id, status__in=OPEN_STATUSES).update(
                status=ActionStatus.SENT,
                finished_on=row.day,
                error_message="",
                note=_with_note(row.action.note, UNCONFIRMED),
                updated_at=timezone.now(),
            )
    return recovered


def _with_note(note: str, line: str) -> str:
    return f"{note}\n{line}".strip()


def _mark_errors(failures: list[tuple[Action, str]]) -> None:
    now = timezone.now()
    for action, message in failures:
        action.status, action.error_message, action.updated_at = ActionStatus.ERROR, message, now
    Action.objects.bulk_update(
        [action for action, _m in failures], ["status", "error_message", "updated_at"]
    )


def _attempts(action_ids: list[int]) -> dict[int, dict]:
    rows = (
        Outbox.objects.filter(action_id__in=action_ids)
        .values("action_id")
        .annotate(last=Max("attempt"), sending=Count("id", filter=Q(status=OutboxStatus.SENDING)))
        .order_by()
    )
    return {row["action_id"]: row for row in rows}


def _send_one(connection, prepared: Prepared, key: str, attempt: int, day: date) -> str:
    """The protocol for one message; answers the action's new status."""
    action = prepared.action
    outbox = Outbox.objects.create(
        action=action,
        attempt=attempt,
        key=key,
        channel=action.channel,
        day=day,
        message_id=prepared.message.extra_headers["Message-ID"],
        recipients=prepared.recipients,
    )  # committed (autocommit) before the mail server hears of it
    try:
        connection.send_messages([prepared.message])
    except Exception as exc:  # every SMTP or network failure ends as an `error` action
        error = smtp_error(exc)
        connection.close()  # a broken session is reopened by the next message
        with transaction.atomic():
            Outbox.objects.filter(pk=outbox.pk).update(status=OutboxStatus.FAILED, error=error)
            _mark_errors([(action, error)])
        return ActionStatus.ERROR
    handed_over(outbox)
    with transaction.atomic():
        Outbox.objects.filter(pk=outbox.pk).update(status=OutboxStatus.SENT)
        Action.objects.filter(pk=action.pk).update(
            status=ActionStatus.SENT, finished_on=day, error_message="", updated_at=timezone.now()
        )
    return ActionStatus.SENT


def send_emails(actions: list[Action], day: date) -> dict[int, str]:
    attempts = _attempts([a.pk for a in actions])
    numbers = {a.pk: attempts.get(a.pk, {}).get("last", 0) + 1 for a in actions}
    keys = {pk: f"action-{pk}-{n}" for pk, n in numbers.items()}
    prepared = prepare_emails(actions, day, keys)
    failures = [(p.action, p.error) for p in prepared if p.error]
    if failures:
        _mark_errors(failures)
    outcomes = {action.pk: ActionStatus.ERROR for action, _e in failures}
    ready = [p for p in prepared if not p.error]
    if ready:
        with get_connection() as connection:
            for p in ready:
                pk = p.action.pk
                outcomes[pk] = _send_one(connection, p, keys[pk], numbers[pk], day)
    return outcomes


def actions_execute(*, action_ids: list[int], day: date) -> dict[int, str]:
    """Execute these open actions at `day` through their channel: {action id: status}."""
    actions = list(
        Action.objects.filter(pk__in=action_ids, status__in=OPEN_STATUSES)
        .select_related("customer__entity", "customer__collector", "step__template")
        .prefetch_related("step__cc_users", "step__template__variants")
        .order_by("id")
    )
    outcomes: dict[int, str] = {}
    unconfirmed = {pk for pk, row in _attempts(action_ids).items() if row["sending"]}
    if unconfirmed:  # left by a run that stopped: recorded, never sent again
        outbox_recover(action_ids=sorted(unconfirmed))
        outcomes.update(dict.fromkeys(unconfirmed, ActionStatus.SENT))
    actions = [a for a in actions if a.pk not in unconfirmed]
    emails = [a for a in actions if a.channel == StepChannel.EMAIL]
    connected = [a for a in actions if a.channel in CONNECTOR_CHANNEL]
    others = [(a, "not an automatic channel") for a in actions]
    others = [(a, m) for a, m in others if a.channel not in CONNECTOR_CHANNEL and a not in emails]
    if others:
        _mark_errors(others)
        outcomes.update({a.pk: ActionStatus.ERROR for a, _m in others})
    if emails:
        outcomes.update(send_emails(emails, day))
    if connected:
        outcomes.update(send_through_connectors(connected, day))
    return outcomes
