"""A user's skip or completion and a send of the same action never both happen: the outbox
row is begun under the action's lock and only while it is open, and an action whose message
is between hand-over and record cannot be finished by hand. The interleavings are made by
running the other request's real service at the worst moment."""

import pytest
from django.core.exceptions import ValidationError

from relance.agenda import services as agenda
from relance.agenda.choices import ActionReason
from relance.delivery import connectors, protocol
from relance.delivery import services as delivery
from relance.delivery.models import Outbox
from relance.delivery.tests.test_manual import _action, _sms_customer, _twilio
from relance.engine.tests.conftest import make_customer

pytestmark = pytest.mark.django_db


def _skipped_after_reading(monkeypatch, module, name: str, action, user) -> None:
    """`module.name` (the step that reads and renders the message) followed by the user's
    skip, committed before the send goes on."""
    read = getattr(module, name)

    def read_then_skip(*args, **kwargs):
        prepared = read(*args, **kwargs)
        agenda.action_skip(action=action, acting_user=user)
        return prepared

    monkeypatch.setattr(module, name, read_then_skip)


def test_an_email_skipped_while_it_was_prepared_does_not_leave(
    bob, manual_email, acme_daily, smtp, monkeypatch
):
    action = _action(manual_email, make_customer(acme_daily))
    _skipped_after_reading(monkeypatch, delivery, "prepare_emails", action, bob)

    with pytest.raises(ValidationError, match="This action is skipped: it cannot be sent"):
        delivery.action_send_edited(action=action, acting_user=bob, subject="Hi", body="<p>Hi</p>")

    assert smtp.messages == [] and not Outbox.objects.exists()
    action.refresh_from_db()
    assert (action.status, action.reason) == ("skipped", ActionReason.BY_USER)


def test_an_sms_skipped_while_it_was_prepared_does_not_leave(
    bob, manual_sms, acme_daily, provider, monkeypatch
):
    _twilio(acme_daily, provider)
    action = _action(manual_sms, _sms_customer(acme_daily))
    _skipped_after_reading(monkeypatch, connectors, "prepare", action, bob)

    outcomes = delivery.actions_execute(action_ids=[action.pk], day=acme_daily.today())

    assert outcomes == {action.pk: "skipped"}
    assert provider.requests == [] and not Outbox.objects.exists()


def test_an_action_whose_message_is_being_sent_cannot_be_finished_by_hand(
    bob, manual_email, acme_daily
):
    action = _action(manual_email, make_customer(acme_daily))
    today = acme_daily.today()
    begun = protocol.outbox_begin(action, attempt=1, key="action-x-1", channel="email", day=today)
    assert begun is not None and begun.status == "sending"

    attempts = [
        lambda: agenda.action_skip(action=action, acting_user=bob),
        lambda: agenda.action_done(action=action, acting_user=bob),
        lambda: agenda.action_reschedule(action=action, acting_user=bob, due_date=today),
        lambda: agenda.action_call_outcome(action=action, acting_user=bob, outcome="reached"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="A message of this action is being sent"):
            attempt()
    action.refresh_from_db()
    assert (action.status, action.finished_on) == ("planned", None)

    Outbox.objects.filter(pk=begun.pk).update(status="failed")  # the send ended: free again
    assert agenda.action_skip(action=action, acting_user=bob).status == "skipped"


def test_no_outbox_row_is_begun_for_a_finished_action(bob, manual_email, acme_daily):
    action = _action(manual_email, make_customer(acme_daily))
    agenda.action_done(action=action, acting_user=bob)
    begun = protocol.outbox_begin(
        action, attempt=1, key="action-y-1", channel="email", day=acme_daily.today()
    )
    assert begun is None and not Outbox.objects.exists()
