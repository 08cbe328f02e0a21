"""The providers' status callbacks: CSRF-exempt, anonymous, authenticated by the
connector's token; delivered is recorded, failed puts the action back in error."""

import pytest
from django.urls import reverse

from relance.agenda.models import Action
from relance.delivery.models import Outbox
from relance.delivery.tests.conftest import connector, one_step_scenario
from relance.delivery.tests.test_sms import SEND_DAY, _customer, _twilio
from relance.engine.runner import run_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_sms(acme_daily, provider):
    one_step_scenario(acme_daily, "sms")
    sms = _twilio(acme_daily, provider)
    _customer(acme_daily)
    run_day(entity=acme_daily, day=SEND_DAY)
    return sms


def _url(sms, token=None):
    return reverse("delivery:callback", args=[sms.pk, token or sms.callback_token])


def test_delivered(sent_sms, client):
    client.handler.enforce_csrf_checks = True
    answer = client.post(_url(sent_sms), {"MessageSid": "SM1", "MessageStatus": "delivered"})
    assert answer.status_code == 204
    assert Outbox.objects.get().provider_status == "delivered"
    assert Action.objects.get(channel="sms").status == "sent"


def test_failed_with_a_reason(sent_sms, client):
    answer = client.post(
        _url(sent_sms),
        {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorMessage": "unknown handset"},
    )
    assert answer.status_code == 204
    action = Action.objects.get(channel="sms")
    assert (action.status, action.error_message) == (
        "error",
        "The provider could not deliver it: unknown handset",
    )


def test_failure_after_the_cycle_moved_on_keeps_the_action_sent(sent_sms, client):
    sms = Action.objects.get(channel="sms")
    Action.objects.create(
        entity=sms.entity,
        customer=sms.customer,
        scenario=sms.scenario,
        step_position=sms.step_position + 1,
        step_name="next",
        channel="call",
        mode="manual",
        reference=sms.reference,
        created_on=sms.finished_on,
        due_date=sms.finished_on,
    )
    client.post(_url(sent_sms), {"MessageSid": "SM1", "MessageStatus": "failed"})
    sms.refresh_from_db()
    # One open action per customer: the next step stays, the SMS keeps its error in history.
    assert (sms.status, sms.error_message) == ("sent", "The provider could not deliver it: failed")
    assert sms.finished_on is not None
    assert Action.objects.filter(customer=sms.customer, finished_on__isnull=True).count() == 1


def test_json_callback_with_proof(acme_daily, provider, client):
    one_step_scenario(acme_daily, "e_registered_letter")
    ereg = connector(acme_daily, "e_registered_letter", "ereg", url=provider.url)
    from relance.delivery.tests.test_letters import _customer as letter_customer

    letter_customer(acme_daily, email="legal@client.example")
    run_day(entity=acme_daily, day=SEND_DAY)
    answer = client.post(
        _url(ereg),
        {"id": "MSG1", "status": "signed", "proof": {"signed_at": "2026-02-04T10:00:00Z"}},
        content_type="application/json",
    )
    assert answer.status_code == 204
    outbox = Outbox.objects.get()
    assert outbox.provider_status == "signed"
    assert outbox.proof["signed_at"] == "2026-02-04T10:00:00Z"
    assert outbox.proof["receipt"] == "deposit-1"


def test_a_wrong_token_is_not_found(sent_sms, client):
    answer = client.post(_url(sent_sms, "wrong"), {"MessageSid": "SM1", "MessageStatus": "failed"})
    assert answer.status_code == 404
    assert Outbox.objects.get().provider_status == "accepted"


def test_unknown_message_and_missing_fields(sent_sms, client):
    assert (
        client.post(_url(sent_sms), {"MessageSid": "SM9", "MessageStatus": "x"}).status_code == 404
    )
    assert client.post(_url(sent_sms), {"MessageSid": "SM1"}).status_code == 400
    assert client.get(_url(sent_sms)).status_code == 405


def test_connectors_are_edited_in_the_admin(admin_client, acme_daily):
    answer = admin_client.post(
        reverse("admin:delivery_connector_add"),
        {
            "entity": acme_daily.pk,
            "channel": "letter",
            "kind": "print_mail",
            "settings": '{"url": "https://print.example", "api_key": "k"}',
            "is_active": "on",
        },
    )
    assert answer.status_code == 302
    from relance.delivery.models import Connector

    letters = Connector.objects.get()
    assert letters.settings["url"] == "https://print.example"
    assert len(letters.callback_token) > 30
    assert admin_client.get(reverse("admin:delivery_connector_changelist")).status_code == 200


def test_late_news_about_a_superseded_attempt_leaves_the_action_alone(sent_sms, client):
    from relance.agenda.services import action_retry
    from relance.engine.tests.simulation import d

    url = _url(sent_sms)
    client.post(url, {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorMessage": "busy"})
    action = Action.objects.get(channel="sms")
    action_retry(action=action)
    run_day(entity=action.entity, day=d(2, 4))
    action.refresh_from_db()
    assert action.status == "sent"
    assert Outbox.objects.get(attempt=2).provider_id == "SM2"
    client.post(url, {"MessageSid": "SM1", "MessageStatus": "undelivered"})
    action.refresh_from_db()
    assert action.status == "sent"
    assert Outbox.objects.get(attempt=1).provider_status == "undelivered"
