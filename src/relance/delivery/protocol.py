"""The steps of the outbox protocol that every channel shares (emails in batches:
delivery/services.py; SMS and letters one by one: delivery/connectors.py): a row begun
under the action's lock, the seam right after a hand-over, errors recorded. Both modules
import this one, and neither imports the other's internals."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from relance.agenda.choices import OPEN_STATUSES, ActionStatus
from relance.agenda.models import Action
from relance.delivery.models import Outbox
from relance.scenarios.choices import StepChannel
from relance.webhooks import events as webhook_events

NO_CONNECTOR = {
    StepChannel.SMS: gettext_noop("No SMS connector configured"),
    StepChannel.LETTER: gettext_noop("No letter connector configured"),
    StepChannel.REGISTERED_LETTER: gettext_noop("No registered letter connector configured"),
    StepChannel.E_REGISTERED_LETTER: gettext_noop(
        "No electronic registered letter connector configured"
    ),
}
NOT_AUTOMATIC = gettext_noop("Not an automatic channel")


def handed_over(outbox: Outbox) -> None:
    """Called right after the provider accepted a message, before it is recorded: a seam
    for the tests that kill a run at the worst moment."""


def mark_errors(failures: list[tuple[Action, str]]) -> None:
    """These actions in `error` with their reason, in bulk; webhooks told."""
    now = timezone.now()
    for action, message in failures:
        action.status, action.error_message, action.updated_at = ActionStatus.ERROR, message, now
    Action.objects.bulk_update(
        [action for action, _m in failures], ["status", "error_message", "updated_at"]
    )
    webhook_events.actions_failed(failures)


def outbox_begin(action: Action, **fields) -> Outbox | None:
    """Commit this attempt's outbox row `sending`, under the action's row lock and only if
    the action is still open; None if a user finished it since it was read (skipped, done):
    then nothing leaves. Once the row is committed, the agenda refuses to finish the action
    until the message is recorded (agenda/services.py), so a skip never races a send."""
    with transaction.atomic():
        still_open = Action.objects.select_for_update().filter(
            pk=action.pk, status__in=OPEN_STATUSES
        )
        if not list(still_open.values_list("pk", flat=True)):
            return None
        return Outbox.objects.create(action=action, **fields)


def current_status(action: Action) -> str:
    return Action.objects.filter(pk=action.pk).values_list("status", flat=True).get()
