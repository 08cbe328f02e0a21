"""What users do with actions: confirm, do, skip, retry. The engine plans and sends; these
services are the agenda's (used by the UI in M1.4)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relance.agenda.choices import OPEN_STATUSES, ActionReason, ActionStatus
from relance.agenda.models import Action
from relance.scenarios.choices import StepMode


def _locked(action: Action) -> Action:
    return Action.objects.select_for_update().select_related("entity").get(pk=action.pk)


def _require(action: Action, statuses, verb: str) -> None:
    if action.status not in statuses:
        raise ValidationError(
            _("This action is %(status)s: it cannot be %(verb)s.")
            % {"status": action.get_status_display().lower(), "verb": verb}
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
    return _save(action, "status")


@transaction.atomic
def action_done(*, action: Action, acting_user=None, day: date | None = None, note="") -> Action:
    """A user did the action (a call, a letter): finished on `day` (the entity's today)."""
    action = _locked(action)
    _require(action, OPEN_STATUSES, _("done"))
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
    _require(action, OPEN_STATUSES, _("skipped"))
    action.status = ActionStatus.SKIPPED
    action.reason = ActionReason.BY_USER
    action.finished_on = day or action.entity.today()
    if note:
        action.note = f"{action.note}\n{note}".strip()
    return _save(action, "status", "reason", "finished_on", "note")


@transaction.atomic
def action_retry(*, action: Action, acting_user=None) -> Action:
    """An action in error put back in line: the next run executes it again (a new outbox
    attempt, so that a refused message is never confused with a sent one)."""
    action = _locked(action)
    _require(action, {ActionStatus.ERROR}, _("retried"))
    confirmed = action.mode == StepMode.AUTO_CONFIRM
    action.status = ActionStatus.CONFIRMED if confirmed else ActionStatus.PLANNED
    action.error_message = ""
    return _save(action, "status", "error_message")
