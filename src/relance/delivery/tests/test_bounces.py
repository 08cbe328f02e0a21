"""Bounces (delivery/bounces.py): scenario S's `first` email really sent through the test
SMTP server on 02-03, then its delivery status notification recorded as the inbound app
records it (outbox_bounce_record, source "dsn"): outbox, contact, action, fallback, events.
The entity's calendar is pinned to the replayed days (`clock`), as a real day would be."""

from datetime import date

import pytest
from django.core.management import call_command

from relance.activity.models import CustomerEvent
from relance.agenda.models import Action
from relance.core.models import Entity
from relance.customers.services import contact_email_revalidate
from relance.customers.tests.factories import ContactFactory
from relance.delivery.bounces import EMAIL_BOUNCED, outbox_bounce_record
from relance.delivery.email import INVALID_EMAIL
from relance.delivery.models import Outbox
from relance.delivery.tests.conftest import connector
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db
TO = "compta@client.example"
REASON = "smtp; 550 5.1.1 <compta@client.example>: Recipient address rejected: User unknown"


class Clock:
    """The entity's today, pinned to the day being replayed."""

    def __init__(self, monkeypatch):
        self.day = d(1, 15)
        monkeypatch.setattr(Entity, "today", lambda entity: self.day)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def run(entity, clock, day: date):
    clock.day = day
    return run_day(entity=entity, day=day)


def send_first(entity, clock, **customer):
    """Scenario S for one customer (invoice A1 due 01-31) up to `first`, sent 02-03."""
    customer = make_customer(entity, **customer)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    for day in (d(1, 19), d(1, 26), d(1, 27), d(2, 3)):
        run(entity, clock, day)
    action = Action.objects.get(step_name="first")
    assert action.status == "sent"
    return action


def bounce(action, clock, day=None, bounced=None, source="dsn"):
    clock.day = day or d(2, 4)
    outbox = Outbox.objects.filter(action=action).order_by("-attempt").first()
    outbox_bounce_record(outbox=outbox, bounced=bounced or {TO: REASON}, source=source)


def events(kind: str) -> list[CustomerEvent]:
    return list(CustomerEvent.objects.filter(kind=kind).order_by("id"))


def test_a_bounce_without_fallback_puts_the_action_in_error_once(
    scenario_s, acme_daily, smtp, clock
):
    action = send_first(acme_daily, clock)
    assert [m["To"] for m in smtp.messages] == [TO, TO]  # courtesy, first
    bounce(action, clock)
    outbox = Outbox.objects.get(action=action)
    error = f"the email to {TO} bounced: {REASON}"
    assert (outbox.provider_status, outbox.error) == ("bounced", error)
    assert outbox.proof["bounces"] == {TO: REASON}
    assert outbox.proof["to"] == [TO] and outbox.proof["bounce_source"] == "dsn"
    contact = action.customer.contacts.get()
    assert contact.email_invalid_reason == REASON
    assert contact.email_invalid_at is not None
    action.refresh_from_db()
    assert (action.status, action.finished_on, action.reason) == ("error", None, "")
    assert (action.error_message, action.note) == (EMAIL_BOUNCED, error)
    [event] = events("email_bounced")
    assert (event.action_id, event.day, event.data["address"]) == (action.pk, d(2, 4), TO)
    assert event.describe() == f"The email “first” to {TO} bounced: {REASON}"
    stamps = (outbox.updated_at, action.updated_at, contact.updated_at)
    bounce(action, clock, day=d(2, 5), bounced={TO: "a later, other reason"})
    outbox.refresh_from_db(), action.refresh_from_db(), contact.refresh_from_db()
    assert (outbox.updated_at, action.updated_at, contact.updated_at) == stamps
    assert len(events("email_bounced")) == 1
    assert Action.objects.filter(customer=action.customer).count() == 2  # nothing created


