"""Emails through a real SMTP server: parts, recipients, attachments, refusals, and a run
killed between the hand-over and the commit."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from relance.agenda.models import Action
from relance.agenda.services import action_retry
from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.delivery.models import Outbox
from relance.delivery.replyto import reply_address
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d
from relance.ledger.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _courtesy_sent(entity, **fields):
    """A customer whose `courtesy` (scenario S) is created 01-19 and sent 01-26."""
    customer = make_customer(entity, **fields)
    invoice = make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    run_day(entity=entity, day=d(1, 19))
    return customer, invoice


def test_the_email_arrives_with_both_parts_recipients_and_attachments(scenario_s, acme_daily, smtp):
    step = scenario_s.steps.get(name="courtesy")
    step.cc_email, step.cc_contact_roles, step.attachments = (
        "copies@acme.example",
        "billing",
        "open_invoices",
    )
    step.save()
    customer, invoice = _courtesy_sent(acme_daily)
    ContactFactory(
        customer=customer, email="billing@client.example", is_collection=False, is_billing=True
    )
    invoice.pdf.save("A1.pdf", ContentFile(b"%PDF-1.4 invoice A1"))
    run_day(entity=acme_daily, day=d(1, 26))

    [message] = smtp.messages
    action = Action.objects.get(step_name="courtesy")
    assert action.status == "sent" and action.finished_on == d(1, 26)
    assert message["To"] == "compta@client.example"
    assert message["Cc"] == "billing@client.example, copies@acme.example"
    assert message["Reply-To"] == reply_address(acme_daily, f"action-{action.pk}-1")
    assert message["Reply-To"].startswith(f"recouvrement+a{action.pk}-1-")
    assert message["Message-ID"] == f"<relance.action-{action.pk}-1@acme.example>"
    assert message["Subject"] == f"Relance {customer.name}"
    assert message.get_body("plain").get_content().strip().startswith("Bonjour, vous devez")
    assert "<p>Bonjour, vous devez" in message.get_body("html").get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "A1.pdf"
    assert attachment.get_content() == b"%PDF-1.4 invoice A1"
    assert sorted(smtp.envelopes[0].rcpt_tos) == sorted(
        ["compta@client.example", "billing@client.example", "copies@acme.example"]
    )
    outbox = Outbox.objects.get()
    assert (outbox.status, outbox.key, outbox.day) == ("sent", f"action-{action.pk}-1", d(1, 26))


def test_overdue_invoices_and_the_statement_as_attachments(scenario_s, acme_daily, smtp):
    step = scenario_s.steps.get(name="first")
    step.attachments = "statement"
    step.save()
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31))
    ItemFactory(customer=customer, kind="credit_note", number="AV1", amount=Decimal("100"))
    run_day(entity=acme_daily, day=d(2, 3))
    statement = [m for m in smtp.messages if list(m.iter_attachments())][-1]
    [attachment] = list(statement.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename().startswith(f"statement-{customer.external_id}-2026-02-03")
    assert attachment.get_content().startswith(b"%PDF")


def test_only_overdue_invoices_are_attached_when_asked(scenario_s, acme_daily, smtp):
    step = scenario_s.steps.get(name="first")
    step.attachments = "overdue_invoices"
    step.save()
    customer = make_customer(acme_daily)
    overdue = make_invoice(customer, "A1", d(1, 31))
    later = make_invoice(customer, "A2", d(3, 31))
    for item in (overdue, later):
        item.pdf.save(f"{item.number}.pdf", ContentFile(b"%PDF-1.4 " + item.number.encode()))
    run_day(entity=acme_daily, day=d(2, 3))
    first = smtp.messages[-1]
    assert [a.get_filename() for a in first.iter_attachments()] == ["A1.pdf"]


def test_a_refused_message_leaves_the_action_in_error_with_the_reason(
    scenario_s, acme_daily, smtp_refusing
):
    _courtesy_sent(acme_daily)
    summary = run_day(entity=acme_daily, day=d(1, 26))
    action = Action.objects.get(step_name="courtesy")
    assert (summary.sent, summary.errors) == (0, 1)
    assert action.status == "error"
    assert action.error_message == "The mail server refused it: 550 mailbox unavailable"
    assert Outbox.objects.get().status == "failed"
    run_day(entity=acme_daily, day=d(1, 27))  # an error stays open, nothing else is created
    assert list(Action.objects.values_list("status", flat=True)) == ["error"]


def test_a_retried_action_is_sent_by_the_next_run_as_a_new_attempt(
    scenario_s, acme_daily, settings
):
    _courtesy_sent(acme_daily, email="")
    run_day(entity=acme_daily, day=d(1, 26))
    action = Action.objects.get()
    assert (action.status, action.error_message) == ("error", "The contact has no email address")
    action.customer.contacts.update(email="fixed@client.example")
    action_retry(action=action)
    run_day(entity=acme_daily, day=d(1, 27))
    action.refresh_from_db()
    assert (action.status, action.finished_on) == ("sent", d(1, 27))


def test_no_collection_contact(scenario_s, acme_daily):
    customer = CustomerFactory(entity=acme_daily)
    ContactFactory(customer=customer, is_collection=False)
    make_invoice(customer, "A1", d(1, 31))
    run_day(entity=acme_daily, day=d(1, 26))
    assert Action.objects.get().error_message == "No collection contact"


def test_sms_and_letters_wait_for_their_connectors(acme_daily, email_template):
    from relance.scenarios.tests.factories import ScenarioFactory

    scenario = ScenarioFactory(steps=[{"name": "sms", "channel": "sms", "offset_days": 3}])
    acme_daily.default_scenario = scenario
    acme_daily.save()
    make_invoice(make_customer(acme_daily), "A1", d(1, 31))
    run_day(entity=acme_daily, day=d(2, 3))
    assert Action.objects.get().error_message == "No SMS connector configured"


class Killed(BaseException):
    """The run dies right after the mail server accepted the message (a BaseException, as
    SystemExit: an Exception would be one customer's failure, recorded and gone past)."""


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_after_the_hand_over_never_sends_twice(
    scenario_s, acme_daily, smtp, monkeypatch
):
    _courtesy_sent(acme_daily)

    def die(outbox):
        raise Killed

    monkeypatch.setattr("relance.delivery.protocol.handed_over", die)
    with pytest.raises(Killed):
        run_day(entity=acme_daily, day=d(1, 26))
    assert len(smtp.messages) == 1
    assert Action.objects.get().status == "planned"  # the commit never happened
    assert Outbox.objects.get().status == "sending"
    monkeypatch.undo()

    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert len(smtp.messages) == 1
    assert summary.recovered == 1
    action = Action.objects.get(step_name="courtesy")
    assert (action.status, action.finished_on) == ("sent", d(1, 26))
    assert "Delivery not confirmed" in action.note
    assert Outbox.objects.get().status == "sent"


def test_example_a_through_a_real_smtp_server(scenario_s, acme_daily, smtp):
    from relance.engine.tests.conftest import replay

    make_invoice(make_customer(acme_daily), "A1", d(1, 31), issue=d(1, 1))
    replay(acme_daily, d(1, 1), d(3, 5))
    assert len(smtp.messages) == 3
    sent = Outbox.objects.order_by("id").values_list("action__step_name", "day", "status")
    assert list(sent) == [
        ("courtesy", d(1, 26), "sent"),
        ("first", d(2, 3), "sent"),
        ("second", d(2, 15), "sent"),
    ]
    notice = Action.objects.get(step_name="notice")
    assert (notice.status, notice.created_on, notice.due_date) == ("planned", d(2, 23), d(3, 2))
