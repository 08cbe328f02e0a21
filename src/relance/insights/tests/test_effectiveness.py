"""Step effectiveness worked by hand (docs/insights.md, "Step effectiveness"): scenario S's
first step, measured at AS_OF = 30 June 2026.

  P  reference R1 due 03-01; step sent 03-05 (4 days overdue: 1–30); paid 400 on 03-10
     and 600 on 03-25.
  Q  reference R2 due 03-01; step due 03-06 (5 days overdue), skipped; paid 500 on 04-01.
  T  reference R3 due 03-01; step due 03-02 (1 day overdue), sent late on 03-12 (11 days
     overdue); paid 300 on 03-08 and 500 on 03-20.
  U  reference R4 due 06-01; step sent 06-25: none of its windows is over on 06-30.

Received (P from 03-05, T from 03-12): within 7 days 400 + 0, within 14 400 + 500, within
30 1000 + 500. Comparison (Q from 03-06; T from 03-02 for the windows it had not received
the step in: 7 days only, since it was sent 10 days after): within 7 days 0 + 300, within
14 Q alone 0, within 30 Q alone 500."""

from datetime import date
from decimal import Decimal

import pytest

from relance.agenda.models import Action
from relance.customers.tests.factories import CustomerFactory
from relance.insights import effectiveness as e
from relance.insights.tests.ledgers import invoice, paid
from relance.scenarios.tests.factories import ScenarioFactory

D = Decimal
AS_OF = date(2026, 6, 30)


def day(month, number):
    return date(2026, month, number)


def action(reference, step, status, due, finished):
    return Action.objects.create(
        entity=reference.entity,
        customer=reference.customer,
        scenario=step.scenario,
        step=step,
        step_position=step.position,
        step_name=step.name,
        channel=step.channel,
        mode=step.mode,
        reference=reference,
        status=status,
        created_on=due,
        due_date=due,
        finished_on=finished,
    )


@pytest.fixture
def steps(acme):
    scenario = ScenarioFactory(name="S", entity=acme, steps=[{"name": "first"}])
    first = scenario.steps.get()
    customers = {name: CustomerFactory(entity=acme, currency="EUR") for name in "PQTU"}
    r1 = invoice(customers["P"], "R1", day(2, 1), day(3, 1), "1000", open_amount="0")
    r2 = invoice(customers["Q"], "R2", day(2, 1), day(3, 1), "2000", open_amount="1500")
    r3 = invoice(customers["T"], "R3", day(2, 1), day(3, 1), "800", open_amount="0")
    r4 = invoice(customers["U"], "R4", day(5, 1), day(6, 1), "900", open_amount="0")
    paid(r1, day(3, 10), "400")
    paid(r1, day(3, 25), "600")
    paid(r2, day(4, 1), "500")
    paid(r3, day(3, 8), "300")
    paid(r3, day(3, 20), "500")
    paid(r4, day(6, 26), "900")
    action(r1, first, "sent", day(3, 5), day(3, 5))
    action(r2, first, "skipped", day(3, 6), day(3, 6))
    action(r3, first, "sent", day(3, 2), day(3, 12))
    action(r4, first, "done", day(6, 25), day(6, 25))
    return scenario


def test_a_step_against_the_customers_it_had_not_reached_yet(acme, steps):
    (stage,) = e.step_effectiveness(acme, as_of=AS_OF)
    assert (stage.scenario_id, stage.position, stage.stage) == (steps.pk, 1, "d1_30")
    assert stage.received.observations == {7: 2, 14: 2, 30: 2}  # P and T; U's not over
    assert stage.received.paid == {7: D("400.00"), 14: D("900.00"), 30: D("1500.00")}
    assert stage.comparison.observations == {7: 2, 14: 1, 30: 1}
    assert stage.comparison.paid == {7: D("300.00"), 14: D("0.00"), 30: D("500.00")}
    # Per observation: 200 against 150, 450 against 0, 750 against 500.
    assert [stage.received.mean(n) for n in e.WINDOWS] == [D("200.00"), D("450.00"), D("750.00")]
    assert [stage.comparison.mean(n) for n in e.WINDOWS] == [D("150.00"), D("0.00"), D("500.00")]
    assert [stage.difference(n) for n in e.WINDOWS] == [D("50.00"), D("450.00"), D("250.00")]
    assert stage.share_of_comparison(30) == D("150.0")
    assert stage.share_of_comparison(14) is None  # the comparison paid nothing


def test_the_stage_is_the_reference_invoices_days_overdue_on_the_observed_day(acme, steps):
    customer = CustomerFactory(entity=acme, currency="EUR")
    late = invoice(customer, "R5", day(1, 1), day(1, 31), "100", open_amount="0")
    paid(late, day(4, 2), "100")
    action(late, steps.steps.get(), "done", day(4, 1), day(4, 1))  # 60 days overdue
    stages = {stage.stage: stage for stage in e.step_effectiveness(acme, as_of=AS_OF)}
    assert set(stages) == {"d1_30", "d31_60"}
    assert stages["d31_60"].received.paid[7] == D("100.00")
    assert stages["d31_60"].comparison.mean(7) is None


def test_one_query_and_rows_named_after_the_scenario(acme, steps, django_assert_num_queries):
    with django_assert_num_queries(1):
        stages = e.step_effectiveness(acme, as_of=AS_OF)
    rows = e.step_rows(acme, stages)
    assert [(row["scenario"], row["step"]) for row in rows] == [("S", "first")]


def test_the_stages_cover_every_number_of_days():
    assert [e.stage_of(n) for n in (-3, 0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        "not_due",
        "not_due",
        "d1_30",
        "d1_30",
        "d31_60",
        "d31_60",
        "d61_90",
        "d61_90",
        "d90_plus",
        "d90_plus",
    ]