def test_with_a_letter_fallback_the_letter_replaces_the_email_at_once(
    scenario_s, acme_daily, smtp, clock, provider
):
    scenario_s.steps.filter(name="first").update(fallback_channel="letter")
    connector(acme_daily, "letter", "print_mail", url=provider.url, api_key="k")
    action = send_first(acme_daily, clock)
    bounce(action, clock)
    action.refresh_from_db()
    assert (action.status, action.reason, action.finished_on) == ("cancelled", "bounced", d(2, 4))
    assert action.error_message == EMAIL_BOUNCED
    assert action.note == f"the email to {TO} bounced: {REASON}"
    fallback = Action.objects.get(planned_by="fallback")
    assert (fallback.channel, fallback.mode, fallback.status) == ("letter", "auto", "planned")
    assert (fallback.created_on, fallback.due_date) == (d(2, 4), d(2, 4))
    assert (fallback.step_id, fallback.step_position, fallback.step_name) == (
        action.step_id,
        action.step_position,
        "first",
    )
    assert (fallback.reference_id, fallback.responsible_id) == (
        action.reference_id,
        action.responsible_id,
    )
    assert fallback.note == f"fallback of the bounced email to {TO}"
    [event] = events("fallback_created")
    assert event.action_id == fallback.pk
    assert event.describe() == f"“first” by Letter instead: the email to {TO} bounced"
    bounce(action, clock, day=d(2, 4))  # the same DSN fetched twice
    assert Action.objects.filter(planned_by="fallback").count() == 1
    # The next run keeps the letter (a channel other than the step's is no reason to
    # cancel), posts it, and sends no email again.
    summary = run(acme_daily, clock, d(2, 5))
    fallback.refresh_from_db()
    assert (fallback.status, fallback.finished_on) == ("sent", d(2, 5))
    assert (summary.sent, summary.created, sum(summary.cancelled.values())) == (1, 0, 0)
    [(_method, path, _headers, data)] = provider.requests
    assert path == "/letters" and data["file"].startswith(b"%PDF")
    assert len(smtp.messages) == 2
    # The cycle goes on from the letter: `second` is planned by the previous step's date.
    run(acme_daily, clock, d(2, 8))
    second = Action.objects.get(step_name="second")
    assert (second.status, second.due_date) == ("planned", d(2, 15))


def test_a_fallback_waiting_for_confirmation(scenario_s, acme_daily, smtp, clock):
    scenario_s.steps.filter(name="first").update(fallback_channel="sms", mode="auto_confirm")
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    for day in (d(1, 19), d(1, 26), d(1, 27)):
        run(acme_daily, clock, day)
    Action.objects.filter(step_name="first").update(status="confirmed")
    run(acme_daily, clock, d(2, 3))
    action = Action.objects.get(step_name="first", channel="email")
    bounce(action, clock)
    fallback = Action.objects.get(planned_by="fallback")
    assert (fallback.channel, fallback.mode, fallback.status) == (
        "sms",
        "auto_confirm",
        "to_confirm",
    )


def test_a_bounce_after_the_cycle_moved_on_keeps_the_action_sent(
    scenario_s, acme_daily, smtp, clock
):
    scenario_s.steps.filter(name="first").update(fallback_channel="letter", mode="auto")
    action = send_first(acme_daily, clock)
    run(acme_daily, clock, d(2, 8))  # `second` (due 02-15) is open
    bounce(action, clock, day=d(2, 9))
    action.refresh_from_db()
    assert (action.status, action.error_message) == ("sent", EMAIL_BOUNCED)
    assert action.note.startswith(f"the email to {TO} bounced: ")
    assert not Action.objects.filter(planned_by="fallback").exists()
    assert Action.objects.get(step_name="second").status == "planned"
    assert action.customer.contacts.get().email_invalid_at is not None


def test_one_of_two_addresses_bouncing_leaves_the_action_sent(scenario_s, acme_daily, smtp, clock):
    customer = make_customer(acme_daily)
    ContactFactory(customer=customer, email="dg@client.example", is_collection=True)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    for day in (d(1, 19), d(1, 26), d(1, 27), d(2, 3)):
        run(acme_daily, clock, day)
    action = Action.objects.get(step_name="first")
    bounce(action, clock)
    action.refresh_from_db()
    assert (action.status, action.error_message) == ("sent", "")
    assert action.note == f"{TO} bounced: {REASON}"
    assert Outbox.objects.get(action=action).provider_status == ""
    invalid = customer.contacts.filter(email_invalid_at__isnull=False)
    assert [c.email for c in invalid] == [TO]
    # The next email goes to the address that works, only.
    run(acme_daily, clock, d(2, 15))
    assert smtp.messages[-1]["To"] == "dg@client.example"


