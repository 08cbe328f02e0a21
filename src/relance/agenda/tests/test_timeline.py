"""The customer timeline: messages with their content as sent and payments among the
actions, disputes and promises, and the events of the audit trail with who did them, newest
first, in a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from relance.accounts.tests.factories import UserFactory
from relance.activity.models import CustomerEvent
from relance.activity.tests.factories import CustomerEventFactory
from relance.agenda.models import Action
from relance.agenda.selectors import customer_timeline
from relance.agenda.services import action_reassign, action_reschedule
from relance.delivery.models import Outbox
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import ScenarioFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
IMPORT_DATA = {"import": "items", "file": "items.csv", "added": {"invoice": 2}}


def _sent_email(customer, day, attempt_status="sent", *, subject, body, attempt=1):
    scenario = ScenarioFactory(steps=[{"name": "first", "channel": "email"}])
    action = Action.objects.filter(customer=customer).first() or Action.objects.create(
        entity=customer.entity,
        customer=customer,
        scenario=scenario,
        step=scenario.steps.get(),
        step_position=1,
        step_name="first",
        channel="email",
        mode="auto",
        reference=make_invoice(customer, "F1", day - 20 * DAY),
        status="sent",
        created_on=day - 5 * DAY,
        due_date=day,
        finished_on=day,
    )
    Outbox.objects.create(
        action=action,
        attempt=attempt,
        key=f"action-{action.pk}-{attempt}",
        channel="email",
        day=day,
        status=attempt_status,
        subject=subject,
        body=body,
    )
    return action


def test_the_timeline_shows_the_message_as_sent_and_payments(client, alice, acme):
    today = acme.today()
    customer = make_customer(acme, name="Dupont SA")
    action = _sent_email(customer, today - 2 * DAY, "failed", subject="Refused", body="Never left")
    _sent_email(
        customer,
        today - 2 * DAY,
        subject="Your overdue invoice F1",
        body="Dear Dupont,\nplease pay F1 this week.",
        attempt=2,
    )
    ItemFactory(
        customer=customer,
        kind="payment",
        number="P-77",
        issue_date=today - DAY,
        amount=Decimal("1234.50"),
        open_amount=Decimal("0"),
    )
    client.force_login(alice)
    response = client.get(reverse("agenda:customer-timeline", args=[customer.pk]))
    entries = response.context["timeline"]
    # The message sent the day its action finished is shown in the action's line.
    assert [(e.kind, e.day) for e in entries] == [
        ("payment", today - DAY),
        ("action", today - 2 * DAY),
    ]
    payment, message = entries[0], entries[1].message
    assert (payment.title, payment.amount, payment.currency) == ("P-77", Decimal("1234.50"), "EUR")
    assert (message.pk, message.title) == (action.pk, "Your overdue invoice F1")
    assert message.note == "Dear Dupont,\nplease pay F1 this week."
    html = response.content.decode()
    assert "€1,234.50" in html and "P-77" in html
    assert "<details" in html and "please pay F1 this week." in html
    assert "Never left" not in html


def test_the_timeline_takes_two_queries_however_long(acme, bob, django_assert_num_queries):
    today = acme.today()
    customer = make_customer(acme)
    _sent_email(customer, today, subject="One", body="One")
    for number in range(5):
        ItemFactory(customer=customer, kind="payment", number=f"P{number}", open_amount=0)
        CustomerEventFactory(customer=customer, user=bob)
    with django_assert_num_queries(2):  # the UNION, then the events with their users
        entries = customer_timeline(customer)
        names = {entry.event.by for entry in entries if entry.kind == "event"}
    assert [e.kind for e in entries].count("payment") == 5
    assert [e.kind for e in entries].count("event") == 5 and names == {"Bob"}


def test_events_merge_newest_first_with_who_did_them(client, alice, bob, acme):
    today = acme.today()
    customer = make_customer(acme, name="Dupont SA")
    action = _sent_email(customer, today - 3 * DAY, subject="First", body="First reminder")
    ItemFactory(customer=customer, kind="payment", number="P-1", issue_date=today - DAY)
    CustomerEventFactory(
        customer=customer,
        kind="import_changed",
        day=today - 4 * DAY,
        at=timezone.now() - 4 * DAY,
        data=IMPORT_DATA,
    )
    Action.objects.filter(pk=action.pk).update(status="planned", finished_on=None)
    action_reschedule(action=action, acting_user=bob, due_date=today + DAY)
    action_reassign(action=action, acting_user=alice, responsible=bob)
    client.force_login(alice)
    response = client.get(reverse("agenda:customer-timeline", args=[customer.pk]))
    entries = response.context["timeline"]
    assert [(e.kind, e.event.kind if e.event else "") for e in entries] == [
        ("action", ""),  # open: on its due date, tomorrow
        ("event", "action_reassigned"),
        ("event", "action_rescheduled"),
        ("payment", ""),
        ("message", ""),
        ("event", "import_changed"),
    ]
    html = response.content.decode()
    assert '<span class="fw-semibold timeline-by">Alice</span>' in html
    assert '<span class="fw-semibold timeline-by">Bob</span>' in html
    assert "Gave “first” (Email) to Bob" in html
    assert "System" in html and "Import “items.csv”: 2 invoices added" in html


def test_the_timeline_reads_in_french(client, bob, acme):
    customer = make_customer(acme)
    CustomerEventFactory(customer=customer, user=bob)
    bob.language = "fr"
    bob.save()
    client.force_login(bob)
    url = reverse("agenda:customer-timeline", args=[customer.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Action « call » (Appel) marquée comme faite" in html


def test_a_reader_of_another_entity_sees_none_of_the_events(client, acme, globex):
    customer = make_customer(acme)
    event = CustomerEventFactory(customer=customer)
    reader = UserFactory(username="rita", role="read_only")
    reader.entities.set([globex])
    client.force_login(reader)
    response = client.get(reverse("agenda:customer-timeline", args=[customer.pk]))
    assert response.status_code == 404
    assert not CustomerEvent.objects.visible_to(reader).filter(pk=event.pk).exists()
    reader.entities.add(acme)
    assert CustomerEvent.objects.visible_to(reader).filter(pk=event.pk).exists()


def test_event_times_read_in_the_entity_zone(client, alice, acme):
    acme.time_zone = "Asia/Tokyo"  # UTC+9, no daylight saving
    acme.save()
    customer = make_customer(acme, name="Dupont SA")
    at = datetime.datetime(2026, 11, 20, 8, 15, tzinfo=datetime.UTC)
    CustomerEventFactory(
        customer=customer, kind="import_changed", day=at.date(), at=at, data=IMPORT_DATA
    )
    client.force_login(alice)
    html = client.get(reverse("agenda:customer-timeline", args=[customer.pk])).content.decode()
    assert ">17:15</time>" in html
