"""The worked example of docs/engine.md ("A reply pauses the automatic messages") through
`relance run --date`: the reply is recorded as the inbound app records it
(agenda.services.response_email_record), the runs read the pause through the agenda's
selector; handled on 02-05, `first` leaves on 02-06; never handled, on 02-09."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from relance.activity.models import CustomerEvent
from relance.agenda.models import Action
from relance.agenda.services import response_email_record, response_handle
from relance.core.models import Entity
from relance.engine.models import EngineRun
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d

pytestmark = pytest.mark.django_db
REPLY_AT = datetime(2026, 2, 2, 15, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def world(scenario_s, acme_daily, monkeypatch):
    """Customer A (invoice A1 due 01-31) of example A, the entity's calendar pinned to the
    day being replayed."""
    clock = {"day": d(1, 15)}
    monkeypatch.setattr(Entity, "today", lambda entity: clock["day"])
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))

    def run(first: date, last: date | None = None) -> str:
        out = io.StringIO()
        day = first
        while day <= (last or first):
            clock["day"] = day
            call_command("run", "--date", day.isoformat(), "--entity", "acme-fr", stdout=out)
            day += timedelta(1)
        return out.getvalue()

    run(d(1, 15), d(2, 2))
    assert len(mail.outbox) == 1  # courtesy, 01-26
    response = response_email_record(
        entity=acme_daily,
        customer=customer,
        action=Action.objects.get(step_name="courtesy"),
        author="Claire Martin <compta@client.example>",
        body="Nous payons la semaine prochaine.",
        received_at=REPLY_AT,
    )
    return run, clock, customer, response


def first():
    return Action.objects.get(step_name="first")


def test_a_reply_holds_first_until_a_collector_handles_it(world):
    run, clock, customer, response = world
    printed = run(d(2, 3))
    assert "customers paused by a reply: 1" in printed
    assert EngineRun.objects.filter(day=d(2, 3)).get().counts["paused"] == 1
    assert (first().status, first().due_date) == ("planned", d(2, 3))
    run(d(2, 4), d(2, 5))
    assert len(mail.outbox) == 1
    clock["day"] = d(2, 5)
    response_handle(response=response)
    run(d(2, 6))
    assert (first().status, first().finished_on) == ("sent", d(2, 6))
    assert len(mail.outbox) == 2
    assert "customers paused by a reply" not in run(d(2, 7))
    run(d(2, 8))
    second = Action.objects.get(step_name="second")
    assert (second.created_on, second.due_date) == (d(2, 8), d(2, 15))
    events = CustomerEvent.objects.filter(customer=customer).order_by("id")
    assert [(e.kind, e.day) for e in events] == [
        ("reply_paused", d(2, 2)),
        ("reply_resumed", d(2, 5)),
    ]
    assert events[0].data["until"] == "2026-02-09"


def test_unhandled_the_pause_ends_on_the_seventh_day(world):
    run, _clock, _customer, _response = world
    run(d(2, 3), d(2, 8))
    assert len(mail.outbox) == 1
    assert first().status == "planned"
    run(d(2, 9))
    assert (first().status, first().finished_on) == ("sent", d(2, 9))
    second = Action.objects.get(step_name="second")
    assert (second.created_on, second.due_date, second.planned_by) == (
        d(2, 9),
        d(2, 16),
        "contact_delay",
    )


def test_an_auto_reply_holds_nothing(scenario_s, acme_daily):
    customer = make_customer(acme_daily)
    make_invoice(customer, "A1", d(1, 31), issue=d(1, 1))
    for offset in range(0, 20):
        day = d(1, 15) + timedelta(offset)
        if day == d(2, 2):
            response_email_record(
                entity=acme_daily,
                customer=customer,
                author="compta@client.example",
                body="Je suis absente jusqu'au 10 février.",
                received_at=REPLY_AT,
                auto_reply="out of office",
            )
        call_command("run", "--date", day.isoformat(), "--entity", "acme-fr", stdout=io.StringIO())
    assert (first().status, first().finished_on) == ("sent", d(2, 3))
