"""One customer never stops the run (amendment 1, rule 6): a customer whose planning,
writing or sending fails is recorded (EngineError: customer, day, stage, message), counted
in the summary and the EngineRun, shown on its collection panel and the agenda's error
tab; every other customer is planned as usual. Faults are injected for one customer id."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from relance.agenda.models import Action
from relance.engine import isolation, planner, runner
from relance.engine.models import EngineError, EngineRun
from relance.engine.runner import run_day
from relance.engine.tests.conftest import make_customer, make_invoice
from relance.engine.tests.simulation import d


@pytest.fixture
def trio(acme_daily, scenario_s):
    """Three customers with an invoice due 01-31; the second one is the broken one."""
    customers = [make_customer(acme_daily, email=f"c{i}@client.example") for i in range(3)]
    for number, customer in enumerate(customers):
        make_invoice(customer, f"I{number}", d(1, 31))
    return customers


def _break_planning(monkeypatch, broken):
    real = planner.plan_customer

    def plan_customer(state, *args, **kwargs):
        if state.id == broken.pk:
            raise ValueError("deliberately broken scenario")
        return real(state, *args, **kwargs)

    monkeypatch.setattr(planner, "plan_customer", plan_customer)


def _customers_with_actions() -> set[int]:
    return set(Action.objects.values_list("customer_id", flat=True))


def test_a_customer_whose_planning_raises_is_recorded_and_the_others_planned(
    acme_daily, trio, monkeypatch
):
    first, broken, last = trio
    _break_planning(monkeypatch, broken)
    summary = run_day(entity=acme_daily, day=d(1, 20))
    assert _customers_with_actions() == {first.pk, last.pk}
    assert summary.failed == 1 and summary.created == 2
    assert "  customers failed: 1" in summary.lines()
    error = EngineError.objects.get()
    assert (error.customer, error.day, error.stage) == (broken, d(1, 20), "planning")
    assert error.message == "ValueError: deliberately broken scenario"
    run = EngineRun.objects.get()
    assert (run.status, run.counts["failed"], error.run) == ("finished", 1, run)

    monkeypatch.undo()  # the scenario is fixed: the next run plans the customer
    summary = run_day(entity=acme_daily, day=d(1, 21))
    assert summary.failed == 0
    assert _customers_with_actions() == {first.pk, broken.pk, last.pk}
    assert EngineError.objects.get().resolved_on == d(1, 21)


def test_a_customer_whose_writes_fail_is_left_out_and_the_others_written(
    acme_daily, trio, monkeypatch
):
    first, broken, last = trio
    real = isolation.write_decisions

    def write_decisions(entity, day, decisions, *args):
        if broken.pk in decisions:
            Action.objects.filter(customer__in=trio).update(note="half-written")
            raise RuntimeError("a constraint the planner did not foresee")
        return real(entity, day, decisions, *args)

    monkeypatch.setattr(isolation, "write_decisions", write_decisions)
    summary = run_day(entity=acme_daily, day=d(1, 20))
    assert _customers_with_actions() == {first.pk, last.pk}
    assert not Action.objects.filter(note="half-written").exists()  # rolled back
    assert (summary.failed, summary.created) == (1, 2)
    assert EngineError.objects.get().stage == "writing"


def test_a_customer_whose_send_raises_is_recorded_and_the_others_sent(
    acme_daily, trio, monkeypatch
):
    broken = trio[1]
    run_day(entity=acme_daily, day=d(1, 20))  # courtesy created for all three, due 01-26
    broken_action = Action.objects.get(customer=broken)
    real = runner.deliver

    def deliver(*, action_ids, day):
        if broken_action.pk in action_ids:
            raise RuntimeError("the template engine blew up")
        return real(action_ids=action_ids, day=day)

    monkeypatch.setattr(runner, "deliver", deliver)
    summary = run_day(entity=acme_daily, day=d(1, 26))
    assert sorted(m.to[0] for m in mail.outbox) == ["c0@client.example", "c2@client.example"]
    assert (summary.sent, summary.failed) == (2, 1)
    error = EngineError.objects.get()
    assert (error.customer, error.stage) == (broken, "sending")
    # Its action stays open for the next run: nothing was lost nor sent.
    assert Action.objects.get(pk=broken_action.pk).status == "planned"


def test_a_planning_error_past_the_bound_goes_through_isolation(acme_daily, trio, monkeypatch):
    monkeypatch.setattr(planner, "max_rounds", lambda scenario: 0)
    summary = run_day(entity=acme_daily, day=d(1, 20))
    assert summary.failed == 3
    assert set(EngineError.objects.values_list("message", flat=True)) == {
        f"PlanningError: customer {c.pk}: no stable plan on 2026-01-20" for c in trio
    }


def test_relance_run_strict_exits_non_zero_only_when_asked(acme_daily, trio, monkeypatch):
    _break_planning(monkeypatch, trio[1])
    call_command("run", "--date", "2026-01-20", "--entity", acme_daily.slug)  # exit 0
    with pytest.raises(CommandError, match="Customers failed"):
        call_command("run", "--date", "2026-01-21", "--entity", acme_daily.slug, "--strict")
    assert EngineRun.objects.filter(status="finished").count() == 2


def test_the_error_shows_on_the_collection_panel_and_the_agenda_error_tab(
    client, alice, acme_daily, trio, monkeypatch
):
    broken = trio[1]
    _break_planning(monkeypatch, broken)
    run_day(entity=acme_daily, day=date(2026, 1, 20))
    client.force_login(alice)
    tab = client.get(reverse("agenda:errors")).content.decode()
    assert broken.name in tab and "deliberately broken scenario" in tab
    assert trio[0].name not in tab
    page = client.get(broken.get_absolute_url()).content.decode()
    assert "Engine error" in page and "deliberately broken scenario" in page
    assert "deliberately broken" not in client.get(trio[0].get_absolute_url()).content.decode()

    monkeypatch.undo()
    run_day(entity=acme_daily, day=date(2026, 1, 21))
    assert "deliberately broken" not in client.get(reverse("agenda:errors")).content.decode()


def test_a_collector_sees_only_the_errors_of_customers_he_may_see(
    client, bob, globex, acme_daily, scenario_s, monkeypatch
):
    elsewhere = make_customer(globex, name="Globex customer")
    make_invoice(elsewhere, "G1", d(1, 31))
    monkeypatch.setattr(planner, "plan_customer", _raise)
    run_day(entity=globex, day=d(1, 20))
    assert EngineError.objects.count() == 1
    client.force_login(bob)
    assert "Globex customer" not in client.get(reverse("agenda:errors")).content.decode()


def _raise(*args, **kwargs):
    raise ValueError("broken")
