"""A message a user sends from its action's page leaves an event saying who sent it, written
with the outbox row marked sent; a message that did not leave leaves none."""

import pytest
from django.core.exceptions import ValidationError

from relance.activity.models import CustomerEvent
from relance.delivery.models import Outbox
from relance.delivery.services import action_send_edited
from relance.delivery.tests.test_manual import _action, _sms_customer, _twilio
from relance.engine.tests.conftest import make_customer

pytestmark = pytest.mark.django_db


def test_an_email_sent_by_hand_names_its_sender(bob, manual_email, acme_daily, mailoutbox):
    action = _action(manual_email, make_customer(acme_daily))
    action_send_edited(action=action, acting_user=bob, subject="About F1", body="<p>Hi</p>")
    assert len(mailoutbox) == 1
    [event] = CustomerEvent.objects.all()
    outbox = Outbox.objects.get()
    assert (event.kind, event.user, event.action_id) == ("message_sent_by_user", bob, action.pk)
    assert event.customer_id == action.customer_id
    assert (event.data["subject"], event.data["outbox"]) == ("About F1", outbox.pk)


def test_an_sms_sent_by_hand_names_its_sender(bob, manual_sms, acme_daily, provider):
    _twilio(acme_daily, provider)
    action = _action(manual_sms, _sms_customer(acme_daily))
    action_send_edited(action=action, acting_user=bob, body="Please call us back.")
    [event] = CustomerEvent.objects.all()
    assert (event.kind, event.user, event.data["channel"]) == ("message_sent_by_user", bob, "sms")
    assert event.data["outbox"] == Outbox.objects.get(status="sent").pk


def test_a_message_that_did_not_leave_writes_no_event(bob, manual_sms, acme_daily, provider):
    action = _action(manual_sms, _sms_customer(acme_daily))  # no SMS connector
    with pytest.raises(ValidationError, match="not sent"):
        action_send_edited(action=action, acting_user=bob, body="Please call us back.")
    assert not CustomerEvent.objects.exists()
