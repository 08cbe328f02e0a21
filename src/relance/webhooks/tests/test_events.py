"""The domain reports its changes: a daily run's actions and end, emails sent or refused by a
real SMTP server, invoices settled by an import, a customer's reply, a call's outcome."""

from datetime import timedelta

import pytest
from django.utils import timezone

from relance.agenda.models import Action
from relance.agenda.services import action_call_outcome, response_email_record
from relance.delivery.models import Outbox
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d
from relance.ledger.tests.test_importers import ITEM_HEADER, run, write_csv
from relance.webhooks import services
from relance.webhooks.choices import WebhookEvent as E
from relance.webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def delivered(receiver, kind):
    services.deliveries_deliver_due()
    return receiver.events(kind)


def test_a_run_reports_the_actions_it_created_then_its_end(
    scenario_s, acme_daily, receiver, subscribe
):
    subscribe(acme_daily, [E.ACTION_CREATED, E.RUN_FINISHED])
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    run_day(entity=acme_daily, day=d(1, 19))  # a rerun creates nothing, reports nothing new

    action = Action.objects.get(step_name="courtesy")
    [created] = delivered(receiver, "action.created")
    assert created["data"] == {
        "id": action.pk,
        "customer": customer.pk,
        "step_name": "courtesy",
        "channel": "email",
        "mode": action.mode,
        "due_date": action.due_date.isoformat(),
        "status": action.status,
    }
    ends = receiver.events("run.finished")
    assert [end["data"]["created"] for end in ends] == [1, 0]
    assert {end["data"]["day"] for end in ends} == {"2026-01-19"}


def test_a_sent_email_is_reported_with_its_outbox_row(
    scenario_s, acme_daily, smtp, receiver, subscribe
):
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    subscribe(acme_daily, [E.ACTION_SENT, E.ACTION_FAILED])
    run_day(entity=acme_daily, day=d(1, 26))

    assert len(smtp.messages) == 1
    [sent] = delivered(receiver, "action.sent")
    action = Action.objects.get(step_name="courtesy")
    assert sent["data"]["id"] == action.pk and sent["data"]["status"] == "sent"
    assert sent["data"]["outbox"] == Outbox.objects.get(action=action).pk
    assert receiver.events("action.failed") == []


def test_a_sent_sms_is_reported_with_its_outbox_row(
    sms_scenario, acme_daily, provider, receiver, subscribe
):
    """SMS and letters go out through a provider's connector, one message at a time: each
    is reported sent too (here a Twilio-compatible provider on 127.0.0.1)."""
    from relance.delivery.tests.test_sms import SEND_DAY, _customer, _twilio

    _twilio(acme_daily, provider)
    _customer(acme_daily)
    subscribe(acme_daily, [E.ACTION_SENT])
    run_day(entity=acme_daily, day=SEND_DAY)

    action = Action.objects.get(channel="sms")
    assert action.status == "sent" and len(provider.requests) == 1
    [sent] = delivered(receiver, "action.sent")
    assert (sent["data"]["id"], sent["data"]["channel"]) == (action.pk, "sms")
    assert sent["data"]["outbox"] == Outbox.objects.get(action=action).pk


def test_an_email_the_server_refuses_is_reported_failed(
    scenario_s, acme_daily, smtp_refusing, receiver, subscribe
):
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    subscribe(acme_daily, [E.ACTION_SENT, E.ACTION_FAILED])
    run_day(entity=acme_daily, day=d(1, 26))

    [failed] = delivered(receiver, "action.failed")
    assert failed["data"]["status"] == "error"
    assert "550" in failed["data"]["error"]
    assert receiver.events("action.sent") == []


def test_an_import_that_settles_an_invoice_reports_it_once(acme, tmp_path, receiver, subscribe):
    from relance.customers.tests.factories import CustomerFactory

    CustomerFactory(entity=acme, external_id="C001")
    subscribe(acme, [E.ITEM_SETTLED])
    open_row = ["C001", "invoice", "F1", "2026-01-01", "2026-01-31", "100", "100", "EUR"]
    run("items", write_csv(tmp_path / "a.csv", [ITEM_HEADER, open_row]), acme)
    paid_row = [*open_row[:6], "0", "EUR"]
    run("items", write_csv(tmp_path / "b.csv", [ITEM_HEADER, paid_row]), acme)
    run("items", write_csv(tmp_path / "c.csv", [ITEM_HEADER, paid_row]), acme)  # again

    [settled] = delivered(receiver, "item.settled")
    assert settled["data"]["number"] == "F1" and settled["data"]["amount"] == "100.00"
    assert settled["data"]["settled_on"] == acme.today().isoformat()
    assert settled["data"]["source"] == "import"


def test_a_human_reply_is_reported_an_automatic_one_is_not(acme, receiver, subscribe):
    from relance.customers.tests.factories import CustomerFactory

    customer = CustomerFactory(entity=acme)
    subscribe(acme, [E.RESPONSE_RECEIVED])
    common = {"entity": acme, "customer": customer, "received_at": timezone.now()}
    response_email_record(**common, author="a@client.example", body="Paid yesterday")
    response_email_record(
        **common, author="a@client.example", body="Out of office", auto_reply="Auto-Submitted"
    )
    [reply] = delivered(receiver, "response.received")
    assert reply["data"]["text"] == "Paid yesterday" and reply["data"]["channel"] == "email"


def test_a_call_with_a_promise_reports_the_call_done_and_the_promise(
    scenario_s, acme_daily, receiver, subscribe
):
    customer = make_customer(acme_daily)
    invoice = make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=acme_daily, day=d(1, 19))
    action = Action.objects.get(step_name="courtesy")
    subscribe(acme_daily, [E.ACTION_DONE, E.PROMISE_RECORDED])
    promised = d(1, 19) + timedelta(days=5)
    action_call_outcome(action=action, outcome="promise", promise_date=promised, day=d(1, 19))
    services.deliveries_deliver_due()
    assert [e["type"] for e in receiver.events()] == ["action.done", "promise.recorded"]
    promise = receiver.events("promise.recorded")[0]["data"]
    assert promise["items"][0]["number"] == invoice.number and promise["source"] == "call"
    assert Delivery.objects.count() == 2
