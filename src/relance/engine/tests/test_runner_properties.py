"""The amendment through the database: the scenario that made the planner loop (and abort
the whole entity's run) is now planned, beside customers it no longer stops; and, on a
smaller budget than the pure planner's test_properties.py, random scenarios and ledgers
replayed with `run_day` keep the contract's invariants in the tables."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relance.agenda.models import Action
from relance.engine.models import EngineError
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice, replay
from relance.engine.tests.test_properties import scenarios
from relance.scenarios.tests.factories import ScenarioFactory


def may(day: int) -> date:
    return date(2026, 5, day)


def _rows(customer) -> list[tuple]:
    return list(
        Action.objects.filter(customer=customer)
        .order_by("id")
        .values_list("step_name", "status", "reason", "created_on", "due_date", "finished_on")
    )


@pytest.mark.django_db
def test_the_scenario_that_stopped_the_run_is_planned_and_the_others_untouched(
    acme_daily, scenario_s, email_template
):
    """Example G's scenario set on a customer already dunned under S: before, the planner
    looped on it and `run_day` raised, for every customer of the entity."""
    p1 = ScenarioFactory(name="P1", repeat_last_every_days=1, steps=[
        {"name": "letter", "channel": "registered_letter", "offset_days": -5},
    ])  # fmt: skip
    looping = make_customer(acme_daily, email="g@client.example")
    make_invoice(looping, "G1", date(2026, 4, 29))
    neighbour = make_customer(acme_daily, email="n@client.example")
    make_invoice(neighbour, "N1", may(10))
    replay(acme_daily, date(2026, 4, 15), may(5))
    history = _rows(looping)[:2]
    assert [(row[0], row[1]) for row in history] == [("courtesy", "sent"), ("first", "sent")]

    looping.scenario = p1
    looping.save()
    replay(acme_daily, may(6), may(31))
    rows = _rows(looping)
    assert rows[:2] == history  # its finished actions of S are untouched
    assert rows[2:] == [("letter", "skipped", "already due", may(6), may(6), may(6))]
    assert [(row[0], row[1], row[5]) for row in _rows(neighbour)] == [
        ("courtesy", "sent", may(5)),
        ("first", "sent", may(13)),
        ("second", "sent", may(25)),
    ]
    assert not EngineError.objects.exists()


DAYS = 24
START = date(2026, 3, 2)


@st.composite
def ledgers(draw) -> list[tuple[int, int, int | None]]:
    """Per customer: (due date offset, issue offset before it, day paid or None)."""
    return draw(
        st.lists(
            st.tuples(st.integers(-30, 40), st.integers(0, 40), st.none() | st.integers(0, DAYS)),
            min_size=1,
            max_size=3,
        )
    )


def _save_scenario(data, template):
    steps = [
        {"name": s.name, "channel": s.channel, "mode": s.mode, "anchor": s.anchor,
         "offset_days": s.offset_days, "template": template if s.channel == "email" else None}
        for s in data.steps
    ]  # fmt: skip
    settings_ = {
        "min_contact_days": data.min_contact_days,
        "repeat_last_every_days": data.repeat_last_every_days,
        "lookahead_days": data.lookahead_days,
    }
    return ScenarioFactory(name="random", steps=steps, **settings_)


def _snapshot(entity) -> list[tuple]:
    return list(Action.objects.filter(entity=entity).order_by("id").values_list())


def _check_tables(entity, day: date) -> None:
    actions = Action.objects.filter(entity=entity)
    open_per_customer = {}
    for action in actions.filter(finished_on__isnull=True):
        open_per_customer[action.customer_id] = open_per_customer.get(action.customer_id, 0) + 1
    assert all(n <= 1 for n in open_per_customer.values())
    for action in actions.filter(created_on=day):
        if action.reason == "already due" and action.created_on == action.finished_on:
            assert action.due_date == day  # rule 2: every date is D
        else:
            assert action.due_date >= day, "an action born late"
    sent = list(actions.filter(status="sent").values_list("id", flat=True))
    assert len(mail.outbox) == len(sent), "a message sent twice, or without its action"


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios(), ledger=ledgers())
@pytest.mark.django_db
def test_random_scenarios_through_the_runner_keep_the_invariants(
    acme_daily, email_template, scenario, ledger
):
    mail.outbox.clear()
    with transaction.atomic():  # each example rolled back: the next starts empty
        acme_daily.default_scenario = _save_scenario(scenario, email_template)
        acme_daily.save()
        payments = {}
        for number, (due, before, paid) in enumerate(ledger):
            customer = make_customer(acme_daily, email=f"c{number}@client.example")
            due_date = START + timedelta(due)
            item = make_invoice(customer, f"I{number}", due_date, due_date - timedelta(before))
            payments.setdefault(paid, []).append(item)
        for offset in range(DAYS):
            day = START + timedelta(offset)
            for item in payments.get(offset, ()):
                item.open_amount = Decimal("0")
                item.save()
            run_day(entity=acme_daily, day=day)
            _check_tables(acme_daily, day)
            before = _snapshot(acme_daily)
            again = run_day(entity=acme_daily, day=day)
            assert (again.created, again.skipped, again.sent, again.updated) == (0, 0, 0, 0)
            assert _snapshot(acme_daily) == before, "a second run on the same day changed it"
        assert not EngineError.objects.exists()
        transaction.set_rollback(True)
