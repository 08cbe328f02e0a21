"""Database fixtures of the engine tests: Acme France working every day (as the spec's
examples assume), an email template, the spec's scenarios S and R2."""

from datetime import date, timedelta

import pytest

from relance.customers.tests.factories import ContactFactory, CustomerFactory
from relance.engine.runner import run_day
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.tests.factories import spec_scenario_r2, spec_scenario_s
from relance.templating.tests.factories import MessageTemplateFactory

EVERY_DAY = "mon,tue,wed,thu,fri,sat,sun"


@pytest.fixture
def acme_daily(acme):
    acme.working_days = EVERY_DAY
    acme.holidays_country = ""
    acme.email = "recouvrement@acme.example"
    acme.save()
    return acme


@pytest.fixture
def email_template(db):
    return MessageTemplateFactory(
        name="Reminder",
        channel="email",
        variants={"fr": ("Relance #customer_name", "<p>Bonjour, vous devez #total_due.</p>")},
    )


def _with_template(scenario, template):
    scenario.steps.filter(channel="email").update(template=template)
    return scenario


@pytest.fixture
def scenario_s(acme_daily, email_template):
    scenario = _with_template(spec_scenario_s(), email_template)
    acme_daily.default_scenario = scenario
    acme_daily.save()
    return scenario


@pytest.fixture
def scenario_r2(acme_daily, email_template):
    scenario = _with_template(spec_scenario_r2(), email_template)
    acme_daily.default_scenario = scenario
    acme_daily.save()
    return scenario


def make_customer(entity, *, email="compta@client.example", **fields):
    customer = CustomerFactory(entity=entity, **fields)
    ContactFactory(customer=customer, email=email, is_collection=True)
    return customer


def make_invoice(customer, number, due, issue=None, **fields):
    issue = issue or due - timedelta(30)
    return ItemFactory(customer=customer, number=number, issue_date=issue, due_date=due, **fields)


def replay(entity, start: date, end: date, events=None):
    """run_day every day from `start` to `end`; `events[day]()` happens before the run."""
    events = events or {}
    day = start
    while day <= end:
        if day in events:
            events[day]()
        run_day(entity=entity, day=day)
        day += timedelta(1)
