import datetime
from decimal import Decimal

import pytest

from relance.agenda.models import Action
from relance.customers.tests.factories import CustomerFactory
from relance.ledger.tests.factories import ItemFactory
from relance.scenarios.selectors import customers_collection_panel, reference_invoice
from relance.scenarios.tests.factories import spec_scenario_s
from relance.segments.services import segment_create, segments_recompute

TODAY = datetime.date(2026, 3, 1)


def invoice(customer, number, due, **kwargs):
    fields = {"issue_date": due - datetime.timedelta(days=30), "amount": Decimal("1000")}
    return ItemFactory(customer=customer, number=number, due_date=due, **{**fields, **kwargs})


@pytest.fixture
def customer(acme):
    return CustomerFactory(entity=acme, name="Dupont SA")


def test_reference_invoice_is_the_earliest_dunnable(customer):
    invoice(customer, "A-DISPUTED", datetime.date(2026, 1, 1), disputed=True)
    invoice(customer, "B-BLOCKED", datetime.date(2026, 1, 2), blocked=True)
    invoice(customer, "C-PROMISE", datetime.date(2026, 1, 3), promise_date=TODAY)
    invoice(customer, "D-PAID", datetime.date(2026, 1, 4), open_amount=Decimal("0"))
    invoice(customer, "F-LATER", datetime.date(2026, 1, 10))
    invoice(customer, "E-TIE", datetime.date(2026, 1, 10), issue_date=datetime.date(2025, 1, 1))
    assert reference_invoice(customer, TODAY).number == "E-TIE"
    # A promise past its grace days no longer protects the invoice.
    later = TODAY + datetime.timedelta(days=4)
    assert reference_invoice(customer, later, grace_days=3).number == "C-PROMISE"
    assert reference_invoice(customer, later, grace_days=4).number == "E-TIE"


def action(customer, scenario, reference, position, status, **kwargs):
    step = scenario.steps.get(position=position)
    if status not in ("planned", "to_confirm", "confirmed", "error"):
        kwargs.setdefault("finished_on", TODAY)
    return Action.objects.create(
        entity=customer.entity,
        customer=customer,
        scenario=scenario,
        step=step,
        step_position=position,
        step_name=step.name,
        channel=step.channel,
        mode=step.mode,
        reference=reference,
        status=status,
        created_on=TODAY,
        due_date=TODAY,
        **kwargs,
    )


def test_panel_with_actions(customer, django_assert_max_num_queries):
    scenario = spec_scenario_s()
    segment_create(name="Everyone", scenario=scenario)
    segments_recompute()
    r = invoice(customer, "A1", datetime.date(2026, 1, 31))
    other = invoice(customer, "A0", datetime.date(2026, 1, 15), disputed=True)
    action(customer, scenario, r, 1, "sent", finished_on=datetime.date(2026, 1, 26))
    action(customer, scenario, r, 2, "sent", finished_on=datetime.date(2026, 2, 3))
    action(customer, scenario, other, 3, "sent", finished_on=datetime.date(2026, 2, 1))
    action(customer, scenario, r, 3, "cancelled")
    open_action = action(customer, scenario, r, 3, "planned", planned_by="contact_delay")
    with django_assert_max_num_queries(6):  # the 6th: the customer's engine errors
        panel = customers_collection_panel(customer, TODAY)
    assert (panel.scenario, panel.source, panel.segment.name) == (
        scenario,
        "segment Everyone",
        "Everyone",
    )
    assert panel.reference == r
    assert panel.open_action == open_action
    assert open_action.get_planned_by_display() == "the minimum delay since the last contact"
    assert [a.step_name for a in panel.finished_actions] == ["courtesy", "first"]
    assert panel.next_step.name == "second"


def test_panel_renders_on_the_customer_page(client, customer, alice):
    scenario = spec_scenario_s()
    customer.scenario = scenario
    customer.save()
    r = invoice(customer, "A1", datetime.date(2026, 1, 31))
    action(customer, scenario, r, 1, "to_confirm", planned_by="anchor")
    client.force_login(alice)
    html = client.get(customer.get_absolute_url()).content.decode()
    assert "(set by hand)" in html
    assert "A1" in html
    assert "To confirm" in html
    assert "Date set by the step&#x27;s date (anchor + offset)." in html


def test_panel_without_anything(customer):
    panel = customers_collection_panel(customer, TODAY)
    assert (panel.scenario, panel.reference, panel.open_action, panel.next_step) == (
        None,
        None,
        None,
        None,
    )


def test_a_finished_cycle_says_why_nothing_comes_next(client, customer, alice):
    scenario = spec_scenario_s()  # its last step does not repeat
    customer.scenario = scenario
    customer.save()
    r = invoice(customer, "A1", datetime.date(2026, 1, 31))
    last_day = datetime.date(2026, 2, 20)
    for position in range(1, scenario.steps.count() + 1):
        action(customer, scenario, r, position, "sent", finished_on=last_day)
    assert customers_collection_panel(customer, TODAY).cycle_ended_on == last_day
    client.force_login(alice)
    html = client.get(customer.get_absolute_url()).content.decode()
    assert "every step of the scenario was done (the last on 20 Feb 2026)" in html

    scenario.repeat_last_every_days = 10
    scenario.save()
    panel = customers_collection_panel(customer, TODAY)
    assert panel.cycle_ended_on is None and panel.next_step.position == scenario.steps.count()


def test_a_cycle_ended_by_a_skipped_repeat_says_so(client, customer, alice):
    """Amendment 1, rule 5: the last step repeats only after it reached the customer."""
    scenario = spec_scenario_s(repeat_last_every_days=10)
    customer.scenario = scenario
    customer.save()
    r = invoice(customer, "A1", datetime.date(2026, 1, 31))
    for position in range(1, 5):
        action(customer, scenario, r, position, "sent", finished_on=datetime.date(2026, 2, 20))
    assert customers_collection_panel(customer, TODAY).next_step.position == 4
    action(customer, scenario, r, 4, "skipped", reason="by user",
           finished_on=datetime.date(2026, 2, 25))  # fmt: skip
    panel = customers_collection_panel(customer, TODAY)
    assert (panel.next_step, panel.ended_by_skip) == (None, True)
    client.force_login(alice)
    html = client.get(customer.get_absolute_url()).content.decode()
    assert "the last step “notice” was skipped on 25 Feb 2026" in html