def test_a_copy_that_bounces_marks_its_contact_only(scenario_s, acme_daily, smtp, clock):
    scenario_s.steps.update(cc_contact_roles="billing")
    customer = make_customer(acme_daily)
    ContactFactory(
        customer=customer, email="factures@client.example", is_collection=False, is_billing=True
    )
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    for day in (d(1, 19), d(1, 26), d(1, 27), d(2, 3)):
        run(acme_daily, clock, day)
    action = Action.objects.get(step_name="first")
    assert smtp.messages[-1]["Cc"] == "factures@client.example"
    bounce(action, clock, bounced={"factures@client.example": "552 mailbox full"})
    action.refresh_from_db()
    assert (action.status, action.error_message, action.note) == ("sent", "", "")
    assert customer.contacts.get(is_billing=True).email_invalid_reason == "552 mailbox full"
    run(acme_daily, clock, d(2, 15))
    assert "Cc" not in smtp.messages[-1]


def test_no_email_to_an_invalid_address_and_revalidation(scenario_s, acme_daily, smtp, clock):
    action = send_first(acme_daily, clock)
    bounce(action, clock)
    Action.objects.filter(pk=action.pk).update(status="sent", finished_on=d(2, 3))  # moved on
    run(acme_daily, clock, d(2, 15))
    second = Action.objects.get(step_name="second")
    assert (second.status, second.error_message) == ("error", INVALID_EMAIL.format(reason=REASON))
    assert len(smtp.messages) == 2
    contact = contact_email_revalidate(contact=action.customer.contacts.get())
    assert (contact.email_invalid_reason, contact.email_invalid_at) == ("", None)
    assert events("contact_changed")[-1].data["fields"] == ["email_invalid_at"]
    from relance.agenda.services import action_retry

    action_retry(action=second)
    run(acme_daily, clock, d(2, 16))
    second.refresh_from_db()
    assert second.status == "sent"
    assert smtp.messages[-1]["To"] == TO


def test_an_invalid_address_at_sending_falls_back_too(
    scenario_s, acme_daily, smtp, clock, tmp_path
):
    scenario_s.steps.filter(name="second").update(fallback_channel="letter", mode="auto")
    connector(acme_daily, "letter", "console", path=str(tmp_path))
    action = send_first(acme_daily, clock)
    bounce(action, clock)
    Action.objects.filter(pk=action.pk).update(status="sent", finished_on=d(2, 3))
    run(acme_daily, clock, d(2, 15))
    second = Action.objects.get(step_name="second", channel="email")
    assert (second.status, second.reason) == ("cancelled", "bounced")
    assert second.error_message.startswith("The contact's email address is invalid: smtp; 550")
    fallback = Action.objects.get(planned_by="fallback")
    assert (fallback.channel, fallback.due_date, fallback.status) == ("letter", d(2, 15), "planned")
    assert fallback.note == f"fallback of the bounced email to {TO}"
    assert len(smtp.messages) == 2


def test_the_fallback_through_relance_run(scenario_s, acme_daily, smtp, clock, tmp_path):
    """The lead's check, with the command: the run after the bounce posts the letter and
    leaves the email alone; the runs after it change nothing for that step."""
    scenario_s.steps.filter(name="first").update(fallback_channel="letter")
    connector(acme_daily, "letter", "console", path=str(tmp_path))
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))

    def relance_run(day: date) -> None:
        clock.day = day
        call_command("run", "--date", day.isoformat(), "--entity", acme_daily.slug)

    for day in (d(1, 19), d(1, 26), d(1, 27), d(2, 3)):
        relance_run(day)
    email = Action.objects.get(step_name="first")
    bounce(email, clock)
    relance_run(d(2, 4))  # the same day the DSN came: the letter leaves
    relance_run(d(2, 5))
    rows = Action.objects.filter(step_name="first").order_by("id")
    assert [(a.channel, a.status, a.reason, a.finished_on) for a in rows] == [
        ("email", "cancelled", "bounced", d(2, 4)),
        ("letter", "sent", "", d(2, 4)),
    ]
    letter = Outbox.objects.get(channel="letter")
    assert letter.day == d(2, 4) and letter.status == "sent"
    assert len(smtp.messages) == 2
    assert (tmp_path / f"{letter.key}.pdf").read_bytes().startswith(b"%PDF")


