"""What users do with actions: confirm, do, skip, retry. The engine plans and sends; these
services are the agenda's (used by the UI in M1.4). Each writes its event for the customer
timeline, with the acting user, in its own transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relance.activity.choices import EventKind
from relance.activity.services import action_event_record, action_events_record, user_name
from relance.agenda.choices import (
    OPEN_STATUSES,
    ActionReason,
    ActionStatus,
    CallOutcome,
    PlannedBy,
)
from relance.agenda.models import Action
from relance.ledger.models import Item
from relance.scenarios.choices import StepMode


def _locked(action: Action) -> Action:
    return Action.objects.select_for_update().select_related("entity").get(pk=action.pk)


def _require(action: Action, statuses, verb: str) -> None:
    if action.status not in statuses:
        raise ValidationError(
            _("This action is %(status)s: it cannot be %(verb)s.")
            % {"status": action.get_status_display().lower(), "verb": verb}
        )


def _require_open(action: Action, verb: str) -> None:
    """Open, and no message of it between hand-over and record: delivery commits its
    outbox row under this same row lock (delivery.services.outbox_begin), so a user's
    change never races a send."""
    from relance.delivery.choices import OutboxStatus

    _require(action, OPEN_STATUSES, verb)
    if action.outbox.filter(status=OutboxStatus.SENDING).exists():
        raise ValidationError(
            _(
                "A message of this action is being sent: it cannot be %(verb)s now. "
                "Reload the page in a moment to see it recorded."
            )
            % {"verb": verb}
        )


def _save(action: Action, *fields: str) -> Action:
    action.updated_at = timezone.now()
    action.save(update_fields=[*fields, "updated_at"])
    return action


@transaction.atomic
def action_confirm(*, action: Action, acting_user=None) -> Action:
    """An `auto_confirm` action approved: the engine sends it once due."""
    action = _locked(action)
    _require(action, {ActionStatus.TO_CONFIRM}, _("confirmed"))
    action.status = ActionStatus.CONFIRMED
    action_event_record(action=action, kind=EventKind.ACTION_CONFIRMED, acting_user=acting_user)
    return _save(action, "status")


@transaction.atomic
def action_done(*, action: Action, acting_user=None, day: date | None = None, note="") -> Action:
    """A user did the action (a call, a letter): finished on `day` (the entity's today)."""
    action = _finish_done(_locked(action), day=day, note=note)
    action_event_record(
        action=action,
        kind=EventKind.ACTION_DONE,
        acting_user=acting_user,
        day=day,
        **_noted(note),
    )
    return action


def _noted(note: str) -> dict:
    return {"note": note.strip()} if note and note.strip() else {}


def _finish_done(action: Action, *, day: date | None, note: str) -> Action:
    _require_open(action, _("done"))
    action.status = ActionStatus.DONE
    action.finished_on = day or action.entity.today()
    action.error_message = ""
    if note:
        action.note = f"{action.note}\n{note}".strip()
    return _save(action, "status", "finished_on", "error_message", "note")


@transaction.atomic
def action_skip(*, action: Action, acting_user=None, day: date | None = None, note="") -> Action:
    """A user skipped the step: it counts as finished, the cycle moves on."""
    action = _locked(action)
    _require_open(action, _("skipped"))
    action.status = ActionStatus.SKIPPED
    action.reason = ActionReason.BY_USER
    action.finished_on = day or action.entity.today()
    if note:
        action.note = f"{action.note}\n{note}".strip()
    action_event_record(
        action=action,
        kind=EventKind.ACTION_SKIPPED,
        acting_user=acting_user,
        day=day,
        **_noted(note),
    )
    return _save(action, "status", "reason", "finished_on", "note")


@transaction.atomic
def action_retry(*, action: Action, acting_user=None) -> Action:
    """An action in error put back in line: the next run executes it again (a new outbox
    attempt, so that a refused message is never confused with a sent one)."""
    action = _locked(action)
    _require(action, {ActionStatus.ERROR}, _("retried"))
    confirmed = action.mode == StepMode.AUTO_CONFIRM
    action_event_record(
        action=action,
        kind=EventKind.ACTION_RETRIED,
        acting_user=acting_user,
        error=action.error_message[:200],
    )
    action.status = ActionStatus.CONFIRMED if confirmed else ActionStatus.PLANNED
    action.error_message = ""
    return _save(action, "status", "error_message")


@transaction.atomic
def action_confirm_many(*, actions, acting_user=None, day: date | None = None) -> list[Action]:
    """Every action of `actions` (a queryset, already scoped to the user) that waits for a
    confirmation, confirmed at once; the others are left as they are. Answers the confirmed.
    `day`: the entity's calendar day it happened (today; the demo replays past days)."""
    locked = list(
        Action.objects.select_for_update()
        .filter(pk__in=actions.values("pk"), status=ActionStatus.TO_CONFIRM)
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("None of the selected actions waits for a confirmation."))
    now = timezone.now()
    for action in locked:
        action.status = ActionStatus.CONFIRMED
        action.updated_at = now
    Action.objects.bulk_update(locked, ["status", "updated_at"])
    action_events_record(
        actions=locked, kind=EventKind.ACTION_CONFIRMED, acting_user=acting_user, day=day
    )
    return locked


@transaction.atomic
def action_reschedule(*, action: Action, acting_user=None, due_date: date, note="") -> Action:
    """An open action moved to `due_date` (today or later in the entity's calendar)."""
    action = _locked(action)
    _require_open(action, _("rescheduled"))
    if due_date is None:
        raise ValidationError({"due_date": _("Choose a date.")})
    if due_date < action.entity.today():
        raise ValidationError({"due_date": _("The new date cannot be in the past.")})
    action_event_record(
        action=action,
        kind=EventKind.ACTION_RESCHEDULED,
        acting_user=acting_user,
        **{"from": action.due_date.isoformat(), "to": due_date.isoformat()},
        **_noted(note),
    )
    action.due_date = due_date
    action.planned_by = PlannedBy.USER
    if note:
        action.note = f"{action.note}\n{note}".strip()
    return _save(action, "due_date", "planned_by", "note")


def user_sees_entity(user, entity) -> bool:
    if not user.is_active:
        return False
    return user.sees_all_entities or user.entities.filter(pk=entity.pk).exists()


@transaction.atomic
def action_reassign(*, action: Action, acting_user=None, responsible) -> Action:
    """An open action given to `responsible`, who must see the action's entity."""
    action = _locked(action)
    _require_open(action, _("reassigned"))
    if responsible is None or not user_sees_entity(responsible, action.entity):
        raise ValidationError(
            {"responsible": _("This user does not see the entity of this action.")}
        )
    action_event_record(
        action=action,
        kind=EventKind.ACTION_REASSIGNED,
        acting_user=acting_user,
        **{"from": user_name(action.responsible), "to": user_name(responsible)},
        to_id=responsible.pk,
    )
    action.responsible = responsible
    return _save(action, "responsible")


def _outcome_note(outcome: str, *, promise_date=None, dispute_reason="", note="") -> str:
    label = CallOutcome(outcome).label
    if outcome == CallOutcome.PROMISE:
        label = f"{label} ({promise_date.isoformat()})"
    elif outcome == CallOutcome.DISPUTE:
        label = f"{label}: {dispute_reason}"
    return f"{label}. {note}".strip() if note else str(label)


@transaction.atomic
def action_call_outcome(
    *,
    action: Action,
    acting_user=None,
    outcome: str,
    promise_date: date | None = None,
    dispute_reason: str = "",
    note: str = "",
    day: date | None = None,
) -> Action:
    """A call's result recorded: a promise sets the reference invoice's promised date (the
    planner then leaves it alone until promise + grace), a dispute marks it disputed on the
    entity's today (or `day`); either way the call is done that day, its outcome in the note."""
    action = _locked(action)
    _require_open(action, _("done"))
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the call.")})
    today = day or action.entity.today()
    reference = Item.objects.select_for_update().get(pk=action.reference_id)
    if outcome == CallOutcome.PROMISE:
        if promise_date is None:
            raise ValidationError({"promise_date": _("A promise needs a date.")})
        if promise_date < today:
            raise ValidationError({"promise_date": _("The promised date cannot be in the past.")})
        reference.promise_date = promise_date
        reference.save(update_fields=["promise_date", "updated_at"])
    elif outcome == CallOutcome.DISPUTE:
        dispute_reason = dispute_reason.strip()
        if not dispute_reason:
            raise ValidationError({"dispute_reason": _("A dispute needs a reason.")})
        reference.disputed = True
        reference.dispute_reason = dispute_reason[:200]
        reference.dispute_date = today
        reference.save(update_fields=["disputed", "dispute_reason", "dispute_date", "updated_at"])
    text = _outcome_note(
        outcome, promise_date=promise_date, dispute_reason=dispute_reason, note=note.strip()
    )
    action = _finish_done(action, day=today, note=text)
    details = {"outcome": outcome, "reference": reference.number, **_noted(note)}
    if outcome == CallOutcome.PROMISE:
        details["promise_date"] = promise_date.isoformat()
    elif outcome == CallOutcome.DISPUTE:
        details["dispute_reason"] = reference.dispute_reason
    action_event_record(
        action=action, kind=EventKind.CALL_OUTCOME, acting_user=acting_user, day=today, **details
    )
    return action