def test_a_forward_that_bounces_further_on_is_the_messages_bounce(
    scenario_s, acme_daily, smtp, clock
):
    action = send_first(acme_daily, clock)
    bounce(action, clock, bounced={"claire@new-owner.example": "5.1.1 user unknown"})
    outbox = Outbox.objects.get(action=action)
    assert outbox.proof["bounces"] == {TO: "claire@new-owner.example: 5.1.1 user unknown"}
    action.refresh_from_db()
    assert (action.status, action.error_message) == ("error", EMAIL_BOUNCED)
    assert action.customer.contacts.get().email_invalid_at is not None


def test_an_sms_fallback_sends_the_emails_subject_and_first_lines(
    scenario_s, acme_daily, smtp, clock, provider
):
    scenario_s.steps.filter(name="first").update(fallback_channel="sms")
    connector(
        acme_daily,
        "sms",
        "twilio",
        url=provider.url,
        account_sid="AC1",
        auth_token="t",
        sender="+33700000000",
    )
    action = send_first(acme_daily, clock)
    action.customer.contacts.update(mobile="06 12 34 56 78")
    bounce(action, clock)
    run(acme_daily, clock, d(2, 5))
    fallback = Action.objects.get(planned_by="fallback")
    assert (fallback.channel, fallback.status, fallback.finished_on) == ("sms", "sent", d(2, 5))
    [(_method, _path, _headers, data)] = provider.requests
    assert data["To"] == "+33612345678"
    customer = action.customer.name
    assert data["Body"] == f"Relance {customer}: Bonjour, vous devez 1 000,00 €."


def test_a_long_email_becomes_two_sms_segments_at_most():
    from types import SimpleNamespace

    from relance.delivery.connectors import SMS_FROM_EMAIL, _fallback_content

    email = SimpleNamespace(subject="Invoice A1", text="Hello,\n\n" + "word " * 200 + "\n\nBye")
    text = _fallback_content(email, is_sms=True)
    assert len(text) <= SMS_FROM_EMAIL
    assert text.startswith("Invoice A1: Hello, word word") and text.endswith("...")


def test_an_electronic_registered_letter_skips_a_bounced_address(acme_daily, provider, clock):
    from django.utils import timezone

    from relance.customers.tests.factories import CustomerFactory
    from relance.delivery.tests.conftest import one_step_scenario

    one_step_scenario(acme_daily, "e_registered_letter")
    connector(acme_daily, "e_registered_letter", "ereg", url=provider.url, sender="Acme")
    customer = CustomerFactory(entity=acme_daily)
    ContactFactory(customer=customer, email="old@client.example", email_invalid_at=timezone.now())
    ContactFactory(customer=customer, email="legal@client.example")
    make_invoice(customer, "A1", d(1, 31))
    run(acme_daily, clock, d(2, 3))
    [record] = provider.messages
    assert record["data"]["to"] == "legal@client.example"
    customer.contacts.update(email_invalid_at=timezone.now(), email_invalid_reason="r")
    action = Action.objects.get()
    Action.objects.filter(pk=action.pk).update(status="error", finished_on=None)
    from relance.agenda.services import action_retry

    action_retry(action=action)
    run(acme_daily, clock, d(2, 4))
    action.refresh_from_db()
    assert (action.status, action.error_message) == ("error", INVALID_EMAIL.format(reason="r"))
    assert len(provider.messages) == 1
